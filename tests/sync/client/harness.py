"""An in-process central server (the real FastAPI app on a real SQLite file) behind an httpx transport seam,
plus real terminals (real ledger files, real services, the real sync client). Shared by the client tests and
the deterministic simulation.

Faults are injected at the seam: a ``Fault`` hook sees every request and may drop it before the server sees
it (``drop_request``), let the server process it and drop the answer (``drop_response``), or answer garbage.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from pos_app.ledger.sync_store import LedgerSyncStore
from pos_app.services import sync_glue
from pos_app.services.terminal import Services, open_terminal
from sync.client import SyncClient, enroll
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import create_app, run_tx
from sync.server.config import Settings
from sync.server.db import make_engine, migrate
from sync.server.demo import DEMO_ADMIN_TOKEN, DEMO_KEY_PASSPHRASE, seed_demo

SERVER_URL = "http://testserver"


def settings_for(db: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{db}", admin_token_sha256=Settings.hash_token(DEMO_ADMIN_TOKEN),
                    key_passphrase=DEMO_KEY_PASSPHRASE)


def make_server_template(directory: Path) -> Path:
    """A migrated, demo-seeded server database file (made once, copied per test)."""
    directory.mkdir(parents=True, exist_ok=True)
    db = directory / "server.sqlite3"
    settings = settings_for(db)
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    seed_demo(engine, settings, terminals=0)
    engine.dispose()
    return db


def _as_pulled(request: httpx.Request) -> httpx.URL:
    if request.url.path != "/v1/sync":
        return request.url
    try:
        pull = json.loads(request.read()).get("pull") or {}
    except ValueError:
        return request.url
    params = {k: v for k, v in pull.items() if k in ("cursor", "limit") or (k == "scope" and v != "chain")}
    return request.url.copy_merge_params(params)


class Dropped(Exception):
    pass


Fault = Callable[[httpx.Request], str | None]
"""Returns None (deliver), "drop_request", "drop_response", "garbage", "500" or "timeout"."""


class InProcessServer:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.settings = settings_for(db)
        self.fault: Fault | None = None
        self.requests = 0
        self.log: list[tuple[str, str, bytes]] = []
        self.urls: list[httpx.URL] = []
        """Every request's full URL (path and query), in order; a ``POST /v1/sync`` with a pull is listed with the
        query its ``GET /v1/changes`` would carry (``cursor``, ``limit``, ``scope`` only when not ``chain``)."""
        self._tc: TestClient | None = None
        self.engine: Engine | None = None
        self.start()

    @classmethod
    def from_template(cls, template: Path, directory: Path) -> InProcessServer:
        directory.mkdir(parents=True, exist_ok=True)
        db = directory / "server.sqlite3"
        shutil.copyfile(template, db)
        return cls(db)

    def start(self) -> None:
        self.engine = make_engine(self.settings.database_url)
        self._tc = TestClient(create_app(self.settings, self.engine), raise_server_exceptions=True)
        self._tc.__enter__()

    def stop(self) -> None:
        if self._tc is not None:
            self._tc.__exit__(None, None, None)
            self._tc = None
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def restart(self) -> None:
        self.stop()
        self.start()

    # ------------------------------------------------------------------ transport seam
    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        self.log.append((request.method, request.url.path, request.read()))
        self.urls.append(_as_pulled(request))
        action = self.fault(request) if self.fault else None
        if action == "drop_request":
            raise httpx.ConnectError("simulated: request lost", request=request)
        if action == "timeout":
            raise httpx.ReadTimeout("simulated: no answer", request=request)
        if action == "500":
            return httpx.Response(500, text="Internal Server Error")
        if action == "502":
            return httpx.Response(502, text="<html>Bad gateway</html>")
        if action == "garbage":
            return httpx.Response(200, text="{not json", headers={"content-type": "application/json"})
        if action == "wrong_shape":
            return httpx.Response(200, json={"hello": "world"})
        assert self._tc is not None, "server is down"
        url = request.url
        path = url.raw_path.decode("ascii")
        answer = self._tc.request(request.method, path, content=request.read(),
                                  headers={k: v for k, v in request.headers.items() if k.lower() != "host"})
        if action == "drop_response":
            raise httpx.ReadError("simulated: answer lost", request=request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    def pulls(self) -> list[int]:
        """The ``cursor`` of every pull seen so far (``GET /v1/changes`` or inside ``POST /v1/sync``), in order."""
        return [int(url.params["cursor"]) for url in self.urls
                if url.path == "/v1/changes" or (url.path == "/v1/sync" and "cursor" in url.params)]

    def paths(self) -> list[str]:
        """The path of every request seen so far, in order."""
        return [url.path for url in self.urls]

    def transport(self) -> httpx.BaseTransport:
        return httpx.MockTransport(self.handle)

    # ------------------------------------------------------------------ admin helpers
    def tx(self, fn: Callable[[Any], Any]) -> Any:
        assert self.engine is not None
        return run_tx(self.engine, fn)

    def enrollment_code(self) -> str:
        return self.tx(lambda c: svc.issue_enrollment_code(c, "BKK01", svc.utcnow(), 1))[0]

    def set_policy(self, **values: int) -> None:
        self.tx(lambda c: svc.set_policy(c, values))

    def balances(self) -> dict[str, int]:
        return {r.id: int(r.balance) for r in self.tx(lambda c: list(c.execute(
            select(m.members.c.id, m.members.c.balance).where(m.members.c.placeholder.is_(False)))))}

    def member(self, member_id: str) -> Any:
        return self.tx(lambda c: svc.member_state(c, member_id))

    def flags(self, kind: str | None = None) -> list[Any]:
        return self.tx(lambda c: svc.list_flags(c, True, kind))

    def verify(self) -> list[dict[str, Any]]:
        return self.tx(svc.verify_balances)

    def entry_ids(self) -> list[str]:
        return [r[0] for r in self.tx(lambda c: list(c.execute(select(m.entries.c.id))))]

    def entry_sums(self) -> dict[str, int]:
        from sqlalchemy import func

        rows = self.tx(lambda c: list(c.execute(
            select(m.entries.c.member_id, func.sum(m.entries.c.points)).group_by(m.entries.c.member_id))))
        return {r[0]: int(r[1]) for r in rows}


@dataclass
class Term:
    """One counter: its services on a real ledger file and its sync client."""

    name: str
    data_dir: Path
    server: InProcessServer
    clock: Callable[[], int] | None = None
    services: Services = field(init=False)
    client: SyncClient | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.open()

    def open(self) -> None:
        self.services = open_terminal(self.data_dir, self.clock)
        sync_glue.install(self.services)
        self.client = None

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        self.services.close()

    def crash(self) -> None:
        """Drop every in-memory object and reopen the ledger from disk."""
        self.close()
        self.open()

    @property
    def store(self) -> LedgerSyncStore:
        return LedgerSyncStore(self.services.ledger)

    def enroll(self) -> str:
        kwargs = {"clock": self.clock} if self.clock else {}
        return enroll(self.store, SERVER_URL, self.server.enrollment_code(), transport=self.server.transport(),
                      **kwargs)

    def sync_client(self) -> SyncClient:
        if self.client is None:
            kwargs = {"clock": self.clock} if self.clock else {}
            self.client = SyncClient(self.store, transport=self.server.transport(), batch_size=7, page_limit=9,
                                     **kwargs)
        return self.client

    def sync(self) -> Any:
        return self.sync_client().sync_once()

    def balances(self) -> dict[str, int]:
        with self.services.ledger.read() as conn:
            rows = conn.exec_driver_sql("SELECT member_id, points FROM balances").all()
        return {r[0]: int(r[1]) for r in rows}

    def entry_ids(self) -> list[str]:
        with self.services.ledger.read() as conn:
            return [r[0] for r in conn.exec_driver_sql("SELECT id FROM entries").all()]


def new_member(t: Term, phone: str, points_baht: int = 0) -> str:
    """Enroll a member at counter ``t`` (and award ``points_baht`` worth of points there); the member's id."""
    member = t.services.members.enroll(name="Member " + phone[-4:], phone=phone, operator_id="cashier1")
    if points_baht:
        t.services.award(member_id=member.id, amount_satang=points_baht * 100, receipt_ref=f"R-{phone}",
                         operator_id="cashier1")
    return member.id
