"""Returns in the window and the member's last entries on the member panel, driven like a cashier would on a
real seeded ledger, offscreen: scan/type the receipt, see the original award and what will be taken back, a
manager approves, the slip prints; the member panel shows the entries newest first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from ui_steps import find_member, show, sign_in

from hardware.printers import FakePrinter
from pos_app.config import PrinterSection, SyncSection, TerminalConfig
from pos_app.core.i18n import _
from pos_app.services import open_terminal
from pos_app.ui.counter import CounterWindow
from pos_app.ui.presenters import KIND_TEXT

TIMEOUT = 20_000
PHONE = "0812345678"


def open_window(qtbot: Any, data_dir: Path, printer: FakePrinter | None = None) -> CounterWindow:
    config = TerminalConfig(sync=SyncSection(interval_seconds=3600),
                            printer=PrinterSection(kind="network", address="192.0.2.1", paper_mm=80))
    win = show(qtbot, CounterWindow(data_dir, config=config, printer=printer))
    sign_in(qtbot, win)
    return win


def award(qtbot: Any, win: CounterWindow, amount: str, receipt: str) -> Any:
    win.amount_field.setText(amount)
    win.receipt_field.setText(receipt)
    with qtbot.waitSignal(win.history_shown, timeout=TIMEOUT) as shown:
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
            qtbot.keyClick(win.receipt_field, Qt.Key.Key_Return)
    return done.args[0], shown.args[0]


def history_texts(win: CounterWindow) -> list[tuple[str, str]]:
    return [(what.text(), points.text()) for _when, what, points in win.history_rows if what.text()]


def test_the_member_panel_shows_the_last_entries_newest_first(qtbot: Any, data_dir: Path) -> None:
    win = open_window(qtbot, data_dir)
    try:
        with qtbot.waitSignal(win.history_shown, timeout=TIMEOUT) as first:
            find_member(qtbot, win, PHONE)
        assert first.args[0] == [] and not win.history_title.isVisible()  # a new member: nothing yet
        award(qtbot, win, "1,250", "R-H-1")
        _result, lines = award(qtbot, win, "500", "R-H-2")
        earned = _(KIND_TEXT["earn"])
        assert [(line.what, line.points) for line in lines] == [(f"{earned} · R-H-2", "+20"),
                                                                 (f"{earned} · R-H-1", "+50")]
        assert history_texts(win) == [(f"{earned} · R-H-2", "+20"), (f"{earned} · R-H-1", "+50")]
        assert win.history_title.text() == _("Last entries") and win.history_title.isVisible()

        qtbot.keyClick(win.member_field, Qt.Key.Key_Escape)  # the next customer sees nobody's history
        assert history_texts(win) == [] and not win.history_title.isVisible()
    finally:
        win.shutdown()


def test_a_return_shows_what_it_takes_back_needs_a_manager_and_prints_a_slip(qtbot: Any, data_dir: Path) -> None:
    fake = FakePrinter()
    win = open_window(qtbot, data_dir, fake)
    try:
        find_member(qtbot, win, PHONE)
        result, _lines = award(qtbot, win, "1,250", "R-RET-1")
        assert (result.points, result.balance_after) == (50, 50)
        qtbot.waitUntil(lambda: len(fake.printed) == 1, timeout=TIMEOUT)

        with qtbot.waitSignal(win.return_requested, timeout=TIMEOUT) as opened:
            qtbot.keyClick(win.amount_field, Qt.Key.Key_F6)
        dialog = opened.args[0]
        assert dialog.isVisible() and not dialog.confirm.isEnabled()

        # an unknown receipt is refused where the cashier looks, nothing can be returned
        qtbot.keyClicks(dialog.receipt, "R-NOPE")
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
        assert refused.args[0] == _("No points were earned on receipt {receipt}.").format(receipt="R-NOPE")
        assert dialog.error.text() == refused.args[0] and not dialog.confirm.isEnabled()

        # part of the bill: ฿500 of ฿1,250 takes back 20 of the 50 points
        dialog.receipt.setText("R-RET-1")
        dialog.amount.setText("500")
        with qtbot.waitSignal(win.return_previewed, timeout=TIMEOUT) as previewed:
            qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
        preview = previewed.args[0]
        assert (preview.points_earned, preview.refund_satang, preview.points_to_take_back) == (50, 50_000, 20)
        assert (preview.balance_now, preview.balance_after) == (50, 30)
        summary = dialog.summary.text()
        assert _("This return refunds {amount} and takes back {points} points.").format(
            amount="฿500.00", points="20") in summary
        assert "สมชาย ใจดี" in summary and dialog.confirm.isEnabled()

        with qtbot.waitSignal(win.approval_requested, timeout=TIMEOUT) as asked:
            qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # Enter again: Return (it needs a manager)
        approval = asked.args[0]
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            qtbot.keyClicks(approval.pin, "1111")  # a cashier's PIN approves nothing
            qtbot.keyClick(approval.pin, Qt.Key.Key_Return)
        assert refused.args[0] == _("That is not a manager's PIN: nothing was changed.")
        with _ledger(data_dir) as services:
            assert services.members.get(result.member_id).balance == 50

        with qtbot.waitSignal(win.approval_requested, timeout=TIMEOUT) as asked:
            dialog.confirm.click()
        qtbot.keyClicks(asked.args[0].pin, "9999")
        with qtbot.waitSignal(win.slip_printed, timeout=TIMEOUT) as printed:
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
                qtbot.keyClick(asked.args[0].pin, Qt.Key.Key_Return)
        returned = done.args[0]
        assert (returned.points_clawed_back, returned.balance_after, returned.refund_satang) == (20, 30, 50_000)
        assert win.return_dialog is None
        assert win.member_balance.text() == _("{points} points").format(points="30")
        assert win.status.text().startswith(_("Done: receipt {receipt} returned, {points} points taken back.")
                                             .format(receipt="R-RET-1", points="20"))
        assert printed.args[0].error_code is None and len(fake.printed) == 2
        qtbot.waitUntil(lambda: history_texts(win)[:1] == [(f"{_(KIND_TEXT['reverse'])} · R-RET-1", "-20")],
                        timeout=TIMEOUT)
        with _ledger(data_dir) as services:
            reverse = [e for e in services.history(result.member_id) if e.kind == "reverse"]
        assert len(reverse) == 1 and reverse[0].approved_by == "manager-1" and reverse[0].points == -20
    finally:
        win.shutdown()


class _ledger:  # noqa: N801 - reads like the ``with`` statement it is used in
    """A second, independent look at the same ledger file."""

    def __init__(self, data_dir: Path) -> None:
        self.services = open_terminal(data_dir)

    def __enter__(self) -> Any:
        return self.services

    def __exit__(self, *_exc: object) -> None:
        self.services.close()
