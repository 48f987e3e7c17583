"""The window offers the branch's currencies next to the bill amount (pytest-qt, offscreen, real demo ledger)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fit import fit_problems
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.core import i18n
from pos_app.core.i18n import _
from pos_app.services import open_terminal
from tests.ui.test_counter_window import TIMEOUT, award, earn_entries, find_member, ledger, sign_in, wait_idle


@pytest.fixture
def dollar_window(qtbot: Any, data_dir: Path, thai_font_family: str, request: Any) -> Iterator[Any]:
    """The counter on a ledger whose active rules take US dollars and yen (a standalone counter: every branch)."""
    from pos_app.core.rules import Currencies, FxRate
    from pos_app.ui.counter import CounterWindow

    services = open_terminal(data_dir)
    try:
        jan = datetime(2026, 1, 1, tzinfo=UTC)
        rules = services.active_rules()
        services.install_rules(dataclasses.replace(rules, version=rules.version + 1, currencies=Currencies(
            (FxRate("USD", "35.8125", jan), FxRate("JPY", "0.2251", jan)))))
    finally:
        services.close()
    win = CounterWindow(data_dir)
    size = getattr(request, "param", None)
    if size:
        win.resize(*size)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=TIMEOUT):
        win.show()
    yield win
    win.shutdown()


def test_the_picker_is_hidden_while_the_branch_takes_baht_only(qtbot: Any, window: Any) -> None:
    sign_in(qtbot, window)
    wait_idle(qtbot, window)
    assert window.currency_picker.isHidden()
    assert [window.currency_picker.itemData(i) for i in range(window.currency_picker.count())] == ["THB"]


def test_a_sale_in_dollars_from_the_window(qtbot: Any, dollar_window: Any, data_dir: Path) -> None:
    win = dollar_window
    sign_in(qtbot, win)
    wait_idle(qtbot, win)
    picker = win.currency_picker
    assert not picker.isHidden()
    assert [picker.itemData(i) for i in range(picker.count())] == ["THB", "JPY", "USD"]
    assert picker.currentData() == "THB"  # baht unless the cashier picks another
    member = find_member(qtbot, win)
    picker.setCurrentIndex(picker.findData("USD"))
    win.amount_field.setText("40.005")
    assert win.amount_error.text() == _("An amount in {code} has at most {n} decimal places.").format(code="USD", n=2)
    win.receipt_field.setText("R-USD-1")
    with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT):
        qtbot.keyClick(win.receipt_field, Qt.Key.Key_Return)
    assert earn_entries(data_dir, member.id) == []  # nothing recorded
    award(qtbot, win, "40.00", "R-USD-1")
    entries = earn_entries(data_dir, member.id)
    assert [(e.currency, e.amount_minor, e.fx_rate, e.amount_satang, e.points) for e in entries] == \
        [("USD", 4000, "35.8125", 143_250, 57)]
    picker.setCurrentIndex(picker.findData("THB"))
    award(qtbot, win, "100.00", "R-THB-1")
    assert [(e.currency, e.amount_satang) for e in earn_entries(data_dir, member.id)][-1] == (None, 10_000)


def _fx_preview(amount: str, baht: str, rate: str, points: str) -> str:
    return _("{amount} → {points} points").format(
        amount=_("{amount} = {baht} at {rate}").format(amount=amount, baht=baht, rate=rate), points=points)


@pytest.mark.parametrize("dollar_window", [(1024, 768)], indirect=True, ids=["1024x768"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_preview_of_a_foreign_sale_shows_the_currency_the_baht_and_the_rate_as_the_cashier_types(
        qtbot: Any, dollar_window: Any, language: str, data_dir: Path) -> None:
    i18n.set_language(language)
    win = dollar_window
    win.retranslate()
    sign_in(qtbot, win)
    wait_idle(qtbot, win)
    member = find_member(qtbot, win)
    picker = win.currency_picker
    picker.setCurrentIndex(picker.findData("USD"))
    assert win.amount_label.text() == _("Bill amount ({code})").format(code="USD")
    qtbot.keyClicks(win.amount_field, "4")
    one = _fx_preview("USD 4.00", "฿143.25", "35.8125", "5")
    qtbot.waitUntil(lambda: win.preview.text() == one, timeout=TIMEOUT)
    assert win.award_button.text() == _("Award {points} points").format(points="5") + "\n[F2]"
    qtbot.keyClicks(win.amount_field, "0")  # typed on: the preview follows
    forty = _fx_preview("USD 40.00", "฿1,432.50", "35.8125", "57")
    qtbot.waitUntil(lambda: win.preview.text() == forty, timeout=TIMEOUT)
    assert win.award_button.text() == _("Award {points} points").format(points="57") + "\n[F2]"
    QApplication.processEvents()
    assert (win.width(), win.height()) == (1024, 768)
    assert fit_problems(win) == [], "\n".join(fit_problems(win))

    picker.setCurrentIndex(picker.findData("JPY"))  # the same digits in yen: converted at the yen rate
    forty_yen = _("{amount} → 0 points: {why}").format(
        amount=_("{amount} = {baht} at {rate}").format(amount="JPY 40", baht="฿9.00", rate="0.2251"),
        why=_("points start at {amount}").format(amount="฿25"))
    qtbot.waitUntil(lambda: win.preview.text() == forty_yen, timeout=TIMEOUT)
    assert win.award_button.text() == _("Record the sale (0 points)") + "\n[F2]"
    assert fit_problems(win) == [], "\n".join(fit_problems(win))

    picker.setCurrentIndex(picker.findData("USD"))
    qtbot.waitUntil(lambda: win.preview.text() == forty, timeout=TIMEOUT)
    result = award(qtbot, win, "40", "R-USD-LIVE")
    assert (result.currency, result.amount_satang, result.fx_rate, result.points) == ("USD", 143_250, "35.8125", 57)
    assert [e.points for e in earn_entries(data_dir, member.id)] == [57]  # what the preview said is what was recorded


def _return(qtbot: Any, win: Any, receipt: str, amount: str) -> Any:
    """Open the return dialog, look ``receipt`` up with ``amount`` typed (Enter); the preview shown."""
    with qtbot.waitSignal(win.return_requested, timeout=TIMEOUT) as opened:
        qtbot.keyClick(win.amount_field, Qt.Key.Key_F6)
    dialog = opened.args[0]
    dialog.receipt.setText(receipt)
    dialog.amount.setText(amount)
    with qtbot.waitSignal(win.return_previewed, timeout=TIMEOUT) as previewed:
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    return dialog, previewed.args[0]


def _approve(qtbot: Any, win: Any, dialog: Any) -> Any:
    with qtbot.waitSignal(win.approval_requested, timeout=TIMEOUT) as asked:
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # Enter again: Return (a manager approves)
    qtbot.keyClicks(asked.args[0].pin, "9999")
    with qtbot.waitSignal(win.operation_done, timeout=TIMEOUT) as done:
        qtbot.keyClick(asked.args[0].pin, Qt.Key.Key_Return)
    return done.args[0]


@pytest.mark.parametrize("dollar_window", [(1024, 768)], indirect=True, ids=["1024x768"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_a_dollar_receipt_is_returned_in_dollars_in_parts_at_the_sales_rate(
        qtbot: Any, dollar_window: Any, language: str, data_dir: Path) -> None:
    i18n.set_language(language)
    win = dollar_window
    win.retranslate()
    sign_in(qtbot, win)
    wait_idle(qtbot, win)
    member = find_member(qtbot, win)
    picker = win.currency_picker
    picker.setCurrentIndex(picker.findData("USD"))
    sale = award(qtbot, win, "40.00", "R-USD-RET")
    assert (sale.amount_satang, sale.points) == (143_250, 57)
    picker.setCurrentIndex(picker.findData("THB"))  # the counter is back on baht: the return still is in dollars

    dialog, preview = _return(qtbot, win, "R-USD-RET", "10")
    assert (preview.currency, preview.refund_minor, preview.refund_satang, preview.points_to_take_back) == \
        ("USD", 1_000, 35_812, 15)  # a quarter of the sale's ฿1,432.50, at the sale's rate
    assert dialog.amount_label.text() == _("Refund ({code})").format(code="USD")
    summary = dialog.summary.text()
    assert _("This return refunds {amount} and takes back {points} points.").format(
        amount=_("{money} (= {baht})").format(money="USD 10.00", baht="฿358.12"), points="15") in summary
    assert _("Paid in {code}: refunded at the sale's rate, {rate} baht per {code}.").format(
        code="USD", rate="35.8125") in summary
    QApplication.processEvents()
    assert fit_problems(dialog) == [], "\n".join(fit_problems(dialog))

    # an amount dollars cannot have is refused where the cashier looks, and nothing can be returned
    dialog.amount.setText("10.005")
    with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert refused.args[0] == _("An amount in {code} has at most {n} decimal places.").format(code="USD", n=2)
    assert dialog.error.text() == refused.args[0] and not dialog.confirm.isEnabled()
    dialog.amount.setText("50")  # more than the receipt
    with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert refused.args[0] == _("Only {amount} of receipt {receipt} can still be returned.").format(
        amount="USD 40.00", receipt="R-USD-RET")

    dialog.amount.setText("10")
    with qtbot.waitSignal(win.return_previewed, timeout=TIMEOUT):
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    first = _approve(qtbot, win, dialog)
    assert (first.currency, first.refund_minor, first.refund_satang, first.points_clawed_back,
            first.balance_after) == ("USD", 1_000, 35_812, 15, 42)
    assert win.return_dialog is None

    dialog, preview = _return(qtbot, win, "R-USD-RET", "")  # the rest of the receipt
    assert (preview.refund_minor, preview.refund_satang, preview.points_to_take_back) == (3_000, 107_438, 42)
    assert _("Already returned before: {amount}.").format(
        amount=_("{money} (= {baht})").format(money="USD 10.00", baht="฿358.12")) in dialog.summary.text()
    rest = _approve(qtbot, win, dialog)
    assert (rest.refund_minor, rest.points_clawed_back, rest.balance_after) == (3_000, 42, 0)
    with ledger(data_dir) as services:
        reverses = [e for e in services.history(member.id) if e.kind == "reverse"]
    assert [(e.currency, e.amount_minor, e.fx_rate, e.amount_satang, e.points) for e in reverses] == \
        [("USD", 1_000, "35.8125", 35_812, -15), ("USD", 3_000, "35.8125", 107_438, -42)]
    assert sum(e.amount_satang for e in reverses) == sale.amount_satang  # the parts add up to the sale, exactly


def test_a_multiplier_voucher_on_a_bill_in_dollars_is_refused_not_recorded_as_baht(
        qtbot: Any, dollar_window: Any, data_dir: Path) -> None:
    """A voucher's bill is in baht: with dollars chosen the window passes no bill, so a multiplier voucher is
    refused in its dialog instead of recording a ฿40.00 sale for USD 40.00."""
    from test_voucher_window import chain_key, voucher

    from pos_app.core.vouchers import Benefit

    i18n.set_language("en")
    chain_key(data_dir)
    win = dollar_window
    sign_in(qtbot, win)
    wait_idle(qtbot, win)
    member = find_member(qtbot, win)
    win.currency_picker.setCurrentIndex(win.currency_picker.findData("USD"))
    win.amount_field.setText("40.00")
    win.receipt_field.setText("R-USD-X2")
    win.member_field.setText(voucher("USDX2", Benefit("multiplier", 2)))
    with qtbot.waitSignal(win.voucher_requested, timeout=TIMEOUT) as opened:
        qtbot.keyClick(win.member_field, Qt.Key.Key_Return)
    dialog = opened.args[0]
    QApplication.processEvents()
    assert "Find the member and type the bill" in dialog.details.text()
    with qtbot.waitSignal(win.error_shown, timeout=TIMEOUT) as refused:
        qtbot.keyClick(dialog.receipt, Qt.Key.Key_Return)
    assert refused.args[0].startswith("A points-multiplier voucher is used with the sale it multiplies")
    assert earn_entries(data_dir, member.id) == []  # nothing recorded
