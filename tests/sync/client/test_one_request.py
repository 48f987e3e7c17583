"""A sync round is one request (protocol 1.3, ``POST /v1/sync``), counted at a real server process on loopback;
against a server without that route (an older version) the client falls back to the separate requests for the
life of the client object, and nothing is lost or counted twice either way."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from pos_app.services import sync_glue
from pos_app.services.terminal import Services, open_terminal
from sync.client import SyncClient, enroll
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.db import make_engine
from sync.server.demo import DEMO_ADMIN_TOKEN
from tests.sync.server.conftest import ServerProcess

REPO = Path(__file__).resolve().parents[3]
ROUND = ["POST /v1/sync"]
SEPARATE = ["POST /v1/upload", "GET /v1/changes", "GET /v1/flags", "POST /v1/heartbeat"]


class CountedServer:
    """The real app in a ``uvicorn`` process on a copy of the seeded SQLite database; ``requests()`` lists what it
    served since the last call."""

    def __init__(self, template: Path, directory: Path, without_sync: bool) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.db = directory / "server.sqlite3"
        shutil.copyfile(template, self.db)
        self.log = directory / "requests.log"
        self.log.write_text("")
        self.server = ServerProcess(f"sqlite:///{self.db}", {
            "LOYALTY_TEST_REQUEST_LOG": str(self.log), "LOYALTY_TEST_WITHOUT_SYNC": "1" if without_sync else "0"},
            app="tests.sync.client.counted_app:app_from_env")
        self.url = self.server.url
        self.engine = make_engine(f"sqlite:///{self.db}")
        self._seen = 0

    def requests(self) -> list[str]:
        lines = self.log.read_text().splitlines()
        new, self._seen = lines[self._seen:], len(lines)
        return [line for line in new if line != "GET /v1/hello"]

    def code(self) -> str:
        r = httpx.post(f"{self.url}/admin/v1/enrollment-codes", json={"branch": "BKK01"},
                       headers={"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}, timeout=10)
        assert r.status_code == 200, r.text
        return str(r.json()["code"])

    def tx(self, fn: Any) -> Any:
        return run_tx(self.engine, fn)

    def stop(self) -> None:
        self.engine.dispose()
        self.server.stop()


@pytest.fixture
def counted(server_template: Path, tmp_path: Path) -> Iterator[Any]:
    made: list[CountedServer] = []

    def start(without_sync: bool = False) -> CountedServer:
        srv = CountedServer(server_template, tmp_path / f"server{len(made)}", without_sync)
        made.append(srv)
        return srv

    yield start
    for srv in made:
        srv.stop()


class Counter_:
    """A counter on a real ledger file, enrolled over loopback, syncing through the real client (with its
    heartbeat: the device probes of the app)."""

    def __init__(self, directory: Path, server: CountedServer) -> None:
        self.services: Services = open_terminal(directory)
        sync_glue.install(self.services)
        enroll(sync_glue.store_for(self.services), server.url, server.code())
        self.client: SyncClient = sync_glue.make_client(self.services)

    def restart_client(self, **kwargs: Any) -> None:
        self.client.close()
        self.client = sync_glue.make_client(self.services, **kwargs)

    def sale(self, phone: str, baht: int, awards: int = 1) -> str:
        member = self.services.members.enroll(name="Member " + phone[-4:], phone=phone, operator_id="cashier1")
        for i in range(awards):
            self.services.award(member_id=member.id, amount_satang=baht * 100, receipt_ref=f"R-{phone}-{i}",
                                operator_id="cashier1")
        return member.id

    def balance(self, member_id: str) -> int:
        with self.services.ledger.read() as conn:
            row = conn.exec_driver_sql("SELECT points FROM balances WHERE member_id = ?", (member_id,)).first()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.client.close()
        self.services.close()


@pytest.fixture
def counters(tmp_path: Path) -> Iterator[Any]:
    made: list[Counter_] = []

    def make(name: str, server: CountedServer) -> Counter_:
        c = Counter_(tmp_path / name, server)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def agree(server: CountedServer, *members: tuple[str, list[Counter_]]) -> None:
    """Every counter holds the server's balance of each member, and the server's ledger adds up."""
    for member_id, holders in members:
        held = server.tx(lambda c, mid=member_id: svc.member_state(c, mid)).balance
        assert [t.balance(member_id) for t in holders] == [held] * len(holders)
    assert server.tx(svc.verify_balances) == []


def entries_on_server(server: CountedServer, member_id: str) -> int:
    return int(server.tx(lambda c: c.execute(select(func.count()).select_from(m.entries).where(
        m.entries.c.member_id == member_id)).scalar_one()))


def test_a_sync_round_is_one_request_at_the_server(counted: Any, counters: Any) -> None:
    server = counted()
    a, b = counters("a", server), counters("b", server)
    for t in (a, b):
        t.client.sync_once()
    server.requests()
    mid = a.sale("0850000001", 1_000)
    a.client.sync_once()
    assert server.requests() == ROUND  # upload, pull, flags and heartbeat in one
    assert a.services.ledger is not None and sync_glue.store_for(a.services).queued_count() == 0
    beat = server.tx(lambda c: c.execute(select(m.terminal_health).where(
        m.terminal_health.c.terminal_id == a.services.ledger.terminal_id)).first())
    assert beat is not None and beat.records_waiting == 0
    b.client.sync_once()
    assert server.requests() == ROUND  # nothing to upload: the pull, flags and heartbeat
    assert b.balance(mid) == a.balance(mid) == 40
    a.client.sync_once()
    assert server.requests() == ROUND  # an idle round is one request too
    agree(server, (mid, [a, b]))
    assert entries_on_server(server, mid) == 1


def test_a_long_backlog_sends_its_last_batch_with_the_pull_and_more_pages_follow(counted: Any,
                                                                                  counters: Any) -> None:
    server = counted()
    a, b = counters("a", server), counters("b", server)
    for t in (a, b):
        t.client.sync_once()
    a.restart_client(batch_size=3)
    b.restart_client(page_limit=3)
    server.requests()
    mid = a.sale("0850000002", 500, awards=5)  # member, 2 consent records, 5 sales: batches of 3, 3, 2
    a.client.sync_once()
    assert server.requests() == ["POST /v1/upload", "POST /v1/upload", "POST /v1/sync"]
    b.client.sync_once()
    served = server.requests()
    assert served[0] == "POST /v1/sync" and len(served) > 1 and set(served[1:]) == {"GET /v1/changes"}
    agree(server, (mid, [a, b]))
    assert entries_on_server(server, mid) == 5


def test_an_older_server_gets_the_separate_requests_for_the_life_of_the_client(counted: Any,
                                                                                counters: Any) -> None:
    server = counted(without_sync=True)
    a, b = counters("a", server), counters("b", server)
    server.requests()
    mid = a.sale("0850000003", 2_000)  # before the first round: the first /v1/sync carries a batch
    a.client.sync_once()
    # asked once (404), then the same batch by upload; a first round also reports the app's version (status)
    assert server.requests() == ["POST /v1/sync", "POST /v1/upload", "GET /v1/changes", "GET /v1/status",
                                 "GET /v1/flags", "POST /v1/heartbeat"]
    assert a.client.one_request is False
    a.services.award(member_id=mid, amount_satang=10_000, receipt_ref="OLD-2", operator_id="cashier1")
    a.client.sync_once()
    assert server.requests() == SEPARATE  # remembered: not asked again
    b.client.sync_once()
    assert server.requests() == ["POST /v1/sync", "GET /v1/changes", "GET /v1/status", "GET /v1/flags",
                                 "POST /v1/heartbeat"]
    a.restart_client()  # a restarted client asks again (the server may have been upgraded meanwhile)
    a.services.award(member_id=mid, amount_satang=5_000, receipt_ref="OLD-3", operator_id="cashier1")
    a.client.sync_once()
    assert server.requests() == ["POST /v1/sync"] + SEPARATE
    b.client.sync_once()
    server.requests()
    agree(server, (mid, [a, b]))
    assert entries_on_server(server, mid) == 3  # each sale once, though the first batch went twice
    assert a.balance(mid) == 80 + 4 + 2
    batches = server.tx(lambda c: c.execute(select(func.count()).select_from(m.upload_batches).where(
        m.upload_batches.c.terminal_id == a.services.ledger.terminal_id)).scalar_one())
    assert batches == 3
