"""``pos-terminal`` as IT and integrations use it: real ledger files, real exit codes, one-line refusals."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_app.cli import cli


@pytest.fixture
def run(tmp_path: Path):
    runner = CliRunner()
    data = tmp_path / "t"

    def invoke(*args: str, json_out: bool = True):
        argv = ["--data-dir", str(data), *(["--json"] if json_out else []), *args]
        return runner.invoke(cli, argv, catch_exceptions=False)

    invoke.data = data
    return invoke


@pytest.fixture
def enrolled(run):
    assert run("init").exit_code == 0
    assert run("staff", "add", "--name", "Boss", "--role", "manager", "--pin", "482916").exit_code == 0
    result = run("member", "enroll", "--name", "Somchai", "--phone", "081-234-5678")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _balance(run, member_id: str) -> int:
    return json.loads(run("balance", "--member", member_id).stdout)["balance"]


def _refused(result, *needles: str, exit_code: int = 2) -> None:
    """One line on stderr naming the reason, the refusal's exit code (2 bad input, 1 failed operation)."""
    assert needles and all(needles), "a refusal test must name the reason it expects"
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_enroll_award_redeem_return_report_round_trip(run, enrolled) -> None:
    member_id = enrolled["id"]
    award = json.loads(run("award", "--member", "0812345678", "--amount", "฿1,234.50", "--receipt", "R1").stdout)
    assert award["points"] == 49 and award["balance_after"] == 49
    redeem = json.loads(run("redeem", "--member", member_id, "--points", "9").stdout)
    assert redeem["balance_after"] == 40 and redeem["discount_satang"] == 225
    ret = run("return", "--receipt", "R1", "--amount", "617.25", "--manager-pin", "482916")
    assert ret.exit_code == 0, ret.output
    assert json.loads(ret.stdout)["points_clawed_back"] == 25
    assert _balance(run, member_id) == 15
    report = json.loads(run("report", "daily").stdout)
    assert report["totals"]["awards"] == 1 and report["totals"]["points_redeemed"] == 9
    text = run("report", "daily", json_out=False)
    assert "Total: 1 awards, 49 points on ฿1,234.50" in text.stdout


def test_a_sale_below_one_block_is_recorded_with_0_points_and_says_why(run, enrolled) -> None:
    """A register integration sends every sale: ฿24.99 is a sale (a visit and its spend), earning 0 points."""
    preview = run("award", "--member", "0812345678", "--amount", "24.99", "--receipt", "R2", "--preview",
                  json_out=False)
    assert preview.exit_code == 0
    assert preview.stdout.strip() == "฿24.99 would be recorded for Somchai with 0 points: points start at ฿25."
    result = run("award", "--member", "0812345678", "--amount", "24.99", "--receipt", "R2", json_out=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ("Sale of ฿24.99 recorded for Somchai (receipt R2). "
                                     "0 points: points start at ฿25. Balance 0.")
    data = json.loads(run("award", "--member", "0812345678", "--amount", "10", "--receipt", "R3").stdout)
    assert (data["points"], data["amount_satang"], data["points_start_satang"]) == (0, 1000, 2500)
    assert data["note"] == "0 points: points start at ฿25"
    again = run("award", "--member", "0812345678", "--amount", "24.99", "--receipt", "R2", json_out=False)
    _refused(again, "Receipt R2 already earned")  # recorded once, like any sale
    history = json.loads(run("history", "--member", enrolled["id"]).stdout)
    assert [(e["kind"], e["points"], e["amount_satang"]) for e in history] == [("earn", 0, 2499), ("earn", 0, 1000)]
    report = json.loads(run("report", "daily").stdout)["totals"]
    assert (report["awards"], report["sales_satang"], report["points_awarded"]) == (2, 3499, 0)
    # a later return of it is consistent: the refund is recorded, no points move, the chain and balances hold
    ret = json.loads(run("return", "--receipt", "R2", "--manager-pin", "482916").stdout)
    assert (ret["refund_satang"], ret["points_clawed_back"], ret["balance_after"]) == (2499, 0, 0)
    _refused(run("return", "--receipt", "R2", "--manager-pin", "482916", json_out=False), "already fully returned")
    assert json.loads(run("doctor").stdout)["checks"][1]["ok"]  # hash chain intact
    assert _balance(run, enrolled["id"]) == 0


def test_below_the_minimum_spend_the_reason_names_the_minimum(run, enrolled) -> None:
    from pos_app.core.rules import EarnRules, default_rules
    from pos_app.services import open_terminal

    services = open_terminal(run.data)
    try:
        base = default_rules(2)
        services.install_rules(type(base)(version=2, earn=EarnRules(min_spend_satang=10_000), tiers=base.tiers,
                                          discount=base.discount, expiry=base.expiry, returns=base.returns))
    finally:
        services.close()
    data = json.loads(run("award", "--member", enrolled["id"], "--amount", "99.75", "--receipt", "R9").stdout)
    assert data["points"] == 0 and data["note"] == "0 points: points start at ฿100"
    assert json.loads(run("award", "--member", enrolled["id"], "--amount", "100", "--receipt", "R10").stdout)[
        "points"] == 4


def test_award_retry_with_the_same_op_id_counts_once(run, enrolled) -> None:
    args = ("award", "--member", enrolled["id"], "--amount", "100", "--receipt", "R7", "--op-id", "till-7")
    assert run(*args).exit_code == 0
    again = json.loads(run(*args).stdout)
    assert again["replayed"] is True
    assert _balance(run, enrolled["id"]) == 4


@pytest.mark.parametrize("amount, needle", [
    ("12.345", "at most 2 decimal places"),
    ("-5", "The amount cannot be negative."),
    ("abc", "“abc” is not an amount of money"),
    ("0", "The bill amount must be more than zero."),
    ("99999999999", "The amount is too large: at most ฿10,000,000.00 per receipt."),
    ("", "Enter an amount"),
])
def test_bad_amounts_are_refused_in_one_line_and_change_nothing(run, enrolled, amount, needle) -> None:
    result = run("award", "--member", enrolled["id"], "--amount", amount, "--receipt", "R1", json_out=False)
    _refused(result, needle)
    assert _balance(run, enrolled["id"]) == 0


@pytest.mark.parametrize("args, needle", [
    (("award", "--member", "0899999999", "--amount", "100", "--receipt", "R1"), "No member with phone 089-999-9999."),
    (("award", "--member", "{id}", "--amount", "100", "--receipt", "bad receipt!"), "A receipt number is 1 to 64"),
    (("redeem", "--member", "{id}", "--points", "5000"), "Not enough points: the member has 0 and 5000 were asked for."),
    (("redeem", "--member", "{id}", "--points", "-3"), "Choose at least 1 point to redeem."),
    (("redeem", "--member", "{id}", "--reward", "NOPE"), "No reward with code NOPE."),
    (("return", "--receipt", "NOPE", "--manager-pin", "482916"), "No points were earned on receipt NOPE."),
    (("adjust", "--member", "{id}", "--points", "5", "--reason", "x"), "Manager approval needed: a manual adjustment"),
    (("adjust", "--member", "{id}", "--points", "5", "--reason", "x", "--manager-pin", "1234"),
     "That is not a manager's PIN: nothing was changed."),
    (("member", "enroll", "--name", "Dup", "--phone", "0812345678"), "Phone 081-234-5678 already belongs to Somchai"),
    (("member", "enroll", "--name", "X", "--phone", "12345"), "A Thai phone number has 10 digits for a mobile"),
    (("member", "show", "LM1:FAKE:xx:yy"), "Only part of the member code was read."),
    (("report", "daily", "--date", "yesterday"), "A date is written YYYY-MM-DD."),
    (("staff", "add", "--name", "C", "--role", "cashier", "--pin", "12"), "A PIN is 4 to 8 digits."),
])
def test_bad_input_is_refused_cleanly(run, enrolled, args, needle) -> None:
    argv = [a.replace("{id}", enrolled["id"]) for a in args]
    _refused(run(*argv, json_out=False), needle)
    assert _balance(run, enrolled["id"]) == 0


def test_json_refusal_is_machine_readable(run, enrolled) -> None:
    result = run("award", "--member", enrolled["id"], "--amount", "abc", "--receipt", "R1")
    assert result.exit_code == 2
    assert json.loads(result.stderr) == {
        "ok": False, "error": "“abc” is not an amount of money; type digits such as 1,000.50."}


def test_doctor_backup_and_restore(run, enrolled) -> None:
    run("award", "--member", enrolled["id"], "--amount", "250", "--receipt", "R1")
    assert run("backup").exit_code == 0
    assert json.loads(run("backup", "--if-older-than", "4").stdout)["path"] is None  # scheduled: not due yet
    run("award", "--member", enrolled["id"], "--amount", "250", "--receipt", "R2")
    doctor = json.loads(run("doctor").stdout)
    assert doctor["ok"] and {c["check"] for c in doctor["checks"]} >= {"integrity", "hash_chain", "balances"}
    restored = run("restore", "--yes")
    assert restored.exit_code == 0, restored.output
    assert _balance(run, enrolled["id"]) == 10


def test_doctor_without_a_terminal_says_what_to_do(run) -> None:
    _refused(run("doctor", json_out=False), "No terminal in", "run 'pos-terminal init' first.", exit_code=1)


def test_corrupt_ledger_gives_the_way_out_not_a_traceback(run, enrolled) -> None:
    path = run.data / "ledger.sqlite3"
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    raw = bytearray(path.read_bytes())
    raw[0:16] = b"garbage garbage!"
    path.write_bytes(bytes(raw))
    _refused(run("balance", "--member", enrolled["id"], json_out=False), "restore", exit_code=1)


def test_installed_entry_point_exits_non_zero_without_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "POS_DATA_DIR": str(tmp_path / "t"), "POS_LANG": "en"}
    exe = Path(sys.executable).with_name("pos-terminal")
    subprocess.run([str(exe), "init"], check=True, env=env, capture_output=True)
    result = subprocess.run([str(exe), "award", "--member", "x", "--amount", "12.345", "--receipt", "R"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_messages_in_thai(run, enrolled) -> None:
    from pos_app.core.i18n import _, set_language

    try:
        result = CliRunner().invoke(cli, ["--data-dir", str(run.data), "--lang", "th", "balance", "--member", "0899999999"])
        thai = _("No member with phone {phone}.").format(phone="089-999-9999")
        prefix = _("Error: {message}").format(message="")
    finally:
        set_language("en")
    assert thai != "No member with phone 089-999-9999." and prefix != "Error: "
    _refused(result, prefix + thai)


def test_terminal_toml_sets_the_language_and_a_broken_one_is_named_by_doctor(run, enrolled) -> None:
    (run.data / "terminal.toml").write_text('[terminal]\nlanguage = "th"\n', encoding="utf-8")
    env_lang = os.environ.pop("POS_LANG", None)
    try:
        from pos_app.core.i18n import _, set_language

        result = run("balance", "--member", "0899999999", json_out=False)
        set_language("th")
        thai = _("No member with phone {phone}.").format(phone="089-999-9999")
        set_language("en")
        assert thai in result.stderr and thai != "No member with phone 089-999-9999."
        (run.data / "terminal.toml").write_text("[terminal]\ncolour = 1\n", encoding="utf-8")
        doctor = json.loads(run("doctor").stdout)
        assert not doctor["ok"]
        assert any(c["check"] == "config" and "colour" in c["detail"] for c in doctor["checks"])
    finally:
        if env_lang is not None:
            os.environ["POS_LANG"] = env_lang


def test_marketing_consent_is_asked_apart_at_enrollment_and_withdrawn_with_a_record(run, enrolled) -> None:
    member_id = enrolled["id"]  # enrolled without --marketing: the program yes, marketing no
    given = json.loads(run("member", "consent", "0812345678", "--marketing", "--operator", "cashier7").stdout)
    assert given["id"] == member_id and given["marketing"] is True
    assert [(c["purpose"], c["granted"]) for c in given["consents"]] == [
        ("loyalty", True), ("marketing", False), ("marketing", True)]
    assert given["consents"][-1]["staff_id"] == "cashier7" and given["consents"][-1]["text_version"] == "2026-11"
    text = run("member", "consent", member_id, "--no-marketing", json_out=False)
    assert text.exit_code == 0 and text.stdout.strip() == "Marketing messages: consent withdrawn."
    other = json.loads(run("member", "enroll", "--name", "Malee", "--phone", "0899999999", "--marketing").stdout)
    with_marketing = json.loads(run("member", "consent", other["id"], "--marketing").stdout)["consents"]
    assert [(c["purpose"], c["granted"]) for c in with_marketing] == [
        ("loyalty", True), ("marketing", True), ("marketing", True)]
    _refused(run("member", "consent", "0800000000", "--marketing"), "No member with phone")
