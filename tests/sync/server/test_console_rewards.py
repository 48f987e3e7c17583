"""The console's Rewards and Vouchers pages over HTTP (real PostgreSQL, the real app): the catalogue (create, edit,
retire, dates), stock per branch (set, add a delivery, what is left), each role's pages and actions, CSRF on every
form, hostile names rendered inert, the audit log's before and after; voucher batches with counts per status,
their codes paged, voiding with confirmation, conflicts, the CSV."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from pos_app.core import vouchers as cv
from sync import protocol as p
from sync.server import models as m
from sync.server import rewards as rw
from sync.server import service as svc
from sync.server import vouchers as vsvc
from sync.server.app import run_tx
from sync.server.config import Settings
from tests.sync.server.terminal import Terminal
from tests.sync.server.test_console import _csrf, sign_in

pytestmark = pytest.mark.postgres

NewTerminal = Callable[[httpx.Client], Terminal]


def audit_rows(engine: Engine, action: str, target: str) -> list[object]:
    return list(run_tx(engine, lambda c: c.execute(select(m.console_audit).where(
        m.console_audit.c.action == action, m.console_audit.c.target == target)
        .order_by(m.console_audit.c.id)).all()))


def stock_at(engine: Engine, code: str, branch: str) -> int:
    rows = {r["code"]: r for r in run_tx(engine, lambda c: rw.catalogue(c, None, svc.utcnow()))}
    return int(rows[code]["stock"].get(branch, 0))


def new_reward(client: httpx.Client, code: str, **fields: str) -> httpx.Response:
    page = client.get("/console/rewards")
    return client.post("/console/rewards", data={
        "csrf": _csrf(page.text), "code": code, "name_th": "ร่มพับ", "name_en": "Folding umbrella",
        "points_cost": "120", "active_from": "", "active_until": "", "stock_mode": "branch", **fields})


def set_stock(client: httpx.Client, code: str, branch: str, quantity: str, mode: str = "set") -> httpx.Response:
    page = client.get(f"/console/rewards/{code}")
    return client.post(f"/console/rewards/{code}/stock", data={"csrf": _csrf(page.text), "branch": branch,
                                                               "quantity": quantity, "mode": mode})


def test_marketing_creates_edits_and_retires_a_reward_and_every_change_is_audited(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str],
        new_terminal: NewTerminal) -> None:
    mark = sign_in(app_client, settings, engine, "mark")
    assert mark.get("/console/rewards").status_code == 200
    made = new_reward(mark, "UMBRELLA")
    assert made.status_code == 303 and made.headers["location"] == "/console/rewards/UMBRELLA?done=saved"
    assert audit_rows(engine, "reward.create", "UMBRELLA")[0].before is None  # type: ignore[attr-defined]

    page = mark.get("/console/rewards/UMBRELLA")
    assert "Saved. Terminals receive it at their next sync." in mark.get(made.headers["location"]).text
    edited = mark.post("/console/rewards/UMBRELLA", data={
        "csrf": _csrf(page.text), "name_th": "ร่มพับ", "name_en": "Folding umbrella", "points_cost": "150",
        "active_from": "2026-12-01 09:00", "active_until": "2026-12-31T21:00", "stock_mode": "branch"})
    assert edited.status_code == 303
    row = audit_rows(engine, "reward.edit", "UMBRELLA")[0]
    before, after = json.loads(row.before), json.loads(row.after)  # type: ignore[attr-defined]
    assert (before["points_cost"], after["points_cost"]) == (120, 150)
    assert after["active_from"].startswith("2026-12-01T02:00") and after["active_until"].startswith("2026-12-31T14:00")
    listed = mark.get("/console/rewards").text
    assert "2026-12-01 09:00" in listed and "2026-12-31 21:00" in listed  # Bangkok time, as typed

    # a terminal pulls the reward: before its start date it is not offered
    t = new_terminal(app_client)  # type: ignore[arg-type]
    pulled = [c["reward"] for c in t.pull_all() if c["type"] == "reward" and c["reward"]["code"] == "UMBRELLA"]
    assert pulled[-1]["points_cost"] == 150 and pulled[-1]["active"] is (svc.utcnow() >= datetime(2026, 12, 1, 2,
                                                                                                   tzinfo=UTC))

    unconfirmed = mark.post("/console/rewards/UMBRELLA/retire", data={"csrf": _csrf(page.text), "action": "retire"})
    assert unconfirmed.status_code == 422 and "Not retired: tick the box to confirm." in unconfirmed.text
    retired = mark.post("/console/rewards/UMBRELLA/retire", data={"csrf": _csrf(page.text), "action": "retire",
                                                                   "confirm": "yes"})
    assert retired.status_code == 303
    row = audit_rows(engine, "reward.retire", "UMBRELLA")[0]
    assert json.loads(row.before)["active"] is True and json.loads(row.after)["active"] is False  # type: ignore[attr-defined]
    assert [c["reward"]["active"] for c in t.pull_all() if c["type"] == "reward"] == [False]
    assert "retired" in mark.get("/console/rewards").text


def test_a_reward_form_refuses_each_field_beside_it_in_the_users_language(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str]) -> None:
    mark = sign_in(app_client, settings, engine, "mark")
    bad = new_reward(mark, "bad code!", name_en="", points_cost="ten", active_from="2026-12-05",
                     active_until="2026-12-01")
    assert bad.status_code == 422
    for message in ("A code is 1-64 letters, digits, dashes or underscores",
                    "Write a name of at most 200 characters.", "Points: a whole number from 1 to 1,000,000.",
                    "The end must be after the start."):
        assert message in bad.text
    assert 'value="bad code!"' in bad.text  # what was typed stays in the form
    assert run_tx(engine, lambda c: c.execute(select(m.rewards).where(m.rewards.c.code == "bad code!")).first()) \
        is None
    assert new_reward(mark, "TWICE").status_code == 303
    again = new_reward(mark, "TWICE")
    assert again.status_code == 409 and "There is already a reward TWICE." in again.text
    mark.cookies.set("console_lang", "th", path="/console")
    thai = new_reward(mark, "THAI1", points_cost="0")
    assert thai.status_code == 422 and '<html lang="th">' in thai.text
    assert "Points: a whole number" not in thai.text  # translated


def test_stock_per_branch_set_add_and_left_and_a_redemption_takes_one(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str],
        new_terminal: NewTerminal) -> None:
    mark = sign_in(app_client, settings, engine, "mark")
    assert new_reward(mark, "TOTEBAG").status_code == 303
    assert set_stock(mark, "TOTEBAG", "BKK01", "3").status_code == 303
    assert set_stock(mark, "TOTEBAG", "BKK01", "2", "add").status_code == 303
    assert stock_at(engine, "TOTEBAG", "BKK01") == 5
    rows = audit_rows(engine, "reward.stock", "TOTEBAG")
    assert [(json.loads(r.before)["stock"], json.loads(r.after)["stock"], json.loads(r.after)["mode"])  # type: ignore[attr-defined]
            for r in rows] == [(0, 3, "set"), (3, 5, "add")]
    for quantity, mode in (("-1", "set"), ("0", "add"), ("many", "set"), ("1000001", "set")):
        refused = set_stock(mark, "TOTEBAG", "BKK01", quantity, mode)
        assert refused.status_code == 422 and "Not saved: write a whole number from 0 to 1,000,000" in refused.text
    assert stock_at(engine, "TOTEBAG", "BKK01") == 5

    t = new_terminal(app_client)  # type: ignore[arg-type]
    # (the first pull sends the reward for its catalogue change and again for its stock change: both say 5)
    assert {c["reward"]["stock"] for c in t.pull_all() if c["type"] == "reward" and c["reward"]["code"] == "TOTEBAG"} \
        == {5}
    member = t.member()
    mid = member["member"]["id"]
    t.upload_ok([member, t.earn(mid, 2_500_000), t.redeem(mid, 120, reward_code="TOTEBAG")])
    page = mark.get("/console/rewards/TOTEBAG").text
    assert 'id="stock-BKK01">4<' in page and 'id="stock-CNX01">0<' in page
    assert [c["reward"]["stock"] for c in t.pull_all() if c["type"] == "reward"] == [4]

    # a reward not counted per branch has no stock to set; a new reward's form starts there (counting per branch
    # with no stock yet would make every counter refuse it)
    assert '<option value="none" selected>' in mark.get("/console/rewards").text
    assert new_reward(mark, "FREEBIE", stock_mode="none").status_code == 303
    chain = set_stock(mark, "FREEBIE", "BKK01", "3")
    assert chain.status_code == 409 and "not counted per branch" in chain.text


def test_each_role_reaches_only_its_reward_and_voucher_pages_and_actions(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str]) -> None:
    run_tx(engine, lambda c: rw.save(c, rw.RewardForm("ROLES", "ก", "Roles", 10, None, None, True), "t",
                                     svc.utcnow(), create=True))
    pages = {"rewards": "/console/rewards", "reward": "/console/rewards/ROLES", "vouchers": "/console/vouchers"}
    expected = {"ada": {"rewards", "reward", "vouchers"}, "mark": {"rewards", "reward", "vouchers"},
                "sue": {"vouchers"}, "ops": {"vouchers"}, "cnx": {"rewards", "reward"},
                "ro": {"rewards", "reward", "vouchers"}}
    for name, allowed in expected.items():
        client = sign_in(app_client, settings, engine, name)
        got = {page for page, path in pages.items() if client.get(path).status_code == 200}
        assert got == allowed, name
        token = _csrf(client.get("/console/dashboard").text)
        created = client.post("/console/rewards", data={"csrf": token, "code": f"BY-{name}", "name_th": "ก",
                                                        "name_en": "a", "points_cost": "5", "stock_mode": "none"})
        assert created.status_code == (303 if name in ("ada", "mark") else 403), name
        if created.status_code == 403:
            assert "Your role does not allow this page or action." in created.text
        stock = client.post("/console/rewards/ROLES/stock", data={"csrf": token, "branch": "CNX01", "quantity": "7",
                                                                  "mode": "set"})
        assert stock.status_code == (303 if name in ("ada", "mark", "cnx") else 403), name
    # the area manager sets their own branch's stock but not another's, and sees only their branches
    cnx = sign_in(app_client, settings, engine, "cnx")
    page = cnx.get("/console/rewards/ROLES").text
    assert 'id="stock-CNX01"' in page and 'id="stock-BKK01"' not in page
    assert "/console/rewards/ROLES/retire" not in page and 'action="/console/rewards/ROLES"' not in page
    other = cnx.post("/console/rewards/ROLES/stock", data={"csrf": _csrf(page), "branch": "BKK01", "quantity": "9",
                                                           "mode": "set"})
    assert other.status_code == 404 and stock_at(engine, "ROLES", "BKK01") == 0
    assert cnx.post("/console/rewards/ROLES/retire", data={"csrf": _csrf(page), "action": "retire",
                                                           "confirm": "yes"}).status_code == 403
    ro = sign_in(app_client, settings, engine, "ro")
    assert "/stock" not in ro.get("/console/rewards/ROLES").text  # read-only sees, has no forms


def test_every_reward_and_voucher_form_needs_the_csrf_token(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str]) -> None:
    run_tx(engine, lambda c: rw.save(c, rw.RewardForm("CSRF1", "ก", "Csrf", 10, None, None, True), "t",
                                     svc.utcnow(), create=True))
    batch_id, _ = run_tx(engine, lambda c: vsvc.issue_batch(c, settings, campaign="CSRF", count=2,
                                                            benefit=cv.Benefit("fixed", 5000), now=svc.utcnow(),
                                                            valid_until=svc.utcnow() + timedelta(days=9)))
    ada = sign_in(app_client, settings, engine, "ada")
    forms = {"/console/rewards": {"code": "FORGED", "name_th": "ก", "name_en": "a", "points_cost": "5"},
             "/console/rewards/CSRF1": {"name_th": "x", "name_en": "x", "points_cost": "999"},
             "/console/rewards/CSRF1/retire": {"action": "retire", "confirm": "yes"},
             "/console/rewards/CSRF1/stock": {"branch": "BKK01", "quantity": "50", "mode": "set"},
             f"/console/vouchers/{batch_id}/void": {"confirm": "yes"}}
    for path, data in forms.items():
        for token in (None, "forged-token"):
            r = ada.post(path, data=data | ({"csrf": token} if token else {}))
            assert r.status_code == 403 and "This form has expired or did not come from this console" in r.text, path
    catalogue = {r["code"]: r for r in run_tx(engine, lambda c: rw.catalogue(c, None, svc.utcnow()))}
    assert "FORGED" not in catalogue and catalogue["CSRF1"]["points_cost"] == 10 and catalogue["CSRF1"]["active"]
    assert stock_at(engine, "CSRF1", "BKK01") == 0
    assert run_tx(engine, lambda c: c.execute(select(m.voucher_batches.c.voided_at).where(
        m.voucher_batches.c.id == batch_id)).scalar_one()) is None


def test_a_hostile_reward_name_is_rendered_inert(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str]) -> None:
    mark = sign_in(app_client, settings, engine, "mark")
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>"\''
    assert new_reward(mark, "XSS1", name_th=payload, name_en=payload).status_code == 303
    for path in ("/console/rewards", "/console/rewards/XSS1"):
        text = mark.get(path).text
        assert "<script>alert(1)" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in text


def test_voucher_batches_show_counts_codes_conflicts_csv_and_void_with_confirmation(
        app_client: TestClient, settings: Settings, engine: Engine, users: dict[str, str],
        new_terminal: NewTerminal) -> None:
    now = svc.utcnow()
    batch_id, codes = run_tx(engine, lambda c: vsvc.issue_batch(
        c, settings, campaign="<b>New Year</b>", count=130, benefit=cv.Benefit("fixed", 5000), now=now,
        valid_until=now + timedelta(days=30)))
    t1, t2 = new_terminal(app_client), new_terminal(app_client)  # type: ignore[arg-type]

    def commit(t: Terminal, code: str, value: int) -> dict[str, object]:
        r = t.http.post("/v1/vouchers/commit", headers=t.auth, json={
            "operation_id": str(uuid.uuid4()), "code": code, "value_satang": value,
            "sale_at": p.format_utc(datetime.now(UTC)), "receipt_ref": "R-1", "operator_id": "cashier1",
            "offline": True})
        assert r.status_code == 200, r.text
        return dict(r.json())

    used_id = commit(t1, codes[0][1], 5000)["voucher_id"]
    assert commit(t2, codes[0][1], 4200)["conflict"] is True  # the same voucher at a second offline counter
    commit(t1, codes[1][1], 5000)
    held = t1.http.post("/v1/vouchers/reserve", headers=t1.auth, json={"operation_id": str(uuid.uuid4()),
                                                                       "code": codes[2][1]})
    assert held.status_code == 200, held.text

    sue = sign_in(app_client, settings, engine, "sue")  # support sees, cannot void
    listing = sue.get("/console/vouchers").text
    assert "&lt;b&gt;New Year&lt;/b&gt;" in listing and "<b>New Year</b>" not in listing
    assert f"/console/vouchers/{batch_id}" in listing and "฿42.00" in listing  # the conflict's value
    page = sue.get(f"/console/vouchers/{batch_id}").text
    for status, count in (("issued", 127), ("reserved", 1), ("used", 2), ("expired", 0), ("void", 0),
                          ("conflicts", 1)):
        assert f'id="count-{status}">{count}<' in page, status
    assert "Page 1 of 2" in page and page.count("<code>") == 100 and f"/console/vouchers/{batch_id}/void" not in page
    second = sue.get(f"/console/vouchers/{batch_id}?page=2").text
    assert "Page 2 of 2" in second and second.count("<code>") == 30
    assert sue.post(f"/console/vouchers/{batch_id}/void", data={"csrf": _csrf(page), "confirm": "yes"}
                    ).status_code == 403

    exported = sue.get(f"/console/vouchers/{batch_id}/status.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert len(rows) == 130
    by_id = {r["voucher_id"]: r for r in rows}
    assert by_id[str(used_id)]["status"] == "used" and by_id[str(used_id)]["conflicts"] == "1"
    assert sorted(r["status"] for r in rows).count("issued") == 127

    mark = sign_in(app_client, settings, engine, "mark")
    page = mark.get(f"/console/vouchers/{batch_id}").text
    unconfirmed = mark.post(f"/console/vouchers/{batch_id}/void", data={"csrf": _csrf(page)})
    assert unconfirmed.status_code == 422 and "Not voided: tick the box to confirm." in unconfirmed.text
    voided = mark.post(f"/console/vouchers/{batch_id}/void", data={"csrf": _csrf(page), "confirm": "yes"})
    assert voided.status_code == 303
    after = mark.get(voided.headers["location"]).text
    for status, count in (("issued", 0), ("reserved", 0), ("used", 2), ("void", 128)):
        assert f'id="count-{status}">{count}<' in after, status
    row = audit_rows(engine, "vouchers.void", batch_id)[0]
    assert json.loads(row.before)["counts"]["issued"] == 127  # type: ignore[attr-defined]
    assert json.loads(row.after)["counts"]["void"] == 128 and json.loads(row.after)["voided"] == 128  # type: ignore[attr-defined]
    refused = t1.http.post("/v1/vouchers/reserve", headers=t1.auth, json={"operation_id": str(uuid.uuid4()),
                                                                          "code": codes[5][1]})
    assert refused.status_code != 200  # a voided voucher is refused at the counter
