"""The camera pipeline (no Qt): capture thread -> latest-frame slot -> decode thread -> debouncer -> callback.

* Capture runs on its own thread and never waits for the decoder on a live camera: the slot holds one
  frame and a newer frame replaces an undecoded older one (``frames_dropped`` counts them), so latency
  never grows. For files (``drop_frames=False``) capture waits instead, so every frame is decoded.
* ``on_preview(frame, info)`` gets every captured frame (capture thread; the UI copies/queues it).
* ``on_status(StatusEvent)`` reports stable codes with English text (the app translates the code):
  ``camera_ready``, ``camera_unavailable`` ("camera unplugged or busy"), ``reconnecting``, ``camera_lost``,
  ``end_of_stream``, ``decoder_crashed``, ``decoder_error``, ``source_error``, ``stopped``.
* A live camera that fails to open or stops delivering is retried with back-off until ``stop()``.
* ``on_scan(scan, info)`` fires for codes the debouncer accepts; ``on_result(scans, info)`` for every
  decoded frame (CLI, benchmarks).
* ``one_per_frame=True`` (the counter's camera): of a frame's codes only the one nearest the frame's centre
  goes to the debouncer. A card carries its member code twice (QR and Code128: either names the member),
  but two *cards* in view name two members, and identifying each in turn would leave the counter on
  whichever came last; the card held up to the camera is the one in the middle. ``on_result`` still gets
  every code the decoder read.

Callbacks run on the pipeline's threads; they must be quick and must not raise (exceptions are caught
and reported as ``callback_error``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .debounce import Debouncer
from .sources import FrameSource, SourceError
from .types import Decoder, DecoderError, Scan


@dataclass(frozen=True)
class FrameInfo:
    index: int  # capture order, from 0
    captured_at: float  # time.monotonic() when the frame left the source


@dataclass(frozen=True)
class StatusEvent:
    code: str
    message: str  # English, for logs; the UI shows its translation of ``code``
    detail: dict[str, Any] = field(default_factory=dict)


STATUS_MESSAGES: dict[str, str] = {
    "camera_ready": "camera ready",
    "camera_unavailable": "camera unplugged or busy",
    "reconnecting": "trying to reconnect to the camera",
    "camera_lost": "camera unplugged or busy",
    "end_of_stream": "end of the video or images",
    "decoder_crashed": "decoder crashed, restarted",
    "decoder_error": "the decoder failed on a frame",
    "source_error": "cannot read the input",
    "callback_error": "a scan callback failed",
    "stopped": "scanning stopped",
}


class LatestSlot:
    """A one-frame hand-over between threads: latest frame wins (or the producer waits, ``block=True``)."""

    _EMPTY = object()

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: Any = self._EMPTY
        self.dropped = 0
        self._closed = False

    def put(self, item: Any, block: bool = False) -> bool:
        with self._cond:
            if block:
                while self._item is not self._EMPTY and not self._closed:
                    self._cond.wait(0.1)
            if self._closed:
                return False
            if self._item is not self._EMPTY:
                self.dropped += 1
            self._item = item
            self._cond.notify_all()
            return True

    def get(self, timeout: float | None = None) -> Any:
        """The item, or ``LatestSlot._EMPTY`` on timeout/close."""
        with self._cond:
            deadline = None if timeout is None else time.monotonic() + timeout
            while self._item is self._EMPTY and not self._closed:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return self._EMPTY
                self._cond.wait(remaining if remaining is not None else 0.1)
            item, self._item = self._item, self._EMPTY
            self._cond.notify_all()
            return item

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


_END = object()


@dataclass
class PipelineStats:
    captured: int = 0
    decoded: int = 0
    dropped: int = 0
    reconnects: int = 0
    decode_s: list[float] = field(default_factory=list)


class ScanPipeline:
    def __init__(self, source: FrameSource, decoder: Decoder, debouncer: Debouncer | None = None,
                 on_scan: Callable[[Scan, FrameInfo], None] | None = None,
                 on_preview: Callable[[np.ndarray, FrameInfo], None] | None = None,
                 on_status: Callable[[StatusEvent], None] | None = None,
                 on_result: Callable[[list[Scan], FrameInfo], None] | None = None,
                 drop_frames: bool | None = None,
                 reconnect_delays: Sequence[float] = (0.5, 1.0, 2.0, 5.0),
                 max_reconnects: int | None = None, one_per_frame: bool = False) -> None:
        self.source = source
        self.decoder = decoder
        self.debouncer = debouncer if debouncer is not None else Debouncer()
        self.on_scan, self.on_preview, self.on_status, self.on_result = on_scan, on_preview, on_status, on_result
        self.drop_frames = source.live if drop_frames is None else drop_frames
        self.reconnect_delays = tuple(reconnect_delays) or (1.0,)
        self.max_reconnects = max_reconnects
        self.one_per_frame = one_per_frame
        self.stats = PipelineStats()
        self._slot = LatestSlot()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._threads: list[threading.Thread] = []
        if hasattr(decoder, "on_event") and getattr(decoder, "on_event", None) is None:
            setattr(decoder, "on_event", lambda code, msg: self._status(code, msg))  # noqa: B010

    # ------------------------------------------------------------------ control
    def start(self) -> ScanPipeline:
        if self._threads:
            raise RuntimeError("pipeline already started")
        self._threads = [threading.Thread(target=self._capture_loop, name="scan-capture", daemon=True),
                         threading.Thread(target=self._decode_loop, name="scan-decode", daemon=True)]
        for t in self._threads:
            t.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._slot.close()
        for t in self._threads:
            if t is not threading.current_thread():
                t.join(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until a file/folder source is fully decoded (or the pipeline stopped). True if done."""
        return self._done.wait(timeout)

    def run(self, timeout: float | None = None) -> PipelineStats:
        """Start, wait for the end of a finite source, stop. Returns the stats."""
        self.start()
        try:
            self.wait(timeout)
        finally:
            self.stop()
        return self.stats

    def __enter__(self) -> ScanPipeline:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ internals
    def _status(self, code: str, message: str | None = None, **detail: Any) -> None:
        if self.on_status is None:
            return
        try:
            self.on_status(StatusEvent(code, message or STATUS_MESSAGES.get(code, code), detail))
        except Exception:  # a failing UI callback must not stop scanning
            pass

    def _open_with_retry(self) -> bool:
        attempt = 0
        while not self._stop.is_set():
            try:
                self.source.open()
                self._status("camera_ready", detail_source(self.source))
                return True
            except SourceError as exc:
                if not self.source.live:
                    self._status("source_error", str(exc), error=exc.code)
                    return False
                self._status("camera_unavailable", str(exc), error=exc.code, attempt=attempt)
            if self.max_reconnects is not None and attempt >= self.max_reconnects:
                return False
            delay = self.reconnect_delays[min(attempt, len(self.reconnect_delays) - 1)]
            attempt += 1
            self.stats.reconnects += 1
            self._status("reconnecting", f"trying to reconnect to the camera in {delay:g} s", delay_s=delay,
                         attempt=attempt)
            if self._stop.wait(delay):
                return False
        return False

    def _capture_loop(self) -> None:
        index = 0
        try:
            if not self._open_with_retry():
                return
            while not self._stop.is_set():
                try:
                    frame = self.source.read()
                except SourceError as exc:
                    if not self.source.live:  # a file that cannot be read: say so and finish
                        self._status("source_error", str(exc), error=exc.code)
                        return
                    self._status("camera_lost", str(exc), error=exc.code)
                    self.source.close()
                    if not self._open_with_retry():
                        return
                    continue
                if frame is None:
                    self._status("end_of_stream")
                    return
                info = FrameInfo(index, time.monotonic())
                index += 1
                self.stats.captured += 1
                if self.on_preview is not None:
                    try:
                        self.on_preview(frame, info)
                    except Exception as exc:
                        self._status("callback_error", f"preview callback failed: {exc}")
                self._slot.put((frame, info), block=not self.drop_frames)
                self.stats.dropped = self._slot.dropped
        finally:
            self.source.close()
            self._slot.put(_END, block=not self._stop.is_set())

    def _decode_loop(self) -> None:
        try:
            while True:
                item = self._slot.get(timeout=0.2)
                if item is LatestSlot._EMPTY:
                    if self._stop.is_set():
                        break
                    continue
                if item is _END:
                    break
                frame, info = item
                t0 = time.perf_counter()
                try:
                    scans = self.decoder.decode(frame)
                except DecoderError as exc:
                    self._status("decoder_error", str(exc), error=exc.code)
                    scans = []
                except Exception as exc:  # never let one frame take the counter down
                    self._status("decoder_error", f"the decoder failed on a frame: {exc!r}")
                    scans = []
                self.stats.decode_s.append(time.perf_counter() - t0)
                self.stats.decoded += 1
                if self.on_result is not None:
                    self._call(self.on_result, scans, info)
                if self.one_per_frame and len(scans) > 1:
                    scans = [nearest_centre(scans, frame)]
                for scan in self.debouncer.feed(scans):
                    if self.on_scan is not None:
                        self._call(self.on_scan, scan, info)
        finally:
            self.stats.dropped = self._slot.dropped
            if self._stop.is_set():
                self._status("stopped")
            self._done.set()

    def _call(self, fn: Callable[..., None], *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:
            self._status("callback_error", f"scan callback failed: {exc!r}")


def nearest_centre(scans: Sequence[Scan], frame: np.ndarray) -> Scan:
    """The code whose centre is nearest the frame's centre (the first of equals)."""
    h, w = frame.shape[:2]
    return min(scans, key=lambda s: (s.center[0] - w / 2.0) ** 2 + (s.center[1] - h / 2.0) ** 2)


def detail_source(source: FrameSource) -> str:
    return f"{source.name} ready"
