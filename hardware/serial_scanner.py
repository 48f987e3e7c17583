"""Serial (USB-CDC / RS-232) barcode scanners through pyserial.

In serial mode a scanner sends its code as bytes ended by CR and/or LF: no keyboard layout can garble
it, which is the fix for counters whose keyboard layout is Thai. :class:`SerialScanner` reads on a
worker thread, calls ``on_scan(text)`` for each code and ``on_status(status)`` when the connection
changes, and reconnects by itself when the scanner is unplugged and plugged back in.

    scanner = SerialScanner("/dev/ttyACM0", on_scan=print, on_status=print)
    scanner.start()
    ...
    scanner.stop()

``port`` may be a device (``/dev/ttyACM0``, ``COM3``) or any pyserial URL (``socket://host:port``,
``rfc2217://...``, ``loop://``). Callbacks run on the reader thread: the UI adapts them to Qt signals.
Statuses carry stable codes (see :data:`STATUS_CODES`) and English detail; the app translates codes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import serial

log = logging.getLogger(__name__)

State = Literal["stopped", "connecting", "connected", "disconnected"]
STATUS_CODES: dict[str, str] = {
    "stopped": "scanner stopped",
    "connecting": "opening the scanner port",
    "connected": "scanner connected",
    "not_found": "scanner port not found or busy: check the cable, or the port name in settings",
    "disconnected": "scanner unplugged or stopped answering; reconnecting",
}


@dataclass(frozen=True, slots=True)
class ScannerStatus:
    state: State
    code: str
    port: str
    detail: str = ""


Opener = Callable[[], Any]  # -> an open pyserial port (serial.SerialBase)


class SerialScanner:
    """Reads codes from a serial scanner on a worker thread, with reconnection.

    ``terminators``: bytes that end a code (CR, LF; a CR LF pair gives one code). ``idle_end``: if set,
    a code also ends after that many seconds without bytes (scanners configured without a suffix).
    ``opener`` replaces how the port is opened (tests keep a handle on a ``loop://`` port through it).
    """

    def __init__(self, port: str, on_scan: Callable[[str], None],
                 on_status: Callable[[ScannerStatus], None] | None = None, *, baudrate: int = 9600,
                 terminators: bytes = b"\r\n", idle_end: float | None = None, reconnect_delay: float = 1.0,
                 read_timeout: float = 0.1, max_length: int = 4096, opener: Opener | None = None) -> None:
        if not terminators and idle_end is None:
            raise ValueError("a code needs an end: give terminators or idle_end")
        self.port = port
        self._on_scan = on_scan
        self._on_status = on_status
        self._baudrate = baudrate
        self._terminators = terminators
        self._idle_end = idle_end
        self._reconnect_delay = reconnect_delay
        self._read_timeout = read_timeout
        self._max_length = max_length
        self._opener = opener or self._open_port
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._serial: Any = None
        self._status = ScannerStatus("stopped", "stopped", port)

    # public ------------------------------------------------------------------------------------
    @property
    def status(self) -> ScannerStatus:
        return self._status

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"serial-scanner {self.port}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._lock:
            port = self._serial
        if port is not None:
            try:
                port.cancel_read()
            except Exception:  # noqa: BLE001, S110 - not every port type can cancel; the read timeout ends it
                pass
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._set_status("stopped", "stopped")

    def inject(self, data: bytes) -> None:
        """Write ``data`` into the open port. On a ``loop://`` port this is exactly what a scanner
        sending those bytes looks like (the fake for tests and demos, through the real pyserial path)."""
        with self._lock:
            port = self._serial
        if port is None:
            raise RuntimeError("scanner port is not open")
        port.write(data)
        port.flush()

    # worker ------------------------------------------------------------------------------------
    def _open_port(self) -> Any:
        return serial.serial_for_url(self.port, baudrate=self._baudrate, timeout=self._read_timeout)

    def _set_status(self, state: State, code: str, detail: str = "") -> None:
        status = ScannerStatus(state, code, self.port, detail)
        if status == self._status:
            return
        self._status = status
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # a broken callback must not stop the reader
                log.exception("scanner status callback failed")

    def _emit(self, raw: bytes) -> None:
        text = raw.decode("utf-8", errors="replace").strip()
        if not text:
            return
        try:
            self._on_scan(text)
        except Exception:  # a broken callback must not stop the reader
            log.exception("scanner callback failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            self._set_status("connecting", "connecting")
            try:
                port = self._opener()
            except (serial.SerialException, OSError, ValueError) as exc:
                self._set_status("disconnected", "not_found", str(exc))
                self._stop.wait(self._reconnect_delay)
                continue
            with self._lock:
                self._serial = port
            self._set_status("connected", "connected")
            try:
                self._read_loop(port)
            except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
                # TypeError/AttributeError: pyserial on a port closed under it (unplugged USB-CDC)
                if not self._stop.is_set():
                    self._set_status("disconnected", "disconnected", f"{type(exc).__name__}: {exc}")
            finally:
                with self._lock:
                    self._serial = None
                try:
                    port.close()
                except Exception:  # noqa: BLE001, S110 - already gone
                    pass
            if not self._stop.is_set():
                self._stop.wait(self._reconnect_delay)

    def _read_loop(self, port: Any) -> None:
        buffer = bytearray()
        discarding = False  # after an over-long run, skip to the next terminator
        last_byte = time.monotonic()
        while not self._stop.is_set():
            if not port.is_open:
                raise serial.SerialException("port closed")
            waiting = port.in_waiting
            chunk = port.read(waiting if waiting else 1)
            now = time.monotonic()
            if not chunk:
                if buffer and self._idle_end is not None and now - last_byte >= self._idle_end:
                    if not discarding:
                        self._emit(bytes(buffer))
                    buffer.clear()
                    discarding = False
                continue
            last_byte = now
            for byte in chunk:
                if byte in self._terminators:
                    if buffer and not discarding:
                        self._emit(bytes(buffer))
                    buffer.clear()
                    discarding = False
                    continue
                if discarding:
                    continue
                buffer.append(byte)
                if len(buffer) > self._max_length:  # line noise or a wrong baud rate: drop it
                    log.warning("scanner sent over %d bytes without an end; dropped", self._max_length)
                    buffer.clear()
                    discarding = True


class FakeScanner:
    """The same interface without any port, for UI tests and demos: :meth:`scan` delivers a code."""

    def __init__(self, port: str, on_scan: Callable[[str], None],
                 on_status: Callable[[ScannerStatus], None] | None = None, **_: Any) -> None:
        self.port = port
        self._on_scan = on_scan
        self._on_status = on_status
        self._status = ScannerStatus("stopped", "stopped", port)

    @property
    def status(self) -> ScannerStatus:
        return self._status

    @property
    def running(self) -> bool:
        return self._status.state == "connected"

    def _set(self, state: State, code: str) -> None:
        self._status = ScannerStatus(state, code, self.port)
        if self._on_status is not None:
            self._on_status(self._status)

    def start(self) -> None:
        self._set("connected", "connected")

    def stop(self, timeout: float = 5.0) -> None:
        self._set("stopped", "stopped")

    def unplug(self) -> None:
        self._set("disconnected", "disconnected")

    def scan(self, text: str) -> None:
        if self.running:
            self._on_scan(text)
