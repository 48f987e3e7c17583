"""Power cut at the counter: 200 SIGKILLs in the middle of awarding (thousands with bench/stress_crash.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.ledger.crash_harness import run


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_sigkill_mid_award_loses_nothing_acknowledged_and_doubles_nothing(tmp_path: Path) -> None:
    report = run(tmp_path, kills=200, seed=20261123)
    # each child was killed after it had acknowledged the count the run waited for, while it was awarding the next
    assert report.acked >= report.required > 0, report
    assert report.lost == []
    assert report.doubled == []
    assert report.entries == report.attempted
    assert report.verify_ok
    assert report.integrity == []
