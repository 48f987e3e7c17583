"""Local faults say what they are: an empty or missing ledger beside a terminal's credential or backups, a
ledger from a newer version, a read-only data folder, a damaged page, and a manager PIN that never has to
appear in the process list. Each is met where IT meets it: the ``pos-terminal`` command on real files."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_app.cli import cli

EXE = Path(sys.executable).with_name("pos-terminal")


@pytest.fixture
def run(tmp_path: Path):
    runner = CliRunner()
    data = tmp_path / "t"

    def invoke(*args: str, json_out: bool = False, input: str | None = None, env: dict[str, str] | None = None):
        argv = ["--data-dir", str(data), *(["--json"] if json_out else []), *args]
        return runner.invoke(cli, argv, catch_exceptions=False, input=input, env=env)

    invoke.data = data
    return invoke


@pytest.fixture
def terminal(run):
    assert run("init").exit_code == 0
    assert run("staff", "add", "--name", "Boss", "--role", "manager", "--pin", "482916").exit_code == 0
    result = run("member", "enroll", "--name", "Somchai", "--phone", "081-234-5678", json_out=True)
    assert result.exit_code == 0, result.output
    member = json.loads(result.stdout)
    assert run("award", "--member", member["id"], "--amount", "1000", "--receipt", "R1").exit_code == 0
    return member


def _one_line(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _terminal_id(data: Path) -> str:
    con = sqlite3.connect(data / "ledger.sqlite3")
    try:
        return con.execute("SELECT value FROM meta WHERE key = 'terminal_id'").fetchone()[0]
    finally:
        con.close()


def _empty_the_ledger(data: Path) -> None:
    for name in ("ledger.sqlite3-wal", "ledger.sqlite3-shm"):
        (data / name).unlink(missing_ok=True)
    (data / "ledger.sqlite3").write_bytes(b"")


def _enrolled(data: Path) -> Path:
    """The credential file an enrolled terminal keeps beside its ledger (see sync.client.credentials)."""
    credential = data / "sync-credential.json"
    credential.write_text(json.dumps({"terminal_id": _terminal_id(data), "secret": "ab" * 32}))
    return credential


# ------------------------------------------------------------------ empty or missing ledger


def test_an_empty_ledger_with_a_backup_is_never_replaced_and_restore_is_the_way_out(run, terminal) -> None:
    before = _terminal_id(run.data)
    assert run("backup").exit_code == 0
    _empty_the_ledger(run.data)
    for args in (("balance", "--member", terminal["id"]), ("init",), ("award", "--member", "0812345678",
                                                                       "--amount", "100", "--receipt", "R2")):
        line = _one_line(run(*args))
        assert "is empty (0 bytes)" in line and "pos-terminal restore" in line
        assert (run.data / "ledger.sqlite3").stat().st_size == 0  # no new ledger, no new identity
    doctor = run("doctor", json_out=True)
    assert doctor.exit_code == 1
    report = json.loads(doctor.stdout)
    assert report["ok"] is False and report["checks"][0]["check"] == "ledger"
    assert "is empty (0 bytes)" in report["checks"][0]["detail"]
    assert "BAD  ledger" in run("doctor").stdout
    assert run("restore", "--yes").exit_code == 0
    assert _terminal_id(run.data) == before
    assert json.loads(run("balance", "--member", terminal["id"], json_out=True).stdout)["balance"] == 40


def test_an_empty_ledger_on_an_enrolled_terminal_without_backup_names_the_credential(run, terminal) -> None:
    credential = _enrolled(run.data)
    _empty_the_ledger(run.data)
    line = _one_line(run("init"))
    assert "is empty (0 bytes)" in line and str(credential) in line and "enroll the terminal again" in line
    assert (run.data / "ledger.sqlite3").stat().st_size == 0


def test_an_empty_ledger_on_a_new_standalone_terminal_says_delete_and_init(run, tmp_path: Path) -> None:
    run.data.mkdir(parents=True)
    (run.data / "ledger.sqlite3").write_bytes(b"")
    line = _one_line(run("init"))
    assert "delete the empty file and run 'pos-terminal init'" in line


def test_a_missing_ledger_beside_a_credential_is_not_recreated_and_doctor_says_why(run, terminal) -> None:
    credential = _enrolled(run.data)
    for name in ("ledger.sqlite3", "ledger.sqlite3-wal", "ledger.sqlite3-shm"):
        (run.data / name).unlink(missing_ok=True)
    line = _one_line(run("balance", "--member", terminal["id"]))
    assert "There is no ledger" in line and str(credential) in line and "nothing was created" in line
    assert not (run.data / "ledger.sqlite3").exists()
    doctor = run("doctor")
    assert doctor.exit_code == 1 and "Traceback" not in doctor.output
    assert doctor.stdout.splitlines()[0].startswith("BAD  ledger     There is no ledger")
    assert not (run.data / "ledger.sqlite3").exists()


def test_a_missing_ledger_beside_backups_is_not_recreated(run, terminal) -> None:
    assert run("backup").exit_code == 0
    (run.data / "ledger.sqlite3").unlink()
    line = _one_line(run("member", "enroll", "--name", "New", "--phone", "0899999999"))
    assert "holds backups" in line and "pos-terminal restore" in line
    assert not (run.data / "ledger.sqlite3").exists()


# ------------------------------------------------------------------ a ledger from a newer version


def test_a_ledger_written_by_a_newer_version_is_refused_in_one_line_without_a_backup(run, terminal) -> None:
    con = sqlite3.connect(run.data / "ledger.sqlite3")
    with con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_written_by'").fetchone()[0] == "0.1.0"
        con.execute("UPDATE alembic_version SET version_num = '0107'")
        con.execute("UPDATE meta SET value = '2.3.0' WHERE key = 'schema_written_by'")
    con.close()
    shutil.rmtree(run.data / "backups", ignore_errors=True)
    for args in (("balance", "--member", terminal["id"]), ("init",)):
        line = _one_line(run(*args))
        assert "written by version 2.3.0" in line and "install 2.3.0 or newer" in line
    doctor = run("doctor")
    assert doctor.exit_code == 1 and "install 2.3.0 or newer" in doctor.stdout
    assert not (run.data / "backups").exists()  # no pre-migration backup on every run


def test_a_newer_ledger_without_its_version_recorded_still_says_to_upgrade(run, terminal) -> None:
    con = sqlite3.connect(run.data / "ledger.sqlite3")
    with con:
        con.execute("UPDATE alembic_version SET version_num = 'f00d'")
        con.execute("DELETE FROM meta WHERE key = 'schema_written_by'")
    con.close()
    line = _one_line(run("balance", "--member", terminal["id"]))
    assert "written by a newer version" in line and "f00d" in line


# ------------------------------------------------------------------ read-only data folder


def _without_root_override() -> list[str]:
    """Run as a user the file permissions apply to: as root, drop the capabilities that bypass them."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions cannot apply")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all", "--"]


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_data_folder_is_a_permission_problem_with_its_fix(run, terminal, what: str) -> None:
    target = run.data if what == "folder" else run.data / "ledger.sqlite3"
    mode = target.stat().st_mode
    target.chmod(0o555 if what == "folder" else 0o444)
    try:
        env = {**os.environ, "POS_LANG": "en"}
        prefix = _without_root_override()
        award = subprocess.run([*prefix, str(EXE), "--data-dir", str(run.data), "award", "--member", "0812345678",
                                "--amount", "100", "--receipt", "R9"], env=env, capture_output=True, text=True)
        assert award.returncode == 1 and "Traceback" not in award.stderr
        assert award.stderr.count("\n") == 1, award.stderr
        assert "a permission problem" in award.stderr and "chmod -R u+rwX" in award.stderr
        assert "restore" not in award.stderr and "integrity" not in award.stderr
        doctor = subprocess.run([*prefix, str(EXE), "--data-dir", str(run.data), "doctor"], env=env,
                                capture_output=True, text=True)
        assert doctor.returncode == 1 and "Traceback" not in doctor.stderr
        assert doctor.stdout.startswith("BAD  ledger") and "a permission problem" in doctor.stdout
    finally:
        target.chmod(mode)
    assert json.loads(run("balance", "--member", "0812345678", json_out=True).stdout)["balance"] == 40


# ------------------------------------------------------------------ page-level damage


def test_a_damaged_page_is_one_line_with_the_way_out(run, terminal) -> None:
    path = run.data / "ledger.sqlite3"
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    raw = bytearray(path.read_bytes())
    pages = len(raw) // 4096
    raw += bytes(4096)  # the header claims one page more than the b-trees use: "Page N is never used"
    raw[28:32] = (pages + 1).to_bytes(4, "big")
    path.write_bytes(bytes(raw))
    problems = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchall()
    assert "\n" in problems[0][0]  # SQLite's own report spans lines
    line = _one_line(run("balance", "--member", terminal["id"]))
    assert f"Page {pages + 1} is never used" in line and "nothing was changed" in line
    assert line.endswith("restore the latest backup with 'pos-terminal restore', or call IT.")


# ------------------------------------------------------------------ the manager's PIN


def test_manager_pin_from_standard_input(run, terminal) -> None:
    result = run("adjust", "--member", terminal["id"], "--points", "5", "--reason", "goodwill", "--manager-pin", "-",
                 input="482916\n")
    assert result.exit_code == 0, result.output
    assert "482916" not in result.output
    assert "Balance 40 -> 45" in result.stdout
    empty = _one_line(run("adjust", "--member", terminal["id"], "--points", "5", "--reason", "x",
                          "--manager-pin", "-", input="\n"))
    assert "standard input" in empty


def test_manager_pin_from_the_environment(run, terminal) -> None:
    result = run("return", "--receipt", "R1", "--amount", "100", env={"POS_MANAGER_PIN": "482916"})
    assert result.exit_code == 0, result.output
    wrong = _one_line(run("return", "--receipt", "R1", "--amount", "100", env={"POS_MANAGER_PIN": "1234"}))
    assert "not a manager's PIN" in wrong


def test_without_a_pin_and_without_a_terminal_the_refusal_says_how_to_give_one(run, terminal) -> None:
    line = _one_line(run("adjust", "--member", terminal["id"], "--points", "5", "--reason", "x"))
    assert line.startswith("Error: Manager approval needed")
    assert "--manager-pin -" in line and "$POS_MANAGER_PIN" in line


def test_help_says_the_risk_of_a_pin_on_the_command_line(run) -> None:
    text = " ".join(run("redeem", "--help").stdout.split())
    assert "process list" in text and "shell history" in text and "POS_MANAGER_PIN" in text


def _read_until(fd: int, needle: bytes, seen: bytearray) -> None:
    while needle not in seen:
        ready, _w, _x = select.select([fd], [], [], 60)
        assert ready, f"no {needle!r} in {bytes(seen)!r}"
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk


def test_at_a_terminal_the_pin_is_asked_at_a_hidden_prompt_only_when_needed(run, terminal) -> None:
    argv = [str(EXE), "--data-dir", str(run.data), "--lang", "en", "return", "--receipt", "R1", "--amount", "250"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: a real terminal as stdin/stdout/stderr, like a person at a shell
        os.execv(argv[0], argv)
    seen = bytearray()
    _read_until(fd, b"Manager PIN:", seen)
    assert b"Manager approval needed: a return" in seen
    os.write(fd, b"482916\r")
    _read_until(fd, b"Balance", seen)
    _read_until(fd, b"\n", seen)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, bytes(seen)
    assert b"482916" not in seen  # never echoed
    assert b"10 points taken back" in seen
