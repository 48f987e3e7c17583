"""A standalone terminal joins the chain with its members (issue 8 §2): ``pos-terminal enroll --code`` on a
terminal that already has members, points and printed cards. Real ledgers through the real CLI, a real server
process on loopback over real PostgreSQL; a loopback proxy loses the server's answers to the enrollment and to
the first upload (the terminal as if it crashed right after sending), and the runs again count nothing twice."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from pos_app.services.terminal import open_terminal
from sync import protocol as p
from sync.server import models as m
from sync.server.app import run_tx
from sync.server.config import Settings
from sync.server.demo import DEMO_ADMIN_TOKEN
from sync.server.expiry import expire_points
from tests.sync.e2e.test_two_terminals import BIN, cli
from tests.sync.proxy import LosingProxy
from tests.sync.server.conftest import ServerProcess

pytestmark = pytest.mark.postgres
ADMIN = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}
DAY_MS = 86_400_000


def refused(data_dir: Path, *args: str) -> tuple[int, str]:
    out = subprocess.run([str(BIN / "pos-terminal"), "--data-dir", str(data_dir), "--lang", "en", *args],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    return out.returncode, lines[0]


@pytest.fixture
def server(settings: Settings, engine: Engine) -> Iterator[ServerProcess]:
    proc = ServerProcess(settings.database_url)
    yield proc
    proc.stop()


def code_for(engine: Engine) -> str:
    from sync.server import service as svc

    return run_tx(engine, lambda c: svc.issue_enrollment_code(c, "BKK01", svc.utcnow(), 1))[0]


def server_member(url: str, member_id: str) -> dict[str, Any]:
    r = httpx.get(f"{url}/admin/v1/members/{member_id}", headers=ADMIN, timeout=10)
    assert r.status_code == 200, r.text
    return dict(r.json())


def flags(url: str, kind: str) -> list[dict[str, Any]]:
    r = httpx.get(f"{url}/admin/v1/flags", params={"kind": kind}, headers=ADMIN, timeout=10)
    assert r.status_code == 200, r.text
    return list(r.json())


def test_a_standalone_terminal_joins_with_its_members_points_and_cards(
        server: ServerProcess, engine: Engine, tmp_path: Path) -> None:
    t1, t2 = tmp_path / "standalone", tmp_path / "chain"
    # Elsewhere in the chain: a member with the phone that the standalone shop will also enroll.
    cli(t2, "enroll", "--server", server.url, "--code", code_for(engine))
    elsewhere = cli(t2, "member", "enroll", "--name", "Chain Person", "--phone", "0861112222")
    cli(t2, "award", "--member", elsewhere["id"], "--amount", "1000", "--receipt", "C-1")
    cli(t2, "sync", "--once")

    # The shop ran its terminal standalone before it could join: members, sales, a redemption, a manager's
    # adjustment, a return, a printed card, and its own daily expiry of a grant made two years ago.
    assert cli(t1, "init")["ok"]
    cli(t1, "staff", "add", "--name", "Shop Boss", "--role", "manager", "--pin", "482916")
    twin = cli(t1, "member", "enroll", "--name", "Same Phone", "--phone", "0861112222")
    carded = cli(t1, "member", "enroll", "--name", "Card Holder", "--phone", "0862223333")
    assert carded["member_code"].startswith("LM1:T")  # standalone: the terminal is its own root
    card = cli(t1, "card", "render", "--member", "0862223333", "--out", str(tmp_path / "card.png"))
    assert card["verified"] and card["member_id"] == carded["id"]
    old_clock = lambda: time.time_ns() // 1_000_000 - (2 * 365 + 40) * DAY_MS  # noqa: E731
    services = open_terminal(t1, clock=old_clock)
    try:
        services.award(member_id=carded["id"], amount_satang=250_000, receipt_ref="OLD-1", operator_id="cli")
    finally:
        services.close()
    services = open_terminal(t1)
    try:
        expired = services.expire_due()
    finally:
        services.close()
    assert expired == {carded["id"]: 100}
    cli(t1, "award", "--member", twin["id"], "--amount", "2500", "--receipt", "S-1")
    cli(t1, "award", "--member", carded["id"], "--amount", "5000", "--receipt", "S-2")
    cli(t1, "award", "--member", carded["id"], "--amount", "2500", "--receipt", "S-3")
    cli(t1, "redeem", "--member", carded["id"], "--points", "50")
    cli(t1, "return", "--receipt", "S-3", "--manager-pin", "482916")
    cli(t1, "adjust", "--member", twin["id"], "--points", "7", "--reason", "goodwill", "--manager-pin", "482916")
    local = {mid: cli(t1, "balance", "--member", mid)["balance"] for mid in (twin["id"], carded["id"])}
    assert local == {twin["id"]: 107, carded["id"]: 150}
    # Before joining, the chain does not know the shop's key: its card is refused elsewhere.
    assert "does not know" in refused(t2, "member", "show", carded["member_code"])[1]

    # Join through a proxy that loses the server's answer to the enrollment, then to the first upload (the sync
    # round's one request: protocol 1.3).
    proxy = LosingProxy(server.url, {"/v1/enroll", "/v1/sync"})
    try:
        code = code_for(engine)
        status, line = refused(t1, "enroll", "--server", proxy.url, "--code", code)
        assert "Cannot reach the loyalty server" in line and status == 1
        assert proxy.lost == ["/v1/enroll"]
        # the server holds the enrollment; the terminal does not know it: it sends the same code again
        joined = cli(t1, "enroll", "--server", proxy.url, "--code", code)
        assert proxy.lost == ["/v1/enroll", "/v1/sync"]
        assert joined["takeover"] and joined["mode"] == "enrolled" and joined["uploaded"] == 0
        assert joined["queued"] > 0  # the first upload's answer was lost: still queued here
        again = cli(t1, "sync", "--once")  # the same batch again: the server answers "already have it"
        assert again["queued"] == 0
    finally:
        proxy.close()
    terminal_id = joined["terminal_id"]
    assert terminal_id == cli(t1, "sync", "status")["terminal_id"]  # kept its identity

    # The server took the members over, with the terminal's balances, counted once.
    for mid, points in local.items():
        assert server_member(server.url, mid)["balance"] == points
        assert cli(t1, "balance", "--member", mid)["balance"] == points
    assert cli(t1, "doctor")["ok"]
    # Pre-enrollment records are taken over as recorded and flagged for a manager, nothing quarantined.
    assert flags(server.url, "quarantined") == []
    takeover = [f for f in flags(server.url, "takeover") if f["terminal_id"] == terminal_id]
    assert len(takeover) == 1 and takeover[0]["details"]["members"] == 2
    assert takeover[0]["details"]["points_by_kind"]["expire"] == -100
    # The same phone elsewhere in the chain: never two members with one phone silently.
    dup = [f for f in flags(server.url, "duplicate_phone") if f["member_id"] == twin["id"]]
    assert len(dup) == 1 and dup[0]["details"]["other_member_id"] == elsewhere["id"]
    assert server_member(server.url, elsewhere["id"])["phone"] == "0861112222"
    assert cli(t1, "member", "show", "0861112222")["id"] == twin["id"]  # the shop's counter finds its own member

    # The chain's expiry does not expire the grant the shop already expired.
    run = expire_points(engine, datetime.now(UTC) + timedelta(minutes=1))
    assert run.ran
    assert server_member(server.url, carded["id"])["balance"] == 150
    expiries = run_tx(engine, lambda c: list(c.execute(select(m.entries.c.terminal_id).where(
        m.entries.c.member_id == carded["id"], m.entries.c.kind == "expire"))))
    assert [row.terminal_id for row in expiries] == [terminal_id]

    # The card printed while standalone works on another terminal of the chain, offline, after its pull.
    cli(t2, "sync", "--once")
    server.stop()
    assert cli(t2, "member", "show", carded["member_code"])["id"] == carded["id"]
    assert cli(t2, "balance", "--member", carded["id"])["balance"] == 150
    # and the joined terminal prints chain cards (its certified key) for new members from now on, offline too
    new = cli(t1, "member", "enroll", "--name", "After Joining", "--phone", "0863334444")
    assert new["member_code"].startswith("LT1:")


def _takeover_request(code: str, key: Ed25519PrivateKey, terminal_id: str, *, signer: Ed25519PrivateKey | None = None,
                      last_seq: int = 3) -> dict[str, Any]:
    credential = "ab" * 32
    public_b64 = base64.b64encode(key.public_key().public_bytes_raw()).decode()
    signature = (signer or key).sign(p.takeover_challenge(code, credential, terminal_id, last_seq, public_b64))
    return {"code": code, "credential_sha256": credential, "takeover": {
        "terminal_id": terminal_id, "last_seq": last_seq, "public_key_b64": public_b64,
        "signature_b64": base64.b64encode(signature).decode()}}


def test_the_server_takes_over_only_a_terminal_that_proves_it_holds_its_card_key(
        client: TestClient, enroll_code: Callable[[], str]) -> None:
    key, thief = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    terminal_id = "019ad1a4-0000-7000-8000-00000000c0de"
    code = enroll_code()
    r = client.post("/v1/enroll", json=_takeover_request(code, key, terminal_id, signer=thief))
    assert r.status_code == 422 and r.json()["error"]["code"] == "takeover_not_proven", r.text
    assert "does not verify" in r.json()["error"]["message"]

    r = client.post("/v1/enroll", json=_takeover_request(code, key, terminal_id))  # the code was not spent
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["terminal_id"] == terminal_id  # keeps its identity
    assert body["terminal_certificate"].startswith("LK1:")
    again = client.post("/v1/enroll", json=_takeover_request(code, key, terminal_id))  # its answer was lost
    assert again.status_code == 200 and again.json()["terminal_id"] == terminal_id, again.text

    # another device claiming that terminal id with its own key is refused, with a fresh code too
    r = client.post("/v1/enroll", json=_takeover_request(enroll_code(), thief, terminal_id))
    assert r.status_code == 409 and r.json()["error"]["code"] == "takeover_conflict", r.text
    # and the spent code serves no other terminal
    r = client.post("/v1/enroll", json=_takeover_request(code, thief, "019ad1a4-0000-7000-8000-0000000bad00"))
    assert r.status_code == 409 and r.json()["error"]["code"] == "enrollment_code_used", r.text


def test_a_terminal_with_records_that_was_enrolled_before_is_still_refused(tmp_path: Path) -> None:
    shop, other = tmp_path / "shop", tmp_path / "other"
    cli(shop, "member", "enroll", "--name", "Somchai", "--phone", "0871234567")
    # the data folder carries the credential of another terminal (copied from an enrolled machine)
    other.mkdir()
    (other / "sync-credential.json").write_text(json.dumps({"terminal_id": "BKK01-ABC123", "secret": "f" * 64}))
    shutil.copy(other / "sync-credential.json", shop / "sync-credential.json")
    status, line = refused(shop, "enroll", "--server", "http://127.0.0.1:9", "--code", "ABCD-EFGH")
    assert status == 2
    assert line.startswith("Error: This terminal has records and was enrolled with a loyalty server before (its "
                           "credential file names terminal BKK01-ABC123)"), line
    assert "cannot join a chain with them" in line
    assert cli(shop, "sync", "status")["mode"] == "standalone"  # nothing changed


def test_a_demo_terminal_never_joins_a_chain_with_its_demo_data(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    assert cli(demo, "init", "--demo")["ok"]
    status, line = refused(demo, "enroll", "--server", "http://127.0.0.1:9", "--code", "ABCD-EFGH")
    assert status == 2
    assert line == ("Error: This terminal holds demo data (pos-terminal init --demo): it cannot join a chain with "
                    "it. Start a new, empty data folder for the shop."), line
    assert cli(demo, "sync", "status")["mode"] == "standalone"
