"""Serial scanners through real pyserial ports: ``loop://`` (a real serial loopback) and ``socket://``
(a scanner behind a serial-over-network adapter, here a TCP server on loopback that can "unplug").
Tests wait for events with a generous limit; nothing asserts on timing."""

from __future__ import annotations

import inspect
import queue
import socket
import threading
from collections.abc import Iterator

import pytest

from hardware.serial_scanner import FakeScanner, ScannerStatus, SerialScanner

WAIT = 10.0


class Collector:
    def __init__(self) -> None:
        self.codes: queue.Queue[str] = queue.Queue()
        self.statuses: queue.Queue[ScannerStatus] = queue.Queue()

    def scan(self, text: str) -> None:
        self.codes.put(text)

    def status(self, status: ScannerStatus) -> None:
        self.statuses.put(status)

    def next_code(self) -> str:
        return self.codes.get(timeout=WAIT)

    def wait_for_status(self, code: str) -> ScannerStatus:
        while True:
            status = self.statuses.get(timeout=WAIT)
            if status.code == code:
                return status


@pytest.fixture
def collector() -> Collector:
    return Collector()


@pytest.fixture
def loop_scanner(collector: Collector) -> Iterator[SerialScanner]:
    scanner = SerialScanner("loop://", collector.scan, collector.status, reconnect_delay=0.05)
    scanner.start()
    collector.wait_for_status("connected")
    yield scanner
    scanner.stop()


def test_codes_arrive_in_order_and_crlf_is_one_end(loop_scanner: SerialScanner, collector: Collector) -> None:
    loop_scanner.inject(b"8123456789012345\r\n")
    loop_scanner.inject(b"LM1:K2026:M-1:AB:CD:XYZ\r")
    assert collector.next_code() == "8123456789012345"
    assert collector.next_code() == "LM1:K2026:M-1:AB:CD:XYZ"
    assert collector.codes.empty()


def test_a_code_split_over_several_reads_is_one_code(loop_scanner: SerialScanner, collector: Collector) -> None:
    for part in (b"8123", b"4567", b"8901", b"2345", b"\n"):
        loop_scanner.inject(part)
    assert collector.next_code() == "8123456789012345"


def test_line_noise_is_dropped_up_to_the_next_end(collector: Collector) -> None:
    scanner = SerialScanner("loop://", collector.scan, collector.status, max_length=10)
    scanner.start()
    try:
        collector.wait_for_status("connected")
        scanner.inject(b"\xff" * 25 + b"\rGOOD-CODE\r")
        assert collector.next_code() == "GOOD-CODE"
    finally:
        scanner.stop()
    assert collector.codes.empty()


def test_scanner_without_suffix_ends_on_silence(collector: Collector) -> None:
    scanner = SerialScanner("loop://", collector.scan, collector.status, terminators=b"", idle_end=0.05)
    scanner.start()
    try:
        collector.wait_for_status("connected")
        scanner.inject(b"8123456789012345")
        assert collector.next_code() == "8123456789012345"
    finally:
        scanner.stop()


def test_a_failing_callback_does_not_stop_the_reader(collector: Collector) -> None:
    calls: list[str] = []

    def fragile(text: str) -> None:
        calls.append(text)
        if len(calls) == 1:
            raise RuntimeError("UI bug")
        collector.scan(text)

    scanner = SerialScanner("loop://", fragile, collector.status)
    scanner.start()
    try:
        collector.wait_for_status("connected")
        scanner.inject(b"FIRST\rSECOND\r")
        assert collector.next_code() == "SECOND"
    finally:
        scanner.stop()
    assert calls == ["FIRST", "SECOND"]


def test_missing_port_is_reported_and_stop_is_prompt(collector: Collector) -> None:
    scanner = SerialScanner("/dev/ttyNOPE-not-here", collector.scan, collector.status, reconnect_delay=0.05)
    scanner.start()
    status = collector.wait_for_status("not_found")
    assert status.state == "disconnected" and status.port == "/dev/ttyNOPE-not-here"
    scanner.stop()
    assert not scanner.running and scanner.status.state == "stopped"


class UnpluggableScanner:
    """A scanner behind a TCP serial adapter: each connection sends its codes; ``unplug`` drops it."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(2)
        self.port = self.server.getsockname()[1]
        self.connections: queue.Queue[socket.socket] = queue.Queue()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections.put(conn)

    def close(self) -> None:
        self.server.close()


def test_reconnects_after_the_scanner_is_unplugged(collector: Collector) -> None:
    device = UnpluggableScanner()
    scanner = SerialScanner(f"socket://127.0.0.1:{device.port}", collector.scan, collector.status,
                            reconnect_delay=0.05)
    scanner.start()
    try:
        first = device.connections.get(timeout=WAIT)
        collector.wait_for_status("connected")
        first.sendall(b"BEFORE-UNPLUG\r")
        assert collector.next_code() == "BEFORE-UNPLUG"
        first.close()  # unplugged
        assert collector.wait_for_status("disconnected").state == "disconnected"
        second = device.connections.get(timeout=WAIT)  # plugged back in: the reader came back by itself
        collector.wait_for_status("connected")
        second.sendall(b"AFTER-REPLUG\r")
        assert collector.next_code() == "AFTER-REPLUG"
        second.close()
    finally:
        scanner.stop()
        device.close()


def test_fake_scanner_has_the_same_interface(collector: Collector) -> None:
    fake = FakeScanner("fake", collector.scan, collector.status)
    fake.scan("ignored while stopped")
    fake.start()
    fake.scan("8123456789012345")
    assert collector.next_code() == "8123456789012345"
    fake.unplug()
    assert collector.wait_for_status("disconnected").state == "disconnected"
    for name in ("start", "stop"):  # the same calls, the same parameters
        assert inspect.signature(getattr(FakeScanner, name)) == inspect.signature(getattr(SerialScanner, name))
    for name in ("status", "running"):
        assert isinstance(getattr(SerialScanner, name), property) and isinstance(getattr(FakeScanner, name), property)


def test_needs_a_way_to_end_a_code() -> None:
    with pytest.raises(ValueError, match='a\\ code\\ needs\\ an\\ end:\\ give\\ terminators\\ or\\ idle_end'):
        SerialScanner("loop://", print, terminators=b"")
