"""The single-writer worker: runs off the UI thread, in order, and every outcome comes back as a signal."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from pos_app.services.errors import NotFound, ServiceError
from pos_app.ui.worker import Worker


@pytest.fixture
def worker(qtbot: Any) -> Any:
    w = Worker()
    yield w
    w.shutdown()


def test_calls_run_off_the_ui_thread_one_at_a_time_in_order(qtbot: Any, worker: Worker) -> None:
    ui_thread = threading.get_ident()
    ran: list[tuple[int, int]] = []
    results: list[int] = []
    for n in range(20):
        worker.submit(lambda n=n: ran.append((n, threading.get_ident())) or n, results.append)
    qtbot.waitUntil(lambda: worker.idle, timeout=10_000)
    assert [n for n, _ in ran] == list(range(20)) == results
    threads = {t for _, t in ran}
    assert len(threads) == 1 and ui_thread not in threads  # one writer thread, never the UI thread


def test_busy_while_a_command_runs_but_not_for_background_work(qtbot: Any, worker: Worker) -> None:
    states: list[bool] = []
    worker.busy_changed.connect(states.append)
    gate = threading.Event()
    worker.submit(gate.wait, busy=False)
    assert not worker.busy
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.submit(lambda: 1)
        assert worker.busy
        gate.set()
    qtbot.waitUntil(lambda: worker.idle, timeout=10_000)
    assert states == [True, False]


def test_a_refusal_comes_back_as_is_and_a_bug_as_one_clean_line(qtbot: Any, worker: Worker) -> None:
    errors: list[ServiceError] = []

    def refuse() -> None:
        raise NotFound("No member with phone 099-999-9999.")

    def bug() -> None:
        raise KeyError("internal detail")

    worker.submit(refuse, on_error=errors.append)
    worker.submit(bug, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=10_000)
    assert isinstance(errors[0], NotFound) and errors[0].message == "No member with phone 099-999-9999."
    assert type(errors[1]) is ServiceError
    assert "KeyError" in errors[1].message and "internal detail" not in errors[1].message
    assert "\n" not in errors[1].message


def test_shutdown_runs_the_final_step_after_queued_work(qtbot: Any) -> None:
    w = Worker()
    order: list[str] = []
    w.submit(lambda: order.append("queued"))
    w.shutdown(lambda: order.append("closed"))
    assert order == ["queued", "closed"]
    w.shutdown()  # a second shutdown is harmless
