"""``POST /v1/terminal-key``: the server certifies a terminal's own card-signing key with the chain key, once
per key and terminal; another terminal's key or a revoked terminal is refused; revoking the terminal revokes
its key in the key changes every terminal pulls."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from pos_app.core.member_codes import public_key_bytes, sign_member_code_as_terminal, verify_member_code
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres
NewTerminal = Callable[[httpx.Client], Terminal]
ADMIN = {"Authorization": "Bearer demo-admin-token"}


def _b64(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(public_key_bytes(key)).decode("ascii")


def _chain_keys(t: Terminal) -> dict[str, bytes]:
    assert t.snapshot is not None
    return {k["key_id"]: base64.b64decode(k["public_key_b64"]) for k in t.snapshot["public_keys"]
            if not k["revoked"]}


def test_a_certified_terminal_key_signs_cards_the_chain_verifies_and_revocation_reaches_the_key_feed(
        client: TestClient, new_terminal: NewTerminal) -> None:
    t1, t2 = new_terminal(client), new_terminal(client)
    key = Ed25519PrivateKey.generate()
    answer = client.post("/v1/terminal-key", headers=t1.auth, json={"public_key_b64": _b64(key)})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["certificate"].startswith("LK1:") and f":{body['key_id']}:" in body["certificate"]
    again = client.post("/v1/terminal-key", headers=t1.auth, json={"public_key_b64": _b64(key)})
    assert again.status_code == 200 and again.json()["key_id"] == body["key_id"]

    now = datetime.now(UTC)
    card = sign_member_code_as_terminal(key, body["certificate"], "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", now,
                                        now + timedelta(days=30))
    assert verify_member_code(card, _chain_keys(t2), now).key_id == body["key_id"]

    stolen = client.post("/v1/terminal-key", headers=t2.auth, json={"public_key_b64": _b64(key)})
    assert stolen.status_code == 409 and stolen.json()["error"]["code"] == "key_exists"
    bad = client.post("/v1/terminal-key", headers=t2.auth, json={"public_key_b64": "A" * 40})
    assert bad.status_code == 422
    assert client.post("/v1/terminal-key", json={"public_key_b64": _b64(key)}).status_code == 401

    cursor = t2.cursor
    assert client.post(f"/admin/v1/terminals/{t1.terminal_id}/revoke", headers=ADMIN).status_code == 200
    changes = client.get("/v1/changes", headers=t2.auth, params={"cursor": cursor, "limit": 500})
    assert changes.status_code == 200, changes.text
    keys = [c["public_key"] for c in changes.json()["changes"] if c.get("public_key")]
    assert {"key_id": body["key_id"], "revoked": True} in [{"key_id": k["key_id"], "revoked": k["revoked"]}
                                                           for k in keys]
    refused = client.post("/v1/terminal-key", headers=t1.auth, json={"public_key_b64": _b64(key)})
    assert refused.status_code == 403
