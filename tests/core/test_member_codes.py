"""Member codes: a genuine code names its member; every forged, stale, cut-short or foreign code is
refused with a stable reason and a one-line message, and nothing else ever escapes the parsers."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_app.core.cardno import luhn_check_digit, new_card_number
from pos_app.core.member_codes import (
    MemberCodeError,
    ReplayGuard,
    app_code,
    classify_scan,
    issue_app_credential,
    parse_card_number,
    public_key_bytes,
    sign_member_code,
    verify_app_code,
    verify_member_code,
)

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
MEMBER = "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b"
SEED_2026 = bytes(range(32))
SEED_2027 = bytes(range(1, 33))


@pytest.fixture(scope="module")
def chain_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(SEED_2026)


@pytest.fixture(scope="module")
def next_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(SEED_2027)


@pytest.fixture(scope="module")
def keys(chain_key: Ed25519PrivateKey, next_key: Ed25519PrivateKey) -> dict[str, bytes]:
    return {"K2026": public_key_bytes(chain_key), "K2027": public_key_bytes(next_key)}


@pytest.fixture(scope="module")
def card_code(chain_key: Ed25519PrivateKey) -> str:
    return sign_member_code(chain_key, "K2026", MEMBER, NOW - timedelta(days=1), NOW + timedelta(days=365))


def refused(reason: str, call, *args, **kwargs) -> MemberCodeError:  # type: ignore[no-untyped-def]
    with pytest.raises(MemberCodeError) as info:
        call(*args, **kwargs)
    error = info.value
    assert error.reason == reason, (error.reason, error.message)
    assert error.message and "\n" not in error.message and "Traceback" not in error.message
    assert error.code == f"member_code.{reason}" and str(error) == error.message
    return error


# ------------------------------------------------------------------------------------------ member QR


def test_genuine_code_names_its_member(card_code: str, keys: dict[str, bytes]) -> None:
    code = verify_member_code(card_code, keys, NOW)
    assert code.member_id == MEMBER
    assert code.key_id == "K2026"
    assert code.issued_at == NOW - timedelta(days=1)
    assert code.expires_at == NOW + timedelta(days=365)
    assert code.kind == "member_qr"


def test_code_is_short_and_mostly_qr_alphanumeric(card_code: str) -> None:
    assert card_code.startswith("LM1:K2026:")
    assert len(card_code) < 170
    outside_member_id = card_code.replace(MEMBER, "")
    alnum = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert set(outside_member_id) <= alnum


def test_scanner_suffix_and_bytes_are_accepted(card_code: str, keys: dict[str, bytes]) -> None:
    assert verify_member_code(card_code + "\r\n", keys, NOW).member_id == MEMBER
    assert verify_member_code(card_code.encode("ascii"), keys, NOW).member_id == MEMBER


def test_rotated_keys_both_verify(next_key: Ed25519PrivateKey, keys: dict[str, bytes], card_code: str) -> None:
    newer = sign_member_code(next_key, "K2027", "M42", NOW, NOW + timedelta(days=30))
    assert verify_member_code(newer, keys, NOW).member_id == "M42"
    assert verify_member_code(card_code, keys, NOW).member_id == MEMBER


def test_signature_bit_flip_is_forged(card_code: str, keys: dict[str, bytes]) -> None:
    body, sig_text = card_code.rsplit(":", 1)
    signature = bytearray(base64.b32decode(sig_text + "=" * (-len(sig_text) % 8)))
    for bit in (0, 100, 511):
        flipped = bytearray(signature)
        flipped[bit // 8] ^= 1 << (bit % 8)
        tampered = body + ":" + base64.b32encode(bytes(flipped)).decode().rstrip("=")
        refused("forged", verify_member_code, tampered, keys, NOW)


def test_changed_member_id_is_forged(card_code: str, keys: dict[str, bytes]) -> None:
    other = card_code.replace(MEMBER, MEMBER[:-1] + "c")
    error = refused("forged", verify_member_code, other, keys, NOW)
    assert "genuine" in error.message


def test_extended_expiry_is_forged(chain_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    stale = sign_member_code(chain_key, "K2026", MEMBER, NOW - timedelta(days=400), NOW - timedelta(days=35))
    later = sign_member_code(chain_key, "K2026", MEMBER, NOW - timedelta(days=400), NOW + timedelta(days=35))
    spliced = ":".join(stale.split(":")[:4] + later.split(":")[4:5] + stale.split(":")[5:])
    refused("forged", verify_member_code, spliced, keys, NOW)


def test_code_signed_by_another_key_under_our_key_id_is_forged(keys: dict[str, bytes]) -> None:
    attacker = Ed25519PrivateKey.from_private_bytes(b"\x07" * 32)
    fake = sign_member_code(attacker, "K2026", MEMBER, NOW, NOW + timedelta(days=30))
    refused("forged", verify_member_code, fake, keys, NOW)


def test_unknown_key_id(keys: dict[str, bytes]) -> None:
    stranger = Ed25519PrivateKey.from_private_bytes(b"\x09" * 32)
    code = sign_member_code(stranger, "K1999", MEMBER, NOW, NOW + timedelta(days=30))
    error = refused("unknown_key", verify_member_code, code, keys, NOW)
    assert "K1999" in error.message


def test_misconfigured_public_key_counts_as_unknown(card_code: str) -> None:
    refused("unknown_key", verify_member_code, card_code, {"K2026": b"short"}, NOW)


def test_expired(chain_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    code = sign_member_code(chain_key, "K2026", MEMBER, NOW - timedelta(days=400), NOW - timedelta(days=35))
    error = refused("expired", verify_member_code, code, keys, NOW)
    assert (NOW - timedelta(days=35)).date().isoformat() in error.message
    # the expiry instant itself is already too late
    edge = sign_member_code(chain_key, "K2026", MEMBER, NOW - timedelta(days=1), NOW)
    refused("expired", verify_member_code, edge, keys, NOW)
    assert verify_member_code(edge, keys, NOW - timedelta(seconds=1)).member_id == MEMBER


def test_not_yet_valid(chain_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    code = sign_member_code(chain_key, "K2026", MEMBER, NOW + timedelta(days=2), NOW + timedelta(days=30))
    refused("not_yet_valid", verify_member_code, code, keys, NOW)
    slightly_ahead = sign_member_code(chain_key, "K2026", MEMBER, NOW + timedelta(minutes=2), NOW + timedelta(days=3))
    assert verify_member_code(slightly_ahead, keys, NOW).member_id == MEMBER


@pytest.mark.parametrize("keep", [1, 2, 3, 4, 10, 30, 60, 100, -1, -50])
def test_truncated(card_code: str, keys: dict[str, bytes], keep: int) -> None:
    refused("truncated", verify_member_code, card_code[:keep], keys, NOW)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "https://example.com/?m=1", "8123456789012345", "LX1:foo", "LA1:" + "A" * 40,
     "LM1:K2026:" + MEMBER + ":A:B:" + "A" * 103 + ":extra", "LM1:k2026:m:1:2:" + "A" * 103,
     "LM1:K2026:bad id!:1:2:" + "A" * 103, "LM1:K2026:m:1_0:2:" + "A" * 103, "LM1:K2026:m:1:2:" + "a" * 103,
     "LM1:K2026:m:1:2:" + "A" * 104, "LM1:K2026:m:ZZZZZZZZ:2:" + "A" * 103, "ไม่ใช่รหัส", "LM1:\x00"],
)
def test_garbage(keys: dict[str, bytes], text: str) -> None:
    refused("garbage", verify_member_code, text, keys, NOW)


def test_non_canonical_signature_spelling_is_refused(refused, card_code: str, keys: dict[str, bytes]) -> None:
    # the last base32 character carries 3 unused bits; another spelling of the same bytes must not pass
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    last = card_code[-1]
    twin = alphabet[alphabet.index(last) ^ 1]
    with refused(MemberCodeError, 'member_code.garbage', 'This is not a member code.'):
        verify_member_code(card_code[:-1] + twin, keys, NOW)


def test_wrong_version(card_code: str, keys: dict[str, bytes]) -> None:
    error = refused("unsupported_version", verify_member_code, "LM2" + card_code[3:], keys, NOW)
    assert "Update" in error.message


def test_app_code_is_not_a_member_qr(keys: dict[str, bytes], chain_key: Ed25519PrivateKey) -> None:
    member_key = Ed25519PrivateKey.from_private_bytes(b"\x05" * 32)
    cred = issue_app_credential(chain_key, "K2026", MEMBER, public_key_bytes(member_key), NOW + timedelta(days=30))
    refused("garbage", verify_member_code, app_code(member_key, cred, NOW), keys, NOW)


def test_signing_refuses_bad_input(chain_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ValueError, match='member_id\\ must\\ be\\ 1\\-64\\ characters'):
        sign_member_code(chain_key, "K2026", "has:colon", NOW, NOW + timedelta(days=1))
    with pytest.raises(ValueError, match='key_id\\ must\\ be\\ 1\\-8\\ characters\\ A\\-Z\\ or\\ 0\\-9'):
        sign_member_code(chain_key, "k-lower", MEMBER, NOW, NOW + timedelta(days=1))
    with pytest.raises(ValueError, match='expires_at\\ must\\ be\\ after\\ issued_at'):
        sign_member_code(chain_key, "K2026", MEMBER, NOW, NOW)
    with pytest.raises(ValueError, match='datetimes\\ must\\ be\\ timezone\\-aware'):
        sign_member_code(chain_key, "K2026", MEMBER, NOW.replace(tzinfo=None), NOW + timedelta(days=1))


def test_times_in_other_zones_mean_the_same_instant(chain_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    from zoneinfo import ZoneInfo

    bangkok = ZoneInfo("Asia/Bangkok")
    code = sign_member_code(chain_key, "K2026", MEMBER, NOW.astimezone(bangkok), (NOW + timedelta(hours=1)).astimezone(bangkok))
    assert verify_member_code(code, keys, NOW).expires_at == NOW + timedelta(hours=1)


# ------------------------------------------------------------------------------------------ app codes


@pytest.fixture(scope="module")
def member_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(b"\x03" * 32)


@pytest.fixture(scope="module")
def credential(chain_key: Ed25519PrivateKey, member_key: Ed25519PrivateKey) -> str:
    return issue_app_credential(chain_key, "K2026", MEMBER, public_key_bytes(member_key), NOW + timedelta(days=30))


def test_app_code_accepted_within_one_step_either_side(
    member_key: Ed25519PrivateKey, credential: str, keys: dict[str, bytes]
) -> None:
    shown = app_code(member_key, credential, NOW)
    for offset in (-30, -1, 0, 29, 59):
        code = verify_app_code(shown, keys, NOW + timedelta(seconds=offset), ReplayGuard())
        assert code.member_id == MEMBER
        assert code.kind == "app_code"
    refused("expired", verify_app_code, shown, keys, NOW + timedelta(seconds=60), ReplayGuard())
    refused("not_yet_valid", verify_app_code, shown, keys, NOW - timedelta(seconds=31), ReplayGuard())


def test_app_code_changes_every_step(member_key: Ed25519PrivateKey, credential: str) -> None:
    first = app_code(member_key, credential, NOW)
    assert app_code(member_key, credential, NOW + timedelta(seconds=15)) == first
    assert app_code(member_key, credential, NOW + timedelta(seconds=30)) != first


def test_app_code_replay_refused(member_key: Ed25519PrivateKey, credential: str, keys: dict[str, bytes]) -> None:
    guard = ReplayGuard()
    shown = app_code(member_key, credential, NOW)
    verify_app_code(shown, keys, NOW, guard)
    error = refused("replayed", verify_app_code, shown, keys, NOW + timedelta(seconds=10), guard)
    assert "already used" in error.message
    # the next step's code is fine
    later = app_code(member_key, credential, NOW + timedelta(seconds=30))
    assert verify_app_code(later, keys, NOW + timedelta(seconds=31), guard).member_id == MEMBER


def test_replay_guard_is_bounded_and_forgets_expired_entries() -> None:
    guard = ReplayGuard(max_entries=3)
    for index in range(10):
        assert guard.check_and_remember(f"t{index}", NOW, NOW + timedelta(minutes=1))
    assert len(guard) == 3
    assert not guard.check_and_remember("t9", NOW, NOW + timedelta(minutes=1))
    assert guard.check_and_remember("t9", NOW + timedelta(minutes=2), NOW + timedelta(minutes=3))
    assert len(guard) == 1


def test_app_code_with_foreign_member_key_is_forged(
    chain_key: Ed25519PrivateKey, credential: str, keys: dict[str, bytes]
) -> None:
    thief = Ed25519PrivateKey.from_private_bytes(b"\x0b" * 32)
    # the thief copies the member's credential but can only sign with their own key
    parts = app_code(Ed25519PrivateKey.from_private_bytes(b"\x03" * 32), credential, NOW).split(":")
    body = ":".join(parts[:-1]) + ":"
    stolen = body + base64.b32encode(thief.sign(body.encode())).decode().rstrip("=")
    refused("forged", verify_app_code, stolen, keys, NOW, ReplayGuard())
    # and a self-made credential for their own key does not carry the chain's signature
    self_made = issue_app_credential(thief, "K2026", MEMBER, public_key_bytes(thief), NOW + timedelta(days=9))
    refused("forged", verify_app_code, app_code(thief, self_made, NOW), keys, NOW, ReplayGuard())


def test_app_credential_expired(chain_key: Ed25519PrivateKey, member_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    old = issue_app_credential(chain_key, "K2026", MEMBER, public_key_bytes(member_key), NOW - timedelta(days=1))
    error = refused("expired", verify_app_code, app_code(member_key, old, NOW), keys, NOW, ReplayGuard())
    assert "renew" in error.message


def test_app_code_unknown_key_truncated_and_version(
    member_key: Ed25519PrivateKey, credential: str, keys: dict[str, bytes]
) -> None:
    shown = app_code(member_key, credential, NOW)
    refused("unknown_key", verify_app_code, shown, {"K2027": keys["K2027"]}, NOW, ReplayGuard())
    refused("truncated", verify_app_code, shown[:-20], keys, NOW, ReplayGuard())
    refused("truncated", verify_app_code, shown[:150], keys, NOW, ReplayGuard())
    refused("unsupported_version", verify_app_code, "LA7" + shown[3:], keys, NOW, ReplayGuard())


def test_app_code_needs_the_matching_key(chain_key: Ed25519PrivateKey, credential: str) -> None:
    with pytest.raises(ValueError, match='the\\ credential\\ certifies\\ another\\ key'):
        app_code(Ed25519PrivateKey.from_private_bytes(b"\x0c" * 32), credential, NOW)


# ------------------------------------------------------------------------------ card numbers, dispatch


def test_card_numbers() -> None:
    number = new_card_number()
    assert parse_card_number(number) == number
    spaced = " ".join(number[i : i + 4] for i in range(0, 16, 4))
    assert parse_card_number(spaced) == number
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    error = refused("bad_check_digit", parse_card_number, wrong)
    assert "check digit" in error.message
    refused("garbage", parse_card_number, number[:-1])


def test_classify_scan(card_code: str, member_key: Ed25519PrivateKey, credential: str) -> None:
    body = "812345678901234"
    assert classify_scan(card_code) == "member_qr"
    assert classify_scan(card_code + "\r") == "member_qr"
    assert classify_scan("LM2:whatever") == "member_qr"
    assert classify_scan(app_code(member_key, credential, NOW)) == "app_code"
    assert classify_scan(body + luhn_check_digit(body)) == "card_number"
    assert classify_scan("8123 4567 8901 2340") == "card_number"  # check digit judged later
    assert classify_scan("081-234-5678") == "phone"
    assert classify_scan("+66 81 234 5678") == "phone"
    assert classify_scan("02 123 4567") == "phone"
    assert classify_scan("๐๘๑๒๓๔๕๖๗๘") == "phone"  # Thai digits, typed on a Thai keyboard
    for other in ("", "hello", "12345", "LC1:K:M", b"\xff\xfe", "0" * 40, "+1 415 555 0100"):
        assert classify_scan(other) == "unknown"


# ------------------------------------------------------------------ cards printed by a terminal (LT1)


def _terminal_card(chain_key: Ed25519PrivateKey, terminal_key: Ed25519PrivateKey, member: str = MEMBER,
                   cert_days: int = 3650, chain_key_id: str = "K2026") -> str:
    from pos_app.core.member_codes import issue_terminal_certificate, sign_member_code_as_terminal

    certificate = issue_terminal_certificate(chain_key, chain_key_id, public_key_bytes(terminal_key),
                                             NOW + timedelta(days=cert_days))
    return sign_member_code_as_terminal(terminal_key, certificate, member, NOW - timedelta(minutes=1),
                                        NOW + timedelta(days=3 * 365))


def test_a_card_printed_by_a_certified_terminal_verifies_where_only_the_chain_key_is_known(
        chain_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    from pos_app.core.member_codes import terminal_key_id

    terminal_key = Ed25519PrivateKey.from_private_bytes(bytes(range(2, 34)))
    text = _terminal_card(chain_key, terminal_key)
    assert text.startswith("LT1:K2026:T") and classify_scan(text) == "member_qr"
    code = verify_member_code(text, keys, NOW)
    assert code.member_id == MEMBER and code.key_id == terminal_key_id(public_key_bytes(terminal_key))
    assert len(text) < 400  # a version-12 QR at most: still printable on an ID-1 card


def test_a_terminal_card_is_refused_when_forged_revoked_or_signed_after_its_certificate(
        chain_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    from pos_app.core.member_codes import terminal_key_id

    terminal_key = Ed25519PrivateKey.from_private_bytes(bytes(range(2, 34)))
    rogue_chain = Ed25519PrivateKey.from_private_bytes(bytes(range(9, 41)))
    genuine = _terminal_card(chain_key, terminal_key)
    cases = {
        "self-certified": (_terminal_card(rogue_chain, terminal_key), "forged"),
        "other member": (genuine.replace(MEMBER, MEMBER[:-1] + "c"), "forged"),
        "unknown chain key": (_terminal_card(chain_key, terminal_key, chain_key_id="K1999"), "unknown_key"),
        "signed after its certificate": (_terminal_card(chain_key, terminal_key, cert_days=-1), "expired"),
        "cut short": (genuine[:150], "truncated"),
    }
    for name, (text, reason) in cases.items():
        with pytest.raises(MemberCodeError) as refused:
            verify_member_code(text, keys, NOW)
        assert refused.value.reason == reason, name
    with pytest.raises(MemberCodeError) as refused:
        verify_member_code(genuine, keys, NOW, revoked={terminal_key_id(public_key_bytes(terminal_key))})
    assert refused.value.reason == "forged" and "revoked" in refused.value.message


# ------------------------------------------------------------------ issuing-side misuse and exact boundaries


def _exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


def test_issuing_refuses_misuse_with_its_reason(chain_key: Ed25519PrivateKey) -> None:
    member_key = Ed25519PrivateKey.from_private_bytes(b"\x0b" * 32)
    raw = public_key_bytes(member_key)
    later = NOW + timedelta(days=30)
    with pytest.raises(ValueError, match=_exactly("key_id must be 1-8 characters A-Z or 0-9")):
        issue_app_credential(chain_key, "k2026", MEMBER, raw, later)
    with pytest.raises(ValueError, match=_exactly("member_id must be 1-64 characters A-Z, a-z, 0-9, '.', '_' or '-'")):
        issue_app_credential(chain_key, "K2026", "has:colon", raw, later)
    with pytest.raises(ValueError, match=_exactly("member_public_key must be 32 raw bytes")):
        issue_app_credential(chain_key, "K2026", MEMBER, raw[:31], later)
    credential = issue_app_credential(chain_key, "K2026", MEMBER, raw, later)
    with pytest.raises(ValueError, match=_exactly("step_seconds must be positive")):
        app_code(member_key, credential, NOW, step_seconds=0)
    assert app_code(member_key, credential, NOW, step_seconds=1).startswith("LA1:")  # one second is allowed
    with pytest.raises(ValueError, match=_exactly("not an app credential")):
        app_code(member_key, credential.replace("LC1:", "LX1:", 1), NOW)
    with pytest.raises(ValueError, match=_exactly("not an app credential")):
        app_code(member_key, credential + ":extra", NOW)
    with pytest.raises(ValueError, match=_exactly("datetimes must be timezone-aware")):
        sign_member_code(chain_key, "K2026", MEMBER, NOW.replace(tzinfo=None), later)
    with pytest.raises(ValueError, match=_exactly("datetime out of range")):
        sign_member_code(chain_key, "K2026", MEMBER, datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC), later)
    with pytest.raises(ValueError, match=_exactly("expires_at must be after issued_at")):
        sign_member_code(chain_key, "K2026", MEMBER, NOW, NOW)
    with pytest.raises(ValueError, match=_exactly("max_entries must be positive")):
        ReplayGuard(max_entries=0)
    assert len(ReplayGuard(max_entries=1)) == 0


def test_verifying_needs_an_aware_now(card_code: str, keys: dict[str, bytes]) -> None:
    with pytest.raises(ValueError, match=_exactly("now must be timezone-aware")):
        verify_member_code(card_code, keys, NOW.replace(tzinfo=None))


def test_the_epoch_itself_is_a_valid_issue_time(chain_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    code = sign_member_code(chain_key, "K2026", MEMBER, epoch, NOW + timedelta(days=1))
    assert verify_member_code(code, keys, NOW).issued_at == epoch


def test_an_app_code_carries_its_window(chain_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    member_key = Ed25519PrivateKey.from_private_bytes(b"\x0c" * 32)
    credential = issue_app_credential(chain_key, "K2026", MEMBER, public_key_bytes(member_key), NOW + timedelta(days=1))
    now = datetime(2026, 11, 23, 9, 30, 15, tzinfo=UTC)  # 15 s into a 30-second step
    got = verify_app_code(app_code(member_key, credential, now), keys, now, ReplayGuard())
    step_start = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert (got.member_id, got.key_id, got.kind) == (MEMBER, "K2026", "app_code")
    assert got.issued_at == step_start and got.expires_at == step_start + timedelta(seconds=60)
    assert got.step == int(step_start.timestamp()) // 30


def test_an_app_credential_expires_at_its_instant(chain_key: Ed25519PrivateKey, keys: dict[str, bytes]) -> None:
    member_key = Ed25519PrivateKey.from_private_bytes(b"\x0d" * 32)
    until = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    credential = issue_app_credential(chain_key, "K2026", MEMBER, public_key_bytes(member_key), until)
    just_before = until - timedelta(seconds=1)
    assert verify_app_code(app_code(member_key, credential, just_before), keys, just_before, ReplayGuard())
    refused("expired", verify_app_code, app_code(member_key, credential, until), keys, until, ReplayGuard())


def test_replay_guard_forgets_a_code_when_its_window_ends() -> None:
    guard = ReplayGuard(max_entries=2)
    until = NOW + timedelta(seconds=60)
    assert guard.check_and_remember("a", NOW, until)
    assert not guard.check_and_remember("a", until - timedelta(microseconds=1), until)  # still in its window
    assert guard.check_and_remember("a", until, until + timedelta(seconds=60))  # the window ended: forgotten
    assert guard.check_and_remember("b", NOW, until) and guard.check_and_remember("c", NOW, until)
    assert len(guard) == 2  # bounded: the oldest went first
    assert guard.check_and_remember("a\udcff", NOW, until)  # any text, even a lone surrogate, is remembered
    assert not guard.check_and_remember("a\udcff", NOW, until)


def test_the_shared_encoding_at_its_edges() -> None:
    """What member codes and vouchers share (``b32``, ``b36``, ``epoch_seconds``, ``parse_epoch36``,
    ``scanned_text``), at the edges each format relies on."""
    from datetime import tzinfo as _tzinfo

    from pos_app.core import member_codes as mc

    last = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert mc.epoch_seconds(last) == 253402300799
    assert mc.parse_epoch36(mc.b36(253402300799)) == last  # the last second is a time, the next is not
    assert mc.parse_epoch36(mc.b36(253402300800)) is None
    assert mc.parse_epoch36("0") == datetime(1970, 1, 1, tzinfo=UTC) and mc.parse_epoch36("a1") is None

    class Floating(_tzinfo):  # a tzinfo that does not know its offset is not aware
        def utcoffset(self, dt: datetime | None) -> None:
            return None

    with pytest.raises(ValueError, match="timezone-aware"):
        mc.epoch_seconds(datetime(2026, 1, 1, tzinfo=Floating()))
    assert mc.b32(b"\x00") == "AA" and mc.b36(0) == "0" and mc.b36(35) == "Z" and mc.b36(36) == "10"
    assert mc.scanned_text(b" LM1:X\r\n", 5) == "LM1:X"  # trimmed first, then measured: exactly the limit
    assert mc.scanned_text("LM1:XY", 5) is None
    assert mc.scanned_text("ก", 5) is None and mc.scanned_text(b"\xe0", 5) is None
    assert mc.scanned_text(bytearray(b"LV1"), 5) == "LV1" and mc.scanned_text(None, 5) is None  # type: ignore[arg-type]
