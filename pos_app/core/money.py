"""Money as integer satang (1 baht = 100 satang): parsing what a cashier types, and formatting.

No floats anywhere: ``"1,000.50"`` becomes ``100050`` by string arithmetic, never via ``float``.

Accepted by :func:`parse_amount`::

    "1,000.50"  "1000.5"  "฿1,000"  " 25 "  "1000.00"  "๑๒๓"  "25 บาท"  "THB 25"  "25.-"

Refused with :class:`~pos_app.core.errors.AmountError` (a clear, translated message and a stable code):
empty text (``amount.empty``), a sign (``amount.negative``), more than two decimals
(``amount.decimals``), misplaced thousands separators such as ``1,00,0`` (``amount.grouping``), anything
that is not a number (``amount.invalid``) and more than :data:`MAX_AMOUNT_SATANG` (``amount.too_large``).
"""

from __future__ import annotations

import re

from pos_app.core.errors import AmountError
from pos_app.core.i18n import _

SATANG_PER_BAHT = 100
MAX_AMOUNT_SATANG = 10_000_000_00
"""The largest amount accepted for one receipt: ฿10,000,000.00."""

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Currency marks a cashier may type or paste around the number (prefix or suffix).
_CURRENCY_PREFIXES = ("฿", "THB", "thb", "Thb")
_CURRENCY_SUFFIXES = ("฿", "บาท", "THB", "thb", "Thb", ".-")
_MINUS_SIGNS = ("-", "\u2212", "\u2013")
_MAX_TEXT = 40

_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+", re.ASCII)
_NUMBERISH = re.compile(r"[0-9,]*(?:\.[0-9]*)?", re.ASCII)


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 20 else text[:19] + "…"


def _strip_currency(text: str) -> str:
    """Strip currency marks from both ends, again and again until none is left ("THB ฿25" -> "25")."""
    while True:
        before = text
        for prefix in _CURRENCY_PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :].strip()
        for suffix in _CURRENCY_SUFFIXES:
            if text.endswith(suffix):
                candidate = text[: -len(suffix)].strip()
                # "25.-" is the Thai way of writing a whole price; ".-" only counts after a digit
                if suffix != ".-" or candidate[-1:].isdigit():
                    text = candidate
        if text == before:
            return text


def parse_amount(text: str) -> int:
    """Parse an amount of baht typed by a cashier into satang; zero is accepted.

    >>> parse_amount("1,000.50")
    100050
    >>> parse_amount("฿1,000")
    100000
    """
    if not isinstance(text, str):
        raise AmountError(_("Enter an amount, for example 1,000.50."), "amount.empty")
    raw = text
    text = text.strip().translate(_THAI_DIGITS)
    if not text:
        raise AmountError(_("Enter an amount, for example 1,000.50."), "amount.empty")
    if len(text) > _MAX_TEXT:
        raise AmountError(
            _("The amount is too large: at most {limit} per receipt.").format(
                limit=format_baht(MAX_AMOUNT_SATANG)
            ),
            "amount.too_large",
        )
    text = _strip_currency(text)
    if text.startswith(_MINUS_SIGNS) or text.startswith("(") and text.endswith(")"):
        raise AmountError(_("The amount cannot be negative."), "amount.negative")
    if not text or not _NUMBERISH.fullmatch(text) or not any(c.isdigit() for c in text):
        raise AmountError(
            _("“{text}” is not an amount of money; type digits such as 1,000.50.").format(text=_shown(raw)),
            "amount.invalid",
        )
    whole, dot, fraction = text.partition(".")
    if dot and len(fraction) > 2:
        raise AmountError(
            _("An amount has at most 2 decimal places (satang), for example 12.34."), "amount.decimals"
        )
    if "," in whole and not _GROUPED.fullmatch(whole):
        raise AmountError(
            _("Check the thousands separators: write 1,000.50 or 1000.50."), "amount.grouping"
        )
    whole_digits = whole.replace(",", "")  # digits only: _NUMBERISH and _GROUPED let nothing else through
    satang = int(whole_digits or "0") * SATANG_PER_BAHT + int((fraction + "00")[:2])
    if satang > MAX_AMOUNT_SATANG:
        raise AmountError(
            _("The amount is too large: at most {limit} per receipt.").format(
                limit=format_baht(MAX_AMOUNT_SATANG)
            ),
            "amount.too_large",
        )
    return satang


def parse_purchase_amount(text: str) -> int:
    """Like :func:`parse_amount` but for a bill: it must be more than zero."""
    satang = parse_amount(text)
    if satang <= 0:
        raise AmountError(_("The bill amount must be more than zero."), "amount.zero")
    return satang


def format_baht(satang: int) -> str:
    """``123450`` -> ``"฿1,234.50"``; negative amounts get a leading minus: ``"-฿1,234.50"``."""
    sign = "-" if satang < 0 else ""
    baht, rest = divmod(abs(satang), SATANG_PER_BAHT)
    return f"{sign}฿{baht:,}.{rest:02d}"


def format_baht_short(satang: int) -> str:
    """Like :func:`format_baht` but whole baht without decimals: ``2500`` -> ``"฿25"``, ``2550`` -> ``"฿25.50"``."""
    text = format_baht(satang)
    return text[:-3] if text.endswith(".00") else text


def format_amount(satang: int) -> str:
    """Like :func:`format_baht` without the currency sign: ``"1,234.50"`` (for input fields, slips)."""
    sign = "-" if satang < 0 else ""
    baht, rest = divmod(abs(satang), SATANG_PER_BAHT)
    return f"{sign}{baht:,}.{rest:02d}"
