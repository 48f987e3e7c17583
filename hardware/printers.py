"""Slip printers behind one small interface, with status, retry, a PDF fallback and "reprint last slip".

    printer = EscposPrinter.network("192.168.1.50")       # or .usb(0x04b8, 0x0202), .serial("/dev/ttyUSB0"),
                                                          #    .file("/dev/usb/lp0")
    slips = SlipPrinter(printer, fallback=PdfPrinter(Path("~/slips").expanduser()))
    result = slips.print_slip(render_slip(data))          # raises PrinterError when nothing could print
    slips.reprint_last()                                  # same image, marked as a copy

Every failure is a :class:`PrinterError` with a stable ``code`` (see :data:`REASONS`) and an English
message; the app translates the code for the cashier. No Qt here: the UI may add a QPrinter-backed
:class:`Printer` later; :class:`PdfPrinter` writes PDF with Pillow.
"""

from __future__ import annotations

import copy
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from PIL import Image

from hardware.slips import mark_copy

State = Literal["online", "offline", "out_of_paper", "error"]

#: Stable reason codes: the app keys its translated messages on these.
REASONS: dict[str, str] = {
    "online": "printer ready",
    "paper_low": "printer ready, paper running low",
    "offline": "printer offline, unplugged or switched off",
    "out_of_paper": "printer is out of paper",
    "error": "printer reported an error",
    "write_failed": "could not write the slip file",
    "bad_config": "printer settings are not valid",
    "not_available": "printer support is not installed",
    "no_last_slip": "there is no slip to reprint",
}


class PrinterError(Exception):
    """A slip did not print. ``code`` is one of :data:`REASONS`; ``str()`` is English detail for logs."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(message or REASONS.get(code, code))
        self.code = code
        self.message = message or REASONS.get(code, code)


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    state: State
    code: str  # a key of REASONS (``paper_low`` is state "online")
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "online"


@runtime_checkable
class Printer(Protocol):
    """What the counter needs from a slip printer."""

    name: str

    def status(self) -> PrinterStatus: ...

    def print_image(self, image: Image.Image) -> None:
        """Print and cut; raises :class:`PrinterError`."""

    def close(self) -> None: ...


def to_thermal(image: Image.Image, width: int | None = None) -> Image.Image:
    """1-bit image for a thermal head: hard threshold (dithering blurs small Thai text), optional width."""
    grey = image.convert("L")
    if width is not None and grey.width != width:
        height = round(grey.height * width / grey.width)
        grey = grey.resize((width, height), Image.Resampling.LANCZOS)
    return grey.point(lambda value: 255 if value >= 160 else 0).convert("1")


# ------------------------------------------------------------------------------------------ ESC/POS


@dataclass
class EscposPrinter:
    """A thermal printer through python-escpos. The device is opened on first use and reopened after a
    failure (a printer switched off and on again comes back without restarting the app)."""

    name: str
    factory: Callable[[], Any]  # -> escpos.escpos.Escpos (not opened yet)
    can_query_status: bool = True
    width_px: int = 576
    _device: Any = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    # constructors -----------------------------------------------------------------------------
    @classmethod
    def network(cls, host: str, port: int = 9100, timeout: float = 5.0, width_px: int = 576,
                profile: str | None = None) -> EscposPrinter:
        from escpos.printer import Network

        return cls(f"network:{host}:{port}", lambda: Network(host, port=port, timeout=timeout, profile=profile),
                   width_px=width_px)

    @classmethod
    def serial(cls, port: str, baudrate: int = 9600, timeout: float = 2.0, width_px: int = 576,
               profile: str | None = None, query_status: bool = True) -> EscposPrinter:
        """A serial (or USB-CDC) printer. ``port`` may also be a pyserial URL (``socket://host:port``,
        ``rfc2217://...``) for serial-over-network adapters."""
        return cls(f"serial:{port}", lambda: _url_serial(port, baudrate, timeout, profile),
                   can_query_status=query_status, width_px=width_px)

    @classmethod
    def usb(cls, vendor_id: int, product_id: int, width_px: int = 576, profile: str | None = None,
            **usb_args: Any) -> EscposPrinter:
        def make() -> Any:
            try:
                from escpos.printer import Usb
            except ImportError as exc:  # pragma: no cover - pyusb missing
                raise PrinterError("not_available", f"USB printing needs pyusb: {exc}") from None
            return Usb(vendor_id, product_id, profile=profile, **usb_args)

        return cls(f"usb:{vendor_id:04x}:{product_id:04x}", make, width_px=width_px)

    @classmethod
    def file(cls, path: str | Path, width_px: int = 576, profile: str | None = None) -> EscposPrinter:
        """A device file (``/dev/usb/lp0``) or any file: write-only, so status cannot be asked."""
        from escpos.printer import File

        return cls(f"file:{path}", lambda: File(str(path), profile=profile), can_query_status=False,
                   width_px=width_px)

    # interface ------------------------------------------------------------------------------
    def status(self) -> PrinterStatus:
        with self._lock:
            try:
                device = self._open()
                if not self.can_query_status:
                    return PrinterStatus("online", "online", "status not available for this connection")
                if not device.is_online():
                    return PrinterStatus("offline", "offline", "printer did not answer or reports offline")
                paper = device.paper_status()
            except PrinterError as exc:
                self._drop()
                return PrinterStatus("offline" if exc.code == "offline" else "error", exc.code, str(exc))
            except Exception as exc:  # noqa: BLE001 - any I/O failure means the printer is not reachable
                self._drop()
                return PrinterStatus("offline", "offline", f"{type(exc).__name__}: {exc}")
            if paper == 0:
                return PrinterStatus("out_of_paper", "out_of_paper")
            if paper == 1:
                return PrinterStatus("online", "paper_low")
            return PrinterStatus("online", "online")

    def print_image(self, image: Image.Image) -> None:
        with self._lock:
            try:
                device = self._open()
                bitmap = to_thermal(image, self.width_px if image.width > self.width_px else None)
                if self.can_query_status:
                    if not device.is_online():
                        raise PrinterError("offline", "printer did not answer or reports offline")
                    if device.paper_status() == 0:
                        raise PrinterError("out_of_paper")
                device.image(bitmap, impl="bitImageRaster", center=False)
                device.cut()
                flush = getattr(device, "flush", None)
                if callable(flush):
                    flush()
            except PrinterError:
                self._drop()
                raise
            except Exception as exc:  # noqa: BLE001 - map every transport error to a stable code
                self._drop()
                raise PrinterError("offline", f"{self.name}: {type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._drop()

    # internals ------------------------------------------------------------------------------
    def _open(self) -> Any:
        if self._device is not None:
            return self._device
        try:
            device = self.factory()
            self._fit_profile(device)
            device.open()
        except PrinterError:
            raise
        except Exception as exc:  # noqa: BLE001 - DeviceNotFoundError, USBNotFoundError, OSError, ...
            if type(exc).__name__ == "NoBackendError":  # pyusb without the system libusb-1.0
                raise PrinterError("not_available", f"{self.name}: USB printing needs libusb-1.0") from None
            raise PrinterError("offline", f"{self.name}: {type(exc).__name__}: {exc}") from None
        self._device = device
        return device

    def _fit_profile(self, device: Any) -> None:
        """Give this device its own copy of the profile with the paper width set: python-escpos shares
        profile data between instances and prints a warning on stdout when the width is unknown."""
        profile = copy.copy(device.profile)
        profile.profile_data = copy.deepcopy(device.profile.profile_data)
        media = profile.profile_data.setdefault("media", {}).setdefault("width", {})
        known = media.get("pixels")
        if isinstance(known, int) and known > 0:
            self.width_px = min(self.width_px, known)
        media["pixels"] = self.width_px
        device.profile = profile

    def _drop(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            try:
                device.close()
            except Exception:  # noqa: BLE001, S110 - closing a dead connection may fail; nothing to do
                pass


def _url_serial(port: str, baudrate: int, timeout: float, profile: str | None) -> Any:
    """python-escpos's Serial printer, opened with ``serial_for_url`` so URLs work as well as devices."""
    import serial
    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Serial

    class UrlSerial(Serial):  # type: ignore[misc]
        def open(self, raise_not_found: bool = True) -> None:
            if self._device:
                self.close()
            try:
                self.device = serial.serial_for_url(port, baudrate=baudrate, timeout=timeout,
                                                    write_timeout=max(timeout, 5.0))
            except (ValueError, serial.SerialException) as exc:
                self.device = None
                raise DeviceNotFoundError(f"Unable to open serial printer on {port}: {exc}") from None

        def _read(self) -> bytes:
            # a status answer is one byte: wait for it, then take what is there (read(16) would wait
            # out the whole timeout on every status query)
            first = bytes(self.device.read(1))
            if not first:
                return first
            waiting = getattr(self.device, "in_waiting", 0) or 0
            return first + (bytes(self.device.read(min(waiting, 15))) if waiting else b"")

    return UrlSerial(port, baudrate=baudrate, timeout=timeout, profile=profile)


# ------------------------------------------------------------------------------------------ PDF


@dataclass
class PdfPrinter:
    """The fallback: each slip becomes a one-page PDF (page = slip size at ``dpi``) in ``folder``."""

    folder: Path
    dpi: float = 203.2  # thermal head resolution, so 576 px = 72 mm like the paper roll
    name: str = "pdf"
    last_path: Path | None = field(default=None, init=False)
    _counter: int = field(default=0, init=False, repr=False)

    def status(self) -> PrinterStatus:
        folder = Path(self.folder)
        if folder.is_dir() and os.access(folder, os.W_OK):
            return PrinterStatus("online", "online", str(folder))
        return PrinterStatus("error", "write_failed", f"cannot write to {folder}")

    def print_image(self, image: Image.Image) -> None:
        folder = Path(self.folder)
        self._counter += 1
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"slip-{stamp}-{os.getpid()}-{self._counter:04d}.pdf"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".slip-", suffix=".pdf", dir=folder)
        except OSError as exc:
            raise PrinterError("write_failed", f"cannot write to {folder}: {exc.strerror or exc}") from None
        try:
            with os.fdopen(handle, "wb") as out:
                image.convert("L").save(out, "PDF", resolution=self.dpi)
            os.replace(temp, target)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise PrinterError("write_failed", f"cannot write {target}: {exc.strerror or exc}") from None
        self.last_path = target

    def close(self) -> None:
        return None


# ------------------------------------------------------------------------------------------ fake


@dataclass
class FakePrinter:
    """For tests and demos without a printer: same interface, state set by the test.

    ``fail_times`` makes the next N prints fail with ``fail_code`` (then it recovers), like a printer
    that was briefly offline.
    """

    name: str = "fake"
    state: State = "online"
    code: str = "online"
    fail_times: int = 0
    fail_code: str = "offline"
    printed: list[Image.Image] = field(default_factory=list)
    attempts: int = 0

    def status(self) -> PrinterStatus:
        return PrinterStatus(self.state, self.code)

    def print_image(self, image: Image.Image) -> None:
        self.attempts += 1
        if self.state != "online":
            raise PrinterError(self.code if self.code in REASONS else self.state)
        if self.fail_times > 0:
            self.fail_times -= 1
            raise PrinterError(self.fail_code)
        self.printed.append(image.copy())

    def close(self) -> None:
        return None


# ------------------------------------------------------------------------------------------ service


@dataclass(frozen=True, slots=True)
class PrintResult:
    printer: str  # name of the printer that printed
    attempts: int
    used_fallback: bool = False
    reprint: bool = False
    main_error: str | None = None  # why the main printer did not print, when the fallback did


#: Reasons a retry cannot fix without the cashier (load paper, fix settings): fail fast.
_NEEDS_CASHIER = {"out_of_paper", "bad_config", "not_available"}


class SlipPrinter:
    """Prints slips with retry and an optional fallback, and remembers the last slip for a reprint.

    ``attempts`` tries on the main printer with ``backoff`` seconds between them (``sleep`` is
    injectable); out of paper is not retried (the cashier must act, then call :meth:`retry_last`).
    If the main printer fails and a ``fallback`` is set, the slip goes there and the result says so.
    ``keep_last`` (a PNG path) lets "reprint last slip" survive a restart.
    """

    def __init__(self, printer: Printer, fallback: Printer | None = None, attempts: int = 3,
                 backoff: float = 0.5, sleep: Callable[[float], None] = time.sleep,
                 keep_last: Path | None = None) -> None:
        if attempts < 1:
            raise PrinterError("bad_config", "attempts must be at least 1")
        self.printer = printer
        self.fallback = fallback
        self.attempts = attempts
        self.backoff = backoff
        self._sleep = sleep
        self._keep_last = Path(keep_last) if keep_last is not None else None
        self._last: Image.Image | None = None
        self._lock = threading.Lock()

    @property
    def last_slip(self) -> Image.Image | None:
        with self._lock:
            if self._last is None and self._keep_last is not None and self._keep_last.is_file():
                try:
                    with Image.open(self._keep_last) as stored:
                        self._last = stored.convert("L")
                except OSError:
                    return None
            return self._last

    def status(self) -> PrinterStatus:
        return self.printer.status()

    def print_slip(self, image: Image.Image) -> PrintResult:
        """Print a new slip (remembered for reprint even if printing fails, so "retry" can use it)."""
        self._remember(image)
        return self._print(image, reprint=False)

    def retry_last(self) -> PrintResult:
        """Print the last slip again as the original (after paper was loaded or the printer fixed)."""
        image = self.last_slip
        if image is None:
            raise PrinterError("no_last_slip")
        return self._print(image, reprint=False)

    def reprint_last(self, mark: str = "COPY / สำเนา") -> PrintResult:
        """Print the last slip again, marked as a copy."""
        image = self.last_slip
        if image is None:
            raise PrinterError("no_last_slip")
        return self._print(mark_copy(image, mark), reprint=True)

    def _remember(self, image: Image.Image) -> None:
        with self._lock:
            self._last = image.copy()
            if self._keep_last is None:
                return
            try:
                self._keep_last.parent.mkdir(parents=True, exist_ok=True)
                handle, temp = tempfile.mkstemp(prefix=".last-slip-", suffix=".png", dir=self._keep_last.parent)
                with os.fdopen(handle, "wb") as out:
                    image.save(out, "PNG")
                os.replace(temp, self._keep_last)
            except OSError:
                pass  # reprint after restart is a convenience; printing must not fail because of it

    def _print(self, image: Image.Image, reprint: bool) -> PrintResult:
        error: PrinterError | None = None
        tries = 0
        for attempt in range(1, self.attempts + 1):
            tries = attempt
            try:
                self.printer.print_image(image)
                return PrintResult(self.printer.name, attempt, reprint=reprint)
            except PrinterError as exc:
                error = exc
                if exc.code in _NEEDS_CASHIER:
                    break
            if attempt < self.attempts:
                self._sleep(self.backoff * attempt)
        assert error is not None
        if self.fallback is not None:
            try:
                self.fallback.print_image(image)
            except PrinterError:
                raise error from None
            return PrintResult(self.fallback.name, tries, used_fallback=True, reprint=reprint,
                               main_error=error.code)
        raise error
