"""The head-office console over HTTP (real PostgreSQL, the real app): sign-in, throttling, sessions, CSRF, roles,
inert hostile text, and the pages a support or operations user works with."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.config import Settings
from sync.server.console import auth
from tests.sync.server.conftest import CONSOLE_PASSWORD
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

PASSWORD = CONSOLE_PASSWORD


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(app: TestClient, settings: Settings, engine: Engine, username: str,
            password: str = PASSWORD) -> httpx.Client:
    """A fresh browser-like client (its own cookie jar) signed in as ``username``."""
    client = TestClient(app.app, follow_redirects=False)
    client.cookies.set("console_lang", "en", path="/console")
    page = client.get("/console/login")
    r = client.post("/console/login", data={"csrf": _csrf(page.text), "username": username, "password": password,
                                            "next": "/console/dashboard"})
    assert r.status_code == 303, r.text
    return client  # type: ignore[return-value]


def test_sign_in_is_a_plain_form_and_a_wrong_password_says_so_without_telling_which(
        app_client: TestClient, users: dict[str, str]) -> None:
    page = app_client.get("/console/login")
    assert page.status_code == 200
    assert '<form class="login" method="post" action="/console/login">' in page.text
    assert "<script" not in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    token = _csrf(page.text)
    wrong = app_client.post("/console/login", data={"csrf": token, "username": "ada", "password": "nope" * 4})
    unknown = app_client.post("/console/login", data={"csrf": token, "username": "nobody", "password": "x" * 14})
    assert wrong.status_code == unknown.status_code == 401
    for r in (wrong, unknown):
        assert "Wrong user name or password." in r.text or "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in r.text
    assert "console_session" not in wrong.cookies


def test_a_login_form_from_elsewhere_is_refused(app_client: TestClient, users: dict[str, str]) -> None:
    fresh = TestClient(app_client.app, follow_redirects=False)
    r = fresh.post("/console/login", data={"csrf": "forged", "username": "ada", "password": PASSWORD})
    assert r.status_code == 403
    assert "console_session" not in r.cookies


def test_five_failures_lock_the_name_even_for_the_right_password(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str]) -> None:
    run_tx(engine, lambda c: auth.add_user(c, "victim", PASSWORD, "readonly", svc.utcnow()))
    client = TestClient(app_client.app, follow_redirects=False)
    token = _csrf(client.get("/console/login").text)
    for _ in range(auth.MAX_FAILURES):
        assert client.post("/console/login", data={"csrf": token, "username": "victim",
                                                   "password": "guess-" * 3}).status_code == 401
    locked = client.post("/console/login", data={"csrf": token, "username": "Victim ", "password": PASSWORD})
    assert locked.status_code == 429
    assert "locked" in locked.text or "ล็อก" in locked.text
    assert "console_session" not in locked.cookies


def test_signing_in_makes_a_new_session_and_signing_out_ends_it(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str]) -> None:
    client = TestClient(app_client.app, follow_redirects=False)
    client.cookies.set("console_session", "attacker-chosen-token", path="/console")  # session fixation attempt
    page = client.get("/console/login")
    r = client.post("/console/login", data={"csrf": _csrf(page.text), "username": "ada", "password": PASSWORD})
    assert r.status_code == 303
    token = r.cookies.get("console_session")
    assert token and token != "attacker-chosen-token" and len(token) >= 40
    assert 'httponly' in r.headers["set-cookie"].lower() and "samesite=strict" in r.headers["set-cookie"].lower()
    stored = run_tx(engine, lambda c: c.execute(select(m.console_sessions.c.token_sha256)).scalars().all())
    assert token not in stored  # only its hash is kept
    dash = client.get("/console/dashboard")
    assert dash.status_code == 200
    out = client.post("/console/logout", data={"csrf": _csrf(dash.text)})
    assert out.status_code == 303
    replay = TestClient(app_client.app, follow_redirects=False)
    replay.cookies.set("console_session", token, path="/console")
    assert replay.get("/console/dashboard").status_code == 303  # back to the sign-in page


def test_each_role_reaches_only_its_pages(app_client: TestClient, settings: Settings, engine: Engine,
                                          users: dict[str, str]) -> None:
    pages = ("dashboard", "members", "flags", "terminals", "audit")
    expected = {
        "ada": {"dashboard", "members", "flags", "terminals", "audit"},
        "mark": {"dashboard"},
        "sue": {"dashboard", "members", "flags"},
        "ops": {"dashboard", "flags", "terminals"},
        "cnx": {"dashboard", "members", "flags", "terminals"},
        "ro": {"dashboard", "members", "flags", "terminals"},
    }
    for name, allowed in expected.items():
        client = sign_in(app_client, settings, engine, name)
        got = {page for page in pages if client.get(f"/console/{page}").status_code == 200}
        assert got == allowed, name
        refused = client.get("/console/audit") if "audit" not in allowed else None
        if refused is not None:
            assert refused.status_code == 403
    anonymous = TestClient(app_client.app, follow_redirects=False)
    r = anonymous.get("/console/members")
    assert r.status_code == 303 and r.headers["location"].startswith("/console/login")


def _member_with_entries(new_terminal: Callable[[httpx.Client], Terminal], app_client: TestClient,
                         name: str) -> tuple[str, Terminal, Terminal]:
    a, b = new_terminal(app_client), new_terminal(app_client)  # type: ignore[arg-type]
    member = a.member(name=name)
    a.upload_ok([member, a.earn(member["member"]["id"], 100_000)])
    b.pull_all()
    b.upload_ok([b.earn(member["member"]["id"], 50_000)])
    return member["member"]["id"], a, b


def test_support_finds_a_member_and_sees_entries_from_two_terminals(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str],
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    member_id, a, b = _member_with_entries(new_terminal, app_client, "วิภา ใจดี")
    sue = sign_in(app_client, settings, engine, "sue")
    found = sue.get("/console/members", params={"q": "วิภา"})
    assert found.status_code == 200 and f"/console/members/{member_id}" in found.text
    phone = run_tx(engine, lambda c: svc.member_state(c, member_id)).phone
    assert phone not in found.text  # the list masks phone numbers
    by_phone = sue.get("/console/members", params={"q": f"{phone[:3]}-{phone[3:6]}-{phone[6:]}"})
    assert f"/console/members/{member_id}" in by_phone.text
    view = sue.get(f"/console/members/{member_id}")
    assert a.terminal_id in view.text and b.terminal_id in view.text
    assert ">60<" in view.text  # balance 40 + 20 points


def test_an_adjustment_needs_a_csrf_token_and_is_audited(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str],
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    member_id, _a, _b = _member_with_entries(new_terminal, app_client, "Somchai Adjust")
    sue = sign_in(app_client, settings, engine, "sue")
    page = sue.get(f"/console/members/{member_id}")
    forged = sue.post(f"/console/members/{member_id}/adjust", data={"points": "25", "reason": "goodwill"})
    assert forged.status_code == 403
    assert run_tx(engine, lambda c: svc.member_state(c, member_id)).balance == 60
    bad = sue.post(f"/console/members/{member_id}/adjust",
                   data={"csrf": _csrf(page.text), "points": "abc", "reason": "goodwill"})
    assert bad.status_code == 422 and "Not adjusted: give non-zero points" in bad.text
    sue.cookies.set("console_lang", "th", path="/console")
    thai = sue.post(f"/console/members/{member_id}/adjust",
                    data={"csrf": _csrf(page.text), "points": "0", "reason": "goodwill"})
    assert thai.status_code == 422 and "ไม่ได้ปรับ" in thai.text and '<html lang="th">' in thai.text
    sue.cookies.set("console_lang", "en", path="/console")
    ok = sue.post(f"/console/members/{member_id}/adjust",
                  data={"csrf": _csrf(page.text), "points": "25", "reason": "goodwill"})
    assert ok.status_code == 303
    assert run_tx(engine, lambda c: svc.member_state(c, member_id)).balance == 85
    row = run_tx(engine, lambda c: c.execute(select(m.console_audit).where(
        m.console_audit.c.action == "member.adjust", m.console_audit.c.target == member_id)).one())
    assert row.username == "sue" and '"balance": 60' in row.before and '"balance": 85' in row.after
    ro = sign_in(app_client, settings, engine, "ro")
    page = ro.get(f"/console/members/{member_id}")
    assert "/adjust" not in page.text
    refused = ro.post(f"/console/members/{member_id}/adjust",
                      data={"csrf": _csrf(page.text), "points": "5", "reason": "x"})
    assert refused.status_code == 403


def test_hostile_names_and_notes_are_shown_as_text(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str],
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    member_id, a, _b = _member_with_entries(new_terminal, app_client, payload)
    flag = run_tx(engine, lambda c: svc.insert_flags(c, [svc.NewFlag(
        kind="overdraft", member_id=member_id, terminal_id=a.terminal_id, details={"note": payload})],
        svc.utcnow()))[0]
    ada = sign_in(app_client, settings, engine, "ada")
    for url in (f"/console/members/{member_id}", "/console/flags", f"/console/members?q={payload[:20]}"):
        html = ada.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html or "&#34;" in html or "&lt;" in html
    flags = ada.get("/console/flags")
    done = ada.post(f"/console/flags/{flag.id}/resolve", data={"csrf": _csrf(flags.text), "note": payload})
    assert done.status_code == 303
    history = ada.get("/console/flags", params={"all": "1"}).text
    assert "<script>alert" not in history and "&lt;script&gt;alert(1)&lt;/script&gt;" in history


def test_an_area_manager_sees_only_the_flags_and_terminals_of_their_branches(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str],
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    member_id, a, _b = _member_with_entries(new_terminal, app_client, "Area Test")  # BKK01 terminals
    flag = run_tx(engine, lambda c: svc.insert_flags(c, [svc.NewFlag(
        kind="overdraft", member_id=member_id, terminal_id=a.terminal_id, details={})], svc.utcnow()))[0]
    cnx = sign_in(app_client, settings, engine, "cnx")
    flags = cnx.get("/console/flags")
    assert f"/console/flags/{flag.id}/resolve" not in flags.text
    assert cnx.post(f"/console/flags/{flag.id}/resolve",
                    data={"csrf": _csrf(flags.text), "note": "not mine"}).status_code == 404
    assert run_tx(engine, lambda c: c.execute(select(m.flags.c.resolved_at).where(m.flags.c.id == flag.id))
                  .scalar()) is None
    assert a.terminal_id not in cnx.get("/console/terminals").text
    assert cnx.get(f"/console/members/{member_id}").status_code == 404


def test_the_dashboard_totals_points_and_the_liability(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str],
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    before = run_tx(engine, lambda c: int(c.execute(select(func.sum(m.members.c.balance))).scalar() or 0))
    _member_with_entries(new_terminal, app_client, "Dash Board")
    ada = sign_in(app_client, settings, engine, "ada")
    html = ada.get("/console/dashboard").text
    outstanding = before + 60
    assert f">{outstanding:,}<" in html
    assert "<svg" in html and "BKK01" in html


def test_a_redirect_after_sign_in_stays_inside_the_console(app_client: TestClient, users: dict[str, str]) -> None:
    client = TestClient(app_client.app, follow_redirects=False)
    page = client.get("/console/login?next=https://evil.example/")
    r = client.post("/console/login", data={"csrf": _csrf(page.text), "username": "ada", "password": PASSWORD,
                                            "next": "https://evil.example/"})
    assert r.headers["location"] == "/console/dashboard"


def test_an_account_needs_a_strong_password_a_known_role_and_an_area_its_branches(engine: Engine) -> None:
    with pytest.raises(auth.ConsoleError) as short:
        run_tx(engine, lambda c: auth.add_user(c, "shorty", "abc123", "admin", svc.utcnow()))
    assert short.value.code == "weak_password"
    with pytest.raises(auth.ConsoleError) as role:
        run_tx(engine, lambda c: auth.add_user(c, "someone", PASSWORD, "king", svc.utcnow()))
    assert role.value.code == "invalid_role"
    with pytest.raises(auth.ConsoleError) as area:
        run_tx(engine, lambda c: auth.add_user(c, "nobranch", PASSWORD, "area", svc.utcnow()))
    assert area.value.code == "invalid_role"


def test_the_dashboard_totals_match_the_ledger_after_every_refresh(
        app_client: TestClient, engine: Engine, users: dict[str, str],
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    """The totals kept from the change feed add each entry exactly once, however refreshes and uploads
    interleave: outstanding points always equal the sum of the balances."""
    from sync.server import summaries

    for round_no in range(3):
        _member_with_entries(new_terminal, app_client, f"Totals {round_no}")
        run_tx(engine, lambda c: summaries.refresh(c))
        run_tx(engine, lambda c: summaries.refresh(c))  # a second refresh adds nothing
        balances = run_tx(engine, lambda c: int(c.execute(select(func.sum(m.members.c.balance))).scalar() or 0))
        assert run_tx(engine, summaries.outstanding) == balances
    counted = run_tx(engine, lambda c: int(c.execute(select(func.sum(m.entry_totals.c.entries))).scalar() or 0))
    assert counted == run_tx(engine, lambda c: int(c.execute(select(func.count()).select_from(m.entries).where(
        m.entries.c.quarantined.is_(False))).scalar_one()))


def test_operations_see_which_terminals_need_attention(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str],
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    from sync import protocol as p
    from sync.server import health

    good, bad = new_terminal(app_client), new_terminal(app_client)  # type: ignore[arg-type]
    now = svc.utcnow()
    fresh = p.format_utc(now)
    run_tx(engine, lambda c: health.record(c, good.terminal_id, p.Heartbeat(
        records_waiting=0, printer="ok", camera="ok", free_disk_mb=20_000, last_backup=fresh, doctor="ok"), now))
    run_tx(engine, lambda c: health.record(c, bad.terminal_id, p.Heartbeat(
        records_waiting=42, printer="failing", camera="missing", free_disk_mb=100, doctor="failing"), now))
    run_tx(engine, lambda c: svc.note_app_version(c, good.terminal_id, "1.2.0"))
    run_tx(engine, lambda c: svc.note_app_version(c, bad.terminal_id, "1.1.9"))
    ops = sign_in(app_client, settings, engine, "ops")
    html = ops.get("/console/terminals").text
    rows = {tid: html.split(tid, 1)[1].split("</tr>", 1)[0] for tid in (good.terminal_id, bad.terminal_id)}
    for problem in ("printer failing", "camera missing", "doctor failing", "no recent backup", "disk nearly full",
                    "old version"):
        assert problem in rows[bad.terminal_id] and problem not in rows[good.terminal_id]
    assert ">42<" in rows[bad.terminal_id]
