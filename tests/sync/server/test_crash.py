"""A server process killed (SIGKILL) in the middle of uploads: after a restart and a resend from the outbox,
nothing is lost and nothing is counted twice."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import Engine, func, select

from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.config import Settings
from tests.sync.server.conftest import ServerProcess
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres
SAFETY = 120.0  # seconds; a hang guard, never a speed assertion


def test_server_killed_mid_batch_then_resend(settings: Settings, engine: Engine,
                                             enroll_code: Callable[[], str]) -> None:
    server = ServerProcess(settings.database_url)
    try:
        http = httpx.Client(base_url=server.url, timeout=30)
        t = Terminal(http)
        assert t.enroll(enroll_code()).status_code == 200
        member = t.member()
        t.upload_ok([member])
        t.outbox.clear()
        batches = [[t.earn(member["member"]["id"], 25_000) for _ in range(300)] for _ in range(6)]
        outcomes: list[str] = []
        answered = threading.Event()

        def send() -> None:
            for batch in batches:
                try:
                    r = t.upload(batch, str(uuid.uuid4()))
                    outcomes.append(str(r.status_code))
                except httpx.HTTPError as exc:
                    outcomes.append(type(exc).__name__)
                answered.set()

        sender = threading.Thread(target=send)
        sender.start()
        # let at least one batch commit, then kill while others are in flight (the deadline only guards a hang)
        assert answered.wait(SAFETY), f"no upload answered within {SAFETY:.0f} s"
        server.kill()
        sender.join()
        assert any(o != "200" for o in outcomes), outcomes  # the kill did interrupt the stream

        server = ServerProcess(settings.database_url)  # restart on the same database
        t.http = httpx.Client(base_url=server.url, timeout=30)
        ack = t.http.get("/v1/status", headers=t.auth).json()["ack_seq"]
        # the terminal resends everything above what it knows was acknowledged (here: all, to be harsh)
        final = 0
        for batch in batches:
            final = t.upload_ok(batch)["ack_seq"]
        assert final == batches[-1][-1]["seq"] >= ack
        total = run_tx(engine, lambda c: c.execute(select(func.count()).select_from(m.entries).where(
            m.entries.c.member_id == member["member"]["id"])).scalar_one())
        assert total == 6 * 300
        assert run_tx(engine, lambda c: svc.member_state(c, member["member"]["id"])).balance == 6 * 300 * 10
        assert run_tx(engine, svc.verify_balances) == []
    finally:
        server.stop()
