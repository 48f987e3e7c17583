"""Name search with a result list (phones masked) and void of the counter's last operations with a manager's
approval, on real widgets, in Thai and English at 1024x768 and 1366x768, nothing outside the window or cut off."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fit import fit_problems
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_cashier_screens import SIZES, assert_fits, open_window
from ui_steps import TIMEOUT, find_member, sign_in

from pos_app.core import i18n
from pos_app.core.i18n import _


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["th", "en"])
def test_a_name_finds_members_from_a_list_without_their_phone_numbers(
        qtbot: Any, data_dir: Path, thai_font_family: str, language: str, size: tuple[int, int]) -> None:
    i18n.set_language(language)
    win = open_window(qtbot, data_dir, size)
    try:
        sign_in(qtbot, win)
        # two members have ดี in their name: a list to choose from, no phone number in it, not even masked
        win.member_field.setText("ดี")  # (QTest types ASCII only; a Thai keyboard layout types this)
        with qtbot.waitSignal(win.search_shown, timeout=TIMEOUT) as shown:
            qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
        lines = shown.args[0]
        somchai = next(line for line in lines if line.startswith("สมชาย ใจดี"))
        assert len(lines) == 2 and any(line.startswith("วิภา รักษ์ดี") for line in lines)
        assert "5678" not in "".join(lines) and "•••" not in "".join(lines)
        assert re.search(r" · .+ …\d{4}$", somchai), somchai  # the card's last four digits tell members apart
        assert [b.text() for b in win.search_buttons if b.isVisible()] == lines
        assert win.search_title.text() == _("{count} members match “{query}”: choose one").format(
            count=2, query="ดี")
        assert QApplication.focusWidget() is win.search_buttons[0]
        assert_fits(win, size, "the name search's result list")
        # keyboard: Tab to the second, Enter chooses them
        second = lines[1].split(" · ")[0]
        qtbot.keyClick(win.search_buttons[0], Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is win.search_buttons[1]
        with qtbot.waitSignal(win.member_shown, timeout=TIMEOUT) as chosen:
            qtbot.keyClick(win.search_buttons[1], Qt.Key.Key_Return)
        assert chosen.args[0].name == second and win.member_name.text() == second
        assert not win.search_box.isVisible()
        assert_fits(win, size, "a member chosen from the list")

        # one match: shown at once; no match: said plainly where the cashier looks
        member = find_member(qtbot, win, "jane")
        assert member.name == "Jane Doe"
        qtbot.keyClicks(win.member_field, "Nobody")
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
        assert refused.args[0] == _("No member's name contains “{query}”. Check the spelling, or scan the card "
                                    "or type the phone.").format(query="Nobody")
        assert win.member_name.text() == _("No member yet") and not win.search_box.isVisible()
        assert_fits(win, size, "no member by that name")
    finally:
        win.shutdown()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_last_award_is_voided_with_a_managers_approval(
        qtbot: Any, data_dir: Path, thai_font_family: str, language: str, size: tuple[int, int]) -> None:
    i18n.set_language(language)
    win = open_window(qtbot, data_dir, size)
    try:
        sign_in(qtbot, win)
        find_member(qtbot, win, "081-234-5678")
        win.amount_field.setText("5,000")
        win.receipt_field.setText("R-VOID-1")
        with qtbot.waitSignal(win.history_shown, timeout=TIMEOUT):
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as awarded:
                qtbot.keyClick(win.receipt_field, Qt.Key.Key_F2)
        assert awarded.args[0].balance_after == 200

        with qtbot.waitSignal(win.void_requested, timeout=TIMEOUT) as opened:
            qtbot.keyClick(win.amount_field, Qt.Key.Key_F7)
        dialog = opened.args[0]
        QApplication.processEvents()
        options = [o for o in dialog.options if o.isVisible()]
        assert len(options) == 1 and options[0].isChecked()  # the last operation, chosen
        assert "R-VOID-1" in options[0].text() and "+200" in options[0].text()
        assert dialog.title_bar.text() == _("Void an operation")
        assert fit_problems(dialog) == [], "\n".join(fit_problems(dialog))
        assert win.geometry().contains(dialog.geometry())

        with qtbot.waitSignal(win.approval_requested, timeout=TIMEOUT) as asked:
            qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
        approval = asked.args[0]
        qtbot.keyClicks(approval.pin, "9999")
        with qtbot.waitSignal(win.history_shown, timeout=TIMEOUT):
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as voided:
                qtbot.keyClick(approval.pin, Qt.Key.Key_Return)
        result = voided.args[0]
        assert (result.kind, result.points, result.balance_after) == ("earn", -200, 0)
        assert win.void_dialog is None and win.member_balance.text() == _("{points} points").format(points="0")
        assert win.status.property("kind") == "done"
        assert_fits(win, size, "voided")

        # nothing left to void: the dialog says so and offers nothing
        with qtbot.waitSignal(win.void_requested, timeout=TIMEOUT) as opened:
            qtbot.keyClick(win.amount_field, Qt.Key.Key_F7)
        dialog = opened.args[0]
        assert not any(o.isVisible() for o in dialog.options) and not dialog.confirm.isEnabled()
        assert dialog.prompt.text() == _("Nothing to void: no award or redemption of this counter in the last "
                                         "{minutes} minutes.").format(minutes=10)
        dialog.reject()
    finally:
        win.shutdown()
