"""``doctor`` warns 30 days before the sync credential expires and fails once it has (issue 10)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from click.testing import CliRunner

from pos_app.cli import cli
from sync.client import credentials
from sync.records import ms_to_iso


def _doctor(data: Path):
    return CliRunner().invoke(cli, ["--data-dir", str(data), "--lang", "en", "doctor"], catch_exceptions=False)


def _credential_in(data: Path, days: float) -> None:
    when = ms_to_iso(int((time.time() + days * 86400) * 1000))
    credentials.save(data / "sync-credential.json", credentials.Credential("BKK01-ABCDEF", "a" * 64, when))


def test_doctor_warns_30_days_ahead_and_fails_once_expired(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert CliRunner().invoke(cli, ["--data-dir", str(data), "init"]).exit_code == 0
    _credential_in(data, 200)
    far = _doctor(data)
    assert far.exit_code == 0 and "OK   credential the sync credential is valid until" in far.output
    _credential_in(data, 12.5)
    near = _doctor(data)
    assert near.exit_code == 0  # a warning never makes an upgrade roll back
    assert "WARN  credential the sync credential expires in 12 days" in near.output
    _credential_in(data, -1)
    gone = _doctor(data)
    assert gone.exit_code == 1
    assert "BAD  credential the sync credential expired on" in gone.output and "enroll --again" in gone.output
    as_json = CliRunner().invoke(cli, ["--data-dir", str(data), "--json", "doctor"])
    check = next(c for c in json.loads(as_json.stdout)["checks"] if c["check"] == "credential")
    assert check["ok"] is False
