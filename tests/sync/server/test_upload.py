"""Upload: exactly once, in order, only one's own records; recomputed points; clocks (in-process app, real PostgreSQL)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from sync import protocol as p
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]


def balance(engine: Engine, member_id: str) -> int:
    return run_tx(engine, lambda c: svc.member_state(c, member_id)).balance


def entry_count(engine: Engine, member_id: str) -> int:
    return run_tx(engine, lambda c: c.execute(
        select(func.count()).select_from(m.entries).where(m.entries.c.member_id == member_id)).scalar_one())


def open_flags(engine: Engine, kind: str, member_id: str | None = None) -> list[p.FlagInfo]:
    return run_tx(engine, lambda c: svc.list_flags(c, True, kind, member_id))


def test_identical_resend_is_a_success_and_counts_once(client: TestClient, engine: Engine,
                                                        new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    earn = t.earn(member["member"]["id"], 100_000)
    batch = str(uuid.uuid4())
    first = t.upload_ok([member, earn], batch)
    assert first["ack_seq"] == 2
    assert [r["status"] for r in first["results"]] == ["stored", "stored"]
    again = t.upload_ok([member, earn], batch)  # same batch id, same records
    assert again["ack_seq"] == 2
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    third = t.upload_ok([earn])  # a new batch id carrying an old record
    assert third["results"][0]["status"] == "duplicate"
    assert balance(engine, member["member"]["id"]) == 40
    assert entry_count(engine, member["member"]["id"]) == 1


def test_response_lost_after_commit_then_retry(client: TestClient, engine: Engine,
                                               new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    records = [member] + [t.earn(member["member"]["id"], 25_000) for _ in range(5)]
    batch = str(uuid.uuid4())
    t.upload(records, batch)  # the response is "lost": the terminal never reads it
    retry = t.upload_ok(records, batch)
    assert retry["ack_seq"] == 6
    assert {r["status"] for r in retry["results"]} == {"duplicate"}
    assert balance(engine, member["member"]["id"]) == 50
    assert entry_count(engine, member["member"]["id"]) == 5


def test_reordered_batches_wait_for_the_gap_then_apply_once(client: TestClient, engine: Engine,
                                                           new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    mid = member["member"]["id"]
    e2, e3, e4 = (t.earn(mid, 50_000) for _ in range(3))
    late = t.upload_ok([e4, e3])  # seqs 3 and 4 arrive before 1 and 2
    assert late["ack_seq"] == 0
    assert {r["status"] for r in late["results"]} == {"pending"}
    assert run_tx(engine, lambda c: c.execute(select(m.members.c.id).where(m.members.c.id == mid)).first()) is None
    early = t.upload_ok([e2, member])
    assert early["ack_seq"] == 4
    again = t.upload_ok([e3, e4, member, e2])  # everything again, shuffled
    assert again["ack_seq"] == 4
    assert {r["status"] for r in again["results"]} == {"duplicate"}
    assert balance(engine, mid) == 60
    assert entry_count(engine, mid) == 3


def test_same_id_different_content_is_refused_and_logged(client: TestClient, engine: Engine,
                                                         new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    earn = t.earn(member["member"]["id"], 100_000)
    t.upload_ok([member, earn])
    forged = copy.deepcopy(earn)
    forged["entry"]["points"] = 4000
    forged["entry"]["content_hash"] = p.content_hash(forged["entry"])
    extra = t.earn(member["member"]["id"], 25_000)
    r = t.upload([forged, extra])
    assert r.status_code == 409
    body = r.json()
    assert body["error"]["code"] == "content_conflict"
    conflict = body["error"]["details"]["conflicts"][0]
    assert conflict["id"] == earn["entry"]["id"]
    assert conflict["stored_hash"] == earn["entry"]["content_hash"]
    assert conflict["sent_hash"] == forged["entry"]["content_hash"]
    assert "server_time" in body
    # nothing of the refused batch was stored, and the conflict is on record for a manager
    assert balance(engine, member["member"]["id"]) == 40
    assert t.upload_ok([extra])["ack_seq"] == 3
    logged = [f for f in open_flags(engine, "content_conflict") if f.terminal_id == t.terminal_id]
    assert logged and logged[0].details["conflicts"][0]["id"] == earn["entry"]["id"]


def test_tampered_hash_and_reused_batch_id_are_refused(client: TestClient, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    bad = copy.deepcopy(member)
    bad["member"]["name"] = "someone else"  # content changed, hash not
    r = t.upload([bad])
    assert r.status_code == 422 and r.json()["error"]["code"] == "bad_content_hash"
    batch = str(uuid.uuid4())
    t.upload_ok([member], batch)
    other = t.earn(member["member"]["id"], 10_000)
    r = t.upload([other], batch)
    assert r.status_code == 409 and r.json()["error"]["code"] == "idempotency_key_reused"


def test_a_terminal_writes_only_its_own_records(client: TestClient, engine: Engine,
                                                new_terminal: NewTerminal) -> None:
    a, b = new_terminal(client), new_terminal(client)
    member = a.member()
    a.upload_ok([member])
    # b forges an earn that claims to come from a
    forged = a.earn(member["member"]["id"], 1_000_000)
    r = b.upload([forged])
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "foreign_terminal"
    # b relabels it as its own but keeps a's seq numbering: refused by the hash / not counted
    assert balance(engine, member["member"]["id"]) == 0


def test_earned_points_are_recomputed_and_mismatches_flagged(client: TestClient, engine: Engine,
                                                            new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    mid = member["member"]["id"]
    honest = t.earn(mid, 123_450)  # ฿1,234.50 -> 49 points
    inflated = t.earn(mid, 10_000, points=900)
    unknown_rules = t.earn(mid, 10_000, rules_version=77)
    body = t.upload_ok([member, honest, inflated, unknown_rules])
    assert body["ack_seq"] == 4  # every record acknowledged: the terminal's queue moves on
    kinds = {(f["kind"], f["entry_id"]) for f in body["flags"]}
    assert ("points_mismatch", inflated["entry"]["id"]) in kinds
    assert ("quarantined", unknown_rules["entry"]["id"]) in kinds
    assert not any(entry_id == honest["entry"]["id"] for _, entry_id in kinds)
    mismatch = [f for f in open_flags(engine, "points_mismatch", mid)]
    assert mismatch[0].details == {"expected": 4, "points": 900, "taken_back": 896, "rules_version": 1,
                                   "tier_code": "member"}
    assert [(q["id"], q["code"]) for q in body["quarantined"]] == [(unknown_rules["entry"]["id"],
                                                                   "unknown_rules_version")]
    # the inflated earn stands (append-only) with the excess taken back; the unverifiable one moves nothing
    assert balance(engine, mid) == 49 + 4


def test_entries_from_a_skewed_clock_are_flagged(client: TestClient, engine: Engine,
                                                 new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    ok = t.earn(member["member"]["id"], 25_000)
    t.clock_offset_ms = 6 * 60 * 1000
    skewed = t.earn(member["member"]["id"], 25_000)
    body = t.upload_ok([member, ok, skewed])
    flag = next(f for f in body["flags"] if f["kind"] == "clock_skew")
    assert flag["details"]["entry_ids"] == [skewed["entry"]["id"]]
    assert flag["details"]["max_offset_ms"] == 6 * 60 * 1000
    r = client.get("/v1/hello")
    assert p.parse_utc(r.json()["server_time"]) and p.parse_utc(r.headers[p.SERVER_TIME_HEADER])


def test_unknown_protocol_major_version_is_refused(client: TestClient, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    r = client.get("/v1/status", headers={**t.auth, p.PROTOCOL_HEADER: "2"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "unsupported_protocol"
    assert r.json()["error"]["details"]["supported_versions"] == [1]
    assert client.get("/v1/status", headers={**t.auth, p.PROTOCOL_HEADER: "1.4"}).status_code == 200


def test_malformed_records_get_a_clear_refusal(client: TestClient, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    broken: dict[str, Any] = copy.deepcopy(member)
    broken["member"]["phone"] = "12345"
    r = t.upload([broken])
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request"
    floaty = t.earn(member["member"]["id"], 25_000)
    floaty["entry"]["points"] = 1.5
    r = t.upload([member, floaty])
    assert r.status_code == 422


def test_fast_wire_dict_equals_the_pydantic_dump() -> None:
    t = Terminal(httpx.Client(base_url="http://unused"), terminal_id="BKK01-X")
    member = p.Member.model_validate(t.member()["member"])
    entry = p.Entry.model_validate(t.earn(member.id, 123_450, lines=[{"category": "food", "amount_satang": 123_450}])
                                   ["entry"])
    for record in (member, entry):
        assert svc._wire_dict(record) == record.model_dump(mode="json")
