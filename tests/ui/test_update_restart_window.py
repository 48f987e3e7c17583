"""The counter window makes way for an unattended update only on the PIN screen (issue 10): with an update
waiting in the quiet time, a signed-in cashier is never interrupted; once signed out, the window says so and
emits ``update_restart`` (the app then exits with EXIT_RESTART and ``pos-terminal counter`` brings the new version
up). Real window, real ledger, offscreen; the decision itself is tests/test_update_restart.py."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pos_app import updates
from pos_app.core import i18n
from pos_app.ui.counter import CounterWindow
from tests.ui.ui_steps import TIMEOUT, show, sign_in

NIGHT = datetime.fromisoformat("2026-12-01T03:00+07:00")


def _waiting(data: Path) -> None:
    folder = data / "updates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "release.json").write_text(json.dumps({"version": "999.0.0", "package": "x"}))
    (folder / "state.json").write_text(json.dumps({"window": {"start": "02:00", "end": "04:00"}}))


def _look(qtbot: Any, win: CounterWindow) -> None:
    """One look of the minute timer, waited for until its decision ran on the UI thread."""
    ticket = win.check_update_restart()
    assert ticket is not None
    with qtbot.waitSignal(win.worker.finished, timeout=TIMEOUT, check_params_cb=lambda t: t == ticket):
        pass


def test_the_window_steps_aside_for_an_update_only_when_signed_out(qtbot: Any, data_dir: Path) -> None:
    i18n.set_language("en")
    _waiting(data_dir)
    win = show(qtbot, CounterWindow(data_dir, update_clock=lambda: NIGHT, restartable=True))
    try:
        restarts: list[str] = []
        win.update_restart.connect(restarts.append)
        sign_in(qtbot, win)
        _look(qtbot, win)
        assert restarts == [] and updates.read_stepped(data_dir) is None  # a cashier is signed in: never
        win.sign_out()
        with qtbot.waitSignal(win.update_restart, timeout=TIMEOUT) as stepped:
            win.check_update_restart()
        assert stepped.args == ["999.0.0"]
        assert win.status.text() == ("Updating to version 999.0.0: the counter opens again in a few "
                                           "minutes.")
        assert updates.read_stepped(data_dir) == {"version": "999.0.0", "at": NIGHT.isoformat()}
        restarts.clear()
        _look(qtbot, win)  # stepped aside for it already: not again (the timer may not have run yet)
        assert restarts == []
    finally:
        win.shutdown()


def test_no_update_waiting_means_no_restart(qtbot: Any, data_dir: Path) -> None:
    win = show(qtbot, CounterWindow(data_dir, update_clock=lambda: NIGHT, restartable=True))
    try:
        restarts: list[str] = []
        win.update_restart.connect(restarts.append)
        _look(qtbot, win)
        assert restarts == [] and not (data_dir / "updates").exists()
    finally:
        win.shutdown()


def test_a_window_not_run_by_pos_terminal_counter_never_steps_aside(qtbot: Any, data_dir: Path) -> None:
    """Opened by hand, or by an autostart entry written before 'counter' existed: nothing would open it again."""
    _waiting(data_dir)
    win = show(qtbot, CounterWindow(data_dir, update_clock=lambda: NIGHT))
    try:
        assert win.check_update_restart() is None
        assert updates.read_stepped(data_dir) is None
    finally:
        win.shutdown()
