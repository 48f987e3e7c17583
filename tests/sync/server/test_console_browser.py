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


def _cli(data_dir: Path, *args: str) -> dict[str, Any]:
    """The real counter program's CLI (``pos-terminal``) on its own SQLite ledger."""
    import json
    import subprocess
    import sys

    out = subprocess.run([str(Path(sys.executable).parent / "pos-terminal"), "--data-dir", str(data_dir), "--json",
                          "--lang", "en", *args], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_marketing_publishes_a_double_points_campaign_and_a_real_terminal_earns_by_it(
        browser: Any, server: ServerProcess, engine: Engine, enroll_code: Callable[[], str],
        tmp_path: Path) -> None:
    from datetime import timedelta

    run_tx(engine, lambda c: auth.add_user(c, "marketing1", PASSWORD, "marketing", svc.utcnow(),
                                           display_name="Khun Marketing"))
    # a real counter: pos-terminal enrolled to the same server, on its own SQLite ledger
    counter = tmp_path / "counter"
    terminal_id = _cli(counter, "enroll", "--server", server.url, "--code", enroll_code())["terminal_id"]
    member = _cli(counter, "member", "enroll", "--name", "Campaign Shopper", "--phone", "0891112233",
                  "--operator", "cashier1")
    before = _cli(counter, "award", "--member", member["id"], "--amount", "1000", "--receipt", "C-0",
                  "--operator", "cashier1")
    assert before["points"] == 40  # ฿25 a point, no campaign yet

    bangkok_now = svc.utcnow() + timedelta(hours=7)
    starts = (bangkok_now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    ends = (bangkok_now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server.url}/console/login?lang=en")
    page.fill("#username", "marketing1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/dashboard")
    page.click("nav >> text=Rules")
    page.click("text=New draft from the active rules")
    page.wait_for_url("**/console/rules/drafts/*")
    page.fill("#campaign-0-id", "bkk-double")
    page.fill("#campaign-0-name", "Double points at Bangkok 1")
    page.fill("#campaign-0-starts", starts)
    page.fill("#campaign-0-ends", ends)
    page.fill("#campaign-0-multiplier", "2")
    page.fill("#campaign-0-branches", "BKK01")
    page.click("#save")
    page.wait_for_url("**?done=saved")
    assert page.is_visible("text=Saved. These rules are valid and can be published.")

    page.fill("#amount", "1,000")
    page.select_option("#branch", "BKK01")
    page.click("#preview")
    assert page.inner_text("#draft-points") == "80"
    result = page.inner_text("#preview-result")
    assert "40" in result and "bkk-double" in result
    page.screenshot(path=str(tmp_path / "rules-1366x768.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.set_viewport_size({"width": 820, "height": 1180})
    page.screenshot(path=str(tmp_path / "rules-820x1180.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 820

    page.click("#publish")
    page.wait_for_url("**/console/rules?done=published")
    assert page.is_visible("text=Published. Terminals receive the new version at their next sync.")
    page.goto(f"{server.url}/console/rules?lang=th")
    page.screenshot(path=str(tmp_path / "rules-list-th-820.png"), full_page=False)
    page.close()

    # the counter syncs, pulls the new version, and a sale at its branch earns double
    _cli(counter, "sync", "--once")
    after = _cli(counter, "award", "--member", member["id"], "--amount", "1000", "--receipt", "C-1",
                 "--operator", "cashier1")
    assert after["points"] == 80, after
    assert _cli(counter, "sync", "--once")["queued"] == 0
    # the server recomputed the award from the purchase and its rules version: no mismatch flag, 120 points
    assert run_tx(engine, lambda c: svc.member_state(c, member["id"])).balance == 120
    assert not [f for f in run_tx(engine, lambda c: svc.list_flags(c, open_only=True))
                if f.terminal_id == terminal_id]


def test_operations_enroll_a_real_counter_by_the_qr_code_on_screen_and_revoke_it(
        browser: Any, server: ServerProcess, engine: Engine, tmp_path: Path) -> None:
    import subprocess
    import sys

    import zxingcpp
    from PIL import Image

    run_tx(engine, lambda c: auth.add_user(c, "ops1", PASSWORD, "operations", svc.utcnow()))
    page = browser.new_page(viewport={"width": 820, "height": 1180})
    page.goto(f"{server.url}/console/login?lang=en")
    page.fill("#username", "ops1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/dashboard")
    page.click("nav >> text=Branches")
    page.fill("#branch-code", "HKT01")
    page.fill("#branch-name", "Phuket Patong")
    page.click("#add-branch")
    page.wait_for_url("**/console/branches?done=added")
    page.click("form[action='/console/branches/HKT01/enrollment-code'] button")
    shown = page.inner_text("#enroll-code")
    page.screenshot(path=str(tmp_path / "enrollment-code-820.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 820
    # the installer's scanner reads the QR code from the screen's pixels (zxing-cpp, as the counter does)
    page.locator("#enroll-qr").screenshot(path=str(tmp_path / "qr.png"))
    (scan,) = zxingcpp.read_barcodes(Image.open(tmp_path / "qr.png").convert("L"))
    assert scan.text == shown

    counter = tmp_path / "counter"
    terminal_id = _cli(counter, "enroll", "--server", server.url, "--code", scan.text)["terminal_id"]
    assert terminal_id.startswith("HKT01-")

    page.click("nav >> text=Terminals")
    row = page.locator("tr", has_text=terminal_id)
    row.locator("input[name=confirm]").check()
    row.locator("button", has_text="Revoke").click()
    page.wait_for_url("**/console/terminals?done=revoked")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path=str(tmp_path / "terminals-1366.png"), full_page=True)
    assert "revoked" in page.locator("tr", has_text=terminal_id).inner_text()
    page.close()
    # the revoked counter can no longer sync: one clear line, no traceback
    out = subprocess.run([str(Path(sys.executable).parent / "pos-terminal"), "--data-dir", str(counter), "--lang",
                          "en", "sync", "--once"], capture_output=True, text=True, timeout=180)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "revoked" in (out.stderr + out.stdout).lower()


def test_marketing_sets_a_branch_stock_and_a_real_counter_redeems_it_down_to_out_of_stock(
        browser: Any, server: ServerProcess, engine: Engine, enroll_code: Callable[[], str],
        tmp_path: Path) -> None:
    import subprocess
    import sys

    run_tx(engine, lambda c: auth.add_user(c, "marketing2", PASSWORD, "marketing", svc.utcnow()))
    counter = tmp_path / "counter"
    _cli(counter, "enroll", "--server", server.url, "--code", enroll_code())
    member = _cli(counter, "member", "enroll", "--name", "Lamp Collector", "--phone", "0891234567",
                  "--operator", "cashier1")
    earned = _cli(counter, "award", "--member", member["id"], "--amount", "1000", "--receipt", "L-0",
                  "--operator", "cashier1")["points"]  # (doubled if an earlier test's campaign runs at BKK01)

    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server.url}/console/login?lang=en")
    page.fill("#username", "marketing2")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/dashboard")
    page.click("nav >> text=Rewards")
    page.fill("#reward-code", "LAMP1")
    page.fill("#reward-name_th", "โคมไฟตั้งโต๊ะ")
    page.fill("#reward-name_en", "Desk lamp")
    page.fill("#reward-points_cost", "10")
    page.select_option("#reward-stock_mode", "branch")
    page.click("#save-reward")
    page.wait_for_url("**/console/rewards/LAMP1?done=saved")
    page.fill("#quantity-BKK01", "2")
    page.click("#set-BKK01")
    page.wait_for_url("**/console/rewards/LAMP1?done=stock")
    assert page.inner_text("#stock-BKK01") == "2"
    page.screenshot(path=str(tmp_path / "reward-1366x768.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # the counter pulls the reward with its branch's stock and redeems one: the console shows one left
    _cli(counter, "sync", "--once")
    assert [r for r in _cli_list(counter, "reward", "list") if r["code"] == "LAMP1"][0]["stock"] == 2
    _cli(counter, "redeem", "--member", member["id"], "--reward", "LAMP1", "--operator", "cashier1")
    assert _cli(counter, "sync", "--once")["queued"] == 0
    page.reload()
    assert page.inner_text("#stock-BKK01") == "1"

    # the last one went missing from the shelf: set to 0, and the counter says so after its next sync
    page.fill("#quantity-BKK01", "0")
    page.click("#set-BKK01")
    page.wait_for_url("**/console/rewards/LAMP1?done=stock")
    assert page.inner_text("#stock-BKK01") == "0"
    page.set_viewport_size({"width": 1024, "height": 768})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    page.close()
    _cli(counter, "sync", "--once")
    refused = subprocess.run([str(Path(sys.executable).parent / "pos-terminal"), "--data-dir", str(counter), "--lang",
                              "en", "redeem", "--member", member["id"], "--reward", "LAMP1", "--operator", "cashier1"],
                             capture_output=True, text=True, timeout=180)
    assert refused.returncode != 0 and "Reward LAMP1 is out of stock." in refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr
    assert run_tx(engine, lambda c: svc.member_state(c, member["id"])).balance == earned - 10  # one lamp, 10 points


def _cli_list(data_dir: Path, *args: str) -> list[dict[str, Any]]:
    import json
    import subprocess
    import sys

    out = subprocess.run([str(Path(sys.executable).parent / "pos-terminal"), "--data-dir", str(data_dir), "--json",
                          "--lang", "en", *args], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_every_page_fits_a_laptop_and_a_tablet_in_thai(
        browser: Any, server: ServerProcess, engine: Engine, enroll_code: Callable[[], str],
        tmp_path: Path) -> None:
    run_tx(engine, lambda c: auth.add_user(c, "admin1", PASSWORD, "admin", svc.utcnow()))
    http = httpx.Client(base_url=server.url, timeout=30)
    t = Terminal(http)
    assert t.enroll(enroll_code()).status_code == 200
    member = t.member(name="สมหญิง ทดสอบหน้าจอ")
    member_id = member["member"]["id"]
    t.upload_ok([member, t.earn(member_id, 123_450)])
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server.url}/console/login?lang=th")
    page.fill("#username", "admin1")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/dashboard")
    page.goto(f"{server.url}/console/rules")
    page.click("form[action='/console/rules/drafts'] button")
    page.wait_for_url("**/console/rules/drafts/*")
    draft_url = page.url
    pages = {"dashboard": "/console/dashboard", "members": "/console/members?q=สมหญิง",
             "member": f"/console/members/{member_id}", "flags": "/console/flags", "terminals": "/console/terminals",
             "branches": "/console/branches", "rules": "/console/rules", "draft": draft_url.split(server.url, 1)[1],
             "reports": "/console/reports", "audit": "/console/audit", "rewards": "/console/rewards",
             "reward": "/console/rewards/COFFEE", "vouchers": "/console/vouchers"}
    for width, height in ((1366, 768), (820, 1180)):
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            response = page.goto(f"{server.url}{path}")
            assert response is not None and response.status == 200, name
            assert page.evaluate("document.documentElement.lang") == "th"
            page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
            # nothing wider than the window (wide tables scroll inside their own box)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    page.close()
    http.close()
