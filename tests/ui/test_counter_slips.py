"""Slips after award/redeem: rendered with translated labels and ฿ amounts, printed off the UI thread through
the configured printer (FakePrinter for a thermal printer that cannot exist here, the real PdfPrinter), and
printer problems shown with "reprint last slip" while the recorded operation stays recorded."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from ui_steps import find_member, show, sign_in

from hardware.printers import FakePrinter
from hardware.slips import SlipData, SlipLabels, render_slip
from pos_app.config import PrinterSection, SyncSection, TerminalConfig
from pos_app.core.i18n import _
from pos_app.services import open_terminal
from pos_app.ui.counter import CounterWindow
from pos_app.ui.slips import SLIP_FOLDER, printer_message

TIMEOUT = 20_000
PHONE = "0812345678"


def open_window(qtbot: Any, data_dir: Path, printer: FakePrinter | None = None, kind: str = "network",
                address: str | None = "192.0.2.1") -> CounterWindow:
    config = TerminalConfig(sync=SyncSection(interval_seconds=3600),
                            printer=PrinterSection(kind=kind, address=address, paper_mm=80))
    win = show(qtbot, CounterWindow(data_dir, config=config, printer=printer))
    sign_in(qtbot, win)
    find_member(qtbot, win, PHONE)
    return win


def award_and_wait_slip(qtbot: Any, win: CounterWindow, amount: str, receipt: str) -> tuple[Any, Any]:
    win.amount_field.setText(amount)
    win.receipt_field.setText(receipt)
    with qtbot.waitSignal(win.slip_printed, timeout=TIMEOUT) as printed:
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
            win.award_button.click()
    return done.args[0], printed.args[0]


THAI_LABELS = {  # what the slip must say, from the Thai catalog (the test's own list, not the window's)
    "branch": "Branch", "time": "Time", "receipt": "Receipt", "member": "Member", "purchase": "Purchase",
    "earned": "Points earned", "redeemed": "Points redeemed", "balance_before": "Balance before",
    "balance_after": "Balance after", "expiring": "Expiring by {date}", "points_unit": "pts", "thanks": "Thank you",
}


def expected_slips(minutes: set[datetime], **fields: Any) -> list[Any]:
    """The slip as it must look, rendered for each minute the sale may carry (it is stamped when printed)."""
    labels = SlipLabels(**{name: _(english) for name, english in THAI_LABELS.items()})
    assert labels.earned != "Points earned" and labels.thanks != "Thank you"  # Thai, from the catalog
    return [np.asarray(render_slip(SlipData(title=_("Loyalty points"), branch="", printed_at=minute,
                                            labels=labels, **fields), "80mm").convert("L"))
            for minute in sorted(minutes)]


def test_an_award_prints_one_slip_with_thai_labels_and_baht_amounts(qtbot: Any, data_dir: Path) -> None:
    fake = FakePrinter()
    win = open_window(qtbot, data_dir, fake)
    try:
        before = datetime.now().replace(second=0, microsecond=0)
        result, outcome = award_and_wait_slip(qtbot, win, "1,250", "R-SLIP-1")
        after = datetime.now().replace(second=0, microsecond=0)
        assert outcome.error_code is None and outcome.result.printer == "fake"
        assert len(fake.printed) == 1 and fake.printed[0].width == 576  # 80 mm paper
        assert win.printer_label.text() == ""
    finally:
        win.shutdown()
    member = open_terminal(data_dir)
    try:
        view = member.members.get(result.member_id)
    finally:
        member.close()
    printed = np.asarray(fake.printed[0].convert("L"))
    expected = expected_slips({before, after}, receipt_no="R-SLIP-1", member_name=view.name,
                              member_number="•" * (len(view.card_no) - 4) + view.card_no[-4:],
                              points_change=50, balance_before=0, balance_after=50, purchase_amount="฿1,250.00")
    assert any(e.shape == printed.shape and np.array_equal(e, printed) for e in expected)


def test_an_offline_printer_keeps_the_award_and_offers_a_reprint(qtbot: Any, data_dir: Path) -> None:
    fake = FakePrinter(state="offline", code="offline")
    win = open_window(qtbot, data_dir, fake)
    try:
        result, outcome = award_and_wait_slip(qtbot, win, "500", "R-SLIP-2")
        assert outcome.error_code == "offline" and fake.printed == []
        assert result.balance_after == 20 and win.status.property("kind") == "done"  # recorded, said done
        assert printer_message("offline") in win.printer_label.text()
        assert win.reprint_button.isVisibleTo(win)
        assert win.award_button.isEnabled()  # the counter is not blocked

        fake.state, fake.code = "online", "online"  # the cashier switched it on
        with qtbot.waitSignal(win.slip_printed, timeout=TIMEOUT) as reprinted:
            win.reprint_button.click()
        assert reprinted.args[0].error_code is None and reprinted.args[0].result.reprint
        assert len(fake.printed) == 1
        assert win.printer_label.text() == ""
    finally:
        win.shutdown()
    services = open_terminal(data_dir)
    try:
        assert services.members.get(result.member_id).balance == 20  # printing never undid it
    finally:
        services.close()


def test_out_of_paper_on_a_redemption_says_load_paper(qtbot: Any, data_dir: Path) -> None:
    fake = FakePrinter()
    win = open_window(qtbot, data_dir, fake)
    try:
        award_and_wait_slip(qtbot, win, "2,500", "R-SLIP-3")  # 100 points
        fake.state, fake.code = "out_of_paper", "out_of_paper"
        win.points_field.setText("40")
        with qtbot.waitSignal(win.slip_printed, timeout=TIMEOUT) as printed:
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
                win.redeem_button.click()
        assert done.args[0].balance_after == 60
        assert printed.args[0].error_code == "out_of_paper"
        assert printer_message("out_of_paper") in win.printer_label.text()
        assert fake.attempts == 2  # not retried: the cashier must load paper first
    finally:
        win.shutdown()


def test_a_pdf_printer_writes_each_slip_into_the_data_folder(qtbot: Any, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir, kind="pdf", address=None)
    try:
        _result, outcome = award_and_wait_slip(qtbot, win, "100", "R-PDF-1")
        assert outcome.error_code is None
        pdfs = list((data_dir / SLIP_FOLDER).glob("*.pdf"))
        assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    finally:
        win.shutdown()


def test_printer_kind_none_prints_nothing(qtbot: Any, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir, kind="none", address=None)
    try:
        assert win.slip_printer is None and win.print_worker is None
        win.amount_field.setText("100")
        win.receipt_field.setText("R-NONE")
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT):
            win.award_button.click()
        assert not (data_dir / SLIP_FOLDER).exists()
        assert not win.reprint_button.isVisibleTo(win)
    finally:
        win.shutdown()
