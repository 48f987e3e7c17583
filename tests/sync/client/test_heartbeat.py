"""The heartbeat: after each sync round a terminal tells head office how it is (version, records waiting,
printer, camera, disk, newest backup, last doctor), and nothing about it can cost the counter a sync."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
from sqlalchemy import select

from pos_app.services import sync_glue
from pos_app.services.health import record_doctor
from sync import protocol as p
from sync.server import models as m
from tests.sync.client.harness import SERVER_URL, InProcessServer, Term

MakeTerm = Callable[..., Term]


def _health(server: InProcessServer, terminal_id: str) -> dict | None:
    row = server.tx(lambda c: c.execute(select(m.terminal_health).where(
        m.terminal_health.c.terminal_id == terminal_id)).first())
    return None if row is None else json.loads(row.payload)


def test_a_sync_round_sends_the_terminals_health(server: InProcessServer, terminal: MakeTerm) -> None:
    t = terminal("a")
    (t.data_dir / "terminal.toml").write_text('[printer]\nkind = "network"\naddress = "127.0.0.1:9"\n')
    t.services.backup()
    record_doctor(t.data_dir, ok=False, warning=False)
    member = t.services.members.enroll(name="Health Check", phone="0811112222", operator_id="cashier1")
    client = sync_glue.make_client(t.services, transport=server.transport(), app_version="9.9.9")
    try:
        t.services.award(member_id=member.id, amount_satang=10_000, receipt_ref="H1", operator_id="cashier1")
        client.sync_once()
    finally:
        client.close()
    beat = _health(server, t.services.ledger.terminal_id)
    assert beat is not None
    assert beat["app_version"] == "9.9.9" and beat["records_waiting"] == 0
    assert beat["printer"] == "failing"  # nothing listens on port 9: the printer is not reachable
    assert beat["doctor"] == "failing" and beat["last_backup"] and beat["free_disk_mb"] > 0
    assert beat["last_sync_ok"]
    version = server.tx(lambda c: c.execute(select(m.terminals.c.app_version).where(
        m.terminals.c.id == t.services.ledger.terminal_id)).scalar())
    assert version == "9.9.9"  # head office sees the version of each terminal


def test_a_broken_probe_or_a_refused_heartbeat_never_fails_the_sync(server: InProcessServer,
                                                                   terminal: MakeTerm) -> None:
    t = terminal("b")
    member = t.services.members.enroll(name="No Probe", phone="0811113333", operator_id="cashier1")

    def broken() -> dict:
        raise OSError("the camera driver hung up")

    client = sync_glue.make_client(t.services, transport=server.transport(), health=broken)
    try:
        t.services.award(member_id=member.id, amount_satang=5_000, receipt_ref="H2", operator_id="cashier1")
        result = client.sync_once()
    finally:
        client.close()
    assert result.acked_seq >= 2  # the member and the award went up all the same
    assert _health(server, t.services.ledger.terminal_id) is None
    assert client.send_heartbeat() is False  # and asked again, it says it sent nothing, without raising


def test_the_server_refuses_a_malformed_heartbeat_in_one_line(server: InProcessServer, terminal: MakeTerm) -> None:
    t = terminal("c")
    creds = json.loads(t.store.credential_path().read_text())
    auth = {p.PROTOCOL_HEADER: "1", "Authorization": f"Bearer {creds['terminal_id']}.{creds['secret']}"}
    with httpx.Client(transport=server.transport(), base_url=SERVER_URL) as http:
        for bad in ({"records_waiting": -1}, {"records_waiting": 1, "printer": "on fire"},
                    {"records_waiting": 1, "extra": "field"}, {"records_waiting": 1, "app_version": "x" * 41}):
            r = http.post("/v1/heartbeat", json=bad, headers=auth)
            assert r.status_code == 422, (bad, r.text)
        assert http.post("/v1/heartbeat", json={"records_waiting": 0},
                         headers={p.PROTOCOL_HEADER: "1"}).status_code == 401
        for i in range(3):
            ok = http.post("/v1/heartbeat", json={"records_waiting": i, "printer": "ok" if i % 2 else "failing"},
                           headers=auth)
            assert ok.status_code == 200, ok.text
    history = server.tx(lambda c: c.execute(select(m.terminal_health_log).where(
        m.terminal_health_log.c.terminal_id == creds["terminal_id"])).all())
    assert len(history) == 3  # each changed the printer's state
    assert _health(server, creds["terminal_id"])["records_waiting"] == 2


def test_a_server_without_branch_flags_still_syncs_and_the_flags_kept_stay(server: InProcessServer,
                                                                          terminal: MakeTerm) -> None:
    """``GET /v1/flags`` is newer than the rest of the protocol: an older server answers 404, the round stands
    and what the counter held from before stays shown."""
    from pos_app.services.backoffice import branch_flags

    t = terminal("d")
    member = t.services.members.enroll(name="Old Server", phone="0811114444", operator_id="cashier1")
    sync_glue.store_for(t.services).replace_branch_flags(
        [{"id": 7, "kind": "points_mismatch", "member_id": member.id, "terminal_id": "elsewhere", "entry_id": None,
          "details": {}, "created_at": "2026-11-29T03:00:00.000Z", "resolved_at": None, "resolved_by": None,
          "note": None}], False, 1)
    inner = server.transport()

    def older(request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/v1/flags", "/v1/sync"):  # a server older than both
            return httpx.Response(404, json={"detail": "Not Found"})
        return inner.handle_request(request)

    client = sync_glue.make_client(t.services, transport=httpx.MockTransport(older))
    try:
        t.services.award(member_id=member.id, amount_satang=5_000, receipt_ref="F1", operator_id="cashier1")
        result = client.sync_once()
        assert client.pull_branch_flags() is False
    finally:
        client.close()
    assert result.acked_seq >= 2
    held = branch_flags(t.services)
    assert [(f.key, f.kind, f.member_name, f.this_terminal) for f in held.flags] == [
        ("flag:7", "points_mismatch", "Old Server", False)]
    assert held.fetched_at_ms == 1
