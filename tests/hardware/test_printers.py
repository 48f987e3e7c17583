"""Printers: the slip's exact pixels reach the printer as ESC/POS raster data (network, serial, file),
status comes from the printer's own answers, an unreachable or paperless printer is reported with a
stable code, the printer recovers after being switched off and on, retry/fallback/reprint behave.

The "printer" on the network is a small TCP server on loopback that answers ESC/POS status queries
(DLE EOT) like a real thermal printer: a physical printer cannot exist in CI; the transport, the
python-escpos driver and our code are all real.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from PIL import Image

from hardware.printers import (
    EscposPrinter,
    FakePrinter,
    PdfPrinter,
    Printer,
    PrinterError,
    SlipPrinter,
    to_thermal,
)
from hardware.slips import SlipData, render_slip

SLIP = render_slip(SlipData(
    title="ร้านตัวอย่าง", branch="สาขาสยาม", printed_at=datetime(2026, 11, 23, 14, 5, tzinfo=ZoneInfo("Asia/Bangkok")),
    receipt_no="R-1", member_name="สมหญิง ใจดี", member_number="8123", points_change=10, balance_before=5,
    balance_after=15))

# DLE EOT n answers (bit 3 of n=1: offline; n=4: paper near end 0x0C, paper end 0x60; bits 1 and 4 always set)
ONLINE, OFFLINE = 0x12, 0x1A
PAPER_OK, PAPER_LOW, PAPER_OUT = 0x12, 0x1E, 0x72


@dataclass
class TcpPrinter:
    """A thermal printer on loopback: keeps what it receives, answers status queries."""

    online: int = ONLINE
    paper: int = PAPER_OK
    received: bytearray = field(default_factory=bytearray)
    port: int = 0
    _server: socket.socket | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self, port: int = 0) -> TcpPrinter:
        self._stop.clear()
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(4)
        server.settimeout(0.2)
        self._server, self.port = server, server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        assert self._server is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(0.2)
                while not self._stop.is_set():
                    try:
                        chunk = conn.recv(65536)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not chunk:
                        break
                    self.received += chunk
                    # the driver waits for an answer right after a query: answer only a trailing one
                    if self.received.endswith(b"\x10\x04\x01"):
                        conn.sendall(bytes([self.online]))
                    elif self.received.endswith(b"\x10\x04\x04"):
                        conn.sendall(bytes([self.paper]))

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.close()
        if self._thread is not None:
            self._thread.join(5)


@pytest.fixture
def tcp_printer() -> Iterator[TcpPrinter]:
    printer = TcpPrinter().start()
    yield printer
    printer.stop()


def raster_image(data: bytes) -> Image.Image:
    """Rebuild the picture from ESC/POS ``GS v 0`` raster commands, as a printer head would print it."""
    strips: list[np.ndarray] = []
    position = 0
    while True:
        match = re.compile(rb"\x1dv0(.)(.)(.)(.)(.)", re.S).search(data, position)
        if match is None:
            break
        width_bytes = match.group(2)[0] + 256 * match.group(3)[0]
        height = match.group(4)[0] + 256 * match.group(5)[0]
        start = match.end()
        chunk = np.frombuffer(data[start : start + width_bytes * height], dtype=np.uint8)
        bits = np.unpackbits(chunk).reshape(height, width_bytes * 8)
        strips.append(bits)
        position = start + width_bytes * height
    assert strips, "no raster image in the printer data"
    ink = np.vstack(strips).astype(bool)
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))


def assert_same_pixels(printed: Image.Image, slip: Image.Image) -> None:
    expected = np.asarray(to_thermal(slip).convert("L")) < 128
    got = np.asarray(printed) < 128
    assert got.shape[1] >= expected.shape[1]
    assert np.array_equal(got[: expected.shape[0], : expected.shape[1]], expected)


def test_network_printer_receives_the_exact_slip_and_a_cut(tcp_printer: TcpPrinter) -> None:
    printer = EscposPrinter.network("127.0.0.1", tcp_printer.port, timeout=3)
    assert isinstance(printer, Printer)
    assert printer.status().code == "online"
    printer.print_image(SLIP)
    printer.close()
    _wait_for(lambda: b"\x1dV" in tcp_printer.received)
    assert_same_pixels(raster_image(bytes(tcp_printer.received)), SLIP)


@pytest.mark.parametrize(
    ("online", "paper", "state", "code"),
    [(ONLINE, PAPER_OK, "online", "online"), (ONLINE, PAPER_LOW, "online", "paper_low"),
     (ONLINE, PAPER_OUT, "out_of_paper", "out_of_paper"), (OFFLINE, PAPER_OK, "offline", "offline")],
)
def test_status_comes_from_the_printer(tcp_printer: TcpPrinter, online: int, paper: int, state: str, code: str) -> None:
    tcp_printer.online, tcp_printer.paper = online, paper
    printer = EscposPrinter.network("127.0.0.1", tcp_printer.port, timeout=3)
    status = printer.status()
    printer.close()
    assert (status.state, status.code) == (state, code)


def test_out_of_paper_prints_nothing(tcp_printer: TcpPrinter) -> None:
    tcp_printer.paper = PAPER_OUT
    printer = EscposPrinter.network("127.0.0.1", tcp_printer.port, timeout=3)
    with pytest.raises(PrinterError) as info:
        printer.print_image(SLIP)
    printer.close()
    assert info.value.code == "out_of_paper" and info.value.message == "printer is out of paper"
    assert b"\x1dv0" not in tcp_printer.received


def test_unreachable_printer_is_offline_and_recovers_when_switched_on() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now: "switched off"
    printer = EscposPrinter.network("127.0.0.1", port, timeout=1)
    assert printer.status().state == "offline"
    with pytest.raises(PrinterError) as info:
        printer.print_image(SLIP)
    assert info.value.code == "offline"
    switched_on = TcpPrinter().start(port)
    try:
        assert printer.status().state == "online"
        printer.print_image(SLIP)
        printer.close()
        _wait_for(lambda: b"\x1dV" in switched_on.received)
        assert_same_pixels(raster_image(bytes(switched_on.received)), SLIP)
    finally:
        switched_on.stop()


def test_serial_printer_over_a_pyserial_url(tcp_printer: TcpPrinter) -> None:
    # serial-over-network adapters (and our test) use pyserial URLs; the driver path is the serial one
    printer = EscposPrinter.serial(f"socket://127.0.0.1:{tcp_printer.port}", timeout=2)
    assert printer.status().code == "online"
    printer.print_image(SLIP)
    printer.close()
    _wait_for(lambda: b"\x1dV" in tcp_printer.received)
    assert_same_pixels(raster_image(bytes(tcp_printer.received)), SLIP)


def test_serial_port_that_does_not_exist_is_offline() -> None:
    printer = EscposPrinter.serial("/dev/ttyNOPE-does-not-exist")
    assert printer.status().state == "offline"
    with pytest.raises(PrinterError) as info:
        printer.print_image(SLIP)
    assert info.value.code == "offline"


def test_usb_printer_without_a_device_is_reported_not_crashed() -> None:
    printer = EscposPrinter.usb(0x04B8, 0x0E15)  # an Epson TM-T20 id; no USB printer exists in CI
    status = printer.status()
    assert status.state in ("offline", "error")
    assert status.code in ("offline", "not_available")  # no device, or no libusb-1.0 on this machine
    with pytest.raises(PrinterError) as info:
        printer.print_image(SLIP)
    assert info.value.code == status.code


def test_file_printer_writes_escpos(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    printer = EscposPrinter.file(target)
    assert printer.status().state == "online"
    printer.print_image(SLIP)
    printer.close()
    assert_same_pixels(raster_image(target.read_bytes()), SLIP)
    assert EscposPrinter.file(tmp_path / "no" / "lp0").status().state == "offline"


def test_wider_image_is_scaled_to_the_paper(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    printer = EscposPrinter.file(target, width_px=384)
    printer.print_image(SLIP)  # a 576 px slip on 58 mm paper
    printer.close()
    assert raster_image(target.read_bytes()).width == 384


def test_pdf_fallback_writes_a_page_of_paper_width(tmp_path: Path) -> None:
    printer = PdfPrinter(tmp_path / "slips")
    printer.print_image(SLIP)
    assert printer.last_path is not None and printer.last_path.read_bytes().startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[ ?0 0 ([0-9.]+) ([0-9.]+) ?\]", printer.last_path.read_bytes())
    assert box is not None
    assert abs(float(box.group(1)) / 72 * 25.4 - 72.0) < 0.5  # 576 px at 203 dpi = 72 mm
    assert printer.status().state == "online"
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    with pytest.raises(PrinterError) as info:
        PdfPrinter(blocked).print_image(SLIP)
    assert info.value.code == "write_failed" and info.value.message.startswith("cannot write to ")


def test_retry_until_the_printer_answers() -> None:
    printer = FakePrinter(fail_times=2)
    waits: list[float] = []
    result = SlipPrinter(printer, attempts=3, backoff=0.5, sleep=waits.append).print_slip(SLIP)
    assert (result.attempts, result.used_fallback) == (3, False)
    assert len(printer.printed) == 1
    assert waits == [0.5, 1.0]


def test_gives_up_after_the_attempts_and_uses_the_fallback(tmp_path: Path) -> None:
    offline = FakePrinter(state="offline", code="offline")
    with pytest.raises(PrinterError) as info:
        SlipPrinter(offline, attempts=2, sleep=lambda _: None).print_slip(SLIP)
    assert info.value.code == "offline" and offline.attempts == 2
    assert info.value.message == "printer offline, unplugged or switched off"
    pdf = PdfPrinter(tmp_path)
    result = SlipPrinter(offline, fallback=pdf, attempts=2, sleep=lambda _: None).print_slip(SLIP)
    assert result.used_fallback and result.printer == "pdf" and result.main_error == "offline"
    assert pdf.last_path is not None and pdf.last_path.exists()


def test_out_of_paper_is_not_retried_and_retry_last_prints_after_loading_paper() -> None:
    printer = FakePrinter(state="out_of_paper", code="out_of_paper")
    slips = SlipPrinter(printer, attempts=5, sleep=lambda _: None)
    with pytest.raises(PrinterError) as info:
        slips.print_slip(SLIP)
    assert info.value.code == "out_of_paper" and printer.attempts == 1
    assert info.value.message == "printer is out of paper"
    printer.state, printer.code = "online", "online"  # cashier loads paper
    result = slips.retry_last()
    assert not result.reprint and len(printer.printed) == 1
    assert printer.printed[0].height == SLIP.height  # the original, not a copy


def test_reprint_last_slip_is_marked_and_survives_a_restart(tmp_path: Path) -> None:
    keep = tmp_path / "last-slip.png"
    printer = FakePrinter()
    with pytest.raises(PrinterError) as info:
        SlipPrinter(printer, keep_last=keep).reprint_last()
    assert info.value.code == "no_last_slip" and info.value.message == "there is no slip to reprint"
    SlipPrinter(printer, keep_last=keep).print_slip(SLIP)
    restarted = SlipPrinter(printer, keep_last=keep)
    result = restarted.reprint_last("สำเนา / COPY")
    assert result.reprint
    copy = printer.printed[-1]
    assert copy.height > SLIP.height
    assert np.array_equal(np.asarray(copy)[-SLIP.height :], np.asarray(SLIP.convert("L")))


def _wait_for(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for the loopback printer to receive everything (a condition, not a timing assertion)."""
    done = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        done.wait(0.02)
    raise AssertionError("printer did not receive the data")
