"""The counter window fits the screens counters have (1024x768 and 1366x768), in Thai and in English:
nothing outside the window, no label or button text cut off, touch targets of 48 px, at every step of the
cashier's main flow (sign in -> identify -> see -> award or redeem -> done), with errors and notes showing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fit import fit_problems
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_steps import find_member, show, sign_in

from pos_app.config import CONFIG_FILENAME, CameraSection, SyncSection, TerminalConfig
from pos_app.core import i18n
from pos_app.core.i18n import _
from pos_app.ui.counter import CounterWindow

TIMEOUT = 20_000
SIZES = [(1024, 768), (1366, 768), (1920, 1080)]


def assert_fits(win: CounterWindow, size: tuple[int, int], step: str) -> None:
    QApplication.processEvents()  # let the posted layout requests run, as they do before the next paint
    assert (win.width(), win.height()) == size, f"{step}: the window grew to {win.width()}x{win.height()}"
    problems = fit_problems(win)
    assert problems == [], f"{step}:\n" + "\n".join(problems)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_cashiers_main_flow_fits_the_screen(qtbot: Any, data_dir: Path, thai_font_family: str,
                                                monkeypatch: Any, language: str, size: tuple[int, int]) -> None:
    i18n.set_language(language)
    monkeypatch.delenv("POS_CONFIG", raising=False)
    # a broken config file: its (long) explanation shows at the bottom, with everything else
    (data_dir / CONFIG_FILENAME).write_text("[printer]\nkind = 'laser'\n", encoding="utf-8")
    win = CounterWindow(data_dir, demo_hint=True)
    win.resize(*size)
    show(qtbot, win)
    try:
        assert win.config_label.text()
        assert_fits(win, size, "sign-in page")
        qtbot.keyClicks(win.pin, "4321")
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT):
            qtbot.keyClick(win.pin, Qt.Key.Key_Return)
        assert_fits(win, size, "sign-in refused")

        sign_in(qtbot, win, "9999")  # a manager: the most buttons on the top bar
        assert win.manager_button.isVisible() and win.report_button.isVisible()
        QApplication.processEvents()
        lines = win.who.heightForWidth(win.who.width()) / win.who.fontMetrics().lineSpacing()
        assert lines < 2.5, f"the manager's name and role take {lines:.1f} lines of the top bar"
        assert_fits(win, size, "counter, no member yet")

        find_member(qtbot, win, "081-234-5678")
        with qtbot.waitSignal(win.preview_shown, timeout=TIMEOUT):
            win.amount_field.setText("1,234.50")
        assert win.preview.text()
        assert_fits(win, size, "member shown, bill typed with its preview")

        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            qtbot.keyClick(win.amount_field, Qt.Key.Key_F2)  # award without a receipt number
        assert refused.args[0] == _("Type the receipt number.")
        win.amount_field.setText("12,34x")
        assert win.amount_error.text()
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            qtbot.keyClick(win.points_field, Qt.Key.Key_F3)  # redeem without points
        assert refused.args[0] == _("Type how many points to redeem.") == win.redeem_error.text()
        assert_fits(win, size, "errors under the award and redeem fields")

        win.amount_field.setText("30,000")
        win.receipt_field.setText("R-FIT-1")
        with qtbot.waitSignal(win.history_shown, timeout=TIMEOUT):
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT):
                qtbot.keyClick(win.receipt_field, Qt.Key.Key_F2)
        assert win.status.property("kind") == "done"
        assert win.history_rows[0][1].text()
        assert_fits(win, size, "award done, the member's last entries shown")

        index = win.reward_combo.findData(win._rewards[0]["code"])
        win.reward_combo.setCurrentIndex(index)
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT):
            qtbot.keyClick(win.reward_combo, Qt.Key.Key_F3)
        assert_fits(win, size, "redeem done")

        with qtbot.waitSignal(win.return_requested, timeout=TIMEOUT) as opened:
            qtbot.keyClick(win.member_field, Qt.Key.Key_F6)
        dialog = opened.args[0]
        dialog.receipt.setText("R-FIT-1")
        with qtbot.waitSignal(win.return_previewed, timeout=TIMEOUT):
            qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
        QApplication.processEvents()
        assert dialog.width() <= size[0] and dialog.height() <= size[1], dialog.size()
        assert fit_problems(dialog) == [], "\n".join(fit_problems(dialog))
        dialog.reject()
        assert win.return_dialog is None
        QApplication.processEvents()

        qtbot.keyClick(win.member_field, Qt.Key.Key_Escape)
        assert win.member_name.text() == _("No member yet")
        assert_fits(win, size, "cleared for the next customer")
    finally:
        win.shutdown()


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_camera_panel_fits_beside_a_member(qtbot: Any, data_dir: Path, thai_font_family: str,
                                               language: str) -> None:
    i18n.set_language(language)
    config = TerminalConfig(sync=SyncSection(interval_seconds=3600), camera=CameraSection(source=63))
    win = CounterWindow(data_dir, config=config)  # camera 63: no such device, the panel says so in words
    win.resize(1024, 768)
    show(qtbot, win)
    try:
        sign_in(qtbot, win)
        find_member(qtbot, win, "081-234-5678")
        with qtbot.waitSignal(win.camera_panel.status_changed, timeout=TIMEOUT,
                              check_params_cb=lambda code: code == "camera_unavailable"):
            qtbot.keyClick(win.member_field, Qt.Key.Key_F5)
        assert win.camera_panel.isVisible()
        assert_fits(win, (1024, 768), "camera on, unplugged")
    finally:
        win.shutdown()


def test_the_fit_check_sees_a_cut_off_label_and_a_widget_outside(qtbot: Any, data_dir: Path,
                                                                  thai_font_family: str) -> None:
    """The check itself can fail: a label too narrow for its text and a widget past the edge are reported."""
    win = CounterWindow(data_dir)
    win.resize(1024, 768)
    show(qtbot, win)
    try:
        assert fit_problems(win) == []
        win.title.setFixedWidth(20)
        win.lang_button.move(2000, 10)
        problems = fit_problems(win)
        assert any("cut off" in p and "title" in p for p in problems), problems
        assert any("outside the window" in p and "langButton" in p for p in problems), problems
    finally:
        win.shutdown()
