"""The console's rules and campaigns editor over HTTP (real PostgreSQL, the real app): drafts stored on the server,
refusals beside the field they are about (by the core's own validation), a preview of a sample sale under the draft
and the active rules, publishing as a new immutable version (now or at a later time) that terminals pull, roles,
CSRF and the audit log."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from pos_app.core.rules import RulesBundle
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.config import Settings
from sync.server.console import auth
from tests.sync.server.conftest import CONSOLE_PASSWORD
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres

PASSWORD = CONSOLE_PASSWORD


@pytest.fixture(scope="module")
def users(engine: Engine) -> None:
    run_tx(engine, lambda c: svc.add_branch(c, "CNX01", "Chiang Mai", svc.utcnow()))
    for name, role in (("mark", "marketing"), ("sue", "support"), ("ro", "readonly")):
        run_tx(engine, lambda c, n=name, r=role: auth.add_user(c, n, PASSWORD, r, svc.utcnow()))


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


def _form(html: str) -> dict[str, str]:
    """The editor's fields as the page shows them (what a browser would post back)."""
    editor = html.split('class="editor"', 1)[1].split("</form>", 1)[0]
    return {name: value for name, value in re.findall(r'<input name="([^"]+)" id="[^"]+" value="([^"]*)"', editor)}


def _field_error(html: str, key: str) -> str:
    found = re.search(rf'<span class="field-error" id="{re.escape(key)}-error">([^<]*)</span>', html)
    return found.group(1) if found else ""


def _new_draft(client: TestClient) -> tuple[str, str]:
    page = client.get("/console/rules")
    r = client.post("/console/rules/drafts", data={"csrf": _csrf(page.text)})
    assert r.status_code == 303
    url = r.headers["location"]
    return url, client.get(url).text


def _active(engine: Engine) -> list[int]:
    return run_tx(engine, lambda c: list(c.execute(select(m.rules.c.version).where(m.rules.c.active.is_(True)))
                                         .scalars()))


def test_marketing_drafts_a_campaign_sees_each_mistake_beside_its_field_previews_and_publishes(
        app_client: TestClient, settings: Settings, engine: Engine, users: None,
        new_terminal: Callable[[httpx.Client], Terminal]) -> None:
    mark = sign_in(app_client, "mark")
    url, html = _new_draft(mark)
    form = _form(html)
    assert form["earn_baht"] == "25.00" and form["tier-2-code"] == "gold" and form["tier-2-multiplier"] == "1.5"
    versions_before = run_tx(engine, lambda c: svc.next_rules_version(c))

    # a campaign with four mistakes: each is said beside its own field, in the words of the core's validation
    bad = {**form, "csrf": _csrf(html), "campaign-0-id": "xmas", "campaign-0-name": "Double points at Chiang Mai",
           "campaign-0-starts": "2026-12-24T00:00", "campaign-0-ends": "2026-12-20T00:00",
           "campaign-0-multiplier": "0.5", "campaign-0-bonus": "lots", "campaign-0-branches": "CNX01, XXX99",
           "tier-1-multiplier": "abc", "earn_baht": "0"}
    r = mark.post(url, data=bad)
    assert r.status_code == 422
    assert "Saved, but these rules cannot be published yet" in r.text
    assert _field_error(r.text, "campaign-0-multiplier").startswith("multiplier_permille must be at least 1000.")
    assert _field_error(r.text, "campaign-0-bonus") == "Write a whole number, for example 1,000."
    assert _field_error(r.text, "tier-1-multiplier") == "Write a multiplier such as 2 or 1.5."
    assert _field_error(r.text, "earn_baht") == "satang_per_point must be at least 1."
    assert 'id="publish"' not in r.text  # nothing to publish while the draft is not valid
    # the draft is kept as typed (server-side), mistakes and all
    assert _form(r.text)["campaign-0-bonus"] == "lots"

    # the remaining mistakes once those are fixed: the end before the start (the row), an unknown branch
    bad |= {"campaign-0-multiplier": "2", "campaign-0-bonus": "0", "tier-1-multiplier": "1.25", "earn_baht": "25"}
    r = mark.post(url, data=bad)
    assert r.status_code == 422
    assert '<p class="field-error">Campaign xmas must end after it starts.</p>' in r.text
    assert _field_error(r.text, "campaign-0-branches") == "No such branch: XXX99."
    refused = mark.post(f"{url}/publish", data={"csrf": _csrf(html), "effective_at": ""})
    assert refused.status_code == 422 and "Not published: these rules are not valid yet" in refused.text
    assert run_tx(engine, lambda c: svc.next_rules_version(c)) == versions_before

    good = {**bad, "campaign-0-ends": "2027-01-01T00:00", "campaign-0-branches": "CNX01"}
    r = mark.post(url, data=good)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=saved")
    page = mark.get(r.headers["location"]).text
    assert "Saved. These rules are valid and can be published." in page

    # preview: ฿1,000 at Chiang Mai on Christmas day earns 40 under the active rules, 80 under the draft
    preview = mark.get(url, params={"amount": "1,000", "branch": "CNX01", "tier": "member",
                                    "at": "2026-12-25T12:00"}).text
    table = preview.split('id="preview-result"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"Points earned.*?>40<.*?>80<", table, re.S)
    assert "xmas" in table
    elsewhere = mark.get(url, params={"amount": "1000", "branch": "BKK01", "at": "2026-12-25T12:00"}).text
    assert re.search(r"Points earned.*?>40<.*?>40<", elsewhere.split('id="preview-result"', 1)[1], re.S)
    wrong = mark.get(url, params={"amount": "12.345", "at": "tomorrow"}).text
    assert "An amount has at most 2 decimal places" in wrong and "Write a date and time such as" in wrong

    # publish now: a new immutable version, active, pulled by a terminal as today
    terminal = new_terminal(app_client)  # type: ignore[arg-type]
    terminal.pull_all()
    r = mark.post(f"{url}/publish", data={"csrf": _csrf(page), "effective_at": ""})
    assert r.status_code == 303 and r.headers["location"] == "/console/rules?done=published"
    assert _active(engine) == [versions_before]
    pulled = [ch["rules"] for ch in terminal.pull_all() if ch["type"] == "rules"]
    bundle = RulesBundle.from_json(next(rl["bundle_json"] for rl in pulled if rl["active"]))
    assert bundle.version == versions_before
    (xmas,) = bundle.earn.campaigns
    assert xmas.branches == frozenset({"CNX01"}) and xmas.multiplier_permille == 2000
    assert xmas.starts_at.isoformat() == "2026-12-23T17:00:00+00:00"  # midnight in Bangkok
    audit = run_tx(engine, lambda c: c.execute(select(m.console_audit).where(
        m.console_audit.c.action == "rules.publish")).one())
    assert audit.username == "mark" and json.loads(audit.after)["version"] == versions_before
    assert json.loads(audit.after)["digest"] == bundle.digest()
    assert run_tx(engine, lambda c: c.execute(select(m.console_audit.c.id).where(
        m.console_audit.c.action == "rules.draft.save")).all())

    # a published draft is frozen; publishing it again is refused
    again = mark.post(url, data=good)
    assert again.status_code == 409 and "This draft was published and cannot change" in again.text
    twice = mark.post(f"{url}/publish", data={"csrf": _csrf(page), "effective_at": ""})
    assert twice.status_code == 409 and f"This draft was published already (version {versions_before})" in twice.text
    listing = mark.get("/console/rules").text
    assert "Published. Terminals receive the new version at their next sync." in mark.get(
        "/console/rules?done=published").text
    assert re.search(rf"<td>{versions_before}</td><td><strong>active</strong>", listing)


def test_a_version_published_for_later_waits_and_then_takes_effect(
        app_client: TestClient, settings: Settings, engine: Engine, users: None) -> None:
    mark = sign_in(app_client, "mark")
    url, html = _new_draft(mark)
    active_before = _active(engine)
    later = (svc.utcnow() + timedelta(hours=7 + 2)).strftime("%Y-%m-%dT%H:%M")  # two hours from now, Bangkok time
    r = mark.post(f"{url}/publish", data={"csrf": _csrf(html), "effective_at": later})
    assert r.status_code == 303
    row = run_tx(engine, lambda c: c.execute(select(m.rules).order_by(m.rules.c.version.desc()).limit(1)).one())
    assert row.pending and not row.active and _active(engine) == active_before
    assert "scheduled" in mark.get("/console/rules").text
    assert run_tx(engine, lambda c: svc.activate_due_rules(c, svc.utcnow())) is None  # not yet
    assert run_tx(engine, lambda c: svc.activate_due_rules(c, svc.utcnow() + timedelta(hours=3))) == row.version
    assert _active(engine) == [row.version]
    assert run_tx(engine, lambda c: svc.activate_due_rules(c, svc.utcnow() + timedelta(hours=3))) is None

    # a scheduled version that comes due after a newer one was published for now does not take over
    url2, html2 = _new_draft(mark)
    assert mark.post(f"{url2}/publish", data={"csrf": _csrf(html2), "effective_at": later}).status_code == 303
    url3, html3 = _new_draft(mark)
    assert mark.post(f"{url3}/publish", data={"csrf": _csrf(html3), "effective_at": ""}).status_code == 303
    newest = run_tx(engine, lambda c: svc.next_rules_version(c)) - 1
    assert run_tx(engine, lambda c: svc.activate_due_rules(c, svc.utcnow() + timedelta(hours=3))) is None
    assert _active(engine) == [newest]
    bad = mark.post(f"{url3.replace(url3.rsplit('/', 1)[1], '999999')}/publish",
                    data={"csrf": _csrf(html3), "effective_at": ""})
    assert bad.status_code == 404 and "No such draft." in bad.text
    _url4, html4 = _new_draft(mark)
    typo = mark.post(f"{_url4}/publish", data={"csrf": _csrf(html4), "effective_at": "next week"})
    assert typo.status_code == 422 and "or leave it empty for now" in typo.text


def test_only_marketing_and_admins_change_the_rules_and_every_form_needs_its_token(
        app_client: TestClient, settings: Settings, engine: Engine, users: None) -> None:
    mark = sign_in(app_client, "mark")
    url, html = _new_draft(mark)
    sue = sign_in(app_client, "sue")
    assert sue.get("/console/rules").status_code == 403
    assert sue.get(url).status_code == 403
    ro = sign_in(app_client, "ro")
    view = ro.get(url)
    assert view.status_code == 200 and 'id="publish"' not in view.text and 'id="save"' not in view.text
    assert ro.post("/console/rules/drafts", data={"csrf": _csrf(view.text)}).status_code == 403
    assert ro.post(f"{url}/publish", data={"csrf": _csrf(view.text)}).status_code == 403
    forged = mark.post(f"{url}/publish", data={"effective_at": ""})
    assert forged.status_code == 403
    assert mark.post(url, data={**_form(html), "csrf": "not-the-token"}).status_code == 403


def test_the_editor_speaks_thai_including_the_core_messages_and_hostile_text_stays_text(
        app_client: TestClient, settings: Settings, engine: Engine, users: None) -> None:
    from pos_app.core.i18n import load_catalog

    thai = load_catalog("th")
    mark = sign_in(app_client, "mark", lang="th")
    url, html = _new_draft(mark)
    payload = "<script>alert(1)</script>"
    r = mark.post(url, data={**_form(html), "csrf": _csrf(html), "campaign-0-id": payload, "campaign-0-name": payload,
                             "campaign-0-starts": "2026-12-01", "campaign-0-ends": "2026-12-31",
                             "campaign-0-multiplier": "1"})
    assert r.status_code == 422 and '<html lang="th">' in r.text
    expected = thai["Campaign {id} gives nothing: set a multiplier above 1000 or bonus points."].format(id=payload)
    assert expected.replace("<", "&lt;").replace(">", "&gt;") in r.text
    assert "<script>alert" not in r.text
    assert thai["Rules and campaigns"] in mark.get("/console/rules").text
