"""Printed card numbers: 16 digits with a Luhn check digit, so a mistyped number is caught before a lookup."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core.cardno import (
    CARD_NUMBER_LENGTH,
    is_valid_card_number,
    luhn_check_digit,
    new_card_number,
    normalize_card_number,
)


@pytest.mark.parametrize(
    ("body", "digit"),
    [
        ("7992739871", "3"),  # the textbook example: 79927398713
        ("412345678901234", "9"),  # a 16-digit card
        ("0", "0"),
        ("5", "9"),  # 5*2 = 10 -> 1, so 1 + 9 = 10
        ("9", "1"),  # 9*2 = 18 -> 9: the "minus 9" step
        ("18", "2"),  # the second digit from the right is not doubled
    ],
)
def test_luhn_check_digit(body: str, digit: str) -> None:
    assert luhn_check_digit(body) == digit
    assert _reference_luhn_ok(body + digit)


def _reference_luhn_ok(number: str) -> bool:
    """Luhn as the standard states it (double every second digit from the right, check digit included)."""
    total = 0
    for index, char in enumerate(reversed(number)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@pytest.mark.parametrize("body", ["12a4", "١٢٣", "12 34", "-1", ""])
def test_luhn_refuses_what_is_not_ascii_digits(body: str) -> None:
    with pytest.raises(ValueError, match="^card number body must be ASCII digits$"):
        luhn_check_digit(body)


def test_valid_card_numbers() -> None:
    good = "4123456789012349"
    assert is_valid_card_number(good)
    assert not is_valid_card_number(good[:-1] + "3")  # wrong check digit
    assert not is_valid_card_number(good[:-1])  # 15 digits
    assert not is_valid_card_number(good + "0")  # 17 digits
    assert not is_valid_card_number("412345678901234a")
    assert not is_valid_card_number("๔๑๒๓๔๕๖๗๘๙๐๑๒๓๔๙")  # Thai digits: 16 characters, not ASCII


@given(st.integers(0, 10**14 - 1), st.integers(0, 15), st.integers(1, 9))
def test_one_mistyped_digit_is_always_caught(number: int, position: int, change: int) -> None:
    body = "8" + f"{number:014d}"
    card = body + luhn_check_digit(body)
    assert is_valid_card_number(card)
    typo = card[:position] + str((int(card[position]) + change) % 10) + card[position + 1 :]
    assert is_valid_card_number(typo) is _reference_luhn_ok(typo) is False


def test_new_card_numbers_are_ours_and_valid() -> None:
    cards = {new_card_number() for _ in range(200)}
    assert len(cards) == 200
    for card in cards:
        assert len(card) == CARD_NUMBER_LENGTH == 16 and card[0] == "8" and is_valid_card_number(card)
    assert {card[1] for card in cards} > {"0", "9"}  # every digit after the 8 is drawn from 0-9
    assert {card[-2] for card in cards} > {"0", "9"}


def test_a_typed_card_number_is_stored_and_looked_up_in_one_form() -> None:
    assert normalize_card_number("8000 0000-0000  0009") == "8000000000000009"
    assert normalize_card_number("๘๐๐๐-๐๐๐๐-๐๐๐๐-๐๐๐๙") == "8000000000000009"
    assert normalize_card_number("8000000000000009") == "8000000000000009"
    assert is_valid_card_number(normalize_card_number("４１２３ ４５６７ ８９０１ ２３４９"))
