"""Server fixtures: a migrated PostgreSQL database per module, seeded with demo data; an in-process client
(FastAPI TestClient) and real ``uvicorn`` server processes on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from sync.server import service as svc
from sync.server.app import create_app, run_tx
from sync.server.config import Settings
from sync.server.db import make_engine, migrate
from sync.server.demo import DEMO_ADMIN_TOKEN, DEMO_KEY_PASSPHRASE, seed_demo
from tests.sync.server.terminal import Terminal

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def settings(pg_url: str) -> Settings:
    migrate(pg_url)
    return Settings(database_url=pg_url, admin_token_sha256=Settings.hash_token(DEMO_ADMIN_TOKEN),
                    key_passphrase=DEMO_KEY_PASSPHRASE)


@pytest.fixture(scope="module")
def engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.database_url, pool_size=20)
    seed_demo(eng, settings, terminals=0)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine)) as c:
        yield c


CONSOLE_PASSWORD = "correct horse battery"
"""The password of the console users made by :func:`users`."""


@pytest.fixture(scope="module")
def app_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The app in-process for console pages: redirects are answers to look at, not to follow."""
    with TestClient(create_app(settings, engine), follow_redirects=False) as c:
        yield c


@pytest.fixture(scope="module")
def users(engine: Engine) -> dict[str, str]:
    """A second branch (CNX01) and one console user of each role (an area manager for CNX01): name -> role."""
    from sync.server.console import auth

    run_tx(engine, lambda c: svc.add_branch(c, "CNX01", "Chiang Mai", svc.utcnow()))
    made = {}
    for name, role, branches in (("ada", "admin", ()), ("mark", "marketing", ()), ("sue", "support", ()),
                                 ("ops", "operations", ()), ("cnx", "area", ("CNX01",)), ("ro", "readonly", ())):
        run_tx(engine, lambda c, n=name, r=role, b=branches: auth.add_user(c, n, CONSOLE_PASSWORD, r, svc.utcnow(),
                                                                           branches=b))
        made[name] = role
    return made


@pytest.fixture(scope="module")
def enroll_code(engine: Engine) -> Callable[[], str]:
    def make() -> str:
        return run_tx(engine, lambda c: svc.issue_enrollment_code(c, "BKK01", svc.utcnow(), 1))[0]
    return make


@pytest.fixture(scope="module")
def new_terminal(enroll_code: Callable[[], str]) -> Callable[[httpx.Client], Terminal]:
    def make(http: httpx.Client) -> Terminal:
        t = Terminal(http)
        r = t.enroll(enroll_code())
        assert r.status_code == 200, r.text
        return t
    return make


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``uvicorn`` running the server app in a child process on a loopback port."""

    def __init__(self, database_url: str, extra_env: dict[str, str] | None = None,
                 app: str = "sync.server.app:app_from_env") -> None:
        """``app``: the ASGI app factory uvicorn runs (a test may wrap the real app, e.g. to count requests)."""
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "LOYALTY_DATABASE_URL": database_url, "LOYALTY_ADMIN_TOKEN": DEMO_ADMIN_TOKEN,
               "LOYALTY_KEY_PASSPHRASE": DEMO_KEY_PASSPHRASE.decode(), "LOYALTY_DB_POOL_SIZE": "8",
               **(extra_env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", app, "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/v1/hello", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                self.stop()
                raise RuntimeError(f"server did not start: {err[-2000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def servers(settings: Settings, engine: Engine) -> Iterator[list[ServerProcess]]:
    """Two server processes on the same PostgreSQL database."""
    procs = [ServerProcess(settings.database_url) for _ in range(2)]
    yield procs
    for proc in procs:
        proc.stop()
