"""Voucher codes: a genuine voucher says exactly what it was issued with; every forged, stale, foreign,
cut-short or misused voucher is refused with a stable reason and one line, and nothing else escapes."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.member_codes import public_key_bytes, sign_member_code
from pos_app.core.vouchers import (
    Benefit,
    Voucher,
    VoucherError,
    already_used,
    classify_scan,
    discount_satang,
    parse_benefit,
    parse_voucher,
    sign_voucher,
    verify_voucher,
)

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
KEYS = {"K2026": public_key_bytes(KEY), "K2027": public_key_bytes(OTHER)}
FIFTY = Benefit("fixed", 5000)
FROM, UNTIL = NOW - timedelta(days=1), NOW + timedelta(days=30)


def code(benefit: Benefit = FIFTY, **kwargs) -> str:  # type: ignore[no-untyped-def]
    key = kwargs.pop("key", KEY)
    key_id = kwargs.pop("key_id", "K2026")
    start = kwargs.pop("valid_from", FROM)
    end = kwargs.pop("valid_until", UNTIL)
    return sign_voucher(key, key_id, kwargs.pop("voucher_id", "V7QJ2M4KX"), benefit, start, end, **kwargs)


def resign(body: str, key: Ed25519PrivateKey = KEY) -> str:
    """A body signed as the issuer would sign it (to reach checks that come after the signature)."""
    return body + base64.b32encode(key.sign(body.encode("ascii"))).decode("ascii").rstrip("=")


def refused(reason: str, text: str | bytes, **kwargs) -> VoucherError:  # type: ignore[no-untyped-def]
    now = kwargs.pop("now", NOW)
    with pytest.raises(VoucherError) as info:
        verify_voucher(text, kwargs.pop("keys", KEYS), now, **kwargs)
    error = info.value
    assert error.reason == reason, (error.reason, error.message)
    assert error.code == f"voucher.{reason}" and str(error) == error.message
    assert error.message and "\n" not in error.message
    return error


# ------------------------------------------------------------------------------------------ genuine


def test_a_fixed_bearer_voucher_reads_back_exactly() -> None:
    text = code()
    assert text.startswith("LV1:K2026:V7QJ2M4KX:F5000:") and ":*:0:*:" in text
    assert len(text) <= 160
    voucher = verify_voucher(text, KEYS, NOW)
    assert voucher == Voucher(voucher_id="V7QJ2M4KX", key_id="K2026", benefit=FIFTY,
                              valid_from=FROM.replace(microsecond=0), valid_until=UNTIL, branch=None,
                              min_spend_satang=0, owner=None)
    # a scanner's CR/LF and bytes are fine
    assert verify_voucher(f" {text}\r\n".encode("ascii"), KEYS, NOW) == voucher


def test_bearer_voucher_is_alphanumeric_for_a_small_qr() -> None:
    allowed = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    for benefit in (FIFTY, Benefit("percent", 10, cap_satang=10000), Benefit("item", reward_code="COFFEE"),
                    Benefit("multiplier", 2)):
        assert set(code(benefit, branch="BKK01", min_spend_satang=20000)) <= allowed


@pytest.mark.parametrize(("benefit", "field"), [
    (Benefit("percent", 10, cap_satang=10000), "P10C10000"),
    (Benefit("percent", 100, cap_satang=1), "P100C1"),
    (Benefit("item", reward_code="coffee.L-1_x"), "Icoffee.L-1_x"),
    (Benefit("multiplier", 2), "X2"),
    (Benefit("multiplier", 10), "X10"),
    (Benefit("fixed", 1), "F1"),
])
def test_every_benefit_round_trips(benefit: Benefit, field: str) -> None:
    text = code(benefit)
    assert text.split(":")[3] == field
    assert verify_voucher(text, KEYS, NOW).benefit == benefit


def test_scope_owner_and_minimum_read_back() -> None:
    member = "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b"
    text = code(branch="BKK01", owner=member, min_spend_satang=30000, key=OTHER, key_id="K2027",
                voucher_id="B1")
    voucher = verify_voucher(text, KEYS, NOW, branch="BKK01", member_id=member, spend_satang=30000)
    assert (voucher.branch, voucher.owner, voucher.min_spend_satang, voucher.key_id, voucher.voucher_id) == (
        "BKK01", member, 30000, "K2027", "B1")
    # the minimum spend is checked only once the bill is known
    assert verify_voucher(text, KEYS, NOW, branch="BKK01", member_id=member) == voucher


def test_epoch_zero_and_far_future_are_encoded() -> None:
    start = datetime(1970, 1, 1, tzinfo=UTC)
    end = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    text = code(valid_from=start, valid_until=end)
    assert text.split(":")[4] == "0"
    voucher = verify_voucher(text, KEYS, NOW)
    assert (voucher.valid_from, voucher.valid_until) == (start, end)


# ------------------------------------------------------------------------------------------ refusals


def test_a_changed_field_is_forged() -> None:
    text = code()
    error = refused("forged", text.replace(":F5000:", ":F9000:"))
    assert error.message == "This voucher is not genuine (its signature does not match). Do not accept it."
    refused("forged", text.replace(":V7QJ2M4KX:", ":V7QJ2M4KY:"))
    # signed by another key than the one it names
    refused("forged", code(key=OTHER))


def test_forged_wins_over_expired_and_branch() -> None:
    text = code(valid_from=NOW - timedelta(days=9), valid_until=NOW - timedelta(days=1), branch="CNX")
    refused("forged", text.replace(":F5000:", ":F5001:"), branch="BKK")


def test_unknown_or_broken_key() -> None:
    error = refused("unknown_key", code(), keys={"K2027": KEYS["K2027"]})
    assert error.message == ("This voucher was signed with a key this terminal does not know (K2026). "
                             "Sync the terminal, then scan again.")
    refused("unknown_key", code(), keys={"K2026": b"short"})
    refused("unknown_key", code(), keys={"K2026": None})


def test_expired_at_the_end_of_its_window() -> None:
    text = code()
    assert verify_voucher(text, KEYS, UNTIL - timedelta(seconds=1)).voucher_id == "V7QJ2M4KX"
    error = refused("expired", text, now=UNTIL)
    assert error.message == "This voucher expired on 2026-12-30."


def test_not_yet_valid_beyond_clock_skew() -> None:
    start = NOW + timedelta(days=2)
    text = code(valid_from=start, valid_until=start + timedelta(days=1))
    error = refused("not_yet_valid", text)
    assert error.message == "This voucher is valid from 2026-12-02; it cannot be used yet."
    refused("not_yet_valid", text, now=start - timedelta(minutes=5, seconds=1))
    assert verify_voucher(text, KEYS, start - timedelta(minutes=5)).valid_from == start


def test_other_branch() -> None:
    text = code(branch="BKK01")
    error = refused("other_branch", text, branch="CNX02")
    assert error.message == "This voucher is valid only at branch BKK01."
    refused("other_branch", text)  # a terminal that does not know its branch
    assert verify_voucher(text, KEYS, NOW, branch="BKK01").branch == "BKK01"
    assert verify_voucher(code(), KEYS, NOW, branch="CNX02").branch is None


def test_other_member() -> None:
    text = code(owner="M-1")
    error = refused("other_member", text, member_id="M-2")
    assert error.message == "This voucher belongs to another member. Identify the member it was issued to."
    refused("other_member", text)
    assert verify_voucher(text, KEYS, NOW, member_id="M-1").owner == "M-1"
    assert verify_voucher(code(), KEYS, NOW, member_id="M-2").owner is None


def test_below_minimum_spend() -> None:
    text = code(min_spend_satang=30000)
    error = refused("below_minimum", text, spend_satang=29999)
    assert error.message == "This voucher needs a bill of at least ฿300.00."
    assert verify_voucher(text, KEYS, NOW, spend_satang=30000).min_spend_satang == 30000


def test_checks_run_dates_then_branch_then_owner_then_minimum() -> None:
    text = code(valid_until=NOW, branch="B", owner="M", min_spend_satang=100)
    refused("expired", text, branch="X", member_id="Y", spend_satang=1)
    text = code(branch="B", owner="M", min_spend_satang=100)
    refused("other_branch", text, branch="X", member_id="Y", spend_satang=1)
    refused("other_member", text, branch="B", member_id="Y", spend_satang=1)
    refused("below_minimum", text, branch="B", member_id="M", spend_satang=1)


def test_already_used_is_a_voucher_refusal() -> None:
    error = already_used()
    assert (error.reason, error.code, error.message) == (
        "already_used", "voucher.already_used", "This voucher has already been used.")


MALFORMED_EDITS = [
    lambda t: "",
    lambda t: "   ",
    lambda t: "hello",
    lambda t: t[:-1],                                   # signature cut short
    lambda t: t[:40],
    lambda t: t + "A",
    lambda t: t + ":A",                                 # an extra field
    lambda t: t.replace("LV1:", "LV2:", 1),
    lambda t: t.replace("LV1:", "LM1:", 1),
    lambda t: t.replace("LV1:", "lv1:", 1),
    lambda t: t[:-103] + t[-103:].lower(),
    lambda t: t[:-1] + chr(ord(t[-1]) + 1) if t[-1] in "ACEGIKMOQSUWY" else t[:-1] + "B",  # non-canonical
    lambda t: t.replace(":K2026:", ":k2026:"),
    lambda t: t.replace(":K2026:", ":K20261234:"),
    lambda t: t.replace(":V7QJ2M4KX:", ":v7qj:"),
    lambda t: t.replace(":V7QJ2M4KX:", "::"),
    lambda t: t.replace(":F5000:", ":F0:"),
    lambda t: t.replace(":F5000:", ":F05000:"),
    lambda t: t.replace(":F5000:", ":P101C10:"),
    lambda t: t.replace(":F5000:", ":P0C10:"),
    lambda t: t.replace(":F5000:", ":P10C0:"),
    lambda t: t.replace(":F5000:", ":X1:"),
    lambda t: t.replace(":F5000:", ":X11:"),
    lambda t: t.replace(":F5000:", ":I:"),
    lambda t: t.replace(":F5000:", ":Z5:"),
    lambda t: t.replace(":*:0:*:", ":*:00:*:"),
    lambda t: t.replace(":*:0:*:", ":*:-1:*:"),
    lambda t: t.replace(":*:0:*:", ":B K:0:*:"),
    lambda t: t.replace(":*:0:*:", ":*:0:M#1:"),
    lambda t: t.replace(":*:0:*:", "::0:*:"),
    lambda t: t.replace(":*:0:*:", ":*:0::"),
    lambda t: ":".join(p if i != 4 else "ZZZZZZZZ" for i, p in enumerate(t.split(":"))),
    lambda t: ":".join(p if i != 5 else "ZZZZZZZZZ" for i, p in enumerate(t.split(":"))),
    lambda t: ":".join(p if i != 5 else "t00" for i, p in enumerate(t.split(":"))),
    lambda t: t + "ก",
    lambda t: t * 4,
]


@pytest.mark.parametrize("edit", range(len(MALFORMED_EDITS)))
def test_malformed(edit: int) -> None:
    text = MALFORMED_EDITS[edit](code())
    error = refused("malformed", text)
    assert error.message == "This is not a voucher code, or only part of it was read. Scan it again."


def test_malformed_inputs_of_other_types() -> None:
    refused("malformed", "ก".encode())
    refused("malformed", b"\xff\xfe")
    refused("malformed", 12345)  # type: ignore[arg-type]
    refused("malformed", None)  # type: ignore[arg-type]
    refused("malformed", sign_member_code(KEY, "K2026", "M-1", FROM, UNTIL))


def test_a_signed_voucher_with_an_empty_window_is_refused() -> None:
    body = "LV1:K2026:V1:F100:TPAG00:TPAG00:*:0:*:"
    refused("malformed", resign(body))
    assert verify_voucher(resign("LV1:K2026:V1:F100:TPAG00:TPAG01:*:0:*:"), KEYS,
                          datetime(2026, 11, 30, tzinfo=UTC)).benefit == Benefit("fixed", 100)


def test_parse_voucher_skips_dates_scope_and_owner() -> None:
    text = code(valid_until=NOW - timedelta(days=1), valid_from=NOW - timedelta(days=2), branch="B", owner="M")
    assert parse_voucher(text, KEYS).owner == "M"
    with pytest.raises(VoucherError):
        parse_voucher(text.replace(":B:", ":C:"), KEYS)


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        verify_voucher(code(), KEYS, NOW.replace(tzinfo=None))


# ------------------------------------------------------------------------------------------- signing


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"key_id": "k1"}, "key_id"),
    ({"key_id": ""}, "key_id"),
    ({"key_id": "K202612345"}, "key_id"),
    ({"voucher_id": "v1"}, "voucher_id"),
    ({"voucher_id": "V" * 25}, "voucher_id"),
    ({"branch": "B K"}, "branch"),
    ({"branch": "B" * 65}, "branch"),
    ({"owner": "M:1"}, "owner"),
    ({"min_spend_satang": -1}, "min_spend"),
    ({"min_spend_satang": 1.5}, "min_spend"),
    ({"min_spend_satang": True}, "min_spend"),
    ({"min_spend_satang": 10**13}, "min_spend"),
    ({"valid_until": FROM}, "after"),
    ({"valid_from": FROM.replace(tzinfo=None)}, "aware"),
    ({"valid_from": datetime(1969, 12, 31, tzinfo=UTC)}, "range"),
])
def test_sign_refuses_what_the_verifier_would(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        code(**kwargs)


@pytest.mark.parametrize("benefit", [
    Benefit("fixed", 0), Benefit("fixed", -5), Benefit("percent", 0, cap_satang=100),
    Benefit("percent", 101, cap_satang=100), Benefit("percent", 10), Benefit("item"),
    Benefit("item", reward_code="A B"), Benefit("multiplier", 1), Benefit("multiplier", 11),
])
def test_invalid_benefits_are_not_signed(benefit: Benefit) -> None:
    with pytest.raises(ValueError, match="benefit"):
        code(benefit)


def test_owner_and_branch_may_use_the_member_id_alphabet() -> None:
    text = code(owner="a.b_c-D", branch="x" * 64)
    assert verify_voucher(text, KEYS, NOW, member_id="a.b_c-D", branch="x" * 64).owner == "a.b_c-D"


# --------------------------------------------------------------------------------- what it gives


def test_discounts() -> None:
    assert discount_satang(FIFTY, 12000) == 5000
    assert discount_satang(FIFTY, 3000) == 3000
    assert discount_satang(FIFTY, 0) == 0
    ten_percent = Benefit("percent", 10, cap_satang=10000)
    assert discount_satang(ten_percent, 12345) == 1234  # rounded down to the satang
    assert discount_satang(ten_percent, 100001) == 10000
    assert discount_satang(ten_percent, 99999) == 9999
    assert discount_satang(Benefit("item", reward_code="C"), 5000) == 0
    assert discount_satang(Benefit("multiplier", 3), 5000) == 0
    with pytest.raises(ValueError):
        discount_satang(FIFTY, -1)


def test_a_benefit_reads_back_from_its_text() -> None:
    for benefit in (FIFTY, Benefit("percent", 10, cap_satang=10000), Benefit("item", reward_code="COFFEE"),
                    Benefit("multiplier", 2)):
        assert parse_benefit(benefit.encode()) == benefit
    with pytest.raises(VoucherError) as info:
        parse_benefit("F0")
    assert info.value.reason == "malformed"


def test_face_value_and_description() -> None:
    assert FIFTY.face_value_satang == 5000
    assert FIFTY.describe() == "฿50.00 off the bill"
    ten_percent = Benefit("percent", 10, cap_satang=10000)
    assert ten_percent.face_value_satang == 10000
    assert ten_percent.describe() == "10% off the bill (at most ฿100.00)"
    item = Benefit("item", reward_code="COFFEE")
    assert (item.face_value_satang, item.describe()) == (0, "A free item: reward COFFEE")
    double = Benefit("multiplier", 2)
    assert (double.face_value_satang, double.describe()) == (0, "2x points on this sale")


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10**6), st.integers(1, 100), st.integers(0, 10**8))
def test_a_discount_never_exceeds_the_bill_or_the_face_value(value: int, percent: int, bill: int) -> None:
    for benefit in (Benefit("fixed", value), Benefit("percent", percent, cap_satang=value)):
        given_off = discount_satang(benefit, bill)
        assert 0 <= given_off <= min(bill, benefit.face_value_satang)


@settings(max_examples=100, deadline=None)
@given(
    voucher_id=st.from_regex(r"\A[A-Z0-9]{1,24}\Z"),
    benefit=st.one_of(
        st.builds(Benefit, st.just("fixed"), st.integers(1, 10**12)),
        st.builds(Benefit, st.just("percent"), st.integers(1, 100), st.integers(1, 10**12)),
        st.builds(Benefit, st.just("item"), reward_code=st.from_regex(r"\A[A-Za-z0-9._-]{1,32}\Z")),
        st.builds(Benefit, st.just("multiplier"), st.integers(2, 10)),
    ),
    start=st.integers(0, 2**33),
    length=st.integers(1, 10**8),
    branch=st.none() | st.from_regex(r"\A[A-Za-z0-9._-]{1,64}\Z"),
    owner=st.none() | st.from_regex(r"\A[A-Za-z0-9._-]{1,64}\Z"),
    minimum=st.integers(0, 10**12),
)
def test_every_signed_voucher_parses_back(voucher_id: str, benefit: Benefit, start: int, length: int,
                                          branch: str | None, owner: str | None, minimum: int) -> None:
    valid_from = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=start)
    valid_until = valid_from + timedelta(seconds=length)
    text = sign_voucher(KEY, "K2026", voucher_id, benefit, valid_from, valid_until, branch=branch,
                        owner=owner, min_spend_satang=minimum)
    voucher = parse_voucher(text, KEYS)
    assert voucher == Voucher(voucher_id, "K2026", benefit, valid_from, valid_until, branch, minimum, owner)
    assert classify_scan(text) == "voucher"


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 151), st.sampled_from("ABZ27:*0-"))
def test_any_one_character_edit_is_refused(index: int, char: str) -> None:
    text = code(branch="BKK", min_spend_satang=100)
    edited = text[:index] + char + text[index + 1:]
    if edited == text:
        return
    with pytest.raises(VoucherError):
        verify_voucher(edited, KEYS, NOW, branch="BKK", spend_satang=100)


# ------------------------------------------------------------------------------------------ scanning


def test_classify_scan_tells_a_voucher_from_a_member_code() -> None:
    assert classify_scan(code()) == "voucher"
    assert classify_scan(" LV9:whatever") == "voucher"
    assert classify_scan(b"\r\nLV1:" + b"x") == "voucher"
    assert classify_scan(sign_member_code(KEY, "K2026", "M-1", FROM, UNTIL)) == "member_qr"
    assert classify_scan(sign_member_code(KEY, "K2026", "M-1", FROM, UNTIL).encode()) == "member_qr"
    assert classify_scan("0812345678") == "phone"
    assert classify_scan("Lv1:") == "unknown"
    assert classify_scan(b"xLV1") == "unknown"
    assert classify_scan(42) == "unknown"  # type: ignore[arg-type]


def test_a_reward_that_buys_a_voucher_says_what_the_voucher_gives_or_that_it_is_one() -> None:
    from pos_app.core import i18n
    from pos_app.core.vouchers import reward_voucher_line

    i18n.set_language("en")
    assert reward_voucher_line("F5000") == "A voucher: ฿50.00 off the bill"
    assert reward_voucher_line("X2") == "A voucher: 2x points on this sale"
    for unreadable in ("?", "", None, "F-1"):  # a benefit this counter cannot read is still a voucher
        assert reward_voucher_line(unreadable) == "A voucher (bought online)"
