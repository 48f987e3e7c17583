"""Upload batches that share members: inside one batch (applied in seq order) and across terminals uploading at
the same moment to two server processes (member rows are locked in one statement, in id order: no deadlock, every
batch applied once). Real PostgreSQL, real ``uvicorn`` processes."""

from __future__ import annotations

import random
import threading
import uuid
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


def balance(engine: Engine, member_id: str) -> int:
    return run_tx(engine, lambda c: svc.member_state(c, member_id)).balance


def entries_of(engine: Engine, member_id: str) -> list[tuple[str, int]]:
    return run_tx(engine, lambda c: [(r.kind, int(r.points)) for r in c.execute(
        select(m.entries.c.kind, m.entries.c.points).where(m.entries.c.member_id == member_id)
        .order_by(m.entries.c.change_id))])


def test_one_batch_touching_a_member_several_times_applies_in_seq_order(
        client: TestClient, engine: Engine, new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    t = new_terminal(client)
    first, second = t.member(), t.member()
    a, b = first["member"]["id"], second["member"]["id"]
    # a: earns 40 then redeems 30 offline in the same batch: covered by the earn before it, no overdraft.
    # b: earns 20, redeems 30 (10 short: an overdraft of 10, the balance back to 0), then earns 20 more.
    batch = [first, second, t.earn(a, 100_000), t.earn(b, 50_000), t.redeem(a, 30), t.redeem(b, 30),
             t.earn(b, 50_000), t.earn(a, 2_500)]
    result = t.upload_ok(batch)
    assert result["ack_seq"] == batch[-1]["seq"]
    assert [f["kind"] for f in result["flags"]] == ["overdraft"]
    assert result["flags"][0]["member_id"] == b
    assert result["flags"][0]["details"]["shortfall"] == 10
    assert balance(engine, a) == 40 - 30 + 1
    assert entries_of(engine, a) == [("earn", 40), ("redeem", -30), ("earn", 1)]
    assert balance(engine, b) == 20 - 30 + 10 + 20
    assert sorted(entries_of(engine, b)) == sorted([("earn", 20), ("redeem", -30), ("earn", 20), ("overdraft", 10)])
    assert run_tx(engine, svc.verify_balances) == []
    again = t.upload_ok(batch)  # a resend changes nothing
    assert {r["status"] for r in again["results"]} == {"duplicate"}
    assert balance(engine, a) == 11 and balance(engine, b) == 20


def test_two_terminals_uploading_the_same_members_at_once_both_apply_without_deadlock(
        engine: Engine, servers: list[ServerProcess], enroll_code: Callable[[], str]) -> None:
    clients = [httpx.Client(base_url=s.url, timeout=60) for s in servers]
    owner = Terminal(clients[0])
    assert owner.enroll(enroll_code()).status_code == 200
    members = [owner.member() for _ in range(12)]
    owner.upload_ok(members)
    ids = [r["member"]["id"] for r in members]
    terminals = [Terminal(clients[i]) for i in range(2)]
    for t in terminals:
        assert t.enroll(enroll_code()).status_code == 200
    rounds = 8
    errors: list[str] = []
    start = threading.Barrier(2)

    def run(t: Terminal, order: list[str], seed: int) -> None:
        rnd = random.Random(seed)
        try:
            for _ in range(rounds):
                # every member twice per batch, one terminal in id order and the other in reverse: without one
                # ordered lock of all the batch's members, the two transactions would wait for each other
                batch = [t.earn(mid, 25_000 * rnd.randint(1, 4)) for mid in order + order[::-1]]
                start.wait(timeout=60)
                r = t.upload(batch, str(uuid.uuid4()))
                if r.status_code != 200 or r.json()["ack_seq"] != batch[-1]["seq"]:
                    errors.append(f"{t.terminal_id}: {r.status_code} {r.text[:300]}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
            start.abort()

    threads = [threading.Thread(target=run, args=(terminals[0], sorted(ids), 1)),
               threading.Thread(target=run, args=(terminals[1], sorted(ids, reverse=True), 2))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for c in clients:
        c.close()
    assert errors == []
    sent = {mid: 0 for mid in ids}
    for t in terminals:
        for record in t.outbox:
            sent[record["entry"]["member_id"]] += record["entry"]["points"]
    for mid in ids:
        assert balance(engine, mid) == sent[mid]
    earned = run_tx(engine, lambda c: c.execute(select(func.count()).select_from(m.entries).where(
        m.entries.c.terminal_id.in_([t.terminal_id for t in terminals]))).scalar_one())
    assert earned == 2 * rounds * 2 * len(ids)  # every entry applied exactly once
    assert run_tx(engine, svc.verify_balances) == []


def test_connections_the_database_dropped_are_replaced_without_a_failed_request(
        client: TestClient, engine: Engine, new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    """Pooled connections are pinged only after a quiet spell (not at every checkout): when the database drops
    them while the pool thinks them fresh (a restart, a failover), the next uploads are still answered, each
    record applied once."""
    t = new_terminal(client)
    member = t.member()
    t.upload_ok([member])
    mid = member["member"]["id"]
    for _ in range(3):
        with engine.connect() as admin:  # every other session of this database, the pooled ones included
            killed = admin.exec_driver_sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()").scalar_one()
            admin.rollback()
        assert killed >= 1
        batch = [t.earn(mid, 25_000), t.earn(mid, 50_000)]
        result = t.upload_ok(batch)
        assert result["ack_seq"] == batch[-1]["seq"]
    assert balance(engine, mid) == 3 * (10 + 20)
    assert run_tx(engine, svc.verify_balances) == []
