"""Credentials that renew themselves (issue 10): the real server app behind the transport seam, real ledger
files, the real credential file. The server keeps only SHA-256 of the secret; we compare against that."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from sync.client import SyncClient, credentials
from sync.protocol import format_utc
from sync.server import models as m
from sync.server import service as svc
from tests.sync.client.harness import InProcessServer, Term

MakeTerm = Callable[..., Term]


def _row(server: InProcessServer, terminal_id: str):
    return server.tx(lambda c: c.execute(select(m.terminals).where(m.terminals.c.id == terminal_id)).one())


def _expire_in(server: InProcessServer, t: Term, days: int) -> None:
    """As if the credential had been issued 365 - ``days`` days ago: on the server and in the terminal's file."""
    path = t.store.credential_path()
    cred = credentials.load(path)
    when = svc.utcnow() + timedelta(days=days)
    server.tx(lambda c: c.execute(update(m.terminals).where(m.terminals.c.id == cred.terminal_id)
                                  .values(credential_expires_at=when)))
    credentials.save(path, replace(cred, expires_at=format_utc(when)))


def _client(t: Term, version: str = "") -> SyncClient:
    return SyncClient(t.store, transport=t.server.transport(), app_version=version)


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def test_a_credential_with_less_than_30_days_left_is_renewed_at_the_next_sync(terminal: MakeTerm,
                                                                              server: InProcessServer) -> None:
    t = terminal("a")
    path = t.store.credential_path()
    old = credentials.load(path)
    _expire_in(server, t, 40)
    _client(t).sync_once()
    assert credentials.load(path).secret == old.secret  # 40 days left: nothing to do yet

    _expire_in(server, t, 20)
    client = _client(t)
    client.sync_once()
    client.close()
    new = credentials.load(path)
    assert new.secret != old.secret and new.next_secret is None
    row = _row(server, old.terminal_id or "")
    assert row.credential_sha256 == _sha(new.secret)
    assert row.credential_expires_at - svc.utcnow().replace(tzinfo=row.credential_expires_at.tzinfo) > \
        timedelta(days=300)
    assert new.expires_at is not None and new.expires_at.startswith(str(row.credential_expires_at.year))
    t.services.members.enroll(name="After renewal", phone="0811110000", operator_id="c1")
    queued = t.store.queued_count()  # the member and its consent records
    assert queued > 0 and _client(t).sync_once().uploaded == queued  # the new secret works


def test_a_renewal_whose_answer_was_lost_is_settled_at_the_next_sync(terminal: MakeTerm,
                                                                    server: InProcessServer) -> None:
    t = terminal("a")
    path = t.store.credential_path()
    old = credentials.load(path)
    _expire_in(server, t, 10)

    def lose_rotation_answer(request: httpx.Request) -> str | None:
        return "drop_response" if request.url.path == "/v1/credential" else None

    server.fault = lose_rotation_answer
    _client(t).sync_once()  # the records sync; only the renewal is left unsettled
    server.fault = None
    pending = credentials.load(path)
    assert pending.secret == old.secret and pending.next_secret is not None
    assert _row(server, old.terminal_id or "").credential_sha256 == _sha(pending.next_secret)  # server took it

    t.services.members.enroll(name="Later", phone="0811110001", operator_id="c1")
    queued = t.store.queued_count()  # the member and its consent records
    assert queued > 0 and _client(t).sync_once().uploaded == queued
    settled = credentials.load(path)
    assert settled.secret == pending.next_secret and settled.next_secret is None


def test_the_app_version_reaches_the_server_at_enroll_and_after_an_upgrade(terminal: MakeTerm,
                                                                           server: InProcessServer) -> None:
    t = terminal("a", enroll=False)
    from sync.client import enroll

    terminal_id = enroll(t.store, "http://testserver", server.enrollment_code(), transport=server.transport(),
                         app_version="1.2.3")
    assert _row(server, terminal_id).app_version == "1.2.3"
    _client(t, "1.2.3").sync_once()
    _client(t, "1.3.0").sync_once()  # the next version after an upgrade
    assert _row(server, terminal_id).app_version == "1.3.0"
    listed = server.tx(svc.list_terminals)
    assert [r["app_version"] for r in listed if r["id"] == terminal_id] == ["1.3.0"]
