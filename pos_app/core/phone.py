"""Thai phone numbers: one normal form so that a phone is a reliable unique key for a member.

The normal form is the national number with its leading zero and no separators:

* mobiles: 10 digits starting ``06``, ``08`` or ``09`` -> ``"0812345678"``
* landlines: 9 digits starting ``02`` (Bangkok), ``03``, ``04``, ``05`` or ``07`` -> ``"021234567"``

Accepted spellings include ``081-234-5678``, ``081 234 5678``, ``(081) 234.5678``, ``+66 81 234 5678``,
``+66 (0)81 234 5678``, ``66812345678``, ``0066 81 234 5678`` and Thai digits (``๐๘๑๒๓๔๕๖๗๘``) or any other Unicode decimal digits
(fullwidth, Arabic-Indic, ...), which are mapped to ASCII (``pos_app.core.text.ascii_digits``), so a look-alike
number is the same number.
Anything else is refused with :class:`~pos_app.core.errors.PhoneError` and a stable code:
``phone.empty``, ``phone.invalid`` (letters or stray symbols), ``phone.foreign`` (another country code),
``phone.length`` and ``phone.prefix``.
"""

from __future__ import annotations

import re

from pos_app.core.errors import PhoneError
from pos_app.core.i18n import _
from pos_app.core.text import ascii_digits

_SEPARATORS = re.compile(r"[\s\-.()/\u2010-\u2015]+")
_MOBILE = re.compile(r"0[689][0-9]{8}", re.ASCII)
_LANDLINE = re.compile(r"0[2-57][0-9]{7}", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_MAX_TEXT = 40


def _hint() -> str:
    return _("Use a Thai mobile number such as 081-234-5678 or a landline such as 02-123-4567.")


def normalize_phone(text: str) -> str:
    """Return the national 10-digit (mobile) or 9-digit (landline) form, or raise PhoneError."""
    if not isinstance(text, str) or not text.strip():
        raise PhoneError(_("Enter a phone number."), "phone.empty")
    if len(text) > _MAX_TEXT:
        raise PhoneError(_("That is too long for a phone number.") + " " + _hint(), "phone.length")
    compact = _SEPARATORS.sub("", ascii_digits(text))
    international = compact.startswith("+")
    if international:
        compact = compact[1:]
    if not _DIGITS.fullmatch(compact):
        raise PhoneError(
            _("A phone number can only contain digits, spaces, dashes and a leading +.") + " " + _hint(),
            "phone.invalid",
        )
    if compact.startswith("00"):  # international dialling prefix, as in 0066 81 234 5678
        compact = compact[2:]
        international = True
    if international or (compact.startswith("66") and len(compact) in (10, 11, 12)):
        if not compact.startswith("66"):
            raise PhoneError(_("Only Thai phone numbers (+66) can be used."), "phone.foreign")
        national = compact[2:]
        if not national.startswith("0"):  # "+66 (0)81 ..." keeps the trunk zero; drop it once
            national = "0" + national
    else:
        national = compact
    if _MOBILE.fullmatch(national) or _LANDLINE.fullmatch(national):
        return national
    if len(national) == 9 and national[1:2] in ("6", "8", "9"):
        raise PhoneError(_("A Thai mobile number has 10 digits.") + " " + _hint(), "phone.length")
    if not national.startswith("0") or len(national) not in (9, 10):
        raise PhoneError(
            _("A Thai phone number has 10 digits for a mobile or 9 for a landline.") + " " + _hint(),
            "phone.length",
        )
    raise PhoneError(_("That is not a Thai mobile or landline number.") + " " + _hint(), "phone.prefix")


def is_normal_phone(text: str) -> bool:
    """True if ``text`` is already the normal form (what a record on the wire must carry)."""
    try:
        return normalize_phone(text) == text
    except PhoneError:
        return False


def format_phone(normalized: str) -> str:
    """Show a phone the way Thai people write it: ``081-234-5678``, ``02-123-4567``, ``053-123-456``.

    Any accepted spelling may be given; it is normalised first (so bad input raises PhoneError).
    """
    number = normalize_phone(normalized)
    if number.startswith("02"):  # Bangkok landlines (9 digits; "02" is never the start of a mobile)
        return f"{number[:2]}-{number[2:5]}-{number[5:]}"
    return f"{number[:3]}-{number[3:6]}-{number[6:]}"


MASK = "\u2022"  # the bullet the slips print for hidden digits (pos_app.ui.slips.mask_card)


def mask_phone(normalized: str | None) -> str:
    """A phone with only its last four digits shown, as a slip shows a card: ``•••-•••-5678`` ("" for none)."""
    if not normalized:
        return ""
    shown = format_phone(normalized)
    keep = 4
    out = []
    for ch in reversed(shown):
        if ch.isdigit():
            out.append(ch if keep > 0 else MASK)
            keep -= 1
        else:
            out.append(ch)
    return "".join(reversed(out))


def is_mobile(normalized: str) -> bool:
    """True for a normalised mobile number (one that can receive an SMS)."""
    return bool(_MOBILE.fullmatch(normalized))
