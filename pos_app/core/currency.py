"""Sales paid in another currency than the baht: ISO 4217 data, amounts in minor units, the exact THB equivalent.

Currency data (which codes exist, how many decimals each has: JPY 0, USD 2, KWD 3) comes from Babel (CLDR),
never from a table written here. Babel follows CLDR, which for a few currencies uses fewer decimals than the
ISO 4217 list (LAK, IDR: 0, as they are handled in practice); the counter takes Babel's exponent everywhere.

Amounts are integers in the currency's minor units (``4000`` = USD 40.00, ``1000`` = JPY 1,000). A rate is
the exact decimal text HQ publishes in the rules (``"35.8125"`` THB per one unit), never a float. The THB
equivalent in satang is computed with integer arithmetic::

    satang = amount_minor × rate × 100 / 10^exponent, rounded to the nearest satang, half a satang up

(``round half up``, the rounding of a shop's calculator; the value is never negative, so "up" is "away from
zero"). :func:`to_satang` is monotonic in the amount and in the rate, exact for any size, and the same on the
terminal and on the server.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pos_app.core.errors import AmountError, RuleError
from pos_app.core.i18n import _, get_language
from pos_app.core.money import MAX_AMOUNT_SATANG, format_baht

if TYPE_CHECKING:
    from pos_app.core.rules import RulesBundle

HOME_CURRENCY = "THB"
RATE_RE = re.compile(r"^(?:0|[1-9][0-9]{0,8})(?:\.[0-9]{1,12})?$")
"""A rate's text: a plain decimal, up to 9 digits before the point and 12 after, no sign or exponent, no
leading zeros (equal rates are spelled alike; ``sync.records.FX_RATE_RE`` is the same pattern on the wire)."""
_CODE_RE = re.compile(r"^[A-Z]{3}$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+", re.ASCII)
_NUMBERISH = re.compile(r"[0-9,]*(?:\.[0-9]*)?", re.ASCII)
_MAX_TEXT = 40
MAX_MINOR = 10**15
"""No amount in minor units above this is accepted (the THB limit per receipt applies after conversion)."""


def normalize_code(code: object) -> str:
    """``" usd "`` -> ``"USD"``; a code Babel does not know is refused (``currency.unknown``)."""
    text = code.strip().upper() if isinstance(code, str) else ""
    if not _CODE_RE.match(text) or _babel_exponent(text) is None:
        raise RuleError(_("“{code}” is not a currency code (ISO 4217, for example USD).").format(
            code=str(code)[:12]), "currency.unknown")
    return text


def exponent(code: str) -> int:
    """Decimals of the currency's minor unit (JPY 0, USD 2, KWD 3), from Babel."""
    digits = _babel_exponent(normalize_code(code))
    assert digits is not None
    return digits


@lru_cache(maxsize=512)
def _babel_exponent(code: str) -> int | None:
    """Babel's exponent of a known code, None for an unknown one (cached: the server converts every foreign
    entry of a catch-up upload, and Babel's lookups cost tens of microseconds)."""
    from babel.numbers import get_currency_precision, is_currency  # Babel loads only when a currency is used

    return int(get_currency_precision(code)) if is_currency(code) else None


def check_rate(text: object) -> str:
    """A rate to THB as published: a positive decimal text (:data:`RATE_RE`); RuleError ``rules.invalid``."""
    if not isinstance(text, str) or not RATE_RE.match(text) or not text.strip("0."):
        raise RuleError(_("A rate to THB is a positive decimal such as 35.8125 (written as text)."), "rules.invalid")
    return text


def to_satang(amount_minor: int, exponent_: int, rate: str) -> int:
    """The THB equivalent in satang of ``amount_minor`` (minor units with ``exponent_`` decimals) at ``rate``
    THB per unit, rounded half up to the satang. Integer arithmetic only.

    >>> to_satang(4000, 2, "35.8125")  # USD 40.00
    143250
    >>> to_satang(1000, 0, "0.2251")  # JPY 1,000
    22510
    """
    whole, _dot, fraction = check_rate(rate).partition(".")
    numerator = int(whole + fraction)
    denominator = int(10 ** (len(fraction) + exponent_))
    scaled = amount_minor * numerator * 100
    return (2 * scaled + denominator) // (2 * denominator)


def share_satang(total_satang: int, total_minor: int, part_minor: int) -> int:
    """The THB part of a sale of ``total_satang`` (= ``total_minor`` in its currency) that ``part_minor`` of it
    stands for: ``total_satang × part_minor // total_minor`` (rounded down). Used cumulatively for returns
    (refunded-so-far + this refund, minus refunded-so-far), so the parts of a full refund add up exactly to the
    sale's THB amount whatever the steps."""
    if total_minor <= 0:
        return 0
    return total_satang * min(part_minor, total_minor) // total_minor


def parse_amount(text: str, code: str) -> int:
    """An amount in currency ``code`` typed by a cashier -> minor units; zero refused.

    ``"40.00"`` USD -> 4000; ``"1,000"`` JPY -> 1000; ``"40.005"`` USD and ``"1000.5"`` JPY are refused
    (``amount.decimals``) with the currency's number of decimals. The code may be typed around the number
    (``"USD 40"``, ``"40 USD"``)."""
    code = normalize_code(code)
    digits = exponent(code)
    if not isinstance(text, str) or not text.strip():
        raise AmountError(_("Enter an amount, for example 1,000.50."), "amount.empty")
    raw = text
    text = text.strip().translate(_THAI_DIGITS)
    if len(text) > _MAX_TEXT:
        raise AmountError(_("The amount is too large."), "amount.too_large")
    for mark in (code, code.lower()):
        if text.startswith(mark):
            text = text[len(mark):].strip()
        if text.endswith(mark):
            text = text[: -len(mark)].strip()
    if text.startswith(("-", "\u2212", "\u2013")):
        raise AmountError(_("The amount cannot be negative."), "amount.negative")
    if not text or not _NUMBERISH.fullmatch(text) or not any(c.isdigit() for c in text):
        shown = raw.strip() if len(raw.strip()) <= 20 else raw.strip()[:19] + "…"
        raise AmountError(_("“{text}” is not an amount of money; type digits such as 1,000.50.").format(text=shown),
                          "amount.invalid")
    whole, dot, fraction = text.partition(".")
    if dot and len(fraction) > digits:
        if digits == 0:
            message = _("An amount in {code} has no decimal places, for example 1,000.").format(code=code)
        else:
            message = _("An amount in {code} has at most {n} decimal places.").format(code=code, n=digits)
        raise AmountError(message, "amount.decimals")
    if "," in whole and not _GROUPED.fullmatch(whole):
        raise AmountError(_("Check the thousands separators: write 1,000.50 or 1000.50."), "amount.grouping")
    minor = int(whole.replace(",", "") or "0") * int(10**digits) + int((fraction + "0" * digits)[:digits] or "0")
    if minor > MAX_MINOR:
        raise AmountError(_("The amount is too large."), "amount.too_large")
    if minor <= 0:
        raise AmountError(_("The bill amount must be more than zero."), "amount.zero")
    return minor


def _locale() -> Any:
    from babel.core import Locale, UnknownLocaleError

    try:
        return Locale.parse("th_TH" if get_language() == "th" else "en_US")
    except UnknownLocaleError:  # pragma: no cover - Babel ships both
        return Locale.parse("en_US")


def format_money(amount_minor: int, code: str) -> str:
    """``4000, "USD"`` -> ``"USD 40.00"``, ``1000, "JPY"`` -> ``"JPY 1,000"``: the ISO code (unambiguous at a
    counter that also sees ฿ and $ of several countries) and the amount with the currency's decimals and the
    grouping of the counter's language, by Babel."""
    from babel.numbers import format_currency

    code = normalize_code(code)
    value = Decimal(amount_minor).scaleb(-exponent(code))
    return str(format_currency(value, code, format="¤¤ #,##0.00", locale=_locale(), currency_digits=True))


def convert_sale(rules: RulesBundle, branch_id: str | None, code: str, amount_minor: int,
                 at: datetime) -> dict[str, Any]:
    """The fields of a sale of ``amount_minor`` in ``code`` at ``at`` at branch ``branch_id`` under ``rules``:
    ``{"currency", "amount_minor", "fx_rate", "amount_satang"}`` (the THB equivalent). Refused (RuleError) when
    the rules have no rate for it at that time (``currency.no_rate``), the branch does not take it
    (``currency.not_accepted``), or the THB equivalent is zero or above the receipt limit."""
    code = normalize_code(code)
    currencies = rules.currencies
    if not any(r.currency == code for r in currencies.rates):
        raise RuleError(_("There is no rate for {code} in the rules (version {version}); nothing was "
                          "recorded.").format(code=code, version=rules.version), "currency.no_rate")
    if code not in currencies.accepted(branch_id):
        taken = ", ".join(currencies.accepted(branch_id)) or HOME_CURRENCY
        raise RuleError(_("This branch does not take {code} (it takes {taken}); nothing was recorded.").format(
            code=code, taken=taken), "currency.not_accepted")
    rate = currencies.rate_for(code, at)
    if rate is None:
        raise RuleError(_("There is no rate for {code} yet at the time of this sale; nothing was recorded.").format(
            code=code), "currency.no_rate")
    satang = to_satang(amount_minor, exponent(code), rate.rate_thb)
    if satang <= 0:
        raise RuleError(_("{amount} is less than one satang; nothing was recorded.").format(
            amount=format_money(amount_minor, code)), "amount.zero")
    if satang > MAX_AMOUNT_SATANG:
        raise RuleError(_("The amount is too large: at most {limit} per receipt.").format(
            limit=format_baht(MAX_AMOUNT_SATANG)), "amount.too_large")
    return {"currency": code, "amount_minor": amount_minor, "fx_rate": rate.rate_thb, "amount_satang": satang}
