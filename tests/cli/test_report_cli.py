"""``pos-terminal report redemptions``: a date range by cashier, reward or hour, with a CSV file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_app.cli import cli


@pytest.fixture
def run(tmp_path: Path):
    runner = CliRunner()
    data = tmp_path / "t"

    def invoke(*args: str, json_out: bool = False):
        argv = ["--data-dir", str(data), *(["--json"] if json_out else []), *args]
        return runner.invoke(cli, argv, catch_exceptions=False)

    assert invoke("init").exit_code == 0
    assert invoke("staff", "add", "--name", "Boss", "--role", "manager", "--pin", "482916", "--id", "boss").exit_code == 0
    assert invoke("member", "enroll", "--name", "Somchai", "--phone", "081-234-5678").exit_code == 0
    assert invoke("award", "--member", "0812345678", "--amount", "1,234.50", "--receipt", "R1",
                  "--operator", "boss").exit_code == 0
    assert invoke("redeem", "--member", "0812345678", "--points", "9", "--operator", "boss").exit_code == 0
    return invoke


def bangkok_today() -> str:
    return (datetime.now(UTC) + timedelta(hours=7)).date().isoformat()


def test_the_report_by_cashier_prints_a_table_and_writes_the_csv(run, tmp_path: Path) -> None:
    today = bangkok_today()
    target = tmp_path / "out.csv"
    result = run("report", "redemptions", "--from", today, "--to", today, "--by", "cashier", "--csv", str(target))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Report {today} to {today} · By cashier"
    assert any(line.startswith("Boss") and "฿1,234.50" in line for line in lines)
    assert target.read_text(encoding="utf-8").splitlines() == [
        "cashier,awards,points_awarded,sales_baht,redemptions,points_redeemed,voided",
        "Boss,1,49,1234.50,1,9,0",
        "Total,1,49,1234.50,1,9,0",
    ]
    data = json.loads(run("report", "redemptions", "--from", today, "--to", today, "--by", "reward",
                          json_out=True).stdout)
    assert [(x["key"], x["redemptions"], x["points_redeemed"]) for x in data["lines"]] == [
        ("Points as a discount", 1, 9)]


def test_bad_input_is_one_line_and_exit_code_2(run, tmp_path: Path) -> None:
    result = run("report", "redemptions", "--from", "2026-11-20", "--to", "2026-11-19")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.strip() == "Error: The report's end date 2026-11-19 is before its start date 2026-11-20."
    today = bangkok_today()
    result = run("report", "redemptions", "--from", today, "--to", today, "--csv", str(tmp_path / "no" / "x.csv"))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Error: Cannot write {tmp_path / 'no' / 'x.csv'}:")
