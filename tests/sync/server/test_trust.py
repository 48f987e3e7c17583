"""The server accepts nothing a terminal may not do (issue: sync you can trust). A hostile terminal with a valid
credential sends forged records straight to /v1/upload: each is acknowledged (its queue moves on) but moves no
balance, is flagged for a manager, and its compensation goes back to that terminal only, so every ledger agrees.
In-process app over HTTP, real PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sync import records
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.cli import cli
from sync.server.config import Settings
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]


def balance(engine: Engine, member_id: str) -> int:
    return run_tx(engine, lambda c: svc.member_state(c, member_id)).balance


def entries_seen(t: Terminal) -> list[dict[str, Any]]:
    return [c["entry"] for c in t.pull_all() if c["type"] == "entry"]


@pytest.fixture
def setup(client: TestClient, engine: Engine, new_terminal: NewTerminal) -> tuple[Terminal, Terminal, str]:
    """A hostile terminal and an honest one; a member with 4 points (฿100 at 25 baht a point)."""
    hostile, honest = new_terminal(client), new_terminal(client)
    member = hostile.member()
    mid = member["member"]["id"]
    hostile.upload_ok([member, hostile.earn(mid, 10_000)])
    honest.pull_all()
    assert balance(engine, mid) == 4
    return hostile, honest, mid


FORGED: list[tuple[str, dict[str, Any], str]] = [
    ("redeem", {"points": 500}, "wrong_sign"),
    ("reverse", {"points": 500, "corrects_id": str(uuid.uuid4())}, "bad_correction"),
    ("adjust", {"points": 500, "approved_by": "cashier1"}, "unknown_approver"),
    ("adjust", {"points": 500, "approved_by": "nobody"}, "unknown_approver"),
    ("expire", {"points": 500, "corrects_id": str(uuid.uuid4())}, "kind_not_allowed"),
    ("overdraft", {"points": 500, "corrects_id": str(uuid.uuid4())}, "kind_not_allowed"),
    ("overdraft", {"points": -5000, "corrects_id": str(uuid.uuid4())}, "kind_not_allowed"),
    ("earn", {"points": -50, "amount_satang": 10_000, "rules_version": 1, "tier_code": "member"}, "wrong_sign"),
    ("adjust", {"points": 1_000_000_001, "approved_by": "manager1"}, "points_out_of_range"),
    ("adjust", {"points": 2**62, "approved_by": "manager1"}, "points_out_of_range"),
    ("earn", {"points": 0, "amount_satang": 10_000, "rules_version": 77}, "unknown_rules_version"),
    ("adjust", {"points": 5, "approved_by": "manager1", "reason": "typo\x00"}, "bad_text"),
]


@pytest.mark.parametrize(("kind", "fields", "code"), FORGED, ids=[f"{k}-{c}-{f['points']}" for k, f, c in FORGED])
def test_a_forged_record_is_acknowledged_quarantined_and_moves_no_balance(
        setup: tuple[Terminal, Terminal, str], engine: Engine, kind: str, fields: dict[str, Any],
        code: str) -> None:
    hostile, honest, mid = setup
    forged = hostile.entry(mid, kind, **fields)
    after = hostile.earn(mid, 5_000)  # the terminal's next record: its queue must not stall behind the forgery
    body = hostile.upload_ok([forged, after])
    assert body["ack_seq"] == after["seq"]
    assert [(q["id"], q["code"]) for q in body["quarantined"]] == [(forged["entry"]["id"], code)]
    assert balance(engine, mid) == 4 + 2
    flags = run_tx(engine, lambda c: svc.list_flags(c, True, "quarantined", mid))
    assert [(f.entry_id, f.details["code"]) for f in flags] == [(forged["entry"]["id"], code)]
    assert run_tx(engine, svc.verify_balances) == []
    # The hostile terminal gets the compensation of its own record (its ledger comes back to the server's);
    # the honest terminal sees neither the forged record nor its compensation.
    back = [e for e in entries_seen(hostile) if e["corrects_id"] == forged["entry"]["id"]]
    assert [(e["terminal_id"], e["kind"], e["points"]) for e in back] == [("server", "reverse", -fields["points"])]
    seen = entries_seen(honest)
    assert forged["entry"]["id"] not in {e["id"] for e in seen}
    assert [e["id"] for e in seen] == [after["entry"]["id"]]


def test_an_earn_claiming_a_tier_the_member_does_not_have_is_held_to_the_rules(
        setup: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    hostile, honest, mid = setup
    # ฿1,000 earns 40 points in the first tier; a "gold" claim (x1.5) says 60
    claim = hostile.earn(mid, 100_000, points=60, tier="gold")
    body = hostile.upload_ok([claim])
    assert body["quarantined"] == []
    mismatch = [f for f in body["flags"] if f["kind"] == "points_mismatch"]
    assert [(f["entry_id"], f["details"]["expected"], f["details"]["taken_back"]) for f in mismatch] == \
        [(claim["entry"]["id"], 40, 20)]
    assert balance(engine, mid) == 4 + 40
    # every terminal holds the claim and the server's reverse of the excess
    for t in (hostile, honest):
        assert [(e["kind"], e["points"]) for e in entries_seen(t) if e["corrects_id"] == claim["entry"]["id"]] \
            == [("reverse", -20)]


def test_a_member_who_earned_gold_in_the_period_keeps_the_gold_bonus(
        setup: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    hostile, _, mid = setup
    big = hostile.earn(mid, 12_500_000)  # 5,000 points in the first tier: gold from now on
    gold = hostile.earn(mid, 100_000, points=60, tier="gold")
    body = hostile.upload_ok([big, gold])
    assert [f for f in body["flags"] if f["kind"] == "points_mismatch"] == []
    assert balance(engine, mid) == 4 + 5000 + 60


def test_a_reward_redeemed_below_its_price_is_charged_the_difference(
        setup: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    hostile, _, mid = setup
    hostile.upload_ok([hostile.earn(mid, 250_000)])  # +100 -> 104
    cheap = hostile.redeem(mid, 1, reward_code="COFFEE", offline=False)  # COFFEE costs 100 (demo)
    body = hostile.upload_ok([cheap])
    flags = [f for f in body["flags"] if f["kind"] == "reward_price_mismatch"]
    assert [(f["details"]["price"], f["details"]["charged"]) for f in flags] == [(100, 1)]
    assert balance(engine, mid) == 104 - 100


def test_reverses_cannot_exceed_the_entry_they_correct_and_a_short_clawback_is_completed(
        setup: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    hostile, _, mid = setup
    sale = hostile.earn(mid, 100_000)  # 40 points on ฿1,000
    hostile.upload_ok([sale])
    short = hostile.entry(mid, "reverse", points=-1, corrects_id=sale["entry"]["id"], amount_satang=50_000)
    body = hostile.upload_ok([short])  # half refunded: the rules take back 20
    assert [(f["kind"], f["details"]["expected"]) for f in body["flags"]] == [("points_mismatch", -20)]
    assert balance(engine, mid) == 4 + 40 - 20
    too_much = hostile.entry(mid, "reverse", points=-40, corrects_id=sale["entry"]["id"])
    body = hostile.upload_ok([too_much])
    assert [q["code"] for q in body["quarantined"]] == ["bad_correction"]
    assert balance(engine, mid) == 4 + 40 - 20


def test_an_adjustment_approved_by_a_known_manager_applies(setup: tuple[Terminal, Terminal, str],
                                                          engine: Engine) -> None:
    hostile, _, mid = setup
    body = hostile.upload_ok([hostile.entry(mid, "adjust", points=10, approved_by="manager1", reason="goodwill")])
    assert body["quarantined"] == [] and balance(engine, mid) == 14


def test_a_record_that_would_take_a_balance_past_the_limit_is_quarantined(
        setup: tuple[Terminal, Terminal, str], engine: Engine) -> None:
    hostile, _, mid = setup
    first = hostile.entry(mid, "adjust", points=records.MAX_ENTRY_POINTS, approved_by="manager1", reason="x")
    body = hostile.upload_ok([first])
    assert [q["code"] for q in body["quarantined"]] == ["balance_out_of_range"]
    assert balance(engine, mid) == 4


@pytest.mark.parametrize("sale_at", ["2026-11-23T08:15:00Z", "0001-01-01T00:00:00.000Z", "2026-11-23T08:15:00.000+00:00",
                                     "2026-11-23T08:15:00.123456Z", "2026-02-30T08:15:00.000Z"])
def test_a_non_canonical_sale_time_is_refused_at_the_door(setup: tuple[Terminal, Terminal, str],
                                                          sale_at: str) -> None:
    hostile, _, mid = setup
    bad = hostile.earn(mid, 5_000, sale_at=sale_at)
    response = hostile.upload([bad])
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "sale_at" in response.text


def test_one_entry_id_at_two_seqs_in_one_batch_is_a_conflict(setup: tuple[Terminal, Terminal, str]) -> None:
    hostile, _, mid = setup
    first = hostile.earn(mid, 5_000)
    twin = hostile.entry(mid, "earn", points=2, amount_satang=5_000, rules_version=1, tier_code="member",
                         id=first["entry"]["id"])
    response = hostile.upload([first, twin])
    assert response.status_code == 409, response.text
    body = response.json()["error"]
    assert body["code"] == "content_conflict"
    assert [c["reason"] for c in body["details"]["conflicts"]] == ["id_reused"]


@pytest.mark.parametrize("points", ["1000000001", "-100000001", "99999999999999999999", "9223372036854775808"])
def test_admin_adjust_refuses_out_of_range_points_in_one_line(settings: Settings, setup: tuple[Terminal, Terminal, str],
                                                              engine: Engine, points: str) -> None:
    _, _, mid = setup
    result = CliRunner().invoke(cli, ["--database-url", settings.database_url, "member", "adjust", "--reason", "typo",
                                      "--by", "it", mid, "--", points])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"Error: points must be between -{records.MAX_ENTRY_POINTS:,} and {records.MAX_ENTRY_POINTS:,} "
        "(points_out_of_range)"]
    assert balance(engine, mid) == 4
