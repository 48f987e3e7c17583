"""The manager's report in the window: a date range by cashier, reward or hour, totals, CSV export whose file
content is checked, refusals in the dialog; nothing cut off at 1024x768, in Thai and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fit import fit_problems, table_problems
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_steps import find_member, show, sign_in

from pos_app.core import i18n
from pos_app.core.i18n import _
from pos_app.ui.counter import CounterWindow

TIMEOUT = 20_000


def table_rows(dialog: Any) -> dict[str, list[str]]:
    table = dialog.table
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 6)] for r in range(table.rowCount())}


@pytest.mark.parametrize("language", ["th", "en"])
def test_a_manager_reports_a_range_by_reward_and_exports_it(qtbot: Any, data_dir: Path, thai_font_family: str,
                                                            language: str) -> None:
    i18n.set_language(language)
    win = CounterWindow(data_dir)
    win.resize(1024, 768)
    show(qtbot, win)
    try:
        sign_in(qtbot, win, "9999")
        find_member(qtbot, win, "081-234-5678")
        win.amount_field.setText("30,000")
        win.receipt_field.setText("R-REP-1")
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT):
            win.award_button.click()
        reward = win._rewards[0]
        win.reward_combo.setCurrentIndex(win.reward_combo.findData(reward["code"]))
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT):
            win.redeem_button.click()

        with qtbot.waitSignal(win.report_shown, timeout=TIMEOUT) as shown:
            win.report_button.click()
        dialog = shown.args[0]
        today = dialog.date_from.text()
        assert dialog.date_to.text() == today and dialog.by.currentData() == "cashier"
        assert table_rows(dialog)["Manee Manager"][:3] == ["1", "1,200", "฿30,000.00"]

        dialog.by.setCurrentIndex(dialog.by.findData("reward"))
        with qtbot.waitSignal(win.report_shown, timeout=TIMEOUT):
            qtbot.keyClick(dialog.date_to, Qt.Key.Key_Return)  # Enter: Show
        name = reward["name_th"] if language == "th" else reward["name_en"]
        cost = f"{int(reward['points_cost']):,}"
        assert table_rows(dialog)[name] == ["0", "0", "฿0.00", "1", cost]
        assert table_rows(dialog)[_("Total")] == ["1", "1,200", "฿30,000.00", "1", cost]
        QApplication.processEvents()
        assert dialog.width() <= 1024 and dialog.height() <= 768, dialog.size()
        assert fit_problems(dialog) == [] and table_problems(dialog.table) == []

        with qtbot.waitSignal(win.report_exported, timeout=TIMEOUT) as exported:
            dialog.export_button.click()
        path = exported.args[0]
        assert path == data_dir / "reports" / f"report-{today}-{today}-reward.csv"
        assert path.read_text(encoding="utf-8").splitlines() == [
            "reward,awards,points_awarded,sales_baht,redemptions,points_redeemed",
            f"{name},0,0,0.00,1,{int(reward['points_cost'])}",
            f"{_('Total')},1,1200,30000.00,1,{int(reward['points_cost'])}",
        ]
        assert dialog.message.text() == _("Saved {path}").format(path=path)

        dialog.date_from.setText("2026-13-01")
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            dialog.show_button.click()
        assert refused.args[0] == _("{value} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-29.").format(
            value="'2026-13-01'")
        assert dialog.message.text() == refused.args[0]
        dialog.accept()
        assert win.report_dialog is None
    finally:
        win.shutdown()
