"""Offline redemptions become bounded, flagged overdrafts; online redemptions reserve and never overdraw;
duplicate phones from offline counters keep both members' points until a manager merges them."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from tests.sync.server.conftest import ServerProcess
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]


def state(engine: Engine, member_id: str):  # type: ignore[no-untyped-def]
    return run_tx(engine, lambda c: svc.member_state(c, member_id))


def sum_of_entries(engine: Engine, member_id: str, kind: str | None = None) -> int:
    query = select(func.coalesce(func.sum(m.entries.c.points), 0)).where(m.entries.c.member_id == member_id)
    if kind:
        query = query.where(m.entries.c.kind == kind)
    return int(run_tx(engine, lambda c: c.execute(query).scalar_one()))


def member_with_points(t: Terminal, points: int) -> str:
    member = t.member()
    t.upload_ok([member, t.earn(member["member"]["id"], points * 2500)])
    return str(member["member"]["id"])


@pytest.mark.parametrize("terminals", [2, 5])
def test_offline_redemptions_beyond_the_balance_become_a_flagged_overdraft(
        client: TestClient, engine: Engine, new_terminal: NewTerminal, terminals: int) -> None:
    counters = [new_terminal(client) for _ in range(terminals)]
    mid = member_with_points(counters[0], 100)
    for t in counters:  # every counter honoured 60 points offline, each within its allowance
        t.redeem(mid, 60, offline=True)
    results = [t.upload_ok([t.outbox[-1]]) for t in counters]
    shortfall = terminals * 60 - 100
    overdraft_flags = [f for r in results for f in r["flags"] if f["kind"] == "overdraft"]
    assert sum(f["details"]["shortfall"] for f in overdraft_flags) == shortfall
    assert sum_of_entries(engine, mid, "overdraft") == shortfall
    # nothing was rejected: every redemption is on the ledger, the balance never stays negative
    assert sum_of_entries(engine, mid, "redeem") == -terminals * 60
    after = state(engine, mid)
    assert after.balance == 0 == sum_of_entries(engine, mid)
    assert after.offline_redeem_blocked
    policy = run_tx(engine, svc.get_policy)
    assert shortfall <= terminals * policy.max_points_per_member_per_terminal
    # every counter hears about it: overdraft entry and the member's zero offline allowance
    pulled = counters[1].pull_all()
    assert any(c["type"] == "entry" and c["entry"]["kind"] == "overdraft" and c["entry"]["member_id"] == mid
               for c in pulled)
    assert [c["member"] for c in pulled if c["type"] == "member" and c["member"]["id"] == mid][-1][
        "offline_redeem_blocked"]
    # a manager resolves the flags; the allowance comes back
    for f in overdraft_flags:
        run_tx(engine, lambda c, f=f: svc.resolve_flag(c, f["id"], "manager1", "written off", svc.utcnow()))
    assert not state(engine, mid).offline_redeem_blocked


def test_online_reservation_hold_post_and_void(client: TestClient, engine: Engine,
                                               new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    mid = member_with_points(t, 100)
    r = t.reserve(mid, 70)
    assert r.status_code == 200, r.text
    held = r.json()
    assert held["status"] == "held" and held["available_after"] == 30
    refused = t.reserve(mid, 40)
    assert refused.status_code == 409 and refused.json()["error"]["details"]["available"] == 30
    again = t.reserve(mid, 70, reservation_id=held["reservation_id"])  # retry of the same reservation
    assert again.status_code == 200 and again.json()["available_after"] == 30
    t.redeem(mid, 70, offline=False, reservation_id=held["reservation_id"])
    body = t.upload_ok([t.outbox[-1]])
    assert not body["flags"]
    assert state(engine, mid).balance == 30
    second = t.reserve(mid, 30).json()
    void = client.post(f"/v1/reservations/{second['reservation_id']}/void", headers=t.auth)
    assert void.status_code == 200 and void.json()["status"] == "voided" and void.json()["available_after"] == 30
    assert t.reserve(mid, 30).status_code == 200


def test_two_counters_racing_online_never_overdraw(engine: Engine, servers: list[ServerProcess],
                                                   enroll_code: Callable[[], str]) -> None:
    clients = [httpx.Client(base_url=s.url, timeout=30) for s in servers]
    counters = []
    for http in clients:
        t = Terminal(http)
        assert t.enroll(enroll_code()).status_code == 200
        counters.append(t)
    members = [member_with_points(counters[0], 100) for _ in range(8)]
    outcomes: dict[tuple[int, str], int] = {}
    barrier = threading.Barrier(2)

    def race(i: int) -> None:
        for mid in members:
            barrier.wait()
            r = counters[i].reserve(mid, 80)
            outcomes[(i, mid)] = r.status_code
            if r.status_code == 200:
                counters[i].redeem(mid, 80, offline=False, reservation_id=r.json()["reservation_id"])

    threads = [threading.Thread(target=race, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for mid in members:
        assert sorted(outcomes[(i, mid)] for i in range(2)) == [200, 409]
    for t in counters:
        if len(t.outbox) > 0:
            t.upload_ok([r for r in t.outbox if r["type"] == "entry" and r["entry"]["kind"] == "redeem"])
    for mid in members:
        assert state(engine, mid).balance == 20
        assert sum_of_entries(engine, mid, "overdraft") == 0
    for http in clients:
        http.close()


def test_same_phone_enrolled_offline_on_two_counters_keeps_both_and_flags(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    a, b = new_terminal(client), new_terminal(client)
    ma, mb = a.member(phone="0899999999"), b.member(phone="0899999999")
    a.earn(ma["member"]["id"], 250_000)
    b.earn(mb["member"]["id"], 125_000)
    a.upload_ok(a.outbox)
    body = b.upload_ok(b.outbox)
    flag = next(f for f in body["flags"] if f["kind"] == "duplicate_phone")
    assert flag["member_id"] == mb["member"]["id"]
    assert flag["details"]["other_member_id"] == ma["member"]["id"]
    assert state(engine, ma["member"]["id"]).balance == 100
    assert state(engine, mb["member"]["id"]).balance == 50
    merged = run_tx(engine, lambda c: svc.merge_members(c, mb["member"]["id"], ma["member"]["id"], "manager1",
                                                        svc.utcnow()))
    assert merged.balance == 150
    assert state(engine, mb["member"]["id"]).merged_into == ma["member"]["id"]
    assert sum_of_entries(engine, ma["member"]["id"]) == 150 and sum_of_entries(engine, mb["member"]["id"]) == 0
    assert not run_tx(engine, lambda c: svc.list_flags(c, True, "duplicate_phone", mb["member"]["id"]))
    assert run_tx(engine, svc.verify_balances) == []
