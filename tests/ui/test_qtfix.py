"""PySide6 6.12 on Python 3.11 loses a reference to None on every void Qt call and one to True on every
emit(): without the guard in pos_app.ui.qtfix the interpreter aborts after a few hundred counter operations.
These tests make far more calls than None and True have references; without the guard they abort."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from pos_app.ui import qtfix
from pos_app.ui.worker import Worker

CALLS = 60_000  # more than None (~29,000) and True (~5,000) have references at start-up


class _Source(QObject):
    changed = Signal(int)


def test_the_guard_is_on_exactly_when_this_pyside6_loses_references() -> None:
    lost_none, lost_true = qtfix.probe_losses()
    needs_guard = sys.version_info < (3, 12) and (lost_none > 0 or lost_true > 0)
    assert qtfix.INSTALLED == needs_guard
    if qtfix.INSTALLED:
        assert sys.getrefcount(None) > qtfix.HEADROOM // 2 and sys.getrefcount(True) > qtfix.HEADROOM // 2


def test_a_full_shift_of_widget_updates_and_signals_does_not_abort(qapp: Any) -> None:
    label = QLabel()
    source = _Source()
    seen: list[int] = []
    source.changed.connect(seen.append)
    for n in range(CALLS):
        label.setText("x")  # a void call
        source.changed.emit(n)  # an emit
    assert len(seen) == CALLS and label.text() == "x"


def test_thousands_of_operations_through_the_worker(qtbot: Any) -> None:
    worker = Worker()
    try:
        results: list[int] = []
        for n in range(2_000):
            worker.submit(lambda n=n: n, results.append)
        qtbot.waitUntil(lambda: worker.idle, timeout=60_000)
        assert results == list(range(2_000))
    finally:
        worker.shutdown()
