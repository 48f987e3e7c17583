"""No input crashes the voucher parser: arbitrary text and bytes only ever raise VoucherError, and no
mutated voucher is accepted. Also runs a sample of the fuzz script."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.core.vouchers import VoucherError, classify_scan, verify_voucher

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYS = {"K2026": bytes(32)}


def _parse(data: str | bytes) -> None:
    assert classify_scan(data) in {"voucher", "member_qr", "app_code", "card_number", "phone", "unknown"}
    try:
        verify_voucher(data, KEYS, NOW)
    except VoucherError as error:
        assert error.reason and error.message
    else:
        raise AssertionError(f"accepted {data!r}")


@FUZZ
@given(st.text(max_size=400) | st.binary(max_size=400))
def test_arbitrary_input_never_crashes(data: str | bytes) -> None:
    _parse(data)


@FUZZ
@given(st.from_regex(r"\ALV[0-9]:[A-Za-z0-9:._*=\-]{0,200}\Z"))
def test_voucher_shaped_text_never_crashes(text: str) -> None:
    _parse(text)


def _load_script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "fuzz_vouchers.py"
    spec = importlib.util.spec_from_file_location("fuzz_vouchers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_fuzz_script_sample_has_no_crash_and_accepts_nothing_mutated() -> None:
    report = _load_script().run(count=2000, seed=20261130)
    assert report.inputs == 2000
    assert report.crashes == []
    assert report.accepted == []
    # the sample reached the signature and the refusals after it, not just the shape check
    for reason in ("malformed", "forged", "unknown_key"):
        assert report.outcomes[f"voucher:{reason}"] > 0, reason
    assert report.outcomes["classify:voucher"] > 0
