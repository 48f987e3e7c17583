"""One form at the door of the server, over HTTP: the credential is checked before a body is read and bodies are
capped; integers are integers; phones and card numbers carry ASCII digits only and text no control characters
(the same functions as the counters); revoking twice keeps the first time; the enrollment code lifetime setting
is honoured."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from sync import protocol as p
from sync.server import models as m
from sync.server.app import MAX_BODY_BYTES
from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.server.conftest import ServerProcess
from tests.sync.server.terminal import HEADERS, Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]
ADMIN = {**HEADERS, "Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}


@pytest.fixture(scope="module")
def server(settings, engine: Engine) -> Iterator[ServerProcess]:
    proc = ServerProcess(settings.database_url)
    yield proc
    proc.stop()


def raw_post(url: str, path: str, headers: dict[str, str], declared: int, send: bytes) -> tuple[int, dict]:
    """POST declaring ``declared`` body bytes but sending only ``send``: the answer must come without the rest."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as s:
        head = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
                f"Content-Length: {declared}"] + [f"{k}: {v}" for k, v in headers.items()]
        s.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + send)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1])
    import json

    return status, json.loads(data.split(b"\r\n\r\n", 1)[1] or b"{}")


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def test_an_unauthenticated_post_is_answered_before_its_body_is_read(server: ServerProcess,
                                                                      new_terminal: NewTerminal) -> None:
    # 50 MB declared, 1 KB sent: a server that read the body first would wait for the rest (and time out here)
    status, body = raw_post(server.url, "/v1/upload", HEADERS, 50 * 1024 * 1024, b"[" * 1024)
    assert status == 401 and body["error"]["code"] == "no_credential"
    status, body = raw_post(server.url, "/v1/upload", {**HEADERS, "Authorization": "Bearer BKK01-NOPE.secret"},
                            50 * 1024 * 1024, b"[" * 1024)
    assert status == 401 and body["error"]["code"] == "unknown_terminal"
    status, body = raw_post(server.url, "/admin/v1/branches", {**HEADERS, "Authorization": "Bearer wrong"},
                            50 * 1024 * 1024, b"{")
    assert status == 401 and body["error"]["code"] == "bad_admin_credential"
    # a terminal with a valid credential still cannot send more than the cap: 413 with the protocol's error body
    with httpx.Client(base_url=server.url, timeout=20) as http:
        t = new_terminal(http)
    status, body = raw_post(server.url, "/v1/upload", t.auth, MAX_BODY_BYTES + 1, b"{")
    assert status == 413 and body["error"]["code"] == "body_too_large"
    assert p.ErrorResponse.model_validate(body).error.details == {"max_bytes": MAX_BODY_BYTES}
    # enrollment has no credential: its cap is small
    status, body = raw_post(server.url, "/v1/enroll", HEADERS, 1024 * 1024, b"{")
    assert status == 413 and body["error"]["code"] == "body_too_large"


def test_a_streamed_body_without_length_is_cut_at_the_cap(client: TestClient, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)

    def chunks() -> Iterator[bytes]:
        yield b'{"batch_id": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    r = client.post("/v1/upload", headers=t.auth, content=chunks())
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
    ok = t.upload_ok([t.member()])  # an ordinary upload on the same terminal is unaffected
    assert ok["ack_seq"] == 1


@pytest.mark.parametrize("points", ["5", 5.0, True])
def test_reservations_take_integers_only(client: TestClient, new_terminal: NewTerminal, points: object) -> None:
    t = new_terminal(client)
    member = t.member()
    t.upload_ok([member, t.earn(member["member"]["id"], 100_000)])
    r = client.post("/v1/reservations", headers=t.auth, json={
        "reservation_id": "0190a0a0-0000-7000-8000-00000000000a", "member_id": member["member"]["id"],
        "points": points})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request", r.text
    assert t.reserve(member["member"]["id"], 5).status_code == 200


def test_admin_bodies_take_integers_only_and_no_control_characters(client: TestClient,
                                                                    new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    member = t.member()
    t.upload_ok([member])
    path = f"/admin/v1/members/{member['member']['id']}/adjust"
    for body in ({"points": "5", "reason": "r", "by": "m"}, {"points": 5.0, "reason": "r", "by": "m"},
                 {"points": 5, "reason": "bad\x00reason", "by": "m"}, {"points": 5, "reason": "r", "by": "m\x1b[2J"}):
        r = client.post(path, headers=ADMIN, json=body)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request", (body, r.text)
    assert client.post(path, headers=ADMIN, json={"points": 5, "reason": "goodwill", "by": "m"}).status_code == 200
    r = client.put("/admin/v1/rewards/TEA", headers=ADMIN, json={
        "code": "TEA", "name_th": "ชา\x00", "name_en": "Tea", "points_cost": 50, "stock": None, "active": True})
    assert r.status_code == 422


@pytest.mark.parametrize("phone", ["0๘๑๒๓๔๕๖๗๘", "0８１２３４５６７８", "0٨١٢٣٤٥٦٧٨", "08123456７８"])
def test_a_member_record_with_a_look_alike_phone_is_refused(client: TestClient, new_terminal: NewTerminal,
                                                            phone: str) -> None:
    # the protocol's pattern (\d) lets these through; the counters' normal form (pos_app.core.phone) does not
    t = new_terminal(client)
    r = t.upload([t.member(phone=phone)])
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_record_form", r.text
    assert "phone" in r.json()["error"]["details"]["records"][0]["problems"][0]
    t = new_terminal(client)
    assert t.upload([t.member(phone="0812345678")]).status_code == 200


def test_card_numbers_and_text_fields_are_checked_in_records(client: TestClient, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    bad_card = t.member()
    bad_card["member"]["card_no"] = "８" + bad_card["member"]["card_no"][1:]
    bad_card["member"]["content_hash"] = p.content_hash(bad_card["member"])
    r = t.upload([bad_card])
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_record_form"
    t = new_terminal(client)
    r = t.upload([t.member(name="Som\x00sri")])
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_record_form"
    assert "U+0000" in r.json()["error"]["details"]["records"][0]["problems"][0]
    t = new_terminal(client)
    member = t.member()
    r = t.upload([member, t.entry(member["member"]["id"], "adjust", 5, reason="line1\u2028line2",
                                  approved_by="manager1")])
    # an entry is judged whole: acknowledged and quarantined (its terminal's queue moves on), never applied
    assert r.status_code == 200 and r.json()["ack_seq"] == 2
    assert [(q["seq"], q["code"]) for q in r.json()["quarantined"]] == [(2, "bad_text")]
    assert "U+2028" in r.json()["quarantined"][0]["reason"]
    t = new_terminal(client)
    assert t.upload([t.member(name="สมศรี ทดสอบ")]).status_code == 200  # Thai text is text


def test_revoking_twice_keeps_the_first_time(client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    path = f"/admin/v1/terminals/{t.terminal_id}/revoke"
    assert client.post(path, headers=ADMIN).status_code == 200
    with engine.connect() as c:
        first = c.execute(select(m.terminals.c.revoked_at).where(m.terminals.c.id == t.terminal_id)).scalar_one()
    assert client.post(path, headers=ADMIN).status_code == 200
    with engine.connect() as c:
        again = c.execute(select(m.terminals.c.revoked_at).where(m.terminals.c.id == t.terminal_id)).scalar_one()
    assert again == first is not None
    assert client.post("/admin/v1/terminals/NOPE-1/revoke", headers=ADMIN).status_code == 404


def test_the_enrollment_code_lifetime_setting_is_honoured(settings, client: TestClient) -> None:
    exe = Path(sys.executable).with_name("loyalty-server")
    env = {**os.environ, "LOYALTY_DATABASE_URL": settings.database_url, "LOYALTY_ENROLL_CODE_HOURS": "1"}
    out = subprocess.run([str(exe), "--json", "terminal", "code", "BKK01"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    import json

    expires = p.parse_utc(json.loads(out.stdout)["expires_at"])
    now = p.parse_utc(client.get("/v1/hello").json()["server_time"])
    assert timedelta(0) < expires - now <= timedelta(hours=1)
    env["LOYALTY_ENROLL_CODE_HOURS"] = "๑"  # not a setting: one line, no traceback
    out = subprocess.run([str(exe), "terminal", "code", "BKK01"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2 and "LOYALTY_ENROLL_CODE_HOURS" in out.stderr and "Traceback" not in out.stderr
    r = client.post("/admin/v1/enrollment-codes", headers=ADMIN, json={"branch": "BKK01"})
    assert r.status_code == 200  # the API's default is the server's setting (24 here)
    assert p.parse_utc(r.json()["expires_at"]) - now > timedelta(hours=23)


@pytest.mark.parametrize("args, needle", [
    (["flags", "resolve", "99999999999999999999999", "--by", "me"], "FLAG_ID"),
    (["--database-url", "nope://x", "flags", "list"], "database URL"),
    (["--database-url", "sqlite:////no/such/dir/x.db", "flags", "list"], "cannot open the database"),
    (["--database-url", "sqlite:////no/such/dir/x.db", "migrate"], "cannot open the database"),
    (["branch", "add", "X1", "a\x01b"], "control character"),
    (["member", "find", "--phone", "<b>x</b>"], "not a Thai phone number"),
])
def test_admin_cli_bad_input_is_one_line(settings, args: list[str], needle: str) -> None:
    exe = Path(sys.executable).with_name("loyalty-server")
    env = {**os.environ, "LOYALTY_DATABASE_URL": settings.database_url}
    out = subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr
    assert needle in out.stderr.strip().splitlines()[-1], out.stderr
