"""The console in a real headless browser (Debian's chromium driven by Playwright, no browser download): sign in,
find a member and see entries from two terminals, resolve a flag, switch to Thai. A real server process on
loopback, real PostgreSQL. ``scripts/test.sh`` installs chromium; without it this module is skipped."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.config import Settings
from sync.server.console import auth
from tests.sync.server.conftest import ServerProcess
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "browser-test-pass-1"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (scripts/test.sh installs Debian's chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(settings: Settings, engine: Engine) -> Iterator[ServerProcess]:
    proc = ServerProcess(settings.database_url)
    yield proc
    proc.stop()


def test_support_signs_in_finds_a_member_across_terminals_and_resolves_a_flag(
        browser: Any, server: ServerProcess, engine: Engine, enroll_code: Callable[[], str],
        tmp_path: Path) -> None:
    run_tx(engine, lambda c: auth.add_user(c, "support1", PASSWORD, "support", svc.utcnow(),
                                           display_name="Khun Support"))
    http = httpx.Client(base_url=server.url, timeout=30)
    a, b = Terminal(http), Terminal(http)
    assert a.enroll(enroll_code()).status_code == 200 and b.enroll(enroll_code()).status_code == 200
    member = a.member(name="มาลี รักษ์ดี")
    member_id = member["member"]["id"]
    a.upload_ok([member, a.earn(member_id, 100_000)])
    b.pull_all()
    b.upload_ok([b.earn(member_id, 250_000)])
    flag = run_tx(engine, lambda c: svc.insert_flags(c, [svc.NewFlag(
        kind="overdraft", member_id=member_id, terminal_id=b.terminal_id, details={"short_by": 12})],
        svc.utcnow()))[0]

    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{server.url}/console/?lang=en")
    assert "/console/login" in page.url
    page.fill("#username", "support1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/dashboard")
    assert page.is_visible("text=Outstanding points")

    page.click("nav >> text=Members")
    page.fill("#q", "มาลี")
    page.press("#q", "Enter")
    page.click("text=มาลี รักษ์ดี")
    page.wait_for_url(f"**/console/members/{member_id}")
    history = page.inner_text("main")
    assert a.terminal_id in history and b.terminal_id in history
    assert "140" in history  # 40 + 100 points from the two terminals

    page.click("nav >> text=Flags")
    page.fill(f"form[action='/console/flags/{flag.id}/resolve'] input[name=note]", "called the member")
    page.click(f"form[action='/console/flags/{flag.id}/resolve'] button")
    page.wait_for_url("**/console/flags?done=resolved")
    resolved = run_tx(engine, lambda c: c.execute(select(m.flags).where(m.flags.c.id == flag.id)).one())
    assert resolved.resolved_by == "console:support1" and resolved.note == "called the member"

    page.goto(f"{server.url}/console/dashboard?lang=th")
    assert page.is_visible("text=แดชบอร์ด")
    page.screenshot(path=str(tmp_path / "dashboard-th.png"), full_page=True)
    # nothing of the page is wider than the tablet-sized window
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    page.close()
    http.close()
