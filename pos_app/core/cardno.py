"""Printed card numbers: 16 digits, the last a Luhn check digit, so a mistyped or misread number is caught
before any lookup. Used by cards without QR (Code128) and typed by cashiers."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from pos_app.core.text import ascii_digits

CARD_NUMBER_LENGTH = 16
_SEPARATORS = re.compile(r"[\s\-]+")


def normalize_card_number(text: str) -> str:
    """The form a card number is stored and looked up in: Unicode decimal digits (Thai, fullwidth, ...) mapped to
    ASCII, spaces and dashes removed. It does not check the number (see :func:`is_valid_card_number`)."""
    return _SEPARATORS.sub("", ascii_digits(text))


def luhn_check_digit(body: str) -> str:
    """The Luhn digit that makes ``body + digit`` valid."""
    if not body.isascii() or not body.isdigit():
        raise ValueError("card number body must be ASCII digits")
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def is_valid_card_number(text: str) -> bool:
    if len(text) != CARD_NUMBER_LENGTH or not text.isascii() or not text.isdigit():
        return False
    return luhn_check_digit(text[:-1]) == text[-1]


def new_card_number(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A fresh random card number (first digit 8 marks our loyalty cards). ``randbelow`` is the random source
    (the system's; a seeded one in the deterministic simulation)."""
    body = "8" + "".join(str(randbelow(10)) for _ in range(CARD_NUMBER_LENGTH - 2))
    return body + luhn_check_digit(body)
