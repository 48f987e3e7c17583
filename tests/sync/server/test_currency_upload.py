"""Sales in other currencies at the server, over HTTP with real server processes (uvicorn on loopback) and a real
PostgreSQL: the server recomputes the THB equivalent with its own rates of the entry's rules version and treats a
disagreement like a points mismatch; a currency without a rate, or one the branch does not take, is quarantined.
Records written by terminals from before the currency fields (record format 1) are accepted as ever."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from sync import protocol as p
from sync import records
from sync.server import service as svc
from sync.server.app import run_tx
from tests.sync.server.conftest import ServerProcess
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

JAN = datetime(2026, 1, 1, tzinfo=UTC)
VERSION = 2


@pytest.fixture(scope="module")
def rules_v2(engine: Engine) -> int:
    from pos_app.core.rules import Currencies, FxRate, default_rules

    bundle = dataclasses.replace(default_rules(VERSION), currencies=Currencies(
        (FxRate("USD", "35.8125", JAN), FxRate("JPY", "0.2251", JAN), FxRate("EUR", "38", JAN)),
        {"BKK01": ["USD", "JPY"]}))
    return run_tx(engine, lambda c: svc.set_rules(c, bundle.to_json(), svc.utcnow()))


@pytest.fixture(scope="module")
def http(servers: list[ServerProcess], rules_v2: int) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=servers[0].url, timeout=30) as client:
        yield client


@pytest.fixture
def pair(http: httpx.Client, new_terminal: Callable[[httpx.Client], Terminal]) -> tuple[Terminal, Terminal, str]:
    counter, other = new_terminal(http), new_terminal(http)
    member = counter.member()
    counter.upload_ok([member])
    other.pull_all()
    return counter, other, member["member"]["id"]


def balance(engine: Engine, member_id: str) -> int:
    return run_tx(engine, lambda c: svc.member_state(c, member_id)).balance


def foreign_earn(t: Terminal, member_id: str, currency: str, minor: int, rate: str, satang: int,
                 points: int | None = None) -> dict[str, Any]:
    return t.earn(member_id, satang, points=satang // 2500 if points is None else points, rules_version=VERSION,
                  currency=currency, amount_minor=minor, fx_rate=rate)


def test_an_old_terminal_upload_without_the_new_fields_is_accepted_and_travels_unchanged(
        pair: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    counter, other, mid = pair
    old = counter.earn(mid, 123_450)  # built exactly as format-1 code builds it
    assert not set(records.ENTRY_OPTIONAL_FIELDS) & set(old["entry"])
    body = counter.upload_ok([old])
    assert body["quarantined"] == [] and body["flags"] == []
    seen = [c["entry"] for c in other.pull_all() if c["type"] == "entry"]
    assert seen == [old["entry"]]  # the same keys (no "currency": null added) and the same hash
    assert records.content_hash(seen[0]) == old["entry"]["content_hash"]
    assert balance(engine, mid) == 49


def test_a_dollar_sale_at_the_rules_rate_is_applied_and_reaches_the_other_terminal(
        pair: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    counter, other, mid = pair
    sale = foreign_earn(counter, mid, "USD", 4000, "35.8125", 143_250)  # USD 40.00 -> ฿1,432.50 -> 57 points
    body = counter.upload_ok([sale])
    assert body["quarantined"] == [] and body["flags"] == []
    assert balance(engine, mid) == 57
    seen = [c["entry"] for c in other.pull_all() if c["type"] == "entry"]
    assert [(e["currency"], e["amount_minor"], e["fx_rate"], e["amount_satang"]) for e in seen] == \
        [("USD", 4000, "35.8125", 143_250)]
    assert p.Entry.model_validate(seen[0]).hash_ok()


def test_a_thb_equivalent_above_the_servers_is_flagged_and_the_extra_points_taken_back(
        pair: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    counter, other, mid = pair
    # the counter used 40 baht to the dollar: ฿1,600.00 and 64 points; the rules say ฿1,432.50 and 57
    sale = foreign_earn(counter, mid, "USD", 4000, "40", 160_000)
    body = counter.upload_ok([sale])
    assert body["quarantined"] == []
    flags = {f["kind"]: f for f in body["flags"]}
    assert set(flags) == {"fx_mismatch", "points_mismatch"}
    fx = flags["fx_mismatch"]["details"]
    assert (fx["fx_rate"], fx["server_fx_rate"], fx["amount_satang"], fx["expected_satang"], fx["points_expected"]) \
        == ("40", "35.8125", 160_000, 143_250, 57)
    assert flags["points_mismatch"]["details"]["taken_back"] == 7
    assert balance(engine, mid) == 57
    back = [c["entry"] for c in other.pull_all() if c["type"] == "entry" and c["entry"]["corrects_id"]]
    assert [(e["terminal_id"], e["kind"], e["points"]) for e in back] == [("server", "reverse", -7)]


def test_a_thb_equivalent_below_the_servers_is_flagged_only(
        pair: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    counter, _, mid = pair
    sale = foreign_earn(counter, mid, "JPY", 100_000, "0.2", 20_000)  # the rules say ฿225.10 x 100 = ฿22,510
    body = counter.upload_ok([sale])
    assert [f["kind"] for f in body["flags"]] == ["fx_mismatch", "points_mismatch"]
    assert balance(engine, mid) == 8  # fewer points than the rules give are kept (a manager may adjust)


@pytest.mark.parametrize(("currency", "code"), [("EUR", "currency_not_accepted"), ("MYR", "no_fx_rate")])
def test_a_currency_the_branch_does_not_take_or_without_a_rate_is_quarantined(
        pair: tuple[Terminal, Terminal, str], engine: Engine, currency: str, code: str) -> None:
    counter, other, mid = pair
    sale = foreign_earn(counter, mid, currency, 10_000, "38", 380_000)
    after = counter.earn(mid, 10_000)  # the queue moves on
    body = counter.upload_ok([sale, after])
    assert body["ack_seq"] == after["seq"]
    assert [(q["id"], q["code"]) for q in body["quarantined"]] == [(sale["entry"]["id"], code)]
    assert balance(engine, mid) == 4
    assert sale["entry"]["id"] not in {c["entry"]["id"] for c in other.pull_all() if c["type"] == "entry"}


def foreign_return(t: Terminal, sale: dict[str, Any], minor: int, satang: int, points: int,
                   rate: str | None = None, currency: str | None = None) -> dict[str, Any]:
    """A return of part of ``sale`` as a terminal records it: ``minor`` in the sale's currency, its THB part
    ``satang``, ``points`` taken back (positive), at the sale's rate unless ``rate`` says otherwise."""
    earn = sale["entry"]
    return t.entry(earn["member_id"], "reverse", -points, corrects_id=earn["id"], receipt_ref=earn["receipt_ref"],
                   amount_satang=satang, currency=currency or earn["currency"], amount_minor=minor,
                   fx_rate=rate or earn["fx_rate"], reason="return", approved_by="manager1")


def server_reverses(t: Terminal) -> list[tuple[str, int]]:
    return [(c["entry"]["corrects_id"], c["entry"]["points"]) for c in t.pull_all()
            if c["type"] == "entry" and c["entry"]["terminal_id"] == "server"]


def test_returns_of_a_dollar_sale_in_parts_at_the_sales_rate_are_applied_without_a_flag(
        pair: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    counter, other, mid = pair
    sale = foreign_earn(counter, mid, "USD", 4000, "35.8125", 143_250)  # 57 points
    # USD 10.00 of USD 40.00: a quarter of ฿1,432.50 rounded down (฿358.12) takes back 15 points; the rest
    # (USD 30.00 = ฿1,074.38) the other 42, so the parts add up to the sale exactly
    first = foreign_return(counter, sale, 1000, 35_812, 15)
    rest = foreign_return(counter, sale, 3000, 107_438, 42)
    body = counter.upload_ok([sale, first])
    assert body["quarantined"] == [] and body["flags"] == []
    assert balance(engine, mid) == 42
    body = counter.upload_ok([rest])  # a later upload: the first return is read back from the database
    assert body["quarantined"] == [] and body["flags"] == []
    assert balance(engine, mid) == 0
    seen = [c["entry"] for c in other.pull_all() if c["type"] == "entry" and c["entry"]["kind"] == "reverse"]
    assert [(e["currency"], e["amount_minor"], e["fx_rate"], e["amount_satang"], e["points"]) for e in seen] == \
        [("USD", 1000, "35.8125", 35_812, -15), ("USD", 3000, "35.8125", 107_438, -42)]


def test_a_return_converted_at_the_days_rate_is_flagged_and_the_points_it_left_taken_back(
        pair: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    counter, other, mid = pair
    sale = foreign_earn(counter, mid, "USD", 4000, "35.8125", 143_250)
    counter.upload_ok([sale])
    # the counter converted the refund at the day's 33.00: ฿330.00 and 13 points; the sale's rate gives
    # ฿358.12 and 15 points
    wrong = foreign_return(counter, sale, 1000, 33_000, 13, rate="33")
    body = counter.upload_ok([wrong])
    assert body["quarantined"] == []
    flags = {f["kind"]: f["details"] for f in body["flags"]}
    assert set(flags) == {"fx_mismatch", "points_mismatch"}
    fx = flags["fx_mismatch"]
    assert (fx["kind"], fx["fx_rate"], fx["sale_fx_rate"], fx["amount_satang"], fx["expected_satang"],
            fx["points_expected"]) == ("return", "33", "35.8125", 33_000, 35_812, -15)
    assert (flags["points_mismatch"]["expected"], flags["points_mismatch"]["taken_back"]) == (-15, 2)
    assert balance(engine, mid) == 42  # as if the refund had been converted at the sale's rate
    assert server_reverses(other) == [(sale["entry"]["id"], -2)]
    assert [f.kind for f in run_tx(engine, lambda c: svc.list_flags(c)) if f.entry_id == wrong["entry"]["id"]] == \
        ["fx_mismatch", "points_mismatch"]  # for head office, as an earn's mismatch


def test_a_return_that_takes_back_too_many_points_is_flagged_only(
        pair: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    counter, other, mid = pair
    sale = foreign_earn(counter, mid, "USD", 4000, "35.8125", 143_250)
    greedy = foreign_return(counter, sale, 1000, 35_812, 20)  # the right THB share, 5 points too many
    body = counter.upload_ok([sale, greedy])
    assert [(f["kind"], f["details"]["expected"], f["details"]["points"]) for f in body["flags"]] == \
        [("points_mismatch", -15, -20)]
    assert balance(engine, mid) == 37  # the terminal's figure stands; a manager may give the 5 back
    assert server_reverses(other) == []


def test_a_return_in_another_currency_or_beyond_the_sale_is_refused_or_flagged(
        pair: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    counter, _, mid = pair
    sale = foreign_earn(counter, mid, "USD", 4000, "35.8125", 143_250)
    too_much = foreign_return(counter, sale, 4001, 143_250, 57)  # one cent more than the sale
    yen = foreign_return(counter, sale, 1600, 35_812, 15, rate="0.2251", currency="JPY")
    body = counter.upload_ok([sale, too_much, yen])
    assert [(q["id"], q["code"]) for q in body["quarantined"]] == [(too_much["entry"]["id"], "bad_correction")]
    assert [(f["kind"], f["entry_id"]) for f in body["flags"]] == [("quarantined", too_much["entry"]["id"]),
                                                                   ("fx_mismatch", yen["entry"]["id"])]
    fx = body["flags"][1]["details"]
    assert (fx["currency"], fx["sale_currency"], fx["fx_rate"], fx["sale_fx_rate"]) == \
        ("JPY", "USD", "0.2251", "35.8125")
    assert balance(engine, mid) == 42  # its THB part judged as a baht return: 15 points


def _sale_and_return(t: Terminal, mid: str, currency: str | None) -> tuple[Callable[..., dict[str, Any]],
                                                                          dict[str, Any]]:
    """A ฿1,432.50 sale (57 points) paid in baht or as USD 40.00, and a function making a return of ``part`` of it
    (in the sale's own money: satang or cents) with its THB part ``satang`` and ``points`` taken back."""
    if currency is None:
        sale = t.earn(mid, 143_250, rules_version=VERSION)

        def part(cents_or_satang: int, satang: int, points: int) -> dict[str, Any]:
            return t.entry(mid, "reverse", -points, corrects_id=sale["entry"]["id"], receipt_ref=sale["entry"][
                "receipt_ref"], amount_satang=satang, reason="return", approved_by="manager1")
        return part, sale
    sale = foreign_earn(t, mid, "USD", 4000, "35.8125", 143_250)
    return (lambda minor, satang, points: foreign_return(t, sale, minor, satang, points)), sale


@pytest.mark.parametrize("currency", [None, "USD"])
def test_a_return_beyond_the_sale_or_its_points_is_quarantined_in_baht_as_in_another_currency(
        pair: tuple[Terminal, Terminal, str], engine: Engine, currency: str | None) -> None:
    counter, other, mid = pair
    ret, sale = _sale_and_return(counter, mid, currency)
    whole = 143_250 if currency is None else 4000
    more_than_sold = ret(whole + 1, 143_251 if currency is None else 143_250, 57)  # one satang / cent too many
    more_points = ret(100 if currency is None else 1000, 35_812 if currency else 100, 58)  # the sale earned 57
    body = counter.upload_ok([sale, more_than_sold, more_points])
    assert [(q["id"], q["code"]) for q in body["quarantined"]] == [
        (more_than_sold["entry"]["id"], "bad_correction"), (more_points["entry"]["id"], "bad_correction")]
    assert [f["kind"] for f in body["flags"]] == ["quarantined", "quarantined"]
    assert balance(engine, mid) == 57  # neither moved a point
    assert {c["entry"]["id"] for c in other.pull_all() if c["type"] == "entry"} == {sale["entry"]["id"]}


@pytest.mark.parametrize("currency", [None, "USD"])
def test_a_return_taking_back_more_points_than_the_rule_is_flagged_in_baht_as_in_another_currency(
        pair: tuple[Terminal, Terminal, str], engine: Engine, currency: str | None) -> None:
    counter, other, mid = pair
    ret, sale = _sale_and_return(counter, mid, currency)
    # a quarter of the sale (฿358.12 of ฿1,432.50, or USD 10.00 of 40.00) takes back 15 points by the rule
    greedy = ret(35_812 if currency is None else 1000, 35_812, 20)
    body = counter.upload_ok([sale, greedy])
    assert body["quarantined"] == []
    assert [(f["kind"], f["entry_id"], f["details"]["expected"], f["details"]["points"]) for f in body["flags"]] == \
        [("points_mismatch", greedy["entry"]["id"], -15, -20)]
    assert "taken_back" not in body["flags"][0]["details"]
    assert balance(engine, mid) == 37  # the terminal's figure stands; a manager may give the 5 back
    assert server_reverses(other) == []
    # the next quarter (USD 10.00 is ฿358.13 of what is left, the shares add up): the rule takes back 14 more
    shy = ret(35_813 if currency is None else 1000, 35_813, 10)
    body = counter.upload_ok([shy])
    assert [(f["kind"], f["details"]["expected"], f["details"]["taken_back"]) for f in body["flags"]] == \
        [("points_mismatch", -14, 4)]
    assert balance(engine, mid) == 57 - 20 - 14
    assert server_reverses(other) == [(sale["entry"]["id"], -4)]
