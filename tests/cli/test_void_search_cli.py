"""``pos-terminal void`` and ``pos-terminal member search`` on a real ledger: JSON answers, exit codes, and each
refusal as one line with its code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_app.cli import cli

PIN = "482916"


@pytest.fixture
def run(tmp_path: Path):
    runner = CliRunner()
    data = tmp_path / "t"

    def invoke(*args: str, json_out: bool = True, stdin: str | None = None, env: dict | None = None):
        argv = ["--data-dir", str(data), *(["--json"] if json_out else []), *args]
        return runner.invoke(cli, argv, input=stdin, env=env, catch_exceptions=False)

    assert invoke("init").exit_code == 0
    assert invoke("staff", "add", "--name", "Boss", "--role", "manager", "--pin", PIN).exit_code == 0
    return invoke


def _ok(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _refusal(result, code: str, message: str, exit_code: int = 2) -> None:
    assert result.exit_code == exit_code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    answer = json.loads(lines[0])
    assert answer["ok"] is False and answer["code"] == code, answer
    assert message in answer["error"], answer


def test_void_an_award_with_the_manager_pin_on_stdin_then_a_retry(run) -> None:
    member = _ok(run("member", "enroll", "--name", "Somchai Jaidee", "--phone", "081-234-5678"))
    award = _ok(run("award", "--member", member["id"], "--amount", "1000", "--receipt", "R1"))
    listed = _ok(run("void", "--list"))
    assert [(v["entry_id"], v["kind"], v["points"], v["member_name"]) for v in listed] == [
        (award["entry_id"], "earn", 40, "Somchai Jaidee")]
    done = _ok(run("void", "--entry", award["entry_id"], "--manager-pin", "-", "--op-id", "v1", stdin=PIN + "\n"))
    assert (done["points"], done["balance_after"], done["replayed"]) == (-40, 0, False)
    again = _ok(run("void", "--entry", award["entry_id"], "--op-id", "v1"))
    assert again["replayed"] is True and again["entry_id"] == done["entry_id"]
    assert _ok(run("balance", "--member", member["id"]))["balance"] == 0
    assert _ok(run("void", "--list")) == []
    text = run("void", "--list", json_out=False)
    assert text.exit_code == 0 and text.stdout.strip() == "Nothing can be voided now."


def test_void_refusals_are_one_line_with_a_code(run) -> None:
    member = _ok(run("member", "enroll", "--name", "Somchai Jaidee", "--phone", "081-234-5678"))
    award = _ok(run("award", "--member", member["id"], "--amount", "1000", "--receipt", "R1"))
    _refusal(run("void", "--entry", "NOPE", env={"POS_MANAGER_PIN": PIN}), "not_found",
             "No entry NOPE on this terminal.")
    _refusal(run("void", "--entry", award["entry_id"]), "approval_required",
             "Manager approval needed: a void. Give the manager's PIN at a prompt")
    _refusal(run("void", "--entry", award["entry_id"], "--manager-pin", "000000"), "not_allowed",
             "That is not a manager's PIN: nothing was changed.")
    _ok(run("void", "--entry", award["entry_id"], env={"POS_MANAGER_PIN": PIN}))
    _refusal(run("void", "--entry", award["entry_id"], env={"POS_MANAGER_PIN": PIN}), "already_voided",
             "was already voided.")
    bad = run("void", json_out=False)
    assert bad.exit_code == 2 and bad.stderr.strip() == (
        "Error: Give --entry ENTRY_ID to void, or --list to see what can be voided.")


def test_member_search_lists_masked_summaries(run) -> None:
    a = _ok(run("member", "enroll", "--name", "Somchai Jaidee", "--phone", "081-234-5678"))
    _ok(run("member", "enroll", "--name", "สมชาย ใจดี", "--phone", "086-555-0001"))
    found = _ok(run("member", "search", "jaidee"))
    assert found == [{"id": a["id"], "name": "Somchai Jaidee", "tier": "member", "phone_masked": "•••-•••-5678",
                      "card_suffix": a["card_no"][-4:]}]
    assert [m["name"] for m in _ok(run("member", "search", "ใจดี"))] == ["สมชาย ใจดี"]
    text = run("member", "search", "SOMCHAI", json_out=False)
    assert text.exit_code == 0 and "Somchai Jaidee" in text.stdout and "•••-•••-5678" in text.stdout
    assert "0812345678" not in text.stdout
    none = run("member", "search", "zz", json_out=False)
    assert none.exit_code == 0 and none.stdout.strip() == "No member's name contains zz."
    _refusal(run("member", "search", "a"), "invalid_input", "Type at least 2 letters of the name.")
