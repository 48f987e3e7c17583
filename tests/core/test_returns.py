"""Returns claw back points in proportion, never twice, never more than was earned."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.errors import ReturnError
from pos_app.core.money import MAX_AMOUNT_SATANG
from pos_app.core.returns import clawback_for_return, restore_for_refunded_redemption, total_clawed
from pos_app.core.rules import ReturnPolicy


def test_worked_examples() -> None:
    # ฿1,234.50 earned 49 points; the customer returns a ฿300 item
    assert clawback_for_return(49, 123450, 0, 30000) == 12  # 49 * 300 / 1234.50 = 11.9 -> 12
    # then the rest of the receipt: everything that is left comes back, 49 in all
    assert clawback_for_return(49, 123450, 30000, 93450) == 37
    assert clawback_for_return(73, 123450, 0, 123450) == 73
    assert clawback_for_return(0, 5000, 0, 5000) == 0


INVALID = "return.invalid", "Amounts and points must be whole numbers."
NEGATIVE = "return.invalid", "The receipt's figures cannot be negative."
ZERO = "return.amount", "The refund must be more than zero."
ALREADY = "return.already", "This receipt has already been fully refunded."


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((49, 123450, 0, 0), *ZERO),
        ((49, 123450, 0, -100), *ZERO),
        ((49, 123450, 0, 123451), "return.too_much",
         "The refund (฿1,234.51) is more than what remains refundable on this receipt (฿1,234.50)."),
        ((49, 123450, 100000, 30000), "return.too_much",
         "The refund (฿300.00) is more than what remains refundable on this receipt (฿234.50)."),
        ((49, 123450, 123450, 1), *ALREADY),
        ((0, 0, 0, 1), *ALREADY),  # a ฿0 receipt has nothing left to refund
        ((-1, 123450, 0, 1), *NEGATIVE),
        ((49, -1, 0, 1), *NEGATIVE),
        ((49, 123450, -1, 1), *NEGATIVE),
        ((49, 1234.5, 0, 1), *INVALID),
        ((49.0, 123450, 0, 1), *INVALID),
        ((49, 123450, True, 1), *INVALID),
        ((49, 123450, 0, "1"), *INVALID),
    ],
)
def test_refusals(refused, args: tuple[int, int, int, int], code: str, message: str) -> None:
    with refused(ReturnError, code, message):
        clawback_for_return(*args)


def test_message_names_what_is_left() -> None:
    with pytest.raises(ReturnError, match=r"฿300\.00"):
        clawback_for_return(49, 123450, 93450, 40000)


def test_refunded_redemption(refused) -> None:
    assert restore_for_refunded_redemption(200, ReturnPolicy(True)) == 200
    assert restore_for_refunded_redemption(200, ReturnPolicy(False)) == 0
    assert restore_for_refunded_redemption(0, ReturnPolicy(True)) == 0  # nothing redeemed, nothing back
    with refused(ReturnError, "return.invalid", "Give the redeemed points as a positive number."):
        restore_for_refunded_redemption(1.0, ReturnPolicy())  # type: ignore[arg-type]
    with refused(ReturnError, 'return.invalid', 'Give the redeemed points as a positive number.'):
        restore_for_refunded_redemption(-1, ReturnPolicy())


@st.composite
def receipts_and_refunds(draw: st.DrawFn) -> tuple[int, int, list[int]]:
    original = draw(st.integers(1, MAX_AMOUNT_SATANG))
    earned = draw(st.integers(0, original // 100 + 1000))
    cuts = sorted(draw(st.lists(st.integers(1, original), max_size=8, unique=True)))
    bounds = [0, *cuts]
    refunds = [b - a for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    return earned, original, refunds


@settings(max_examples=400)
@given(receipts_and_refunds(), st.booleans())
def test_any_split_of_a_return_claws_back_the_same_total(case: tuple[int, int, list[int]], finish: bool) -> None:
    earned, original, refunds = case
    if finish and sum(refunds) < original:
        refunds.append(original - sum(refunds))
    refunded, clawed = 0, 0
    for refund in refunds:
        step = clawback_for_return(earned, original, refunded, refund)
        assert step >= 0
        refunded += refund
        clawed += step
        assert clawed <= earned  # never more than was earned
    if refunds:
        one_go = clawback_for_return(earned, original, 0, refunded)
        assert clawed == one_go == total_clawed(earned, original, refunded)
    if refunded == original:
        assert clawed == earned  # award then full return nets zero
        with pytest.raises(ReturnError, match="This receipt has already been fully refunded.") as caught:
            clawback_for_return(earned, original, refunded, 1)  # never twice
        assert caught.value.code == "return.already"
