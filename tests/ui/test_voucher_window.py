"""A voucher scanned at the counter, on real widgets: the window shows what it gives before anything is recorded,
Confirm uses it (once), a voucher already used or forged is refused with one line where the cashier looks. In
Thai and English at 1024x768 and 1366x768, nothing outside the window or cut off. The presenter, without Qt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fit import fit_problems
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_cashier_screens import SIZES, assert_fits, open_window
from ui_steps import TIMEOUT, find_member, sign_in

from pos_app.core import i18n
from pos_app.core.i18n import _
from pos_app.core.member_codes import public_key_bytes
from pos_app.core.vouchers import Benefit, sign_voucher
from pos_app.services import open_terminal
from pos_app.services.vouchers import VoucherCheck, VoucherUseResult
from pos_app.ui.presenters.voucher import VoucherPresenter, voucher_done_text

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def chain_key(data_dir: Path) -> None:
    """The terminal holds the chain's voucher key (an enrolled terminal receives it with sync)."""
    services = open_terminal(data_dir)
    try:
        with services.ledger.write() as conn:
            services.ledger.put_signing_key(conn, "K2026", public_key_bytes(KEY))
    finally:
        services.close()


def voucher(voucher_id: str, benefit: Benefit) -> str:
    now = datetime.now(UTC)
    return sign_voucher(KEY, "K2026", voucher_id, benefit, now - timedelta(days=1), now + timedelta(days=30))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["th", "en"])
def test_a_scanned_voucher_shows_what_it_gives_then_confirm_uses_it_once(
        qtbot: Any, data_dir: Path, thai_font_family: str, language: str, size: tuple[int, int]) -> None:
    i18n.set_language(language)
    chain_key(data_dir)
    code = voucher("W1", Benefit("percent", 10, cap_satang=10000))
    win = open_window(qtbot, data_dir, size)
    try:
        sign_in(qtbot, win)
        find_member(qtbot, win, "081-234-5678")
        win.amount_field.setText("450.00")
        win.member_field.setText(code)  # what a keyboard-wedge scanner types into the member field
        with qtbot.waitSignal(win.voucher_requested, timeout=TIMEOUT) as opened:
            qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
        dialog = opened.args[0]
        QApplication.processEvents()
        assert dialog.title_bar.text() == _("Voucher {id}").format(id="W1")
        assert dialog.gives.text() == _("{percent}% off the bill (at most {cap})").format(percent=10, cap="฿100.00")
        assert _("Takes off this bill: {amount}").format(amount="฿45.00") in dialog.details.text()
        assert dialog.confirm.text() == _("Use voucher: {amount} off").format(amount="฿45.00")
        assert fit_problems(dialog) == [], "\n".join(fit_problems(dialog))
        assert win.geometry().contains(dialog.geometry())
        # no receipt yet: said in the dialog, nothing recorded
        qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
        assert dialog.message.text() == _("Type the receipt number the voucher is used on.")
        qtbot.keyClicks(dialog.receipt, "R-V1")
        with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as used:
            qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
        result = used.args[0]
        assert (result.voucher_id, result.value_satang, result.receipt_ref) == ("W1", 4500, "R-V1")
        assert win.voucher_dialog is None
        assert_fits(win, size, "a voucher used")
        # the same voucher again: refused where the cashier looks, no dialog
        win.member_field.setText(code)
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
        assert refused.args[0] == _("This voucher has already been used.")
        assert win.voucher_dialog is None
        # a forged one
        win.member_field.setText(voucher("W2", Benefit("fixed", 5000)).replace(":F5000:", ":F9000:"))
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as forged:
            qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
        assert forged.args[0] == _("This voucher is not genuine (its signature does not match). Do not accept it.")
    finally:
        win.shutdown()


def test_close_records_nothing(qtbot: Any, data_dir: Path, thai_font_family: str) -> None:
    i18n.set_language("en")
    chain_key(data_dir)
    code = voucher("W3", Benefit("fixed", 5000))
    win = open_window(qtbot, data_dir, SIZES[0])
    try:
        sign_in(qtbot, win)
        win.member_field.setText(code)
        with qtbot.waitSignal(win.voucher_requested, timeout=TIMEOUT) as opened:
            qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
        dialog = opened.args[0]
        assert dialog.gives.text() == "฿50.00 off the bill"
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        QApplication.processEvents()
        assert win.voucher_dialog is None
        with qtbot.waitSignal(win.voucher_requested, timeout=TIMEOUT):  # still unused: it opens again
            win.member_field.setText(code)
            qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
    finally:
        win.shutdown()


def _check(**kw: Any) -> VoucherCheck:
    values: dict[str, Any] = {"voucher_id": "V1", "kind": "fixed", "description": "฿50.00 off the bill",
                              "value_satang": 5000, "reward_code": None, "multiplier": None,
                              "valid_until": "2026-12-31", "branch": None, "owner": None, "min_spend_satang": 0}
    return VoucherCheck(**(values | kw))


def test_presenter_says_what_the_voucher_gives() -> None:
    i18n.set_language("en")
    state = VoucherPresenter()
    assert (state.title(), state.lines(), state.can_confirm, state.confirm_text()) == ("Voucher", [], False,
                                                                                       "Use voucher")
    state.scanned(" LV1:... ")
    assert state.code == "LV1:..."
    state.checked(_check(min_spend_satang=30000, owner="m-1"))
    assert state.can_confirm and state.title() == "Voucher V1"
    assert state.lines() == ["฿50.00 off the bill", "Takes off this bill: ฿50.00", "Valid until 2026-12-31",
                             "Minimum bill ฿300.00", "For the member it was issued to"]
    assert state.confirm_text() == "Use voucher: ฿50.00 off"
    state.checked(_check(kind="item", description="A free item: reward COFFEE", value_satang=0))
    assert state.lines() == ["A free item: reward COFFEE", "Valid until 2026-12-31"]
    assert state.confirm_text() == "Use voucher"
    state.failed("This voucher has already been used.")
    assert not state.can_confirm
    done = VoucherUseResult(op_id="o", voucher_id="V1", kind="fixed", description="฿50.00 off the bill",
                            value_satang=5000, reward_code=None, multiplier=None, receipt_ref="R", offline=True)
    assert voucher_done_text(done) == ("Done: voucher V1 used: ฿50.00 off the bill. Award the points on what the "
                                       "member pays. (offline: sent to the server at the next sync)")


def _slip_with(win: Any, fake: Any, member_id: str, when: set[datetime], **fields: Any) -> bool:
    """The printed slip is the one the slip renderer draws for ``fields`` (the sale stamped at one of ``when``)."""
    import numpy as np

    from hardware.slips import SlipData, render_slip
    from pos_app.ui.slips import slip_labels

    services = open_terminal(win.data_dir)
    try:
        view = services.members.get(member_id)
    finally:
        services.close()
    printed = np.asarray(fake.printed[-1].convert("L"))
    for minute in when:
        expected = np.asarray(render_slip(SlipData(
            title=_("Loyalty points"), branch="", printed_at=minute, member_name=view.name,
            member_number="•" * (len(view.card_no) - 4) + view.card_no[-4:], labels=slip_labels(), **fields),
            "80mm").convert("L"))
        if expected.shape == printed.shape and np.array_equal(expected, printed):
            return True
    return False


def _scan(qtbot: Any, win: Any, code: str) -> Any:
    win.member_field.setText(code)
    with qtbot.waitSignal(win.voucher_requested, timeout=TIMEOUT) as opened:
        qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
    QApplication.processEvents()
    return opened.args[0]


def _window_with_printer(qtbot: Any, data_dir: Path) -> tuple[Any, Any]:
    """An English counter window whose chain signs vouchers, printing on a fake printer: (window, printer)."""
    from test_counter_slips import open_window as open_with_printer

    from hardware.printers import FakePrinter

    i18n.set_language("en")
    chain_key(data_dir)
    fake = FakePrinter()
    return open_with_printer(qtbot, data_dir, fake), fake

def test_a_discount_voucher_on_a_sale_earns_on_what_the_member_pays_and_is_on_its_slip(
        qtbot: Any, data_dir: Path, thai_font_family: str) -> None:
    win, fake = _window_with_printer(qtbot, data_dir)
    try:
        win.amount_field.setText("450.00")
        win.receipt_field.setText("R-D1")
        dialog = _scan(qtbot, win, voucher("DISC0W4X", Benefit("percent", 10, cap_satang=10000)))
        # ฿450.00 less 10% = ฿405.00 paid: 16 points (฿25 a point), not the 18 of the whole bill
        assert "The member pays ฿405.00 and earns 16 points on it" in dialog.details.text()
        with qtbot.waitSignal(win.preview_shown, timeout=TIMEOUT) as previewed:
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT):
                qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
        assert previewed.args[0] == 16
        assert win.preview.text() == "฿450.00 − voucher …0W4X ฿45.00 = ฿405.00 paid earns 16 points"
        assert "Award 16 points" in win.award_button.text()
        assert win.status.text() == ("Done: voucher DISC0W4X used: 10% off the bill (at most ฿100.00). Award the "
                                     "points on what the member pays.")
        before = datetime.now().replace(second=0, microsecond=0)
        with qtbot.waitSignal(win.slip_printed, timeout=TIMEOUT):
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as awarded:
                win.award_button.click()
        after = datetime.now().replace(second=0, microsecond=0)
        result = awarded.args[0]
        assert (result.amount_satang, result.points, result.receipt_ref) == (40_500, 16, "R-D1")
        assert win.award_state.voucher is None  # used on this sale only
        assert _slip_with(win, fake, result.member_id, {before, after}, receipt_no="R-D1", points_change=16,
                          balance_before=0, balance_after=16, purchase_amount="฿450.00",
                          extra_lines=(("Voucher …0W4X", "฿45.00 off"), ("Paid", "฿405.00")))
        # the next sale earns on its whole bill again
        win.amount_field.setText("450.00")
        with qtbot.waitSignal(win.preview_shown, timeout=TIMEOUT) as plain:
            pass
        assert plain.args[0] == 18 and win.preview.text() == "฿450.00 earns 18 points"
    finally:
        win.shutdown()


def test_a_multiplier_voucher_records_its_sale_with_the_multiplied_points_and_prints_it(
        qtbot: Any, data_dir: Path, thai_font_family: str) -> None:
    win, fake = _window_with_printer(qtbot, data_dir)
    try:
        win.amount_field.setText("1,234.50")
        win.receipt_field.setText("R-M1")
        dialog = _scan(qtbot, win, voucher("MULT00X2", Benefit("multiplier", 2)))
        assert dialog.gives.text() == "2x points on this sale"
        assert "Used with this sale: it earns 98 points" in dialog.details.text()
        assert dialog.confirm.text() == "Use voucher: award 98 points"
        before = datetime.now().replace(second=0, microsecond=0)
        with qtbot.waitSignal(win.slip_printed, timeout=TIMEOUT):
            with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as used:
                qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
        after = datetime.now().replace(second=0, microsecond=0)
        result = used.args[0]
        assert (result.points, result.voucher_bonus, result.balance_after, result.bill_satang) == (98, 49, 98, 123_450)
        assert (win.amount_field.text(), win.receipt_field.text()) == ("", "")  # the sale is recorded: next one
        assert "98 points awarded. New balance 98 points." in win.status.text()
        assert _slip_with(win, fake, win._member.id, {before, after}, receipt_no="R-M1", points_change=98,
                          balance_before=0, balance_after=98, purchase_amount="฿1,234.50",
                          extra_lines=(("Voucher …00X2", "2x points on this sale (+49 points)"),))
        # the receipt cannot earn again by a plain award
        win.amount_field.setText("1,234.50")
        win.receipt_field.setText("R-M1")
        with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
            win.award_button.click()
        assert refused.args[0] == "Receipt R-M1 already earned points; nothing was added."
    finally:
        win.shutdown()
