"""``POST /v1/sync`` (protocol 1.3): a counter's whole sync round in one request, answered exactly as the separate
endpoints answer each part (in-process app, real PostgreSQL)."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from sync import protocol as p
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import create_app, run_tx
from sync.server.config import Settings
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]
BEAT = {"app_version": "7.1.3", "records_waiting": 0, "printer": "ok", "camera": "missing", "doctor": "ok"}


def health(engine: Engine, terminal_id: str) -> dict[str, Any] | None:
    row = run_tx(engine, lambda c: c.execute(select(m.terminal_health).where(
        m.terminal_health.c.terminal_id == terminal_id)).first())
    return None if row is None else json.loads(row.payload)


def history(engine: Engine, terminal_id: str) -> int:
    return int(run_tx(engine, lambda c: c.execute(select(func.count()).select_from(m.terminal_health_log).where(
        m.terminal_health_log.c.terminal_id == terminal_id)).scalar_one()))


def entries_of(engine: Engine, member_id: str) -> int:
    return int(run_tx(engine, lambda c: c.execute(select(func.count()).select_from(m.entries).where(
        m.entries.c.member_id == member_id)).scalar_one()))


def test_a_round_answers_with_a_flag_whose_details_hold_an_integer_past_64_bits(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    """The page's changes are written by orjson (cached entries are ready JSON), which refuses such an integer:
    the rest of the answer (the upload's flags, the branch's) is written by pydantic, so an audit record's
    ``failures`` copied into a flag cannot make every round of the branch fail."""
    a, b = new_terminal(client), new_terminal(client)
    a.pull_pages()
    b.pull_pages()
    huge = 2**64 + 7
    run_tx(engine, lambda c: svc.insert_flags(c, [svc.NewFlag("pin_lockout", None, a.terminal_id, None,
                                                              {"failures": huge})], svc.utcnow()))
    member = b.member()
    assert b.upload([member, b.earn(member["member"]["id"], 50_000)]).status_code == 200
    r = a.sync([a.earn(member["member"]["id"], 25_000)], heartbeat=BEAT)
    assert r.status_code == 200, r.text
    body = p.SyncResponse.model_validate(r.json())
    assert body.flags is not None and [f.details for f in body.flags.flags] == [{"failures": huge}]
    assert body.changes is not None and [c.entry.points for c in body.changes.changes
                                         if c.type == "entry" and c.entry is not None] == [20]
    page = client.get("/v1/changes", headers=b.auth, params={"cursor": 0, "limit": 500, "scope": "chain"})
    assert page.status_code == 200 and p.ChangesResponse.model_validate(page.json()).changes


def test_one_request_uploads_then_pulls_stores_the_heartbeat_and_answers_the_flags(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    a, b = new_terminal(client), new_terminal(client)
    a.pull_pages()
    b.pull_pages()
    run_tx(engine, lambda c: svc.insert_flags(c, [svc.NewFlag("points_mismatch", None, a.terminal_id, None,
                                                              {"why": "test"})], svc.utcnow()))
    member = a.member()
    earn = a.earn(member["member"]["id"], 100_000)
    r = a.sync([member, earn], heartbeat=BEAT)
    assert r.status_code == 200, r.text
    body = p.SyncResponse.model_validate(r.json())
    assert body.upload is not None and body.changes is not None and body.flags is not None
    assert body.upload.ack_seq == 2 and [x.status for x in body.upload.results] == ["stored", "stored"]
    # the page was read after the upload committed: it holds the member with the earn's balance (a member's own
    # state comes back to its terminal), never the terminal's own entry
    states = [c.member for c in body.changes.changes if c.type == "member" and c.member is not None
              and c.member.id == member["member"]["id"]]
    assert [s.balance for s in states] == [40]
    assert not [c for c in body.changes.changes if c.type == "entry" and c.entry is not None
                and c.entry.terminal_id == a.terminal_id]
    assert body.changes.ack_seq == 2  # the ack after this request's upload
    # the heartbeat was stored (and the version noted), the flags are those /v1/flags gives
    assert health(engine, a.terminal_id) == {**p.Heartbeat.model_validate(BEAT).model_dump(mode="json")}
    version = run_tx(engine, lambda c: c.execute(select(m.terminals.c.app_version).where(
        m.terminals.c.id == a.terminal_id)).scalar())
    assert version == "7.1.3"
    separate = client.get("/v1/flags", headers=a.auth).json()
    assert [f.model_dump(mode="json") for f in body.flags.flags] == separate["flags"]
    assert any(f.kind == "points_mismatch" and f.terminal_id == a.terminal_id for f in body.flags.flags)
    # the other terminal's round, with nothing to upload, brings the sale
    got = b.sync()
    assert got.status_code == 200 and got.json()["upload"] is None
    assert [c["entry"] for c in got.json()["changes"]["changes"] if c["type"] == "entry"] == [earn["entry"]]
    assert b.sync().json()["changes"]["changes"] == []  # the cursor moved: nothing twice


def test_each_part_is_optional_and_a_heartbeat_alone_is_recorded(client: TestClient, engine: Engine,
                                                                 new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    r = t.sync(pull=False, flags=False, heartbeat={**BEAT, "records_waiting": 3})
    assert r.status_code == 200, r.text
    assert r.json()["upload"] is None and r.json()["changes"] is None and r.json()["flags"] is None
    assert health(engine, t.terminal_id)["records_waiting"] == 3  # type: ignore[index]
    only_flags = t.sync(pull=False)
    assert only_flags.json()["changes"] is None
    assert only_flags.json()["flags"]["flags"] == client.get("/v1/flags", headers=t.auth).json()["flags"]


def test_recording_a_heartbeat_each_round_keeps_history_only_of_changes(client: TestClient, engine: Engine,
                                                                        new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    for waiting in range(4):  # the counters change, the state does not: one history row
        assert t.sync(heartbeat={**BEAT, "records_waiting": waiting}).status_code == 200
    assert history(engine, t.terminal_id) == 1
    assert health(engine, t.terminal_id)["records_waiting"] == 3  # type: ignore[index]
    member = t.member()
    for printer in ("failing", "ok"):  # in the upload's transaction too
        assert t.sync([t.earn(member["member"]["id"], 2_500)] if printer == "ok" else [member],
                      heartbeat={**BEAT, "printer": printer}).status_code == 200
    assert history(engine, t.terminal_id) == 3
    assert health(engine, t.terminal_id)["printer"] == "ok"  # type: ignore[index]


def test_a_retried_round_is_acknowledged_once(client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    earn = t.earn(member["member"]["id"], 50_000)
    batch = str(uuid.uuid4())
    first = t.sync([member, earn], batch_id=batch)
    again = t.sync([member, earn], batch_id=batch)  # the answer was lost: the same batch again
    assert first.status_code == again.status_code == 200
    assert [r["status"] for r in again.json()["upload"]["results"]] == ["duplicate", "duplicate"]
    assert again.json()["upload"]["ack_seq"] == 2 and entries_of(engine, member["member"]["id"]) == 1
    reused = t.sync([t.earn(member["member"]["id"], 2_500)], batch_id=batch)
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reused"


def test_an_upload_committed_before_a_later_part_failed_is_acknowledged_on_retry(
        client: TestClient, settings: Settings, engine: Engine, new_terminal: NewTerminal,
        monkeypatch: pytest.MonkeyPatch) -> None:
    t = new_terminal(client)
    member = t.member()
    earn = t.earn(member["member"]["id"], 75_000)
    batch = str(uuid.uuid4())

    def broken(*_args: Any, **_kwargs: Any) -> Any:  # as a database that goes away after the upload committed
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patch, TestClient(create_app(settings, engine),
                                                    raise_server_exceptions=False) as failing:
        patch.setattr(svc, "_changes", broken)  # the page (with or without the flags)
        t.http = failing
        failed = t.sync([member, earn], batch_id=batch, heartbeat=BEAT)
    assert failed.status_code == 500  # the error is answered ...
    assert entries_of(engine, member["member"]["id"]) == 1  # ... though the upload committed before it
    assert health(engine, t.terminal_id) is not None  # with the heartbeat, in its transaction
    t.http = client
    retry = t.sync([member, earn], batch_id=batch)
    assert retry.status_code == 200, retry.text
    assert retry.json()["upload"]["ack_seq"] == 2
    assert [r["status"] for r in retry.json()["upload"]["results"]] == ["duplicate", "duplicate"]
    assert entries_of(engine, member["member"]["id"]) == 1
    assert run_tx(engine, lambda c: svc.member_state(c, member["member"]["id"])).balance == 30


def _same_refusal(client: TestClient, t: Terminal, records: list[dict[str, Any]], status: int, code: str,
                  engine: Engine) -> dict[str, Any]:
    """``/v1/sync`` refuses the batch with the status and code ``/v1/upload`` gives, and does nothing else."""
    alone = t.upload(records)
    assert alone.status_code == status and alone.json()["error"]["code"] == code, alone.text
    before = health(engine, t.terminal_id)
    r = t.sync(records, heartbeat={**BEAT, "records_waiting": 99})
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code and error["message"] == alone.json()["error"]["message"]
    assert health(engine, t.terminal_id) == before  # nothing else done: no heartbeat, no pull
    return error


def test_refusals_are_those_of_the_upload_and_nothing_else_is_done(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    earn = t.earn(member["member"]["id"], 100_000)
    assert t.sync([member, earn]).status_code == 200
    # a phone in Thai digits: not the form the counters write
    odd = t.member(phone="0๘๑๒๓๔๕๖๗๘")
    error = _same_refusal(client, t, [odd], 422, "invalid_record_form", engine)
    assert error["details"]["records"][0]["seq"] == odd["seq"]
    t.seq -= 1
    # the same id with other content: refused, logged and flagged as /v1/upload does
    forged = copy.deepcopy(earn)
    forged["entry"]["points"] = 4000
    forged["entry"]["content_hash"] = p.content_hash(forged["entry"])
    flagged = len(run_tx(engine, lambda c: svc.list_flags(c, True, "content_conflict")))
    error = _same_refusal(client, t, [forged], 409, "content_conflict", engine)
    assert error["details"]["conflicts"][0]["id"] == earn["entry"]["id"]
    assert len(run_tx(engine, lambda c: svc.list_flags(c, True, "content_conflict"))) == flagged + 2  # each one
    # a batch over the records limit, a page over the page limit: the request is malformed
    many = t.sync([earn] * (p.MAX_BATCH_RECORDS + 1))
    assert many.status_code == 422 and many.json()["error"]["code"] == "invalid_request"
    r = client.post("/v1/sync", headers=t.auth, json={"pull": {"cursor": 0, "limit": p.MAX_PAGE_LIMIT + 1}})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    r = client.post("/v1/sync", headers=t.auth, json={"pull": {"cursor": "0"}})  # integers, not text
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    for loose in ("yes", "true", 1):  # the flags question is a JSON boolean, not anything that reads as one
        r = client.post("/v1/sync", headers=t.auth, json={"flags": loose})
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request", loose
    # a revoked terminal is refused at the door
    run_tx(engine, lambda c: svc.revoke_terminal(c, t.terminal_id, svc.utcnow()))
    _same_refusal(client, t, [t.earn(member["member"]["id"], 2_500)], 403, "terminal_revoked", engine)
    r = t.sync()
    assert r.status_code == 403 and r.json()["error"]["code"] == "terminal_revoked"


def test_a_round_over_the_body_cap_is_refused_as_an_upload_is(settings: Settings, engine: Engine,
                                                               new_terminal: NewTerminal) -> None:
    with TestClient(create_app(replace(settings, max_body_bytes=8 * 1024), engine)) as small:
        t = new_terminal(small)
        member = t.member()
        records = [member] + [t.earn(member["member"]["id"], 2_500) for _ in range(20)]
        error = _same_refusal(small, t, records, 413, "body_too_large", engine)
        assert error["details"] == {"max_bytes": 8 * 1024}
        assert entries_of(engine, member["member"]["id"]) == 0


def test_the_branch_feed_through_the_round_is_the_branch_feed(client: TestClient, engine: Engine,
                                                               new_terminal: NewTerminal) -> None:
    home, other = new_terminal(client), new_terminal(client)
    for t in (home, other):
        t.scope = "branch"
        t.pull_pages()
    member = home.member()
    home.upload_ok([member, home.earn(member["member"]["id"], 30_000)])
    cursor = other.cursor
    by_get = other.pull(cursor=cursor, limit=3)
    r = other.sync(limit=3)
    assert r.status_code == 200
    assert r.json()["changes"] == {**by_get, "server_time": r.json()["changes"]["server_time"]}
    assert any(c["type"] == "entry" for c in r.json()["changes"]["changes"]) or by_get["has_more"]


def test_server_timing_names_the_parts_of_a_round(settings: Settings, engine: Engine,
                                                  new_terminal: NewTerminal) -> None:
    """The load bench sums the ``Server-Timing`` phases by name: a round reports its upload and its changes
    transactions apart, as the separate requests did."""
    with TestClient(create_app(replace(settings, server_timing=True), engine)) as timed:
        t = new_terminal(timed)
        member = t.member()
        r = t.sync([member, t.earn(member["member"]["id"], 10_000)], heartbeat=BEAT)
        assert r.status_code == 200, r.text
        phases = {part.strip().partition(";")[0] for part in r.headers["server-timing"].split(",")}
        assert {"auth", "upload", "changes", "pool", "app"} <= phases
        beat_only = t.sync(pull=False, flags=False, heartbeat=BEAT)
        phases = {part.strip().partition(";")[0] for part in beat_only.headers["server-timing"].split(",")}
        assert "heartbeat" in phases and not {"upload", "changes"} & phases


def test_a_round_takes_fewer_transactions_and_statements_than_the_separate_requests(
        client: TestClient, engine: Engine, new_terminal: NewTerminal, capsys: pytest.CaptureFixture[str]) -> None:
    """What the round saves at the database, counted on the engine: transactions (``BEGIN``/``COMMIT`` pairs),
    statements sent in autocommit (the credential check before a body is read), and all statements."""
    from sqlalchemy import event

    counts = {"tx": 0, "autocommit": 0, "statements": 0}

    def on_commit(_conn: Any) -> None:
        counts["tx"] += 1

    def on_statement(conn: Any, *_args: Any) -> None:
        counts["statements"] += 1
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            counts["autocommit"] += 1

    def measure(fn: Callable[[], None]) -> dict[str, int]:
        counts.update(tx=0, autocommit=0, statements=0)
        event.listen(engine, "commit", on_commit)
        event.listen(engine, "before_cursor_execute", on_statement)
        try:
            fn()
        finally:
            event.remove(engine, "commit", on_commit)
            event.remove(engine, "before_cursor_execute", on_statement)
        return dict(counts)

    t = new_terminal(client)
    t.pull_pages()
    member = t.member()
    t.upload_ok([member])
    beat = {**BEAT, "records_waiting": 1}

    def separate(records: list[dict[str, Any]]) -> None:
        if records:
            t.upload_ok(records)
        t.pull_pages()
        assert client.get("/v1/flags", headers=t.auth).status_code == 200
        assert client.post("/v1/heartbeat", headers=t.auth, json=beat).status_code == 200

    def one(records: list[dict[str, Any]]) -> None:
        r = t.sync(records, heartbeat=beat)
        assert r.status_code == 200 and not r.json()["changes"]["has_more"], r.text

    before = measure(lambda: separate([t.earn(member["member"]["id"], 2_500)]))
    after = measure(lambda: one([t.earn(member["member"]["id"], 2_500)]))
    idle_before, idle_after = measure(lambda: separate([])), measure(lambda: one([]))
    with capsys.disabled():
        print(f"\nround with a sale: separate {before}, /v1/sync {after}; idle: separate {idle_before}, "
              f"/v1/sync {idle_after}")
    assert (before["tx"], after["tx"]) == (4, 2)  # upload, changes, flags, heartbeat -> upload, snapshot
    assert (idle_before["tx"], idle_after["tx"]) == (3, 1)
    # the door's check: a terminal the process holds (its credential accepted once) costs the database nothing
    assert (before["autocommit"], after["autocommit"]) == (0, 0)
    client.app.state.known_credentials.load(engine)
    t = new_terminal(client)  # enrolled after the last load: checked against the database once, then held
    t.pull_pages()
    assert [measure(lambda: one([t.earn(member["member"]["id"], 2_500)]))["autocommit"] for _ in range(2)] == [1, 0]
    assert after["statements"] < before["statements"] and idle_after["statements"] < idle_before["statements"]


def test_an_empty_round_still_checks_the_credential_in_the_endpoint(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    client.app.state.known_credentials.load(engine)  # the door holds it
    run_tx(engine, lambda c: svc.revoke_terminal(c, t.terminal_id, svc.utcnow()))  # by another process
    for body in ({}, {"flags": False}):
        r = client.post("/v1/sync", headers=t.auth, json=body)
        assert r.status_code == 403 and r.json()["error"]["code"] == "terminal_revoked", r.text


def test_a_heartbeat_this_server_cannot_read_never_costs_the_round_its_records(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    newer = {**BEAT, "battery": 80}  # a later client's field: what this server knows of it is kept
    r = t.sync([member], heartbeat=newer)
    assert r.status_code == 200 and r.json()["upload"]["ack_seq"] == member["seq"], r.text
    assert health(engine, t.terminal_id)["printer"] == "ok"
    earn = t.earn(member["member"]["id"], 2_500)
    r = t.sync([earn], heartbeat={**BEAT, "printer": "on fire"})  # not valid at all: dropped, the sale goes
    assert r.status_code == 200 and r.json()["upload"]["ack_seq"] == earn["seq"], r.text
    assert entries_of(engine, member["member"]["id"]) == 1
    assert health(engine, t.terminal_id)["printer"] == "ok"  # the unreadable one was not stored
