"""The back office's Flags and Approvals log pages in the window: the branch's flags as the last sync brought them
(an overdraft at another counter, a record of this counter kept aside), the ones still to look at first, the
count on the tab, Acknowledge beside them; what managers approved and the approvals refused; nothing outside the
window and nothing cut off, in Thai and English at 1024x768 and 1366x768."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from fit import fit_problems, table_problems
from PySide6.QtWidgets import QApplication
from ui_steps import show, sign_in

from pos_app.core import i18n
from pos_app.core.i18n import _
from pos_app.services import Approval, open_terminal, sync_glue
from pos_app.services.errors import ServiceError
from pos_app.ui.counter import CounterWindow
from pos_app.ui.presenters.flags import flag_text

TIMEOUT = 20_000
SHOTS = os.environ.get("REPORT_SHOTS")  # a folder: save what the test saw, to look at


@pytest.fixture
def flagged(data_dir: Path) -> dict[str, Any]:
    svc = open_terminal(data_dir)
    try:
        member = svc.members.find_by_phone("0812345678")
        award = svc.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-FL-1", operator_id="cashier-1")
        with pytest.raises(ServiceError):
            svc.void(entry_id=award.entry_id, operator_id="cashier-1", approval=Approval("123456"))  # wrong PIN
        svc.void(entry_id=award.entry_id, operator_id="cashier-1", approval=Approval("9999"))
        store = sync_glue.store_for(svc)
        store.replace_branch_flags([
            {"id": 41, "kind": "overdraft", "member_id": member.id, "terminal_id": "T-SIAM-02", "entry_id": None,
             "details": {"shortfall": 150, "entry_points": -300, "offline": True, "kind": "redeem"},
             "created_at": "2026-11-29T03:00:00.000Z", "resolved_at": None, "resolved_by": None, "note": None}],
            False, svc.clock())
        store.record_quarantined([{"seq": 12, "id": "rec-12", "code": "wrong_sign",
                                   "reason": "a redemption with positive points"}])
        return {"member": member.name, "today": svc.today()}
    finally:
        svc.close()


def table_cells(table: Any) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)])
@pytest.mark.parametrize("language", ["th", "en"])
def test_a_manager_sees_the_branch_flags_acknowledges_one_and_reads_the_approvals(
        qtbot: Any, data_dir: Path, thai_font_family: str, flagged: dict[str, Any], language: str,
        size: tuple[int, int]) -> None:
    i18n.set_language(language)
    win = CounterWindow(data_dir)
    win.resize(*size)
    show(qtbot, win)
    try:
        sign_in(qtbot, win, "9999")
        with qtbot.waitSignal(win.report_shown, timeout=TIMEOUT) as shown:
            win.report_button.click()
        dialog = shown.args[0]
        flags = dialog.flags
        if flags.presenter.flags == []:
            qtbot.waitSignal(flags.flags_shown, timeout=TIMEOUT).wait()
        assert dialog.tabs.tabText(dialog.flags_tab) == _("Flags ({n})").format(n=2)  # seen from the Reports tab
        dialog.tabs.setCurrentWidget(flags)
        QApplication.processEvents()
        rows = table_cells(flags.table)
        overdraft = [r for r in rows if r[1].startswith(flag_text("overdraft"))]
        kept = [r for r in rows if r[1].startswith(flag_text("quarantined"))]
        assert len(overdraft) == 1 and len(kept) == 1
        assert overdraft[0][1] == flag_text("overdraft") + "\n" + _("{points} points short").format(points="150")
        assert overdraft[0][2:4] == [flagged["member"], "T-SIAM-02"] and overdraft[0][4] == ""
        assert kept[0][3] == _("This counter") and kept[0][1].endswith("a redemption with positive points")
        assert fit_problems(dialog) == [] and table_problems(flags.table) == []

        flags.table.setCurrentCell(rows.index(overdraft[0]), 0)
        assert flags.acknowledge_button.isEnabled()
        with qtbot.waitSignal(flags.acknowledged, timeout=TIMEOUT) as acknowledged:
            flags.acknowledge_button.click()
        assert acknowledged.args[0] == "flag:41"
        assert flags.message.text() == _("Acknowledged. Head office still resolves it.")
        rows = table_cells(flags.table)
        assert rows[0][1].startswith(flag_text("quarantined"))  # the one still to look at comes first
        assert rows[1][4].startswith("Manee Manager\n")
        assert dialog.tabs.tabText(dialog.flags_tab) == _("Flags ({n})").format(n=1)
        flags.table.setCurrentCell(1, 0)
        assert not flags.acknowledge_button.isEnabled()  # acknowledged once is enough
        assert fit_problems(dialog) == [] and table_problems(flags.table) == []
        if SHOTS:
            dialog.grab().save(f"{SHOTS}/flags-{language}-{size[0]}.png")

        with qtbot.waitSignal(dialog.approvals.approvals_shown, timeout=TIMEOUT) as approvals:
            dialog.tabs.setCurrentWidget(dialog.approvals)
        lines = approvals.args[0]
        assert [(x.what, x.reason, x.refused) for x in lines] == [("reverse", "void", False),
                                                                  ("pin_failed", "void", True)]
        cells = table_cells(dialog.approvals.table)
        assert cells[0][1:5] == [_("Void"), "สมใจ ใจดี", "Manee Manager", flagged["member"]]
        assert cells[1][1] == _("Wrong manager PIN") + "\n" + _("Void") and cells[1][3] == ""
        assert dialog.approvals.title.text() == _("Approvals {span}: {n} approved").format(
            span=flagged["today"], n="1") + ", " + _("{n} refused").format(n="1")
        assert fit_problems(dialog) == [] and table_problems(dialog.approvals.table) == []
        if SHOTS:
            dialog.grab().save(f"{SHOTS}/approvals-{language}-{size[0]}.png")
        dialog.accept()
    finally:
        win.shutdown()
