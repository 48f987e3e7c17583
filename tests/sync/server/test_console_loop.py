"""A console page never holds up the terminals: its database work runs off the server's event loop, so a
terminal's sync completes while a slow page is still being built.

The server runs in this process (uvicorn on a loopback port, one event loop, as in production) so that a page's
database work can be held on an event: the terminal's upload and pull must finish while it is held. No timing is
asserted: if the page's work ran on the event loop, the sync could not complete until the page gave up waiting,
and the page reports that it gave up."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from sync.server import service as svc
from sync.server.app import create_app, run_tx
from sync.server.config import Settings
from sync.server.console import auth
from sync.server.console import pages as console_pages
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

PASSWORD = "correct horse battery"
HOLD_LIMIT = 60.0  # seconds a held page waits for the test before it gives up (only reached when the loop blocks)


@pytest.fixture(scope="module")
def base_url(settings: Settings, engine: Engine) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    while not started.is_set() and thread.is_alive():  # the server says when it listens
        started.wait(0.05)
        if server.started:
            started.set()
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def console(base_url: str, engine: Engine) -> Iterator[httpx.Client]:
    run_tx(engine, lambda c: auth.add_user(c, "loopadmin", PASSWORD, "admin", svc.utcnow()))
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=HOLD_LIMIT * 2) as client:
        client.cookies.set("console_lang", "en", path="/console")
        page = client.get("/console/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token
        r = client.post("/console/login", data={"csrf": token.group(1), "username": "loopadmin",
                                                "password": PASSWORD})
        assert r.status_code == 303, r.text
        yield client


def _hold(monkeypatch: pytest.MonkeyPatch, name: str) -> tuple[threading.Event, threading.Event, list[bool]]:
    """Replace the console's query ``name`` by one that says it started, then waits for the test."""
    original: Callable[..., Any] = getattr(console_pages, name)
    entered, release, outcome = threading.Event(), threading.Event(), []

    def held(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        outcome.append(release.wait(HOLD_LIMIT))  # False: nobody released it (the loop was blocked)
        return original(*args, **kwargs)

    monkeypatch.setattr(console_pages, name, held)
    return entered, release, outcome


@pytest.mark.parametrize(("name", "path"), [
    ("_dashboard", "/console/dashboard"),
    ("_search_members", "/console/members?q=somsri"),
    ("_flags", "/console/flags"),
    ("_terminals", "/console/terminals"),
    ("_rewards", "/console/rewards"),
    ("_voucher_batches", "/console/vouchers"),
])
def test_a_terminal_syncs_while_a_console_page_is_busy_in_the_database(
        monkeypatch: pytest.MonkeyPatch, console: httpx.Client, base_url: str,
        new_terminal: Callable[[httpx.Client], Terminal], name: str, path: str) -> None:
    with httpx.Client(base_url=base_url, timeout=HOLD_LIMIT * 2) as http:
        terminal = new_terminal(http)
        entered, release, outcome = _hold(monkeypatch, name)
        page: list[httpx.Response] = []
        worker = threading.Thread(target=lambda: page.append(console.get(path)))
        worker.start()
        try:
            assert entered.wait(HOLD_LIMIT), "the page never reached its database work"
            record = terminal.member()
            done = terminal.upload_ok([record, terminal.earn(record["member"]["id"], 100_000)])
            pulled = terminal.pull_all()
            assert done["ack_seq"] == terminal.seq
            assert any(c["type"] == "member" for c in pulled)
        finally:
            release.set()
            worker.join(HOLD_LIMIT * 2)
        assert outcome == [True], "the page's database work held up the terminal's sync (it ran on the event loop)"
        assert page and page[0].status_code == 200
