"""Points expiry on the server (real PostgreSQL): what expires, what never does (spent points), one run at a time,
idempotent under racing runs, the periodic job inside the app, the CLI, and the change feed carrying it."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from pos_app.core.expiry import due_expiries, expiring_within
from pos_app.core.rules import default_rules
from sync import protocol as p
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import create_app, run_tx
from sync.server.cli import cli
from sync.server.config import Settings
from sync.server.expiry import ADVISORY_LOCK_KEY, _moves, expire_points
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]
NOW = datetime.now(UTC)


def ago(days: float) -> str:
    return p.format_utc(NOW - timedelta(days=days))


def member_entries(engine: Engine, member_id: str) -> list[Any]:
    return run_tx(engine, lambda c: list(c.execute(
        select(m.entries).where(m.entries.c.member_id == member_id).order_by(m.entries.c.change_id))))


def expire_rows(engine: Engine, member_id: str) -> list[dict[str, Any]]:
    return [json.loads(r.payload) for r in member_entries(engine, member_id) if r.kind == "expire"]


def balance(engine: Engine, member_id: str) -> int:
    return run_tx(engine, lambda c: svc.member_state(c, member_id)).balance


def spent_and_left(t: Terminal) -> tuple[str, dict[str, str]]:
    """A member with an old grant fully spent, an old grant partly spent, and a fresh grant.

    earn 100 (800 days ago), earn 40 (770 days ago), redeem 120 (760 days ago: FIFO takes the 100 then 20 of
    the 40), earn 10 (yesterday). With 24-month expiry both old grants are past expiry: only the 20 left of
    the second one may expire; balance 30 -> 10.
    """
    rec = t.member()
    mid = rec["member"]["id"]
    e1 = t.earn(mid, 250_000, sale_at=ago(800))
    e2 = t.earn(mid, 100_000, sale_at=ago(770))
    red = t.redeem(mid, 120, offline=False, sale_at=ago(760))
    e3 = t.earn(mid, 25_000, sale_at=ago(1))
    t.upload_ok([rec, e1, e2, red, e3])
    return mid, {"e1": e1["entry"]["id"], "e2": e2["entry"]["id"], "e3": e3["entry"]["id"]}


def test_only_what_is_left_of_an_expired_grant_expires_once_and_terminals_pull_it(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    a, b = new_terminal(client), new_terminal(client)
    b.pull_all()
    mid, ids = spent_and_left(a)
    assert balance(engine, mid) == 30
    b.pull_all()

    run = expire_points(engine, NOW)
    assert run.ran and run.months == 24 and run.entries >= 1
    expired = expire_rows(engine, mid)
    assert [(e["corrects_id"], e["points"], e["terminal_id"]) for e in expired] == [(ids["e2"], -20, "server")]
    assert expired[0]["reason"] == "expiry"
    assert balance(engine, mid) == 10
    assert run_tx(engine, svc.verify_balances) == []

    again = expire_points(engine, NOW + timedelta(minutes=5))  # idempotent: nothing left to expire
    assert again.ran and len(expire_rows(engine, mid)) == 1 and balance(engine, mid) == 10

    # Both terminals get the expire entry and the new balance through the change feed (the member first).
    for t in (a, b):
        got = t.pull_all()
        kinds = [(c["type"], c["member"]["id"] if c["type"] == "member" else c["entry"]["member_id"])
                 for c in got if c["type"] in ("member", "entry")]
        entry = next(c["entry"] for c in got if c["type"] == "entry" and c["entry"]["kind"] == "expire"
                     and c["entry"]["member_id"] == mid)
        assert entry["corrects_id"] == ids["e2"] and p.Entry.model_validate(entry).hash_ok()
        assert kinds.index(("member", mid)) < kinds.index(("entry", mid))
        state = next(c["member"] for c in got if c["type"] == "member" and c["member"]["id"] == mid)
        assert state["balance"] == 10


def test_nothing_expires_before_the_end_of_the_expiry_day(client: TestClient, engine: Engine,
                                                          new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    rec = t.member()
    mid = rec["member"]["id"]
    sale = datetime(2024, 3, 10, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok: expires 2026-03-10 23:59:59.999 (+07)
    t.upload_ok([rec, t.earn(mid, 250_000, sale_at=p.format_utc(sale))])
    end_of_day = datetime(2026, 3, 10, 16, 59, 59, tzinfo=UTC)
    expire_points(engine, end_of_day)
    assert expire_rows(engine, mid) == [] and balance(engine, mid) == 100
    expire_points(engine, end_of_day + timedelta(seconds=1))
    assert [e["points"] for e in expire_rows(engine, mid)] == [-100]
    assert balance(engine, mid) == 0


def test_two_racing_runs_expire_each_grant_at_most_once(client: TestClient, engine: Engine,
                                                       new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    members = []
    records: list[dict[str, Any]] = []
    for i in range(24):
        rec = t.member()
        mid = rec["member"]["id"]
        members.append(mid)
        records += [rec, t.earn(mid, 25_000 * (i + 1), sale_at=ago(900)), t.earn(mid, 50_000, sale_at=ago(850))]
    t.upload_ok(records)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def race() -> None:
        try:
            start.wait()
            expire_points(engine, NOW, batch_size=5, take_job_lock=False)  # no job lock: rows must hold
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=race) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    for i, mid in enumerate(members):
        grants = sorted(e["corrects_id"] for e in expire_rows(engine, mid))
        assert len(grants) == 2 and len(set(grants)) == 2, f"member {i}: {grants}"
        assert balance(engine, mid) == 0
    assert run_tx(engine, svc.verify_balances) == []


def test_one_run_at_a_time_across_processes(engine: Engine) -> None:
    with engine.connect() as other:  # stands for another server process in the middle of a run
        assert other.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar_one()
        other.commit()
        assert expire_points(engine, NOW).ran is False
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
        other.commit()
    assert expire_points(engine, NOW).ran is True
    # the run released its lock: the next one (any process) can take it
    with engine.connect() as other:
        assert other.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar_one()
        other.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
        other.commit()


def test_a_member_with_a_pending_online_redemption_is_left_for_the_next_run(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    rec = t.member()
    mid = rec["member"]["id"]
    t.upload_ok([rec, t.earn(mid, 250_000, sale_at=ago(800))])
    r = t.reserve(mid, 60)
    assert r.status_code == 200, r.text
    run = expire_points(engine, NOW)
    assert run.skipped_with_holds >= 1 and expire_rows(engine, mid) == []
    assert client.post(f"/v1/reservations/{r.json()['reservation_id']}/void", headers=t.auth).status_code == 200
    expire_points(engine, NOW)
    assert [e["points"] for e in expire_rows(engine, mid)] == [-100]


def test_the_rules_that_say_never_expire_expire_nothing(client: TestClient, engine: Engine, settings: Settings,
                                                        new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    rec = t.member()
    mid = rec["member"]["id"]
    t.upload_ok([rec, t.earn(mid, 250_000, sale_at=ago(1000))])
    bundle = dataclasses.replace(default_rules(90), expiry=dataclasses.replace(default_rules(1).expiry, months=None))
    run_tx(engine, lambda c: svc.set_rules(c, bundle.to_json(), svc.utcnow()))
    try:
        run = expire_points(engine, NOW)
        assert run.ran and run.months is None and expire_rows(engine, mid) == []
    finally:  # the other tests of this module expect the 24-month rules
        again = dataclasses.replace(default_rules(91))
        run_tx(engine, lambda c: svc.set_rules(c, again.to_json(), svc.utcnow()))


def test_serve_runs_the_expiry_job_periodically(settings: Settings, engine: Engine, client: TestClient,
                                                new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    rec = t.member()
    mid = rec["member"]["id"]
    t.upload_ok([rec, t.earn(mid, 250_000, sale_at=ago(800))])
    fast = dataclasses.replace(settings, expiry_interval_seconds=1)
    with TestClient(create_app(fast, engine)):
        deadline = time.monotonic() + 30
        while not expire_rows(engine, mid) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert [e["points"] for e in expire_rows(engine, mid)] == [-100]
    assert balance(engine, mid) == 0


def test_expire_cli(pg_url: str, client: TestClient, engine: Engine, new_terminal: NewTerminal,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOYALTY_DATABASE_URL", pg_url)
    t = new_terminal(client)
    rec = t.member()
    mid = rec["member"]["id"]
    sale = NOW - timedelta(days=10)
    t.upload_ok([rec, t.earn(mid, 250_000, sale_at=p.format_utc(sale))])
    runner = CliRunner()
    result = runner.invoke(cli, ["expire", "--now", "2020-01-01T00:00"])
    assert result.exit_code == 0, result.output
    assert "expired" in result.output and expire_rows(engine, mid) == []
    later = (sale + timedelta(days=800)).strftime("%Y-%m-%dT%H:%M:%S+07:00")
    result = runner.invoke(cli, ["--json", "expire", "--now", later])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ran"] and report["points"] >= 100 and report["entries"] >= 1
    assert [e["points"] for e in expire_rows(engine, mid)] == [-100]
    bad = runner.invoke(cli, ["expire", "--now", "next tuesday"])
    assert bad.exit_code == 2 and "not an ISO time" in bad.output and "Traceback" not in bad.output


def test_server_replay_matches_core(client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    """The server reads corrects_id back from stored payloads: a reverse of a redemption puts points back into
    the grant they came from (with its original expiry), so it expires with that grant."""
    t = new_terminal(client)
    rec = t.member()
    mid = rec["member"]["id"]
    e1 = t.earn(mid, 250_000, sale_at=ago(800))
    red = t.redeem(mid, 50, offline=False, sale_at=ago(790))
    back = t.entry(mid, "reverse", 50, corrects_id=red["entry"]["id"], sale_at=ago(5))
    t.upload_ok([rec, e1, red, back])
    rows = member_entries(engine, mid)
    policy = default_rules(1).expiry
    assert due_expiries(_moves(rows), policy, NOW) == [(e1["entry"]["id"], 100)]
    expire_points(engine, NOW)
    rows = member_entries(engine, mid)
    assert due_expiries(_moves(rows), policy, NOW) == [] and expiring_within(_moves(rows), policy, NOW) == 0
    assert balance(engine, mid) == 0
