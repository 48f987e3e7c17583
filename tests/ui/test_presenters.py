"""The counter's Qt-free presenters: what the member panel's history and the return dialog say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.core.i18n import _
from pos_app.services.returns import ReturnPreview
from pos_app.ui.presenters import KIND_TEXT, history_lines, return_summary


@dataclass
class Entry:
    kind: str
    points: int
    sale_at_ms: int
    receipt_ref: str | None = None
    reward_code: str | None = None


def ms(day: int, hour: int, minute: int = 0) -> int:
    return int(datetime(2026, 11, day, hour, minute).timestamp() * 1000)


def test_history_is_newest_first_limited_signed_and_names_the_reward() -> None:
    entries = [Entry("earn", 1_250, ms(1, 9), "R-1"), Entry("redeem", -1_000, ms(2, 10), reward_code="COFFEE"),
               Entry("reverse", -20, ms(3, 11, 5), "R-1"), Entry("expire", -5, ms(4, 0)),
               Entry("adjust", 7, ms(5, 12)), Entry("earn", 3, ms(6, 13), "R-2")]
    lines = history_lines(entries, {"COFFEE": "กาแฟ"}, limit=5)
    assert [line.points for line in lines] == ["+3", "+7", "-5", "-20", "-1,000"]  # the oldest is left out
    assert [line.negative for line in lines] == [False, False, True, True, True]
    assert lines[0].what == f"{_(KIND_TEXT['earn'])} · R-2"
    assert lines[3].what == f"{_(KIND_TEXT['reverse'])} · R-1" and lines[3].when == "03/11 11:05"
    assert lines[4].what == f"{_(KIND_TEXT['redeem'])} · กาแฟ"
    assert lines[2].what == _(KIND_TEXT["expire"])
    assert history_lines([], {}) == []


def test_every_ledger_kind_has_a_translated_name() -> None:
    from pos_app.ledger import repository

    kinds = set(getattr(repository, "ENTRY_KINDS", KIND_TEXT))
    assert kinds <= set(KIND_TEXT)
    assert all(_(text) != text for text in KIND_TEXT.values())  # Thai by default in tests: translated


def test_the_return_summary_says_what_is_taken_and_given_back() -> None:
    preview = ReturnPreview(receipt_ref="R-9", member_id="m", member_name="สมชาย ใจดี", sale_at_ms=ms(7, 14),
                            original_satang=125_000, points_earned=50, refunded_before_satang=25_000,
                            remaining_satang=100_000, refund_satang=100_000, points_to_take_back=40,
                            points_to_give_back=100, balance_now=500)
    assert preview.balance_after == 560
    text = return_summary(preview)
    assert _("Receipt {receipt} of {when}: {name} earned {points} points on {amount}.").format(
        receipt="R-9", when="07/11 14:00", name="สมชาย ใจดี", points="50", amount="฿1,250.00") in text
    assert _("Already returned before: {amount}.").format(amount="฿250.00") in text
    assert _("This return refunds {amount} and takes back {points} points.").format(
        amount="฿1,000.00", points="40") in text
    assert _("{points} points redeemed on this receipt are given back.").format(points="100") in text
    assert _("Balance {before} -> {after} points.").format(before="500", after="560") in text


def test_a_return_of_a_foreign_sale_is_summarised_in_its_currency_beside_the_baht_and_at_its_rate() -> None:
    preview = ReturnPreview(receipt_ref="R-USD", member_id="m", member_name="สมชาย ใจดี", sale_at_ms=ms(7, 14),
                            original_satang=143_250, points_earned=57, refunded_before_satang=35_812,
                            remaining_satang=107_438, refund_satang=35_812, points_to_take_back=15,
                            points_to_give_back=0, balance_now=42, currency="USD", remaining_minor=3_000,
                            refund_minor=1_000, original_minor=4_000, fx_rate="35.8125")
    assert preview.refunded_before_minor == 1_000
    text = return_summary(preview)

    def money(minor: str, baht: str) -> str:
        return _("{money} (= {baht})").format(money=minor, baht=baht)

    assert _("Receipt {receipt} of {when}: {name} earned {points} points on {amount}.").format(
        receipt="R-USD", when="07/11 14:00", name="สมชาย ใจดี", points="57",
        amount=money("USD 40.00", "฿1,432.50")) in text
    assert _("Already returned before: {amount}.").format(amount=money("USD 10.00", "฿358.12")) in text
    assert _("This return refunds {amount} and takes back {points} points.").format(
        amount=money("USD 10.00", "฿358.12"), points="15") in text
    assert _("Paid in {code}: refunded at the sale's rate, {rate} baht per {code}.").format(
        code="USD", rate="35.8125") in text


def test_the_refund_typed_is_read_in_the_receipts_currency(refused: Any) -> None:
    from pos_app.core.errors import AmountError, RuleError
    from pos_app.ui.presenters.returns import ReturnPresenter, refund_args

    assert refund_args("  ", "USD") == {}  # nothing typed: the whole receipt
    assert refund_args("500", None) == {"refund_satang": 50_000}
    assert refund_args("500", "THB") == {"refund_satang": 50_000}
    assert refund_args("10", "USD") == {"refund_minor": 1_000}
    assert refund_args("1,000", "JPY") == {"refund_minor": 1_000}
    with refused(AmountError, "amount.decimals", _("An amount in {code} has no decimal places, for example "
                                                   "1,000.").format(code="JPY")):
        refund_args("1000.5", "JPY")
    with refused(RuleError, "amount.decimals", _("An amount in {code} has at most {n} decimal places.").format(
            code="USD", n=2)):
        refund_args("10.005", "USD")
    state = ReturnPresenter()
    assert state.amount_label() == _("Refund (baht)") and not state.shown_for("R-1")
    state.looked_up("R-1", "USD")
    assert state.amount_label() == _("Refund ({code})").format(code="USD") and state.shown_for("R-1")
    assert not state.shown_for("R-2")
    state.forget()
    assert state.amount_label() == _("Refund (baht)") and not state.shown_for("R-1")
