"""A phone is the member's unique key: every way of writing one Thai number gives the same normal form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.errors import PhoneError
from pos_app.core.phone import format_phone, is_mobile, is_normal_phone, mask_phone, normalize_phone


@pytest.mark.parametrize(
    "text",
    [
        "0812345678",
        "081-234-5678",
        "081 234 5678",
        "081.234.5678",
        "(081) 234-5678",
        "+66 81 234 5678",
        "+66812345678",
        "+66 (0)81 234 5678",
        "66812345678",
        "0066 81 234 5678",
        "๐๘๑-๒๓๔-๕๖๗๘",
        " 081\u2013234\u20135678 ",
    ],
)
def test_one_mobile_many_spellings(text: str) -> None:
    assert normalize_phone(text) == "0812345678"
    assert format_phone(text) == "081-234-5678"


@pytest.mark.parametrize(
    ("text", "normal", "shown"),
    [
        ("02-123-4567", "021234567", "02-123-4567"),
        ("+66 2 123 4567", "021234567", "02-123-4567"),
        ("6621234567", "021234567", "02-123-4567"),
        ("053 123 456", "053123456", "053-123-456"),
        ("0912345678", "0912345678", "091-234-5678"),
        ("0612345678", "0612345678", "061-234-5678"),
    ],
)
def test_landlines_and_other_mobiles(text: str, normal: str, shown: str) -> None:
    assert normalize_phone(text) == normal
    assert format_phone(normal) == shown


def test_is_mobile() -> None:
    assert is_mobile("0812345678")
    assert not is_mobile("021234567")


HINT = " Use a Thai mobile number such as 081-234-5678 or a landline such as 02-123-4567."
INVALID = "A phone number can only contain digits, spaces, dashes and a leading +." + HINT
FOREIGN = "Only Thai phone numbers (+66) can be used."
LENGTH = "A Thai phone number has 10 digits for a mobile or 9 for a landline." + HINT
PREFIX = "That is not a Thai mobile or landline number." + HINT


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "phone.empty", "Enter a phone number."),
        ("   ", "phone.empty", "Enter a phone number."),
        ("abc", "phone.invalid", INVALID),
        ("0812345678x", "phone.invalid", INVALID),
        ("081+2345678", "phone.invalid", INVALID),
        ("+1 555 123 4567", "phone.foreign", FOREIGN),
        ("0044 20 7946 0958", "phone.foreign", FOREIGN),
        ("12345", "phone.length", LENGTH),
        ("0812345", "phone.length", LENGTH),
        ("08123456789", "phone.length", LENGTH),
        ("081234567", "phone.length", "A Thai mobile number has 10 digits." + HINT),  # a mobile with a digit missing
        ("+66", "phone.length", LENGTH),
        ("0212345678", "phone.prefix", PREFIX),  # a landline with a digit too many
        ("0112345678", "phone.prefix", PREFIX),
        ("011234567", "phone.prefix", PREFIX),  # 9 digits, but no landline starts 01
        ("+66 12 345 6789", "phone.prefix", PREFIX),
        ("1" * 100, "phone.length", "That is too long for a phone number." + HINT),
    ],
)
def test_refusals(text: str, code: str, message: str) -> None:
    with pytest.raises(PhoneError) as caught:
        normalize_phone(text)
    assert (caught.value.code, caught.value.message) == (code, message)


@settings(max_examples=200)
@given(st.sampled_from("689"), st.text(alphabet="0123456789", min_size=8, max_size=8), st.sampled_from(
    ["{}", "+66{}", "66{}", "+66 (0){}"]
))
def test_normal_form_is_a_fixed_point(second: str, rest: str, template: str) -> None:
    national = "0" + second + rest
    spelled = template.format(national[1:] if template != "{}" else national)
    normal = normalize_phone(spelled)
    assert normal == national
    assert normalize_phone(format_phone(normal)) == normal


@settings(max_examples=300)
@given(st.text(max_size=25))
def test_any_text_is_normalised_or_refused_cleanly(text: str) -> None:
    try:
        normal = normalize_phone(text)
    except PhoneError as exc:
        assert exc.message and exc.code.startswith("phone.")
    else:
        assert normal.isascii() and normal.isdigit() and len(normal) in (9, 10)


@pytest.mark.parametrize(
    ("text", "normal", "shown"),
    [
        ("660812345678", "0812345678", "081-234-5678"),  # 66 with the trunk zero kept
        ("66812345678", "0812345678", "081-234-5678"),
        ("021234567", "021234567", "02-123-4567"),  # Bangkok landline
        ("053-123-456", "053123456", "053-123-456"),  # provincial landline
        ("081" + "-" * 30 + "2345678", "0812345678", "081-234-5678"),  # 40 characters: the longest read
    ],
)
def test_more_spellings(text: str, normal: str, shown: str) -> None:
    assert normalize_phone(text) == normal
    assert format_phone(text) == shown


@pytest.mark.parametrize("text", ["061234567", "081234567", "091234567"])
def test_a_mobile_with_a_digit_missing_is_named(text: str) -> None:
    with pytest.raises(PhoneError) as caught:
        normalize_phone(text)
    assert (caught.value.code, caught.value.message) == ("phone.length", "A Thai mobile number has 10 digits." + HINT)


def test_41_characters_are_too_long() -> None:
    with pytest.raises(PhoneError) as caught:
        normalize_phone("081" + "-" * 31 + "2345678")
    assert (caught.value.code, caught.value.message) == ("phone.length", "That is too long for a phone number." + HINT)


def test_only_the_normal_form_is_accepted_on_the_wire() -> None:
    assert is_normal_phone("0812345678") and is_normal_phone("021234567")
    assert not is_normal_phone("081-234-5678")  # a phone as typed: normalize it first
    assert not is_normal_phone("+66812345678")
    assert not is_normal_phone("12345")  # not a phone at all: refused, not an exception


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("0812345678", "\u2022\u2022\u2022-\u2022\u2022\u2022-5678"),
        ("+66 81 234 5678", "\u2022\u2022\u2022-\u2022\u2022\u2022-5678"),  # any spelling: normalised first
        ("021234567", "\u2022\u2022-\u2022\u2022\u2022-4567"),  # Bangkok: 02-123-4567
        ("053123456", "\u2022\u2022\u2022-\u2022\u20223-456"),  # the last four digits span the last dash
    ],
)
def test_a_masked_phone_shows_exactly_the_last_four_digits_and_keeps_the_dashes(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked
    assert sum(c.isdigit() for c in masked) == 4


@pytest.mark.parametrize("nothing", [None, ""])
def test_no_phone_masks_to_nothing(nothing: str | None) -> None:
    assert mask_phone(nothing) == ""


def test_masking_a_bad_phone_is_refused() -> None:
    with pytest.raises(PhoneError):
        mask_phone("12345")
