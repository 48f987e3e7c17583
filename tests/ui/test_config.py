"""The window reads the branch's terminal.toml from the data folder; a broken file is explained and the
counter starts on the defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from ui_steps import show, sign_in

from pos_app.config import CONFIG_FILENAME, TerminalConfig
from pos_app.ui.counter import CounterWindow

TIMEOUT = 20_000


def open_and_sign_in(qtbot: Any, data_dir: Path) -> CounterWindow:
    win = show(qtbot, CounterWindow(data_dir))
    sign_in(qtbot, win)
    return win


def test_a_broken_config_file_is_explained_and_the_counter_runs_on_defaults(
        qtbot: Any, data_dir: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("POS_CONFIG", raising=False)
    (data_dir / CONFIG_FILENAME).write_text("[printer]\nkind = 'laser'\n", encoding="utf-8")
    win = open_and_sign_in(qtbot, data_dir)
    try:
        assert win.config == TerminalConfig()
        assert win.config_error is not None
        assert "printer.kind" in win.config_label.text() and CONFIG_FILENAME in win.config_label.text()
        assert "Traceback" not in win.config_label.text()
    finally:
        win.shutdown()


def test_the_data_folders_config_chooses_the_printer(qtbot: Any, data_dir: Path, tmp_path: Path,
                                                     monkeypatch: Any) -> None:
    monkeypatch.delenv("POS_CONFIG", raising=False)
    slips = tmp_path / "branch-slips"
    (data_dir / CONFIG_FILENAME).write_text(
        f"[printer]\nkind = 'pdf'\naddress = '{slips}'\npaper_mm = 58\n", encoding="utf-8")
    win = open_and_sign_in(qtbot, data_dir)
    try:
        assert win.config_error is None and win.config_label.text() == ""
        qtbot.keyClicks(win.member_field, "0812345678")
        with qtbot.waitSignal(win.member_shown, timeout=TIMEOUT):
            qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
        win.amount_field.setText("100")
        win.receipt_field.setText("R-CFG")
        with qtbot.waitSignal(win.slip_printed, timeout=TIMEOUT) as printed:
            win.award_button.click()
        assert printed.args[0].error_code is None
        assert len(list(slips.glob("*.pdf"))) == 1
    finally:
        win.shutdown()
