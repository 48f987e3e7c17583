"""Run a decoder that can abort its process (pyzbar, OpenCV's QR detector) in a worker process.

The counter process sends each grey frame over a pipe; the worker decodes and sends back the scans. If the
worker dies (C ``abort()``, segfault) or hangs past ``timeout_s``, the frame is answered with no scans, the
worker is started again, and ``on_event("decoder_crashed", "decoder crashed, restarted")`` is called so the
UI/log can say so. The counter keeps running.

Workers come from a fork server (``forkserver`` start method where available, else ``spawn``): forking the
counter process itself, which runs camera and UI threads, is unsafe; the fork server preloads only this
package, so a restart takes tens of milliseconds instead of a fresh interpreter.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from .types import Decoder, DecoderError, Scan, to_gray

EventCallback = Callable[[str, str], None]


def _build(target: str, kwargs: dict[str, Any]) -> Decoder:
    module, _, attr = target.partition(":")
    factory = getattr(importlib.import_module(module), attr)
    decoder: Decoder = factory(**kwargs)
    return decoder


def _worker(conn: Connection, target: str, kwargs: dict[str, Any]) -> None:  # runs in the child
    try:
        decoder = _build(target, kwargs)
    except Exception as exc:  # report construction errors instead of dying silently
        conn.send(("error", getattr(exc, "code", "backend_unavailable"), str(exc)))
        return
    conn.send(("ready",))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        h, w = msg
        buf = conn.recv_bytes()
        frame = np.frombuffer(buf, np.uint8).reshape(h, w)
        try:
            conn.send(("ok", decoder.decode(frame)))
        except Exception as exc:
            conn.send(("fail", str(exc)))


def _context() -> Any:
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        # preload our decoders, not the caller's __main__ (a CLI entry point or a test runner)
        ctx.set_forkserver_preload(["hardware.scanner.factory", "hardware.scanner.isolated"])
        return ctx
    return mp.get_context("spawn")


class IsolatedDecoder:
    """Same interface as any decoder; the real one lives in a child process built from ``target``
    ("package.module:factory") and ``kwargs``."""

    def __init__(self, target: str, kwargs: dict[str, Any] | None = None, name: str | None = None,
                 timeout_s: float = 5.0, on_event: EventCallback | None = None,
                 start_timeout_s: float = 60.0) -> None:
        self.target = target
        self.kwargs = dict(kwargs or {})
        self.name = name or f"isolated({target})"
        self.timeout_s = timeout_s
        self.start_timeout_s = start_timeout_s
        self.on_event = on_event
        self.crashes = 0
        self._ctx = _context()
        self._proc: Any = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()
        self._start()

    # ---------------------------------------------------------------- process management
    def _start(self) -> None:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker, args=(child, self.target, self.kwargs), daemon=True,
                                 name=f"decoder-{self.name}")
        proc.start()
        child.close()
        if not parent.poll(self.start_timeout_s):
            proc.kill()
            raise DecoderError("decoder_start_failed", f"the {self.name} decoder worker did not start")
        try:
            msg = parent.recv()
        except EOFError as exc:
            proc.join(1)
            raise DecoderError("decoder_start_failed", f"the {self.name} decoder worker died at start") from exc
        if msg[0] == "error":
            proc.join(1)
            raise DecoderError(msg[1], msg[2])
        self._proc, self._conn = proc, parent

    def _kill(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._proc is not None:
            if self._proc.is_alive():
                self._proc.kill()
            self._proc.join(2)
        self._proc = self._conn = None

    def _restart(self, why: str) -> None:
        self.crashes += 1
        self._kill()
        self._start()
        if self.on_event is not None:
            self.on_event("decoder_crashed", f"decoder crashed ({why}), restarted")

    # ---------------------------------------------------------------- Decoder interface
    def decode(self, frame: np.ndarray) -> list[Scan]:
        gray = to_gray(frame)
        with self._lock:
            if self._conn is None:
                self._start()
            conn = self._conn
            assert conn is not None
            try:
                conn.send(gray.shape)
                conn.send_bytes(gray.data.cast("B"))
                if not conn.poll(self.timeout_s):
                    self._restart(f"no answer in {self.timeout_s:g} s")
                    return []
                msg = conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                code = self._proc.exitcode if self._proc is not None else None
                if self._proc is not None:
                    self._proc.join(1)
                    code = self._proc.exitcode
                self._restart(f"worker exit code {code}")
                return []
        if msg[0] == "ok":
            scans: list[Scan] = msg[1]
            return scans
        return []

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.send(None)
                except OSError:
                    pass
            if self._proc is not None:
                self._proc.join(1)
            self._kill()

    def __del__(self) -> None:  # pragma: no cover - best effort
        try:
            self.close()
        except Exception:
            pass


def wait_ready(decoder: IsolatedDecoder, frames: Sequence[np.ndarray] = ()) -> None:
    """Warm the worker (imports done, first call made) before timing it."""
    blank = np.full((64, 64), 255, np.uint8)
    for f in (*frames, blank):
        decoder.decode(f)
    time.sleep(0)
