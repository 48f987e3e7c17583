"""Shared fixtures: real ledger files in temporary folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("POS_LANG", "en")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pos_app.core.i18n import set_language  # noqa: E402


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


class FakeClock:
    """Milliseconds since the epoch, moved by the test (sale times, expiry, report days)."""

    def __init__(self, start_ms: int = 1_795_000_000_000) -> None:  # 2026-11-18 07:06 UTC
        self.now = start_ms

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "terminal"


@pytest.fixture
def services(data_dir: Path, clock: FakeClock) -> Iterator[object]:
    from pos_app.services import open_terminal

    svc = open_terminal(data_dir, clock=clock)
    svc.add_staff(name="Cashier One", role="cashier", pin="1111", staff_id="cashier-1", demo=True)
    svc.add_staff(name="Manager One", role="manager", pin="9999", staff_id="manager-1", demo=True)
    yield svc
    svc.close()
