"""Enrollment and terminal credentials: one-time codes, revocation, unknown/expired credentials."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from pos_app.core.member_codes import verify_member_code
from pos_app.core.rules import RulesBundle
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from tests.sync.server.terminal import HEADERS, Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]


def test_enrollment_gives_identity_and_snapshot_and_stores_only_a_hash(client: TestClient, engine: Engine,
                                                                      enroll_code: Callable[[], str]) -> None:
    t = Terminal(client)
    r = t.enroll(enroll_code())
    assert r.status_code == 200, r.text
    body = r.json()
    snap = body["snapshot"]
    assert t.terminal_id.startswith("BKK01-")
    assert snap["branch"]["code"] == "BKK01"
    assert {s["role"] for s in snap["staff"]} == {"cashier", "manager"}
    assert all(s["pin_hash"].startswith("$argon2") for s in snap["staff"])
    assert {rw["code"] for rw in snap["rewards"]} >= {"COFFEE", "TOTE"}
    assert any("กาแฟ" in rw["name_th"] for rw in snap["rewards"])
    assert RulesBundle.from_json(snap["rules"][0]["bundle_json"]).version == 1
    assert snap["policy"]["max_points_per_redemption"] == 500
    assert len(base64.b64decode(snap["public_keys"][0]["public_key_b64"])) == 32
    stored = run_tx(engine, lambda c: c.execute(
        select(m.terminals.c.credential_sha256).where(m.terminals.c.id == t.terminal_id)).scalar_one())
    assert stored == hashlib.sha256(t.secret.encode()).hexdigest()
    assert t.secret not in stored
    assert client.get("/v1/status", headers=t.auth).json()["terminal_id"] == t.terminal_id


def test_replayed_and_expired_and_unknown_enrollment_codes_are_refused(client: TestClient, engine: Engine,
                                                                       enroll_code: Callable[[], str]) -> None:
    code = enroll_code()
    assert Terminal(client).enroll(code).status_code == 200
    replay = Terminal(client).enroll(code)
    assert replay.status_code == 409 and replay.json()["error"]["code"] == "enrollment_code_used"
    lower = Terminal(client).enroll(code.lower().replace("-", ""))  # typed differently: still the same code
    assert lower.status_code == 409
    old, _ = run_tx(engine, lambda c: svc.issue_enrollment_code(c, "BKK01", svc.utcnow() - timedelta(hours=2), 1))
    expired = Terminal(client).enroll(old)
    assert expired.status_code == 410 and expired.json()["error"]["code"] == "enrollment_code_expired"
    unknown = Terminal(client).enroll("AAAA-BBBB-CCCC")
    assert unknown.status_code == 401 and unknown.json()["error"]["code"] == "invalid_enrollment_code"


def test_revoked_terminal_is_refused(client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    t.upload_ok([member])
    run_tx(engine, lambda c: svc.revoke_terminal(c, t.terminal_id, svc.utcnow()))
    r = t.upload([t.earn(member["member"]["id"], 25_000)])
    assert r.status_code == 403 and r.json()["error"]["code"] == "terminal_revoked"
    assert client.get("/v1/changes", headers=t.auth).status_code == 403
    assert t.reserve(member["member"]["id"], 1).status_code == 403


def test_unknown_terminal_wrong_secret_and_expired_credential_are_refused(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    ghost = Terminal(client, terminal_id="BKK01-NOSUCH")
    r = client.get("/v1/changes", headers=ghost.auth)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unknown_terminal"
    impostor = Terminal(client, terminal_id=t.terminal_id)  # right id, its own random secret
    r = client.get("/v1/changes", headers=impostor.auth)
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_credential"
    assert client.get("/v1/changes", headers=HEADERS).json()["error"]["code"] == "no_credential"
    run_tx(engine, lambda c: svc.expire_credential(c, t.terminal_id, svc.utcnow()))
    r = client.get("/v1/changes", headers=t.auth)
    assert r.status_code == 401 and r.json()["error"]["code"] == "credential_expired"


def test_credential_rotation_replaces_the_old_secret(client: TestClient, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    old_auth = t.auth
    new_secret = "ab" * 32
    r = client.post("/v1/credential", headers=t.auth,
                    json={"credential_sha256": hashlib.sha256(new_secret.encode()).hexdigest()})
    assert r.status_code == 200, r.text
    t.secret = new_secret
    assert client.get("/v1/status", headers=t.auth).status_code == 200
    assert client.get("/v1/status", headers=old_auth).status_code == 401


def test_new_members_get_a_member_code_signed_by_the_chain(client: TestClient, new_terminal: NewTerminal) -> None:
    a, b = new_terminal(client), new_terminal(client)
    member = a.member()
    a.upload_ok([member])
    states = [c["member"] for c in b.pull_all() if c["type"] == "member"]
    mine = next(s for s in states if s["id"] == member["member"]["id"])
    keys = {k["key_id"]: base64.b64decode(k["public_key_b64"]) for k in b.snapshot["public_keys"]}  # type: ignore[index]
    code = verify_member_code(mine["member_code"], keys, svc.utcnow())
    assert code.member_id == member["member"]["id"]


def test_admin_endpoints_need_the_admin_credential(client: TestClient, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    assert client.get("/admin/v1/flags").status_code == 401
    assert client.get("/admin/v1/flags", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/admin/v1/flags", headers=t.auth).status_code == 401
    ok = client.get("/admin/v1/terminals", headers={"Authorization": "Bearer demo-admin-token"})
    assert ok.status_code == 200 and any(row["id"] == t.terminal_id for row in ok.json())
