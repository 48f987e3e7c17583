"""Sales in other currencies at the command line: real ledger files, rates from an installed rules bundle."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from pos_app.cli import cli
from pos_app.core.rules import Currencies, FxRate, default_rules

JAN = datetime(2026, 1, 1, tzinfo=UTC)
PIN = "482916"


def _rules(branches: dict[str, list[str]] | None = None) -> str:
    rates = (FxRate("USD", "35.8125", JAN), FxRate("JPY", "0.2251", JAN), FxRate("KWD", "115.5", JAN),
             FxRate("MYR", "7.5", JAN), FxRate("CNY", "5", datetime(2199, 1, 1, tzinfo=UTC)))
    return dataclasses.replace(default_rules(2), currencies=Currencies(rates, branches)).to_json()


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    runner = CliRunner()
    data = tmp_path / "t"
    monkeypatch.setenv("POS_MANAGER_PIN", PIN)

    def invoke(*args: str, json_out: bool = True):
        argv = ["--data-dir", str(data), *(["--json"] if json_out else []), *args]
        return runner.invoke(cli, argv, catch_exceptions=False)

    invoke.data = data
    return invoke


@pytest.fixture
def member(run, tmp_path: Path) -> str:
    assert run("init").exit_code == 0
    (tmp_path / "rules.json").write_text(_rules(), encoding="utf-8")
    assert run("rules", "install", str(tmp_path / "rules.json")).exit_code == 0
    assert run("staff", "add", "--name", "Boss", "--role", "manager", "--pin", PIN).exit_code == 0
    result = run("member", "enroll", "--name", "Somchai", "--phone", "081-234-5678")
    return str(json.loads(result.stdout)["id"])


def _refused(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [f"Error: {message}"], result.stderr


def _entries(run) -> list[tuple]:
    with sqlite3.connect(run.data / "ledger.sqlite3") as db:
        return db.execute("SELECT kind, points, amount_satang, currency, amount_minor, fx_rate FROM entries "
                          "ORDER BY rowid").fetchall()


def test_a_dollar_sale_earns_on_its_baht_equivalent_and_shows_both_amounts(run, member) -> None:
    r = json.loads(run("award", "--member", member, "--amount", "40.00", "--currency", "USD", "--receipt", "R1").stdout)
    # USD 40.00 x 35.8125 = ฿1,432.50 -> 57 points at ฿25 a point
    assert (r["currency"], r["amount_minor"], r["fx_rate"], r["amount_satang"], r["points"]) == \
        ("USD", 4000, "35.8125", 143_250, 57)
    text = run("award", "--member", member, "--amount", "1000", "--currency", "jpy", "--receipt", "R2",
               json_out=False).stdout
    assert "earned 9 points on JPY 1,000 (= ฿225.10 at 0.2251)" in text
    r = json.loads(run("award", "--member", member, "--amount", "1.234 KWD", "--currency", "KWD",
                       "--receipt", "R3").stdout)
    assert (r["amount_minor"], r["amount_satang"]) == (1234, 14_253)  # 142.527 baht, rounded half up
    assert _entries(run) == [("earn", 57, 143_250, "USD", 4000, "35.8125"), ("earn", 9, 22_510, "JPY", 1000, "0.2251"),
                             ("earn", 5, 14_253, "KWD", 1234, "115.5")]
    assert json.loads(run("doctor").stdout)  # the hash chain re-hashes the new fields
    assert "chain intact" in run("doctor", json_out=False).stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--amount", "40.005", "--currency", "USD"), "An amount in USD has at most 2 decimal places."),
    (("--amount", "1000.5", "--currency", "JPY"), "An amount in JPY has no decimal places, for example 1,000."),
    (("--amount", "10", "--currency", "EUR"), "There is no rate for EUR in the rules (version 2); nothing was recorded."),
    (("--amount", "10", "--currency", "CNY"),
     "There is no rate for CNY yet at the time of this sale; nothing was recorded."),
    (("--amount", "10", "--currency", "XYZ"), "“XYZ” is not a currency code (ISO 4217, for example USD)."),
    (("--amount", "10", "--currency", "USD", "--category", "food=10"),
     "Category lines are in baht: record a sale in another currency without them."),
])
def test_a_refused_currency_sale_is_one_line_and_records_nothing(run, member, args, message) -> None:
    _refused(run("award", "--member", member, "--receipt", "R9", *args, json_out=False), message)
    assert _entries(run) == []


def test_preview_of_a_dollar_sale_shows_its_points_and_records_nothing(run, member) -> None:
    shown = json.loads(run("award", "--member", member, "--amount", "40.00", "--currency", "USD", "--receipt", "R1",
                           "--preview").stdout)
    assert (shown["currency"], shown["amount_minor"], shown["fx_rate"], shown["amount_satang"], shown["points"]) == \
        ("USD", 4000, "35.8125", 143_250, 57)  # what the award below records
    text = run("award", "--member", member, "--amount", "40.00", "--currency", "USD", "--receipt", "R1",
               "--preview", json_out=False).stdout
    assert text.strip() == "USD 40.00 (= ฿1,432.50 at 35.8125) would earn 57 points for Somchai."
    small = json.loads(run("award", "--member", member, "--amount", "0.50", "--currency", "USD", "--receipt", "R1",
                           "--preview").stdout)
    assert (small["points"], small["amount_satang"], small["note"]) == (0, 1_791, "0 points: points start at ฿25")
    assert _entries(run) == []
    awarded = json.loads(run("award", "--member", member, "--amount", "40.00", "--currency", "USD",
                             "--receipt", "R1").stdout)
    assert (awarded["amount_satang"], awarded["points"]) == (143_250, 57)


@pytest.mark.parametrize(("args", "message"), [
    (("--amount", "10", "--currency", "EUR"), "There is no rate for EUR in the rules (version 2); nothing was recorded."),
    (("--amount", "10", "--currency", "CNY"),
     "There is no rate for CNY yet at the time of this sale; nothing was recorded."),
    (("--amount", "40.005", "--currency", "USD"), "An amount in USD has at most 2 decimal places."),
    (("--amount", "10", "--currency", "USD", "--category", "food=10"),
     "Category lines are in baht: record a sale in another currency without them."),
])
def test_a_refused_currency_preview_is_the_award_s_line(run, member, args, message) -> None:
    _refused(run("award", "--member", member, "--receipt", "R9", "--preview", *args, json_out=False), message)
    assert _entries(run) == []


def test_a_branch_that_does_not_take_a_currency_refuses_it(run, member, tmp_path: Path) -> None:
    (tmp_path / "r3.json").write_text(_rules({"BKK01": ["USD"]}).replace('"version":2', '"version":3'),
                                      encoding="utf-8")
    assert run("rules", "install", str(tmp_path / "r3.json")).exit_code == 0
    _refused(run("award", "--member", member, "--receipt", "R9", "--amount", "10", "--currency", "USD",
                 json_out=False), "This branch does not take USD (it takes THB); nothing was recorded.")
    shown = json.loads(run("rules", "show").stdout)
    assert shown["version"] == 3 and shown["currencies_accepted"] == []
    assert {r["currency"]: r["accepted_here"] for r in shown["rates"]}["USD"] is False
    assert _entries(run) == []


def test_rules_show_lists_the_rates_and_exponents(run, member) -> None:
    shown = json.loads(run("rules", "show").stdout)
    assert shown["currencies_accepted"] == ["CNY", "JPY", "KWD", "MYR", "USD"]  # CNY: its rate starts later
    assert {r["currency"]: (r["rate_thb"], r["exponent"]) for r in shown["rates"]}["KWD"] == ("115.5", 3)
    text = run("rules", "show", json_out=False).stdout
    assert "Currencies taken here: THB, CNY, JPY, KWD, MYR, USD" in text and "USD             35.8125" in text


def test_returns_of_a_foreign_sale_are_in_its_currency_and_add_up(run, member) -> None:
    run("award", "--member", member, "--amount", "40.00", "--currency", "USD", "--receipt", "R1")
    part = json.loads(run("return", "--receipt", "R1", "--amount", "10").stdout)
    assert (part["currency"], part["refund_minor"], part["refund_satang"], part["points_clawed_back"]) == \
        ("USD", 1000, 35_812, 15)  # a quarter of ฿1,432.50 (rounded down); the clawback rule as for baht
    _refused(run("return", "--receipt", "R1", "--amount", "10.001", json_out=False),
             "An amount in USD has at most 2 decimal places.")
    _refused(run("return", "--receipt", "R1", "--amount", "30.01", json_out=False),
             "Only USD 30.00 of receipt R1 can still be returned.")
    rest = json.loads(run("return", "--receipt", "R1").stdout)
    assert (rest["refund_minor"], rest["refund_satang"]) == (3000, 107_438)
    assert part["refund_satang"] + rest["refund_satang"] == 143_250
    assert part["points_clawed_back"] + rest["points_clawed_back"] == 57 and rest["points_clawed_back"] == 42
    assert json.loads(run("balance", "--member", member).stdout)["balance"] == 0
    assert [e[3:5] for e in _entries(run)] == [("USD", 4000), ("USD", 1000), ("USD", 3000)]


@pytest.mark.parametrize(("amount", "currency", "part", "too_much", "left"), [
    ("1432.50", None, "358.12", "1074.39", "Only ฿1,074.38 of receipt R1 can still be returned."),
    ("40.00", "USD", "10", "30.01", "Only USD 30.00 of receipt R1 can still be returned."),
])
def test_a_return_beyond_the_sale_is_refused_alike_in_baht_and_in_another_currency(
        run, member, amount, currency, part, too_much, left) -> None:
    run("award", "--member", member, "--amount", amount, *(("--currency", currency) if currency else ()),
        "--receipt", "R1")
    first = json.loads(run("return", "--receipt", "R1", "--amount", part).stdout)
    assert (first["refund_satang"], first["points_clawed_back"]) == (35_812, 15)  # the same quarter, the same rule
    _refused(run("return", "--receipt", "R1", "--amount", too_much, json_out=False), left)
    rest = json.loads(run("return", "--receipt", "R1").stdout)
    assert (rest["refund_satang"], rest["points_clawed_back"]) == (107_438, 42)  # never more than the sale earned
    _refused(run("return", "--receipt", "R1", json_out=False), "Receipt R1 was already fully returned.")
    assert json.loads(run("balance", "--member", member).stdout)["balance"] == 0
    assert [e[:3] for e in _entries(run)] == [("earn", 57, 143_250), ("reverse", -15, 35_812),
                                              ("reverse", -42, 107_438)]


def test_reports_total_in_baht_and_show_the_original_currencies(run, member) -> None:
    from pos_app.ledger.repository import Ledger
    from pos_app.services.reports import range_report
    from pos_app.services.terminal import Services

    run("award", "--member", member, "--amount", "40.00", "--currency", "USD", "--receipt", "R1")
    run("award", "--member", member, "--amount", "60.50", "--currency", "USD", "--receipt", "R2")
    run("award", "--member", member, "--amount", "1000", "--currency", "JPY", "--receipt", "R3")
    run("award", "--member", member, "--amount", "100.00", "--receipt", "R4")
    daily = json.loads(run("report", "daily").stdout)
    assert daily["totals"]["sales_satang"] == 143_250 + 216_666 + 22_510 + 10_000  # 60.50 x 35.8125 = 2,166.65625 -> 2,166.66
    assert [(c["currency"], c["sales"], c["amount_minor"], c["sales_satang"]) for c in daily["per_currency"]] == \
        [("JPY", 1, 1000, 22_510), ("USD", 2, 10_050, 359_916)]
    text = run("report", "daily", json_out=False).stdout
    assert "USD: 2 sales, USD 100.50 = ฿3,599.16" in text and "JPY: 1 sales, JPY 1,000 = ฿225.10" in text
    assert "USD 60.50" in run("history", "--member", member, json_out=False).stdout
    services = Services(Ledger.open(run.data))
    try:
        day = services.today()
        report = range_report(services, day, day, "cashier")
    finally:
        services.close()
    assert report.totals is not None and report.totals.sales_satang == daily["totals"]["sales_satang"]
    assert [(c.currency, c.amount_minor) for c in report.per_currency] == [("JPY", 1000), ("USD", 10_050)]


def test_a_voided_foreign_sale_leaves_the_report_in_baht_and_in_its_currency(run, member) -> None:
    kept = json.loads(run("award", "--member", member, "--amount", "40.00", "--currency", "USD",
                          "--receipt", "R1").stdout)
    voided = json.loads(run("award", "--member", member, "--amount", "60.50", "--currency", "USD",
                            "--receipt", "R2").stdout)
    assert run("void", "--entry", voided["entry_id"], "--op-id", "v1").exit_code == 0
    daily = json.loads(run("report", "daily").stdout)
    assert daily["totals"]["sales_satang"] == 143_250 and kept["points"] > 0
    assert [(c["currency"], c["sales"], c["amount_minor"], c["sales_satang"]) for c in daily["per_currency"]] == \
        [("USD", 1, 4_000, 143_250)]
    assert "USD: 1 sales, USD 40.00 = ฿1,432.50" in run("report", "daily", json_out=False).stdout
