"""The door's shortcut (``KnownCredentials``): a server process admits the POST of a terminal it holds without asking
the database, and only ever as a shortcut to "admit". A terminal revoked by another process is still refused, by the
endpoint, with nothing stored; one revoked through this process, a wrong secret and an unknown or newly enrolled
terminal are all decided at the door as before (an over-size body tells: admitted, it would be refused for its size)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text

from sync.server import models as m
from sync.server import service as svc
from sync.server.app import MAX_BODY_BYTES, run_tx
from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.server.terminal import HEADERS, Terminal

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]
ADMIN = {**HEADERS, "Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}


def oversize(client: TestClient, auth: dict[str, str]) -> tuple[int, str]:
    """POST an upload one byte over the cap: the door's answer (the credential is decided before the size)."""
    r = client.post("/v1/upload", headers=auth, content=b" " * (MAX_BODY_BYTES + 1))
    return r.status_code, r.json()["error"]["code"]


def stored(engine: Engine, terminal_id: str) -> int:
    return run_tx(engine, lambda c: c.execute(select(func.count()).select_from(m.received)
                                              .where(m.received.c.terminal_id == terminal_id)).scalar_one())


def test_a_terminal_revoked_by_another_process_is_refused_by_the_endpoint_and_nothing_is_stored(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    known = client.app.state.known_credentials
    known.load(engine)
    run_tx(engine, lambda c: svc.revoke_terminal(c, t.terminal_id, svc.utcnow()))  # as `terminal revoke` does
    assert known.admits(t.auth["Authorization"], svc.utcnow())  # this process has not reloaded yet
    r = t.upload([t.member()])
    assert r.status_code == 403 and r.json()["error"]["code"] == "terminal_revoked"
    assert stored(engine, t.terminal_id) == 0
    known.load(engine)  # the next reload: refused at the door again
    assert oversize(client, t.auth) == (403, "terminal_revoked")


def test_a_terminal_revoked_through_this_process_is_refused_at_the_door_at_once(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    client.app.state.known_credentials.load(engine)
    assert oversize(client, t.auth) == (413, "body_too_large")  # admitted by the shortcut, refused for its size
    assert client.post(f"/admin/v1/terminals/{t.terminal_id}/revoke", headers=ADMIN).status_code == 200
    assert oversize(client, t.auth) == (403, "terminal_revoked")


def test_a_wrong_secret_of_a_known_terminal_is_refused_at_the_door(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    client.app.state.known_credentials.load(engine)
    wrong = {**t.auth, "Authorization": f"Bearer {t.terminal_id}.{'0' * 64}"}
    assert oversize(client, wrong) == (401, "bad_credential")
    for malformed in ("Bearer ", f"Bearer {t.terminal_id}", f"Bearer {t.terminal_id}.", "Basic x.y",
                      f"Bearer {t.terminal_id}.{'a' * 300}"):
        assert not client.app.state.known_credentials.admits(malformed, svc.utcnow())


def test_a_terminal_enrolled_after_the_last_load_is_checked_against_the_database_then_held(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    client.app.state.known_credentials.load(engine)
    t = new_terminal(client)
    assert not client.app.state.known_credentials.admits(t.auth["Authorization"], svc.utcnow())
    record = t.member()
    assert t.upload_ok([record])["ack_seq"] == record["seq"]
    assert stored(engine, t.terminal_id) == 1
    assert client.app.state.known_credentials.admits(t.auth["Authorization"], svc.utcnow())  # held from now on


def test_an_expired_credential_is_not_admitted_by_the_shortcut(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    known = client.app.state.known_credentials
    known.load(engine)
    run_tx(engine, lambda c: c.execute(m.terminals.update().where(m.terminals.c.id == t.terminal_id)
                                       .values(credential_expires_at=svc.utcnow())))
    known.load(engine)
    assert not known.admits(t.auth["Authorization"], svc.utcnow())
    assert oversize(client, t.auth) == (401, "credential_expired")


def test_a_revocation_made_here_outweighs_a_reload_or_a_check_that_read_before_it(
        client: TestClient, engine: Engine, new_terminal: NewTerminal) -> None:
    t = new_terminal(client)
    known = client.app.state.known_credentials
    terminal = run_tx(engine, lambda c: svc.authenticate(c, t.auth["Authorization"], svc.utcnow()))
    known.forget(t.terminal_id)  # revoked through this process; the database reads below are from before it
    known.load(engine)
    known.remember(t.auth["Authorization"], terminal)
    assert not known.admits(t.auth["Authorization"], svc.utcnow())


def test_a_terminal_cannot_take_every_worker_thread_with_posts_at_once(
        servers: list[Any], engine: Engine, enroll_code: Callable[[], str]) -> None:
    """Six uploads of one terminal wait on its row (held by a transaction here); the seventh and eighth are
    refused at once with 429, the six complete when the row is free, and the batch is counted once."""
    import threading
    import time

    from sync.server.app import MAX_POSTS_IN_FLIGHT_PER_TERMINAL

    url = servers[0].url
    t = Terminal(httpx.Client(base_url=url, timeout=60))
    assert t.enroll(enroll_code()).status_code == 200
    member = t.member()
    body = {"batch_id": str(uuid.uuid4()), "records": [member]}
    answers: list[int] = []
    lock = threading.Lock()

    def send() -> None:
        r = httpx.post(f"{url}/v1/upload", headers=t.auth, timeout=60, json=body)
        with lock:
            answers.append(r.status_code)

    def waiting() -> int:
        return int(run_tx(engine, lambda c: c.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )).scalar_one()))

    with engine.connect() as conn, conn.begin():
        conn.execute(select(m.terminals).where(m.terminals.c.id == t.terminal_id).with_for_update())
        first = [threading.Thread(target=send) for _ in range(MAX_POSTS_IN_FLIGHT_PER_TERMINAL)]
        for th in first:
            th.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and waiting() < MAX_POSTS_IN_FLIGHT_PER_TERMINAL:
            time.sleep(0.05)
        for _ in range(2):
            r = httpx.post(f"{url}/v1/upload", headers=t.auth, timeout=60, json=body)
            assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_requests", r.text
    for th in first:
        th.join(60)
    assert answers == [200] * MAX_POSTS_IN_FLIGHT_PER_TERMINAL
    assert stored_members(engine, member["member"]["id"]) == 1


def stored_members(engine: Engine, member_id: str) -> int:
    return run_tx(engine, lambda c: c.execute(select(func.count()).select_from(m.members)
                                              .where(m.members.c.id == member_id)).scalar_one())
