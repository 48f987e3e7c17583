"""Sales in other currencies: ISO 4217 exponents from Babel, amounts typed in minor units, the exact THB
equivalent (round half up to the satang), rates in the versioned rules."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core import currency as fx
from pos_app.core.errors import RuleError
from pos_app.core.i18n import get_language, set_language
from pos_app.core.rules import Currencies, FxRate, RulesBundle, default_rules

NOV = datetime(2026, 11, 1, tzinfo=UTC)
rates = st.builds(lambda whole, frac, n: f"{whole}.{frac:0{n}d}" if n else str(whole),
                  st.integers(0, 10**9 - 1), st.integers(0, 10**12 - 1), st.integers(0, 12)
                  ).filter(lambda t: fx.RATE_RE.match(t) is not None and t.strip("0.") != "")
exponents = st.sampled_from([0, 2, 3])
amounts = st.integers(0, 10**15)


@pytest.mark.parametrize(("code", "digits"), [("JPY", 0), ("KRW", 0), ("USD", 2), ("MYR", 2), ("CNY", 2),
                                              ("KWD", 3), ("BHD", 3), ("THB", 2)])
def test_exponents_come_from_babel(code: str, digits: int) -> None:
    assert fx.exponent(code) == digits


@pytest.mark.parametrize(("text", "code", "minor"), [
    ("40.00", "USD", 4000), ("40", "USD", 4000), ("1,000.5", "USD", 100050), ("USD 40", "usd", 4000),
    ("40 USD", "USD", 4000), ("1000", "JPY", 1000), ("1,000 JPY", "JPY", 1000), ("1.234", "KWD", 1234),
    ("๔๐.๐๐", "USD", 4000)])
def test_amounts_are_parsed_by_the_currency_exponent(text: str, code: str, minor: int) -> None:
    assert fx.parse_amount(text, code) == minor


@pytest.mark.parametrize(("text", "code", "error", "message"), [
    ("40.005", "USD", "amount.decimals", "An amount in USD has at most 2 decimal places."),
    ("1000.5", "JPY", "amount.decimals", "An amount in JPY has no decimal places, for example 1,000."),
    ("1.2345", "KWD", "amount.decimals", "An amount in KWD has at most 3 decimal places."),
    ("-5", "USD", "amount.negative", "The amount cannot be negative."),
    ("0", "USD", "amount.zero", "The bill amount must be more than zero."),
    ("abc", "USD", "amount.invalid", "“abc” is not an amount of money; type digits such as 1,000.50."),
    ("1,00,0", "USD", "amount.grouping", "Check the thousands separators: write 1,000.50 or 1000.50."),
    ("40", "XYZ", "currency.unknown", "“XYZ” is not a currency code (ISO 4217, for example USD)."),
    ("40", "dollars", "currency.unknown", "“dollars” is not a currency code (ISO 4217, for example USD)."),
])
def test_a_bad_amount_or_code_is_refused_in_one_line(text: str, code: str, error: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        fx.parse_amount(text, code)
    assert caught.value.code == error and caught.value.message == message


def test_worked_examples() -> None:
    assert fx.to_satang(4000, 2, "35.8125") == 143_250  # USD 40.00 at 35.8125
    assert fx.to_satang(1000, 0, "0.2251") == 22_510  # JPY 1,000
    assert fx.to_satang(1234, 3, "115.5") == 14_253  # KWD 1.234: 142.527 THB -> 142.53
    assert fx.to_satang(1, 2, "0.005") == 0  # 0.005 satang rounds down
    assert fx.to_satang(1, 0, "0.005") == 1  # exactly half a satang rounds up
    assert fx.format_money(4000, "USD") == "USD 40.00"
    assert fx.format_money(100_000, "JPY") == "JPY 100,000"
    assert fx.format_money(1234, "KWD") == "KWD 1.234"


@given(amounts, exponents, rates)
def test_the_thb_equivalent_is_the_exact_value_rounded_half_up(minor: int, digits: int, rate: str) -> None:
    exact = Fraction(minor) / 10**digits * Fraction(Decimal(rate)) * 100
    satang = fx.to_satang(minor, digits, rate)
    assert abs(Fraction(satang) - exact) <= Fraction(1, 2)
    assert satang - exact != Fraction(-1, 2)  # a tie never rounds down
    with localcontext() as ctx:
        ctx.prec = 80  # enough digits for any amount x rate here: Decimal agrees exactly
        assert satang == int((Decimal(minor) * Decimal(rate) * 100 / Decimal(10) ** digits)
                             .quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(amounts, amounts, exponents, rates)
def test_more_money_never_gives_fewer_satang(a: int, b: int, digits: int, rate: str) -> None:
    low, high = sorted((a, b))
    assert fx.to_satang(low, digits, rate) <= fx.to_satang(high, digits, rate)


@given(amounts, exponents, rates, rates)
def test_a_higher_rate_never_gives_fewer_satang(minor: int, digits: int, r1: str, r2: str) -> None:
    low, high = sorted((r1, r2), key=Decimal)
    assert fx.to_satang(minor, digits, low) <= fx.to_satang(minor, digits, high)


@given(st.integers(0, 10**12), rates)
def test_the_exponent_scales_exactly(minor: int, rate: str) -> None:
    # the same money written with one more decimal (x10 minor units, exponent + 1) is the same baht
    assert fx.to_satang(minor, 2, rate) == fx.to_satang(minor * 10, 3, rate)
    assert fx.to_satang(minor, 0, rate) == fx.to_satang(minor * 100, 2, rate)


@given(st.integers(1, 10**12), st.lists(st.integers(1, 10**6), min_size=1, max_size=8), st.integers(0, 10**11))
def test_partial_refunds_add_up_to_the_sale(total_minor: int, steps: list[int], total_satang: int) -> None:
    refunded, satang = 0, 0
    for step in steps + [total_minor]:
        part = min(step, total_minor - refunded)
        satang += fx.share_satang(total_satang, total_minor, refunded + part) - \
            fx.share_satang(total_satang, total_minor, refunded)
        refunded += part
        assert 0 <= satang <= total_satang
    assert refunded == total_minor and satang == total_satang


def test_rates_in_the_rules() -> None:
    usd_nov = FxRate("usd", "35.8125", NOV)
    usd_dec = FxRate("USD", "36", NOV + timedelta(days=30))
    c = Currencies((usd_dec, usd_nov, FxRate("JPY", "0.2251", NOV)), {"BKK01": ["USD", "jpy"], "PKT01": ["USD"]})
    assert c.accepted("BKK01") == ("JPY", "USD") and c.accepted("PKT01") == ("USD",) and c.accepted("CNX01") == ()
    assert c.rate_for("USD", NOV - timedelta(seconds=1)) is None
    assert c.rate_for("USD", NOV + timedelta(days=29)) == usd_nov
    assert c.rate_for("USD", NOV + timedelta(days=30)) == usd_dec
    assert Currencies((usd_nov,)).accepted(None) == ("USD",)  # no branch list: every branch
    bundle = dataclasses.replace(default_rules(4), currencies=c)
    assert RulesBundle.from_json(bundle.to_json()) == bundle
    assert '"rate_thb":"35.8125"' in bundle.to_json()


def test_rules_without_currencies_keep_their_text_and_digest() -> None:
    # digests of default_rules(1) and (7) computed by the code of commit 6845f44, before currencies existed
    assert default_rules(1).digest() == "c397a8d8a8f57d0af0cde4246f5c31ed0312e267bbabdac31c8965191d26a800"
    assert default_rules(7).digest() == "7b013283196e019afe68a1d27d44d29e0bfe540bab0a6198c321b3099e1f54c7"
    assert "currencies" not in default_rules(1).to_json()


@pytest.mark.parametrize(("make", "message"), [
    (lambda: FxRate("THB", "1", NOV), "THB needs no rate: it is the home currency."),
    (lambda: FxRate("USD", "35,81", NOV), "A rate to THB is a positive decimal such as 35.8125 (written as text)."),
    (lambda: FxRate("USD", 35.8, NOV), "A rate to THB is a positive decimal such as 35.8125 (written as text)."),
    (lambda: FxRate("USD", "0.000", NOV), "A rate to THB is a positive decimal such as 35.8125 (written as text)."),
    (lambda: Currencies((FxRate("USD", "35", NOV), FxRate("USD", "36", NOV))),
     "Two rates of one currency start at the same time."),
    (lambda: Currencies((FxRate("USD", "35", NOV),), {"BKK01": ["JPY"]}),
     "Branch BKK01 takes JPY but the rules have no rate for it."),
])
def test_bad_rates_are_refused(make: object, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        make()  # type: ignore[operator]
    assert caught.value.message == message


def test_a_rate_as_a_json_number_is_refused() -> None:
    text = dataclasses.replace(default_rules(2), currencies=Currencies((FxRate("USD", "35.5", NOV),))).to_json()
    with pytest.raises(RuleError) as caught:
        RulesBundle.from_json(text.replace('"35.5"', "35.5"))
    assert caught.value.code == "rules.json"


# --- a sale in another currency under given rules: the THB equivalent and the rate kept --------------------

DEC = NOV + timedelta(days=30)
SALE_RULES = dataclasses.replace(default_rules(4), currencies=Currencies(
    (FxRate("USD", "35.8125", NOV), FxRate("USD", "36", DEC), FxRate("JPY", "0.2251", NOV),
     FxRate("KWD", "115.5", NOV), FxRate("EUR", "38.5", DEC)),
    {"BKK01": ["USD", "JPY", "KWD", "EUR"], "PKT01": ["USD"], "CNX01": ["JPY", "KWD"]}))


@pytest.mark.parametrize(("code", "minor", "at", "rate", "satang"), [
    (" usd ", 4000, NOV, "35.8125", 143_250),  # USD 40.00: 1,432.50 THB
    ("USD", 4000, DEC, "36", 144_000),  # the December rate from its first second
    ("USD", 4000, DEC - timedelta(seconds=1), "35.8125", 143_250),
    ("JPY", 1000, NOV, "0.2251", 22_510),  # JPY 1,000: 225.10 THB
    ("KWD", 1234, NOV, "115.5", 14_253),  # KWD 1.234: 142.527 THB -> 142.53
])
def test_a_foreign_sale_keeps_its_amount_rate_and_thb_equivalent(code: str, minor: int, at: datetime, rate: str,
                                                                 satang: int) -> None:
    assert fx.convert_sale(SALE_RULES, "BKK01", code, minor, at) == {
        "currency": code.strip().upper(), "amount_minor": minor, "fx_rate": rate, "amount_satang": satang}


def test_rules_without_a_branch_list_take_every_currency_with_a_rate_at_every_branch() -> None:
    rules = dataclasses.replace(default_rules(4), currencies=Currencies((FxRate("USD", "35.8125", NOV),)))
    assert fx.convert_sale(rules, None, "USD", 100, NOV)["amount_satang"] == 3_581
    assert fx.convert_sale(rules, "PKT01", "USD", 100, NOV)["amount_satang"] == 3_581


@pytest.mark.parametrize(("branch", "code", "at", "error", "message"), [
    ("BKK01", "CNY", NOV, "currency.no_rate",
     "There is no rate for CNY in the rules (version 4); nothing was recorded."),
    ("BKK01", "EUR", NOV, "currency.no_rate",  # EUR's first rate starts in December
     "There is no rate for EUR yet at the time of this sale; nothing was recorded."),
    ("BKK01", "USD", NOV - timedelta(seconds=1), "currency.no_rate",
     "There is no rate for USD yet at the time of this sale; nothing was recorded."),
    ("PKT01", "JPY", NOV, "currency.not_accepted",
     "This branch does not take JPY (it takes USD); nothing was recorded."),
    ("CNX01", "USD", NOV, "currency.not_accepted",
     "This branch does not take USD (it takes JPY, KWD); nothing was recorded."),
    ("HKT01", "USD", NOV, "currency.not_accepted",  # a branch not listed takes baht only
     "This branch does not take USD (it takes THB); nothing was recorded."),
    (None, "USD", NOV, "currency.not_accepted",
     "This branch does not take USD (it takes THB); nothing was recorded."),
    ("BKK01", "XYZ", NOV, "currency.unknown", "“XYZ” is not a currency code (ISO 4217, for example USD)."),
])
def test_a_sale_the_rules_do_not_allow_is_refused(branch: str | None, code: str, at: datetime, error: str,
                                                 message: str) -> None:
    with pytest.raises(RuleError) as caught:
        fx.convert_sale(SALE_RULES, branch, code, 4000, at)
    assert (caught.value.code, caught.value.message) == (error, message)


TINY = dataclasses.replace(default_rules(4), currencies=Currencies(
    (FxRate("JPY", "0.01", NOV), FxRate("USD", "1", NOV))))


def test_the_thb_equivalent_must_be_at_least_one_satang() -> None:
    assert fx.convert_sale(TINY, None, "JPY", 1, NOV)["amount_satang"] == 1  # JPY 1 at 0.01: one satang
    with pytest.raises(RuleError) as caught:
        fx.convert_sale(dataclasses.replace(TINY, currencies=Currencies((FxRate("JPY", "0.004", NOV),))),
                        None, "JPY", 1, NOV)
    assert (caught.value.code, caught.value.message) == (
        "amount.zero", "JPY 1 is less than one satang; nothing was recorded.")


def test_the_thb_equivalent_is_within_the_receipt_limit() -> None:
    # USD 10,000,000.00 at 1 THB is exactly the limit of 10,000,000 baht per receipt; one cent more is refused
    assert fx.convert_sale(TINY, None, "USD", 10**9, NOV)["amount_satang"] == 10**9
    with pytest.raises(RuleError) as caught:
        fx.convert_sale(TINY, None, "USD", 10**9 + 1, NOV)
    assert (caught.value.code, caught.value.message) == (
        "amount.too_large", "The amount is too large: at most ฿10,000,000.00 per receipt.")


# --- what a cashier types --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code", "minor"), [
    ("40 usd", "USD", 4000), ("usd 40", "USD", 4000), (".50", "USD", 50), ("0.01", "USD", 1),
    ("0" * 38 + "10", "USD", 1000),  # 40 characters: still read
    ("1000000000000000", "JPY", 10**15),  # the largest amount in minor units
])
def test_more_amounts_a_cashier_may_type(text: str, code: str, minor: int) -> None:
    assert fx.parse_amount(text, code) == minor


@pytest.mark.parametrize(("text", "error", "message"), [
    ("", "amount.empty", "Enter an amount, for example 1,000.50."),
    ("   ", "amount.empty", "Enter an amount, for example 1,000.50."),
    (None, "amount.empty", "Enter an amount, for example 1,000.50."),
    ("0" * 39 + "10", "amount.too_large", "The amount is too large."),  # 41 characters
    ("1000000000000001", "amount.too_large", "The amount is too large."),
    ("\u221240", "amount.negative", "The amount cannot be negative."),  # minus sign
    ("\u201340", "amount.negative", "The amount cannot be negative."),  # en dash
    ("12a", "amount.invalid", "“12a” is not an amount of money; type digits such as 1,000.50."),
    ("abcdefghijklmnopqrst", "amount.invalid",  # 20 characters: shown whole
     "“abcdefghijklmnopqrst” is not an amount of money; type digits such as 1,000.50."),
    ("abcdefghijklmnopqrstu", "amount.invalid",  # 21: cut to 19 and an ellipsis
     "“abcdefghijklmnopqrs…” is not an amount of money; type digits such as 1,000.50."),
])
def test_more_amounts_that_are_refused(text: str | None, error: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        fx.parse_amount(text, "JPY" if text and text.startswith("1000") else "USD")  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.message) == (error, message)


@pytest.mark.parametrize(("code", "shown"), [(840, "“840”"), ("dollars-and-cents", "“dollars-and-”")])
def test_a_code_that_is_not_a_currency_is_refused_and_shown_short(code: object, shown: str) -> None:
    with pytest.raises(RuleError) as caught:
        fx.normalize_code(code)
    assert caught.value.code == "currency.unknown"
    assert caught.value.message == f"{shown} is not a currency code (ISO 4217, for example USD)."


@pytest.mark.parametrize("rate", ["35,81", "0.000", "", 35.8, "-1", "1e3", "035"])
def test_a_rate_that_is_not_a_positive_decimal_text_is_refused(rate: object) -> None:
    with pytest.raises(RuleError) as caught:
        fx.check_rate(rate)
    assert caught.value.code == "rules.invalid"
    assert caught.value.message == "A rate to THB is a positive decimal such as 35.8125 (written as text)."


def test_check_rate_gives_back_the_text() -> None:
    assert fx.check_rate("35.8125") == "35.8125" and fx.check_rate("0.5") == "0.5"


def test_a_share_of_a_sale_is_rounded_down_in_whole_satang() -> None:
    assert fx.share_satang(10, 3, 1) == 3  # 3.33 satang
    assert isinstance(fx.share_satang(10, 3, 1), int)
    assert fx.share_satang(10, 3, 5) == 10  # never more than the sale
    assert fx.share_satang(500, 0, 0) == 0  # a sale of nothing has no share


@pytest.mark.parametrize("language", ["en", "th"])
def test_money_is_shown_with_the_iso_code_and_grouping_in_both_languages(language: str) -> None:
    before = get_language()
    set_language(language)
    try:
        assert fx.format_money(123_450, "USD") == "USD 1,234.50"
        assert fx.format_money(1_000_000, "JPY") == "JPY 1,000,000"
        assert fx.format_money(1_234_567, "KWD") == "KWD 1,234.567"
        assert fx.format_money(5, "USD") == "USD 0.05"
    finally:
        set_language(before)
