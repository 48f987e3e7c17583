"""No input crashes the member-code parsers: arbitrary text and bytes only ever raise MemberCodeError,
and a mutated genuine code is never accepted as something else. Also runs a sample of the fuzz script."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.core.member_codes import (
    MemberCodeError,
    ReplayGuard,
    classify_scan,
    parse_card_number,
    public_key_bytes,
    sign_member_code,
    verify_app_code,
    verify_member_code,
)

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KEYS = {"K2026": public_key_bytes(KEY)}
GENUINE = sign_member_code(KEY, "K2026", "M-1", NOW - timedelta(days=1), NOW + timedelta(days=30))

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _all_parsers(data: str | bytes) -> None:
    assert classify_scan(data) in {"member_qr", "app_code", "card_number", "phone", "unknown"}
    for call in (
        lambda: verify_member_code(data, KEYS, NOW),
        lambda: verify_app_code(data, KEYS, NOW, ReplayGuard()),
    ):
        try:
            call()
        except MemberCodeError as error:
            assert error.reason and error.message
    if isinstance(data, str):
        try:
            parse_card_number(data)
        except MemberCodeError:
            pass


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    _all_parsers(text)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    _all_parsers(data)


@FUZZ
@given(st.from_regex(r"\A(LM|LA|LC)[0-9]{1,2}:[A-Za-z0-9:._=\-]{0,330}\Z"))
def test_code_shaped_text_never_crashes(text: str) -> None:
    _all_parsers(text)


@FUZZ
@given(st.integers(0, len(GENUINE) - 1), st.text(max_size=3))
def test_edited_genuine_code_is_refused_or_identical(index: int, insert: str) -> None:
    for edited in (GENUINE[:index] + insert + GENUINE[index + 1 :], GENUINE[:index] + insert + GENUINE[index:]):
        if edited.strip() == GENUINE:
            continue
        try:
            code = verify_member_code(edited, KEYS, NOW)
        except MemberCodeError:
            continue
        raise AssertionError(f"edited code accepted: {edited!r} -> {code!r}")


def _load_script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "fuzz_member_codes.py"
    spec = importlib.util.spec_from_file_location("fuzz_member_codes", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_fuzz_script_sample_has_no_crash_and_no_false_accept() -> None:
    report = _load_script().run(count=2000, seed=20261123)
    assert report.inputs == 2000
    assert report.crashes == []
    assert report.wrongly_accepted == []
    # the sample really exercised the refusals, not just one early exit
    for reason in ("forged", "truncated", "garbage", "unsupported_version"):
        assert report.outcomes[f"member_qr:{reason}"] > 0, reason
    assert report.outcomes["app_code:forged"] > 0
