"""Amounts typed by a cashier become exact satang, or a clear refusal; never a float, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.errors import AmountError, RuleError
from pos_app.core.i18n import set_language
from pos_app.core.money import (
    MAX_AMOUNT_SATANG,
    format_amount,
    format_baht,
    format_baht_short,
    parse_amount,
    parse_purchase_amount,
)


@pytest.mark.parametrize(
    ("text", "satang"),
    [
        ("1,000.50", 100050),
        ("1000.5", 100050),
        ("฿1,000", 100000),
        ("฿ 1,234.50", 123450),
        (" 25 ", 2500),
        ("1000.00", 100000),
        ("๑๒๓", 12300),
        ("๑,๒๓๔.๕๐", 123450),
        ("25 บาท", 2500),
        ("THB 25", 2500),
        ("25.-", 2500),
        ("1,000 บาท", 100000),  # the suffix is cut from the end, whatever its length
        ("1,000.-", 100000),
        ("0.5.-", 50),  # ".-" after a price with satang
        ("THB ฿25", 2500),  # marks are stripped until none is left
        ("25 ฿ บาท", 2500),
        ("0" * 37 + "1.5", 150),  # 40 characters: the longest text read
        ("0", 0),
        ("0.05", 5),
        (".5", 50),
        ("1,234,567.89", 123456789),
        ("10,000,000.00", MAX_AMOUNT_SATANG),
    ],
)
def test_accepts_what_cashiers_type(text: str, satang: int) -> None:
    assert parse_amount(text) == satang


MESSAGES = {
    "amount.decimals": "An amount has at most 2 decimal places (satang), for example 12.34.",
    "amount.negative": "The amount cannot be negative.",
    "amount.empty": "Enter an amount, for example 1,000.50.",
    "amount.grouping": "Check the thousands separators: write 1,000.50 or 1000.50.",
    "amount.too_large": "The amount is too large: at most ฿10,000,000.00 per receipt.",
}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("12.345", "amount.decimals"),
        ("-5", "amount.negative"),
        ("\u22125", "amount.negative"),
        ("(5)", "amount.negative"),
        ("abc", "amount.invalid"),
        ("", "amount.empty"),
        ("   ", "amount.empty"),
        ("1,00,0", "amount.grouping"),
        ("1,000,00", "amount.grouping"),
        (",100", "amount.grouping"),
        ("10,000,000.01", "amount.too_large"),
        ("99999999999", "amount.too_large"),
        ("9" * 500, "amount.too_large"),
        ("0" * 38 + "1.5", "amount.too_large"),  # 41 characters: refused before reading it
        ("1e5", "amount.invalid"),
        ("1..2", "amount.invalid"),
        ("1..-", "amount.invalid"),  # ".-" only after a digit: not ฿1.00
        ("1 000", "amount.invalid"),
        ("+5", "amount.invalid"),
        ("５", "amount.invalid"),  # full-width digit: refused rather than guessed
        ("฿", "amount.invalid"),
        ("บาท", "amount.invalid"),
        ("5-", "amount.invalid"),
        ("25)", "amount.invalid"),  # a closing bracket alone is not a negative amount
        ("nan", "amount.invalid"),
    ],
)
def test_refuses_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert caught.value.code == code
    expected = MESSAGES.get(code) or f"“{text.strip()}” is not an amount of money; type digits such as 1,000.50."
    assert caught.value.message == expected
    assert isinstance(caught.value, RuleError) and isinstance(caught.value, ValueError)
    assert str(caught.value) == caught.value.message


def test_not_a_text_is_refused_as_empty(refused) -> None:
    with refused(AmountError, "amount.empty", MESSAGES["amount.empty"]):
        parse_amount(None)  # type: ignore[arg-type]
    with refused(AmountError, "amount.empty", MESSAGES["amount.empty"]):
        parse_amount(25)  # type: ignore[arg-type]


def test_long_input_is_shortened_in_the_message() -> None:
    twenty = "abcdefghijklmnopqrst"
    with pytest.raises(AmountError) as caught:
        parse_amount(f"  {twenty}  ")
    assert caught.value.message == f"“{twenty}” is not an amount of money; type digits such as 1,000.50."
    with pytest.raises(AmountError) as caught:
        parse_amount(twenty + "u")
    assert caught.value.message == f"“{twenty[:19]}…” is not an amount of money; type digits such as 1,000.50."


def test_messages_say_what_is_wrong() -> None:
    with pytest.raises(AmountError, match="2 decimal"):
        parse_amount("12.345")
    with pytest.raises(AmountError, match="negative"):
        parse_amount("-5")
    with pytest.raises(AmountError, match=r"฿10,000,000\.00"):
        parse_amount("20,000,000")
    with pytest.raises(AmountError, match="abc"):
        parse_amount("abc")


def test_purchase_amount_must_be_positive() -> None:
    assert parse_purchase_amount("฿1,000.50") == 100050
    assert parse_purchase_amount("0.01") == 1
    with pytest.raises(AmountError) as caught:
        parse_purchase_amount("0.00")
    assert caught.value.code == "amount.zero"
    assert caught.value.message == "The bill amount must be more than zero."


def test_format_baht() -> None:
    assert format_baht(123450) == "฿1,234.50"
    assert format_baht(-123450) == "-฿1,234.50"
    assert format_baht(0) == "฿0.00"
    assert format_baht(5) == "฿0.05"
    assert format_baht(MAX_AMOUNT_SATANG) == "฿10,000,000.00"
    assert format_amount(100050) == "1,000.50"
    assert format_amount(-12345) == "-123.45"  # a refund keeps its minus sign
    assert format_amount(-5) == "-0.05"
    assert format_amount(0) == "0.00"


@settings(max_examples=200)
@given(st.integers(min_value=-MAX_AMOUNT_SATANG, max_value=MAX_AMOUNT_SATANG))
def test_format_amount_is_format_baht_without_the_mark(satang: int) -> None:
    assert format_amount(satang) == format_baht(satang).replace("฿", "")
    assert format_amount(satang).startswith("-") == (satang < 0)


amounts = st.integers(min_value=0, max_value=MAX_AMOUNT_SATANG)


@settings(max_examples=300)
@given(amounts)
def test_formatted_amounts_parse_back(satang: int) -> None:
    assert parse_amount(format_baht(satang)) == satang
    assert parse_amount(format_amount(satang)) == satang
    assert parse_amount(format_amount(satang).replace(",", "")) == satang


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_any_text_parses_or_is_refused_cleanly(text: str) -> None:
    try:
        satang = parse_amount(text)
    except AmountError as exc:
        assert exc.message and exc.code.startswith("amount.")
    else:
        assert isinstance(satang, int) and 0 <= satang <= MAX_AMOUNT_SATANG


def test_messages_follow_the_counter_language() -> None:
    """The refusal a cashier reads is translated; the code a program keys on is not."""
    set_language("th")
    try:
        with pytest.raises(AmountError) as caught:
            parse_amount("-5")
    finally:
        set_language("en")
    assert caught.value.code == "amount.negative"
    assert caught.value.message != "The amount cannot be negative."
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in caught.value.message)


def test_short_baht_drops_only_zero_satang() -> None:
    """"points start at ฿25": whole baht without decimals, anything else as format_baht writes it."""
    assert format_baht_short(2500) == "฿25"
    assert format_baht_short(2550) == "฿25.50"
    assert format_baht_short(123_456_700) == "฿1,234,567"
    assert format_baht_short(10) == "฿0.10"
    assert format_baht_short(0) == "฿0"
