"""The manager's back office in the window: today's report, quick ranges, by cashier / reward / hour with a chart,
drill-down to the operations behind a line or a bar (a voided one marked and left out of the numbers), CSV whose
content is checked, a PDF with the Thai font embedded; nothing outside the window, nothing cut off, in Thai and
English at 1024x768 and 1366x768."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from fit import fit_problems, table_problems
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from ui_steps import show, sign_in

from pos_app.core import i18n
from pos_app.core.i18n import _
from pos_app.services import Approval, open_terminal
from pos_app.ui.counter import CounterWindow

TIMEOUT = 20_000
SHOTS = os.environ.get("REPORT_SHOTS")  # a folder: save what the test saw, to look at


def table_rows(table: Any) -> dict[str, list[str]]:
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, table.columnCount())]
            for r in range(table.rowCount())}


@pytest.fixture
def activity(data_dir: Path) -> dict[str, Any]:
    """Today: the manager awards a ฿30,000 sale and redeems a coffee; the cashier awards ฿1,234.50, and an award
    of ฿5,000 that a manager voids."""
    svc = open_terminal(data_dir)
    try:
        member = svc.members.find_by_phone("0812345678")
        svc.award(member_id=member.id, amount_satang=3_000_000, receipt_ref="R-REP-1", operator_id="manager-1")
        svc.redeem(member_id=member.id, reward_code="COFFEE", operator_id="manager-1")
        small = svc.award(member_id=member.id, amount_satang=123_450, receipt_ref="R-REP-2", operator_id="cashier-1")
        mistaken = svc.award(member_id=member.id, amount_satang=500_000, receipt_ref="R-REP-3",
                             operator_id="cashier-1")
        svc.void(entry_id=mistaken.entry_id, operator_id="cashier-1", approval=Approval("9999"))
        return {"today": svc.today(), "cashier": svc.staff("cashier")[0].name, "small": small.points}
    finally:
        svc.close()


def fits(dialog: Any) -> None:
    QApplication.processEvents()
    window = dialog.parentWidget().window()
    assert dialog.width() <= window.width() and dialog.height() <= window.height(), dialog.size()
    page = dialog.reports
    table = page.table if page.stack.currentIndex() == 0 else page.drill_table
    assert fit_problems(dialog) == [] and table_problems(table) == []


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)])
@pytest.mark.parametrize("language", ["th", "en"])
def test_a_manager_reads_drills_down_and_exports_the_report(qtbot: Any, data_dir: Path, thai_font_family: str,
                                                            activity: dict[str, Any], language: str,
                                                            size: tuple[int, int]) -> None:
    i18n.set_language(language)
    today = activity["today"]
    win = CounterWindow(data_dir)
    win.resize(*size)
    show(qtbot, win)
    try:
        sign_in(qtbot, win, "9999")
        with qtbot.waitSignal(win.report_shown, timeout=TIMEOUT) as shown:
            win.report_button.click()
        dialog = shown.args[0]
        page = dialog.reports
        assert page.date_from.date().toString("yyyy-MM-dd") == today == page.date_to.date().toString("yyyy-MM-dd")
        assert page.preset_buttons["today"].isChecked() and page.by.currentData() == "cashier"
        rows = table_rows(page.table)
        # the voided award is not in the numbers; the Voided column says it happened
        assert rows["Manee Manager"] == ["1", "1,200", "฿30,000.00", "1", "120", "0"]
        small = activity["small"]
        assert rows[activity["cashier"]] == ["1", str(small), "฿1,234.50", "0", "0", "1"]
        assert rows[_("Total")] == ["2", f"{1200 + small:,}", "฿31,234.50", "1", "120", "1"]
        assert sorted(bar.text for bar in page.chart.bars) == ["฿1,234.50", "฿30,000.00"]
        fits(dialog)
        if SHOTS:
            dialog.grab().save(f"{SHOTS}/report-{language}-{size[0]}.png")

        # drill down into the cashier's line: two awards, the voided one marked, masked phone, approver
        cashier_row = [page.table.item(r, 0).text() for r in range(page.table.rowCount())].index(activity["cashier"])
        with qtbot.waitSignal(page.drilled, timeout=TIMEOUT) as drilled:
            page.table.setCurrentCell(cashier_row, 0)
            qtbot.keyClick(page.table, Qt.Key.Key_Return)
        operations = drilled.args[0]
        assert [(op.receipt_ref, op.voided) for op in operations] == [("R-REP-2", False), ("R-REP-3", True)]
        cells = [[page.drill_table.item(r, c).text() for c in range(page.drill_table.columnCount())]
                 for r in range(page.drill_table.rowCount())]
        assert cells[0][2] == "สมชาย ใจดี\n•••-•••-5678" and cells[0][4] == f"+{small}" and cells[0][5] == "฿1,234.50"
        assert cells[0][6] == _("Online") and cells[1][8] == _("Voided") + "\nManee Manager"
        assert page.drill_title.text().endswith(_("{n} voided (not counted)").format(n="1"))
        fits(dialog)
        if SHOTS:
            dialog.grab().save(f"{SHOTS}/drill-{language}-{size[0]}.png")
        qtbot.keyClick(page.drill_table, Qt.Key.Key_Escape)
        assert page.stack.currentIndex() == 0

        # by reward, this month: the chart's bar drills down too
        page.by.setCurrentIndex(page.by.findData("reward"))
        with qtbot.waitSignal(page.report_drawn, timeout=TIMEOUT):
            page.preset_buttons["month"].click()
        assert page.date_from.date().toString("yyyy-MM-dd") == today[:8] + "01"
        coffee = "กาแฟเย็น 1 แก้ว" if language == "th" else "Iced coffee"
        assert table_rows(page.table)[coffee] == ["0", "0", "฿0.00", "1", "120", "0"]
        fits(dialog)
        with qtbot.waitSignal(page.drilled, timeout=TIMEOUT) as drilled:
            qtbot.mouseClick(page.chart, Qt.MouseButton.LeftButton, pos=QPoint(page.chart.width() // 2, 8))
        assert [op.reward_code for op in drilled.args[0]] == ["COFFEE"]
        page.back()

        with qtbot.waitSignal(win.report_exported, timeout=TIMEOUT) as exported:
            page.export_button.click()
        path = exported.args[0]
        assert path == data_dir / "reports" / f"report-{today[:8]}01-{today}-reward.csv"
        assert path.read_text(encoding="utf-8").splitlines() == [
            "reward,awards,points_awarded,sales_baht,redemptions,points_redeemed,voided",
            f"{coffee},0,0,0.00,1,120,0",
            f"{_('Total')},2,{1200 + small},31234.50,1,120,1",
        ]
        assert page.message.text() == _("Saved {path}").format(path=path)

        # by hour: columns per hour of the day
        with qtbot.waitSignal(page.report_drawn, timeout=TIMEOUT):
            page.by.setCurrentIndex(page.by.findData("hour"))
        assert page.chart.columns and sum(bar.value for bar in page.chart.bars) == 3
        fits(dialog)

        with qtbot.waitSignal(page.pdf_saved, timeout=TIMEOUT) as saved:
            page.pdf_button.click()
        pdf = saved.args[0].read_bytes()
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
        # the bundled Thai font is in the file (a TrueType font program), not just named
        assert re.search(rb"/BaseFont\s*/Garuda\b", pdf) and re.search(rb"/FontFile2\s+\d+ 0 R", pdf)

        dialog.accept()
        assert win.report_dialog is None
    finally:
        win.shutdown()


def test_a_long_report_goes_onto_as_many_pdf_pages_as_it_needs(tmp_path: Path, thai_font_family: str) -> None:
    from pos_app.ui.report_pdf import write_report_pdf

    rows = [[f"สมใจ {i}", f"{i:,}", "฿1,234.50\n(บาท)"] for i in range(120)]
    pages = write_report_pdf(tmp_path / "long.pdf", thai_font_family, "รายงาน", "", [], ["แคชเชียร์", "แต้ม", "ยอดขาย"],
                             rows, numbers=(1, 2))
    pdf = (tmp_path / "long.pdf").read_bytes()
    assert pages > 2 and len(re.findall(rb"/Type\s*/Page\b", pdf)) == pages
    assert re.search(rb"/BaseFont\s*/Garuda\b", pdf) and re.search(rb"/FontFile2\s+\d+ 0 R", pdf)
    with pytest.raises(OSError):
        write_report_pdf(tmp_path / "long.pdf" / "x.pdf", thai_font_family, "t", "", [], ["a"], [])  # under a file
