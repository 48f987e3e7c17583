"""The one door for typed text: Unicode decimal digits map to ASCII (phones, card numbers), control characters
are refused (the same functions on the counter and the server)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core.cardno import normalize_card_number
from pos_app.core.errors import PhoneError
from pos_app.core.phone import is_normal_phone, normalize_phone
from pos_app.core.text import TextError, ascii_digits, check_text, control_characters


@pytest.mark.parametrize("typed", ["๐๘๑-๒๓๔-๕๖๗๘", "０８１２３４５６７８", "٠٨١٢٣٤٥٦٧٨", "۰۸۱۲۳۴۵۶۷۸",
                                   "+66 ８1 234 5678", "081 234 5678"])
def test_look_alike_phones_are_one_phone(typed: str) -> None:
    assert normalize_phone(typed) == "0812345678"
    assert not is_normal_phone(typed) and is_normal_phone("0812345678")


def test_card_numbers_in_any_digits_are_one_card_number() -> None:
    assert normalize_card_number("８０００ ００００-๐๐๐๐ ٠٠٠٩") == "8000000000000009"


@given(st.integers(min_value=0, max_value=10**12))
def test_every_decimal_digit_script_maps_to_the_same_number(n: int) -> None:
    for zero in ("0", "๐", "０", "٠", "۰", "०"):
        spelled = "".join(chr(ord(zero) + int(d)) for d in str(n))
        assert ascii_digits(spelled) == str(n)


@pytest.mark.parametrize("bad, char", [("Som\x00sri", "U+0000"), ("a\x1b[2Jb", "U+001B"), ("x\ny", "U+000A"),
                                       ("line\u2028break", "U+2028"), ("\x7f", "U+007F")])
def test_control_characters_are_refused_with_their_name(bad: str, char: str, refused) -> None:
    assert control_characters(bad)[0] == char
    with refused(TextError, "text.control", f"The name contains a control character ({char}); type it again"):
        check_text(bad, "The name")
    with refused(TextError, "text.control", f"The text contains a control character ({char}); type it again"):
        check_text(bad)


def test_the_refusal_names_the_first_bad_character(refused) -> None:
    assert control_characters("a\x1bb\x00c\x1b") == ["U+001B", "U+0000"]
    with refused(TextError, "text.control", "The text contains a control character (U+001B)"):
        check_text("a\x1bb\x00c")
    with refused(TextError, "text.control", "The note contains a control character (U+001B)"):
        check_text("a\x1bb\x00c", "The note")


def test_digits_typed_among_thai_letters_become_ascii_and_the_letters_stay() -> None:
    assert ascii_digits("โทร ๐๘๑-๒๓๔ ต่อ ๕") == "โทร 081-234 ต่อ 5"


@pytest.mark.parametrize("good", ["สมศรี ทดสอบ", "Ñoño", "ผู้จัดการ\u00a0สาขา", "李小龍", "  spaced  "])
def test_real_text_passes_unchanged(good: str) -> None:
    assert check_text(good) == good


def test_a_phone_with_a_control_character_is_not_a_phone(refused) -> None:
    with refused(PhoneError, "phone.invalid", "A phone number can only contain digits"):
        normalize_phone("081\x00234 5678")
