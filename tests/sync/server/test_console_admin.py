"""The console's branch and terminal administration, reports, member merge and offline-redemption block, and
sign-in throttling per address, over HTTP (real PostgreSQL, the real app)."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.console import auth
from tests.sync.server.conftest import CONSOLE_PASSWORD
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

PASSWORD = CONSOLE_PASSWORD


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(app: TestClient, username: str, lang: str = "en") -> TestClient:
    client = TestClient(app.app, follow_redirects=False)
    client.cookies.set("console_lang", lang, path="/console")
    page = client.get("/console/login")
    r = client.post("/console/login", data={"csrf": _csrf(page.text), "username": username, "password": PASSWORD})
    assert r.status_code == 303, r.text
    return client


def _audit(engine: Engine, action: str) -> list[tuple[str, str, str | None]]:
    return run_tx(engine, lambda c: [(r.username, r.target, r.after) for r in c.execute(
        select(m.console_audit).where(m.console_audit.c.action == action).order_by(m.console_audit.c.id))])


def test_operations_add_a_branch_make_an_enrollment_code_a_terminal_enrolls_with_and_revoke_it(
        app_client: TestClient, engine: Engine, users: None) -> None:
    ops = sign_in(app_client, "ops")
    page = ops.get("/console/branches")
    assert page.status_code == 200 and "CNX01" in page.text
    token = _csrf(page.text)
    bad = ops.post("/console/branches", data={"csrf": token, "code": "CNX 02!", "name": "Chiang Mai 2"})
    assert bad.status_code == 422 and "A branch code is 1-32 letters, digits or dashes, e.g. CNX02." in bad.text
    nameless = ops.post("/console/branches", data={"csrf": token, "code": "CNX02", "name": " "})
    assert nameless.status_code == 422 and "Give the branch a name." in nameless.text
    r = ops.post("/console/branches", data={"csrf": token, "code": "cnx02", "name": "Chiang Mai 2 <Nimman>"})
    assert r.status_code == 303
    again = ops.post("/console/branches", data={"csrf": token, "code": "CNX02", "name": "again"})
    assert again.status_code == 409 and "There is already a branch CNX02." in again.text
    listing = ops.get("/console/branches").text
    assert "Chiang Mai 2 &lt;Nimman&gt;" in listing
    assert _audit(engine, "branch.add")[-1][:2] == ("ops", "CNX02")

    too_long = ops.post("/console/branches/CNX02/enrollment-code", data={"csrf": token, "hours": "9999"})
    assert too_long.status_code == 422 and "A code is valid for 1 to 720 hours." in too_long.text
    nowhere = ops.post("/console/branches/NOPE9/enrollment-code", data={"csrf": token, "hours": "2"})
    assert nowhere.status_code == 404 and "No such branch." in nowhere.text
    shown = ops.post("/console/branches/CNX02/enrollment-code", data={"csrf": token, "hours": "2"})
    assert shown.status_code == 200
    code = re.search(r'id="enroll-code">([A-Z0-9-]+)<', shown.text).group(1)  # type: ignore[union-attr]
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert 'id="enroll-qr" src="data:image/svg+xml;base64,' in shown.text
    issued = _audit(engine, "enrollment_code.issue")[-1]
    assert issued[:2] == ("ops", "CNX02") and code not in (issued[2] or "")  # the secret is not in the log

    terminal = Terminal(app_client)  # type: ignore[arg-type]
    assert terminal.enroll(code).status_code == 200
    branch = run_tx(engine, lambda c: c.execute(select(m.terminals.c.branch_id).where(
        m.terminals.c.id == terminal.terminal_id)).scalar_one())
    assert branch == "CNX02"
    assert Terminal(app_client).enroll(code).status_code != 200  # single use  # type: ignore[arg-type]

    terminals = ops.get("/console/terminals")
    unconfirmed = ops.post(f"/console/terminals/{terminal.terminal_id}/revoke", data={"csrf": _csrf(terminals.text)})
    assert unconfirmed.status_code == 422 and "Not revoked: tick the box" in unconfirmed.text
    assert terminal.pull()  # still trusted
    r = ops.post(f"/console/terminals/{terminal.terminal_id}/revoke",
                 data={"csrf": _csrf(terminals.text), "confirm": terminal.terminal_id})
    assert r.status_code == 303 and r.headers["location"] == "/console/terminals?done=revoked"
    refused = app_client.get("/v1/changes", params={"cursor": 0}, headers=terminal.auth)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "terminal_revoked", refused.text
    row = ops.get("/console/terminals").text.split(terminal.terminal_id, 1)[1].split("</tr>", 1)[0]
    assert "revoked" in row and "/revoke" not in row
    assert _audit(engine, "terminal.revoke")[-1][:2] == ("ops", terminal.terminal_id)
    assert ops.post("/console/terminals/no-such-terminal/revoke",
                    data={"csrf": _csrf(terminals.text), "confirm": "no-such-terminal"}).status_code == 404


def test_only_operations_and_admins_manage_branches_and_terminals(
        app_client: TestClient, engine: Engine, users: None) -> None:
    for name in ("sue", "mark", "ro", "cnx"):
        client = sign_in(app_client, name)
        page = client.get("/console/dashboard")
        token = _csrf(page.text)
        assert client.post("/console/branches", data={"csrf": token, "code": "X1", "name": "x"}).status_code == 403
        assert client.post("/console/branches/CNX01/enrollment-code", data={"csrf": token}).status_code == 403
        assert client.post("/console/terminals/t/revoke", data={"csrf": token, "confirm": "t"}).status_code == 403
        assert ">Branches<" not in page.text
    ada = sign_in(app_client, "ada")
    assert ada.post("/console/branches", data={"code": "X1", "name": "no token"}).status_code == 403
    assert run_tx(engine, lambda c: c.execute(select(m.branches).where(m.branches.c.code == "X1")).first()) is None


def _member(terminal: Terminal, amount_satang: int, name: str = "Report Member") -> str:
    member = terminal.member(name=name)
    terminal.upload_ok([member, terminal.earn(member["member"]["id"], amount_satang)])
    return str(member["member"]["id"])


def test_reports_show_points_per_day_and_branch_and_export_the_same_as_csv(
        app_client: TestClient, engine: Engine, users: None,
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    from sync.server.console.pages import BANGKOK

    bkk = new_terminal(app_client)  # type: ignore[arg-type]
    member_id = _member(bkk, 250_000)  # 100 points
    bkk.upload_ok([bkk.redeem(member_id, 30)])
    today = (svc.utcnow() + BANGKOK).date().isoformat()
    mark = sign_in(app_client, "mark")
    page = mark.get("/console/reports")
    assert page.status_code == 200
    row = page.text.split(f"<td>{today}</td><td>BKK01</td>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'class="num">([\d,]+)<', row) == ["100", "30", "0"]
    csv = mark.get(f"/console/reports.csv?from={today}&to={today}")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert f'filename="points-{today}-{today}.csv"' in csv.headers["content-disposition"]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines == ["day,branch,points_issued,points_redeemed,points_expired", f"{today},BKK01,100,30,0"]
    # an area manager of another branch sees none of it; support has no reports
    cnx = sign_in(app_client, "cnx")
    assert cnx.get(f"/console/reports.csv?from={today}&to={today}").content.decode("utf-8-sig").splitlines() == [
        "day,branch,points_issued,points_redeemed,points_expired"]
    assert sign_in(app_client, "sue").get("/console/reports.csv").status_code == 403
    # a range given backwards or malformed still answers with a sensible range
    assert mark.get("/console/reports", params={"from": today, "to": "2020-01-01"}).status_code == 200
    assert mark.get("/console/reports", params={"from": "yesterday"}).status_code == 200


def test_a_csv_cell_never_starts_a_spreadsheet_formula() -> None:
    from sync.server.console.pages import _csv_cell

    assert [_csv_cell(t) for t in ("=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "BKK01")] == [
        "'=HYPERLINK(1)", "'+1", "'-1", "'@SUM(A1)", "BKK01"]


def test_support_merges_a_duplicate_with_compensating_entries_and_the_audit_says_so(
        app_client: TestClient, engine: Engine, users: None,
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    t = new_terminal(app_client)  # type: ignore[arg-type]
    target = _member(t, 100_000, "Malee Target")  # 40 points
    duplicate = _member(t, 50_000, "Malee Duplicate")  # 20 points
    phone = run_tx(engine, lambda c: svc.member_state(c, duplicate)).phone
    sue = sign_in(app_client, "sue")
    page = sue.get(f"/console/members/{target}")
    token = _csrf(page.text)
    url = f"/console/members/{target}/merge"
    r = sue.post(url, data={"csrf": token, "duplicate": phone})
    assert r.status_code == 422 and "tick the box to confirm" in r.text
    r = sue.post(url, data={"csrf": token, "duplicate": target, "confirm": "1"})
    assert r.status_code == 422 and "Not merged: that is this member itself." in r.text
    r = sue.post(url, data={"csrf": token, "duplicate": "nobody-at-all", "confirm": "1"})
    assert r.status_code == 422 and "no member matches that id, phone or card number" in r.text
    assert run_tx(engine, lambda c: svc.member_state(c, target)).balance == 40

    r = sue.post(url, data={"csrf": token, "duplicate": f"{phone[:3]}-{phone[3:6]}-{phone[6:]}", "confirm": "1"})
    assert r.status_code == 303 and r.headers["location"].endswith("?done=merged")
    merged = run_tx(engine, lambda c: svc.member_state(c, duplicate))
    assert run_tx(engine, lambda c: svc.member_state(c, target)).balance == 60
    assert merged.balance == 0 and merged.merged_into == target
    adjusts = run_tx(engine, lambda c: sorted(int(e.points) for e in c.execute(select(m.entries).where(
        m.entries.c.member_id.in_([target, duplicate]), m.entries.c.kind == "adjust"))))
    assert adjusts == [-20, 20]  # compensating entries; the duplicate's earn entry is still there
    (who, what, after) = _audit(engine, "member.merge")[-1]
    assert who == "sue" and what == target and f'"merged": "{duplicate}"' in (after or "")
    again = sue.post(f"/console/members/{target}/merge", data={"csrf": token, "duplicate": duplicate, "confirm": "1"})
    assert again.status_code == 409 and "already merged into another member" in again.text
    assert "This member was merged into another one." in sue.get(f"/console/members/{duplicate}").text
    ro = sign_in(app_client, "ro")
    assert ro.post(url, data={"csrf": _csrf(ro.get(f"/console/members/{target}").text), "duplicate": duplicate,
                              "confirm": "1"}).status_code == 403


def test_head_office_blocks_offline_redemption_and_terminals_pull_it(
        app_client: TestClient, engine: Engine, users: None,
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    t = new_terminal(app_client)  # type: ignore[arg-type]
    member_id = _member(t, 100_000, "Block Me")
    t.pull_all()
    sue = sign_in(app_client, "sue")
    token = _csrf(sue.get(f"/console/members/{member_id}").text)
    url = f"/console/members/{member_id}/offline-block"
    assert sue.post(url, data={"csrf": token, "action": "block", "reason": " "}).status_code == 422
    r = sue.post(url, data={"csrf": token, "action": "block", "reason": "card reported stolen"})
    assert r.status_code == 303 and r.headers["location"].endswith("?done=blocked")
    pulled = [ch["member"] for ch in t.pull_all() if ch["type"] == "member" and ch["member"]["id"] == member_id]
    assert pulled and pulled[-1]["offline_redeem_blocked"] is True
    assert "Offline redemption blocked." in sue.get(f"/console/members/{member_id}?done=blocked").text

    # an overdraft flag raised and resolved meanwhile does not lift head office's block
    flag = run_tx(engine, lambda c: svc.insert_flags(c, [svc.NewFlag(
        kind="overdraft", member_id=member_id, terminal_id=t.terminal_id, details={})], svc.utcnow()))[0]
    refused = sue.post(url, data={"csrf": token, "action": "unblock", "reason": "found the card"})
    assert refused.status_code == 409 and "the member has an open overdraft" in refused.text
    run_tx(engine, lambda c: svc.resolve_flag(c, flag.id, "test", "paid back", svc.utcnow()))
    assert run_tx(engine, lambda c: svc.member_state(c, member_id)).offline_redeem_blocked is True

    r = sue.post(url, data={"csrf": token, "action": "unblock", "reason": "found the card"})
    assert r.status_code == 303
    pulled = [ch["member"] for ch in t.pull_all() if ch["type"] == "member" and ch["member"]["id"] == member_id]
    assert pulled and pulled[-1]["offline_redeem_blocked"] is False
    actions = [a for a in ("member.offline_block", "member.offline_unblock") if _audit(engine, a)]
    assert actions == ["member.offline_block", "member.offline_unblock"]
    assert '"reason": "found the card"' in (_audit(engine, "member.offline_unblock")[-1][2] or "")


def test_many_names_tried_from_one_address_lock_that_address_only(
        app_client: TestClient, engine: Engine, users: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    monkeypatch.setattr(auth, "MAX_ADDRESS_FAILURES", 8)  # fewer argon2 checks; still more than one name's lockout

    # not from this machine: the cookies are Secure, so these clients speak https
    attacker = TestClient(app_client.app, base_url="https://testserver", follow_redirects=False,
                          client=("203.0.113.7", 40000))
    attacker.cookies.set("console_lang", "en", path="/console")
    token = _csrf(attacker.get("/console/login").text)
    # a few guesses on each of many names: no single name reaches its own lockout
    for i in range(auth.MAX_ADDRESS_FAILURES):
        r = attacker.post("/console/login", data={"csrf": token, "username": f"name{i % 4}", "password": "guess" * 3})
        assert r.status_code == 401 and "Wrong user name or password." in r.text
    locked = attacker.post("/console/login", data={"csrf": token, "username": "ada", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-ins from this network address" in locked.text
    assert "console_session" not in locked.cookies
    # the real user, elsewhere, is not locked out
    office = TestClient(app_client.app, base_url="https://testserver", follow_redirects=False,
                        client=("198.51.100.20", 40000))
    page = office.get("/console/login")
    assert office.post("/console/login", data={"csrf": _csrf(page.text), "username": "ada",
                                               "password": PASSWORD}).status_code == 303
    refused = _audit(engine, "sign_in.refused")
    assert refused and refused[-1][1] == "address 203.0.113.7"
    # the lock ends after LOCK_MINUTES; the window restarts after ADDRESS_WINDOW_MINUTES
    later = svc.utcnow() + timedelta(minutes=auth.LOCK_MINUTES + 1)
    ok = run_tx(engine, lambda c: auth.sign_in(c, "ada", PASSWORD, later, "203.0.113.7"))
    assert not isinstance(ok, auth.ConsoleError)


def test_an_ipv6_machine_is_counted_by_its_64_and_failures_age_out_of_the_window(
        engine: Engine, users: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    monkeypatch.setattr(auth, "MAX_ADDRESS_FAILURES", 6)

    assert auth.address_key("2001:db8:1:2:aaaa::1") == auth.address_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert auth.address_key("2001:db8:1:3::1") != auth.address_key("2001:db8:1:2::1")
    assert auth.address_key("::ffff:192.0.2.1") == "192.0.2.1" and auth.address_key("testclient") == "testclient"
    start = svc.utcnow()
    # failures spread thinner than the window never lock
    for i in range(auth.MAX_ADDRESS_FAILURES + 2):
        at = start + timedelta(minutes=i * (auth.ADDRESS_WINDOW_MINUTES + 1) / 2)
        r = run_tx(engine, lambda c, at=at, i=i: auth.sign_in(c, f"slow{i}", "wrong-password-x", at, "192.0.2.50"))
        assert isinstance(r, auth.ConsoleError) and r.code == "bad_credentials"
    # the same number inside the window does
    for i in range(auth.MAX_ADDRESS_FAILURES):
        run_tx(engine, lambda c, i=i: auth.sign_in(c, f"fast{i}", "wrong-password-x", start, "2001:db8:9:9::1"))
    r = run_tx(engine, lambda c: auth.sign_in(c, "ada", PASSWORD, start, "2001:db8:9:9::abcd"))
    assert isinstance(r, auth.ConsoleError) and r.code == "address_locked"
