"""Guessing a manager's PIN through ``pos-terminal adjust --manager-pin`` (the way issue 13 was found), against a
real ledger file: every invocation is a new process view of the same file, so nothing resets the count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_app.cli import cli


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("POS_CONFIG", raising=False)
    data = tmp_path / "t"

    def invoke(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
        result = CliRunner().invoke(cli, ["--data-dir", str(data), "--json", "--lang", "en", *args],
                                    catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
            return json.loads(result.stdout.strip().splitlines()[-1])
        assert result.exit_code != 0 and "Traceback" not in result.output
        return json.loads(result.stderr.strip())["error"]

    invoke.data = data  # type: ignore[attr-defined]
    assert run_init(invoke)
    return invoke


def run_init(invoke) -> bool:  # type: ignore[no-untyped-def]
    invoke("init")
    invoke("staff", "add", "--name", "Boss", "--role", "manager", "--pin", "482916", "--id", "boss")
    invoke("staff", "add", "--name", "Nok", "--role", "cashier", "--pin", "4829", "--id", "nok")
    return True


def member(run) -> str:  # type: ignore[no-untyped-def]
    return str(run("member", "enroll", "--name", "Somchai", "--phone", "081-234-5678")["id"])


def adjust(run, member_id: str, pin: str, *extra: str, ok: bool = False):  # type: ignore[no-untyped-def]
    return run("adjust", "--member", member_id, "--points", "5", "--reason", "guess", "--manager-pin", pin,
               "--operator", "nok", *extra, ok=ok)


def test_guessing_a_manager_pin_on_the_command_line_is_slowed(run) -> None:  # type: ignore[no-untyped-def]
    member_id = member(run)
    for guess in ("000000", "111111", "123456"):
        assert adjust(run, member_id, guess) == "That is not a manager's PIN: nothing was changed."
    # the fourth attempt is refused before the PIN is even checked, the right PIN included
    message = adjust(run, member_id, "482916")
    assert message.startswith("Too many wrong PINs: try again in ") and message.endswith(" s.")
    lockouts = run("staff", "lockouts")
    assert lockouts[0]["staff_id"] is None and lockouts[0]["purpose"] == "approval"
    assert lockouts[0]["failures"] == 3 and 0 < lockouts[0]["retry_after_s"] <= 5
    audit = run("staff", "audit")
    assert [a["event"] for a in audit] == ["pin_failed"] * 3
    assert audit[0]["details"]["operator_id"] == "nok" and audit[0]["details"]["operation"] == "adjust"
    assert run("balance", "--member", member_id)["balance"] == 0


def test_lockout_and_unlock_by_a_named_manager(run) -> None:  # type: ignore[no-untyped-def]
    (run.data / "terminal.toml").write_text("[pins]\nbase_delay_seconds = 0\nlock_after = 5\n")
    member_id = member(run)
    for n in range(5):
        message = adjust(run, member_id, f"90817{n}")
    assert message.startswith("Manager approval is locked on this terminal")
    assert adjust(run, member_id, "482916").startswith("Manager approval is locked on this terminal")
    assert run("staff", "lockouts")[0]["locked"] is True
    # PIN-only approval is locked, so the unlock names the manager
    assert run("staff", "unlock", "--manager-pin", "482916", ok=False).startswith("Manager approval is locked")
    assert run("staff", "unlock", "--manager", "boss", "--manager-pin", "482916")["cleared"] == 1
    assert run("staff", "lockouts") == []
    assert adjust(run, member_id, "482916", ok=True)["approved_by"] == "boss"
    events = [a["event"] for a in run("staff", "audit")]
    assert events[:4] == ["approval", "pin_unlocked", "approval", "pin_lockout"]  # the unlock was approved too
    assert events.count("pin_failed") == 5


def test_change_and_reset_pins(run) -> None:  # type: ignore[no-untyped-def]
    assert "at least 6 digits" in run("staff", "add", "--name", "B2", "--role", "manager", "--pin", "4827", ok=False)
    assert "run of digits" in run("staff", "change-pin", "nok", "--old-pin", "4829", "--new-pin", "9876", ok=False)
    assert "wrong PIN" in run("staff", "change-pin", "nok", "--old-pin", "1357", "--new-pin", "6142", ok=False)
    assert run("staff", "change-pin", "nok", "--old-pin", "4829", "--new-pin", "6142")["must_change_pin"] is False
    reset = run("staff", "reset-pin", "nok", "--new-pin", "7391", "--manager-pin", "482916")
    assert reset["must_change_pin"] is True
    assert "resets cashiers' PINs only" in run("staff", "reset-pin", "boss", "--new-pin", "582047",
                                                "--manager-pin", "482916", ok=False)
    assert [s["must_change_pin"] for s in run("staff", "list") if s["id"] == "nok"] == [True]


def test_the_demo_keeps_its_documented_pins_and_says_they_are_demo_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "demo"), "--lang", "en", "init", "--demo"])
    assert result.exit_code == 0, result.output
    assert "cashier PIN 1111, manager PIN 9999" in result.stdout and "demo only" in result.stdout
    from pos_app.services import open_terminal

    svc = open_terminal(tmp_path / "demo")
    try:
        assert svc.login_by_pin("1111").id == "cashier-1" and svc.login_by_pin("9999").id == "manager-1"
    finally:
        svc.close()
