"""Files no one else can read, and files only the counter account writes (issue 10): real folders and ledgers,
real ownership (the tests run as root in CI, so they can hand a file to another account)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_app.cli import cli

NOBODY = 65534
as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="handing files to another account needs root")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _invoke(*args: str, env: dict[str, str | None] | None = None):
    return CliRunner().invoke(cli, list(args), env={"POS_LANG": "en", **(env or {})}, catch_exceptions=False)


def test_default_data_folder_is_0700_and_ledger_backups_key_0600(tmp_path: Path) -> None:
    env: dict[str, str | None] = {"HOME": str(tmp_path), "POS_DATA_DIR": None, "XDG_DATA_HOME": None,
                                  "POS_CONFIG": None}
    assert _invoke("init", "--demo", env=env).exit_code == 0
    assert _invoke("backup", env=env).exit_code == 0
    data = tmp_path / ".local" / "share" / "pos-terminal"
    assert (data / "ledger.sqlite3").exists()
    assert _mode(data) == 0o700
    assert _mode(data / "backups") == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"ledger.sqlite3", "demo-chain-key.pem"}
    assert any(p.parent.name == "backups" for p in files)
    assert {str(p.relative_to(data)): _mode(p) for p in files if _mode(p) != 0o600} == {}


def test_an_older_terminals_readable_files_are_made_private_when_opened(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _invoke("--data-dir", str(data), "init").exit_code == 0
    assert _invoke("--data-dir", str(data), "backup").exit_code == 0
    backup = next((data / "backups").glob("*.sqlite3"))
    data.chmod(0o755)
    (data / "ledger.sqlite3").chmod(0o644)
    backup.chmod(0o644)
    doctor = _invoke("--data-dir", str(data), "doctor")  # opening the ledger tightens it first
    assert doctor.exit_code == 0, doctor.output
    assert (_mode(data), _mode(data / "ledger.sqlite3"), _mode(backup)) == (0o700, 0o600, 0o600)
    assert "OK   files" in doctor.output


def test_restore_writes_a_private_ledger(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _invoke("--data-dir", str(data), "init").exit_code == 0
    assert _invoke("--data-dir", str(data), "backup").exit_code == 0
    backup = next((data / "backups").glob("*.sqlite3"))
    backup.chmod(0o644)  # a copy brought from elsewhere
    assert _invoke("--data-dir", str(data), "restore", "--yes").exit_code == 0
    assert _mode(data / "ledger.sqlite3") == 0o600


@as_root
def test_doctor_names_files_another_account_owns_and_the_command_that_fixes_it(tmp_path: Path) -> None:
    data = tmp_path / "t"
    assert _invoke("--data-dir", str(data), "init").exit_code == 0
    os.chown(data / "ledger.sqlite3", NOBODY, NOBODY)
    result = _invoke("--data-dir", str(data), "--json", "doctor")
    assert result.exit_code == 1
    files = next(c for c in json.loads(result.stdout)["checks"] if c["check"] == "files")
    assert not files["ok"]
    assert "belong to another account than root" in files["detail"] and "ledger.sqlite3 (nobody)" in files["detail"]
    assert f"sudo chown -R root: '{data}' && sudo chmod -R u+rwX,go-rwx '{data}'" in files["detail"]


@as_root
def test_root_is_refused_on_a_data_folder_the_counter_account_owns(tmp_path: Path) -> None:
    data = tmp_path / "t"
    data.mkdir()
    os.chown(data, NOBODY, NOBODY)
    result = _invoke("--data-dir", str(data), "init")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("Error: Not as root: the data folder") and "sudo -u nobody pos-terminal" in \
        result.output
    assert list(data.iterdir()) == []  # nothing written as root
