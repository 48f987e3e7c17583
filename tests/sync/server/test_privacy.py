"""The server's side of member privacy (docs/privacy.md) on real PostgreSQL: the access export (JSON and PDF,
through the real ``loyalty-server member export``), and what an erasure does to records that arrive after it."""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from sync import records
from sync.server import models as m
from sync.server import service as svc
from sync.server.app import run_tx
from sync.server.config import Settings
from sync.server.privacy import member_export, render_pdf
from tests.sync.e2e.test_two_terminals import BIN
from tests.sync.server.terminal import Terminal

pytestmark = pytest.mark.postgres
NewTerminal = Callable[[TestClient], Terminal]


def server_cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "loyalty-server"), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LOYALTY_DATABASE_URL": settings.database_url})


def test_a_member_gets_everything_held_about_them_as_json_and_a_readable_pdf_in_thai_or_english(
        client: TestClient, engine: Engine, settings: Settings, new_terminal: NewTerminal, tmp_path: Path) -> None:
    a = new_terminal(client)
    member = a.member(phone="0894441234", name="สมศรี ขอดูข้อมูล")
    member_id = member["member"]["id"]
    earn = a.earn(member_id, 250_000)  # 100 points
    redeem = a.redeem(member_id, 30)
    a.upload_ok([member, earn, redeem])

    out = server_cli(settings, "member", "export", member_id, "--out", str(tmp_path / "out"), "--lang", "th")
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "out" / f"member-{member_id}.json").read_text(encoding="utf-8"))
    assert data["profile"]["name"] == "สมศรี ขอดูข้อมูล" and data["profile"]["balance"] == 70
    assert data["profile"]["phone_masked"] == "•••-•••-1234"
    assert data["profile"]["enrolled_at_branch"]["code"] == "BKK01"
    assert data["consents"] == [{"purpose": "loyalty", "granted": True, "text_version": None,  # the flag only
                                 "at": member["member"]["created_at"], "terminal_id": a.terminal_id,
                                 "branch": data["profile"]["enrolled_at_branch"], "staff_id": None}]
    assert [(e["id"], e["kind"], e["points"], e["branch"]["code"]) for e in data["entries"]] == [
        (earn["entry"]["id"], "earn", 100, "BKK01"), (redeem["entry"]["id"], "redeem", -30, "BKK01")]
    assert data["entries"][0]["amount_satang"] == 250_000
    text = (tmp_path / "out" / f"member-{member_id}.json").read_text(encoding="utf-8")
    assert "0894441234" not in text  # no phone in clear in an export
    pdf = (tmp_path / "out" / f"member-{member_id}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1

    # the PDF's pages are real drawings of the text: more ink for more entries, English differs from Thai
    export = run_tx(engine, lambda c: member_export(c, member_id, svc.utcnow()))
    assert render_pdf(export, "en") != render_pdf(export, "th")
    with pytest.raises(ValueError, match="lang is one of th, en"):
        render_pdf(export, "fr")

    unknown = server_cli(settings, "member", "export", "01a2b3c4-0000-7000-8000-000000000000", "--out",
                         str(tmp_path / "x"))
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr
    assert unknown.stderr.strip().splitlines() == ["Error: unknown member (unknown_member)"]


def test_after_an_erasure_a_resent_or_late_member_record_brings_no_personal_data_back(
        client: TestClient, engine: Engine, settings: Settings, new_terminal: NewTerminal,
        caplog: pytest.LogCaptureFixture) -> None:
    a, b = new_terminal(client), new_terminal(client)
    member = a.member(phone="0893332211", name="ลบแล้ว กลับมาไม่ได้")
    member_id = member["member"]["id"]
    twin = b.member(phone="0893332211", name="Twin Phone")  # the same phone offline elsewhere: a flag quotes it
    a.upload_ok([member, a.earn(member_id, 100_000)])
    with caplog.at_level(logging.WARNING, logger="sync.server"):
        b.upload_ok([twin])
    logged = [r.getMessage() for r in caplog.records if "duplicate_phone" in r.getMessage()]
    assert len(logged) == 1 and "•••-•••-2211" in logged[0]  # the log names the flag, the phone masked
    assert "0893332211" not in logged[0] and "Twin Phone" not in logged[0]
    # a placeholder: terminal b sends a purchase of a member enrolled at terminal c, whose record is not here yet
    c = new_terminal(client)
    late = c.member(phone="0893330000", name="Late Record")
    b.upload_ok([b.earn(late["member"]["id"], 50_000)])

    erased = run_tx(engine, lambda conn: svc.erase_member(conn, member_id, "request #7", "dpo", svc.utcnow()))
    assert erased.balance == 40 and erased.scrubbed == {"flags": 1}
    with pytest.raises(svc.ApiError) as again:
        run_tx(engine, lambda conn: svc.erase_member(conn, member_id, "again", "dpo", svc.utcnow()))
    assert again.value.code == "already_erased"
    with pytest.raises(svc.ApiError) as bare:
        run_tx(engine, lambda conn: svc.erase_member(conn, member_id, "  ", "dpo", svc.utcnow()))
    assert bare.value.code == "reason_required"
    flag = run_tx(engine, lambda conn: conn.execute(select(m.flags.c.details).where(
        m.flags.c.kind == "duplicate_phone", m.flags.c.member_id == twin["member"]["id"])).scalar_one())
    assert "0893332211" not in flag and "[erased]" in flag

    # The enrolling terminal sends the record again (its answer was lost), as sent and in the erased form:
    # "already have it", and nothing of it is stored.
    for form in (member["member"], records.erased_member_record(member["member"])):
        answer = a.upload([{"seq": member["seq"], "type": "member", "entry": None, "member": form}])
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"] == [{"seq": 1, "id": member_id, "status": "duplicate"}]
    # re-signing the codes of members without one (after a key revocation) does not bring the card back
    while run_tx(engine, lambda conn: svc.resign_member_codes(conn, settings, svc.utcnow())):
        pass
    state = run_tx(engine, lambda conn: svc.member_state(conn, member_id))
    assert (state.name, state.phone, state.erased, state.balance, state.member_code) == ("", None, True, 40, None)
    # The erased member reaches every terminal through the change feed.
    pulled = [ch["member"] for ch in b.pull_all() if ch["type"] == "member" and ch["member"]["id"] == member_id]
    assert pulled[-1]["erased"] is True and pulled[-1]["name"] == "" and pulled[-1]["phone"] is None

    # A placeholder erased before its record arrives: the record, when it comes, is not stored.
    late_id = late["member"]["id"]
    run_tx(engine, lambda conn: svc.erase_member(conn, late_id, "request #8", "dpo", svc.utcnow()))
    result = c.upload_ok([late])
    assert result["ack_seq"] == 1 and result["results"][0]["status"] == "stored"
    row = run_tx(engine, lambda conn: conn.execute(select(m.members).where(m.members.c.id == late_id)).one())
    assert (row.name, row.phone, int(row.balance)) == ("", None, 20)
    held = run_tx(engine, lambda conn: conn.execute(select(m.received.c.content_hash, m.received.c.payload).where(
        m.received.c.record_id == late_id)).one())
    assert tuple(held) == (svc.ERASED_HASH, None)
    assert run_tx(engine, svc.verify_balances) == []


def test_support_downloads_a_members_data_and_erases_it_from_the_console_and_both_are_audited(
        client: TestClient, engine: Engine, settings: Settings, new_terminal: NewTerminal) -> None:
    from sync.server.console import auth
    from tests.sync.server.test_console import PASSWORD, _csrf, sign_in

    for name, role in (("sue2", "support"), ("ro2", "readonly")):
        run_tx(engine, lambda c, n=name, r=role: auth.add_user(c, n, PASSWORD, r, svc.utcnow()))
    a = new_terminal(client)
    member = a.member(phone="0897770001", name="Console Erase Me")
    member_id = member["member"]["id"]
    a.upload_ok([member, a.earn(member_id, 75_000)])
    console_app = TestClient(client.app, follow_redirects=False)

    readonly = sign_in(console_app, settings, engine, "ro2")
    page = readonly.get(f"/console/members/{member_id}")
    assert page.status_code == 200 and "Erase personal data" not in page.text
    assert readonly.get(f"/console/members/{member_id}/export.json").status_code == 403

    support = sign_in(console_app, settings, engine, "sue2")
    page = support.get(f"/console/members/{member_id}")
    assert "Download everything held (PDF)" in page.text and "Erase personal data" in page.text
    got = support.get(f"/console/members/{member_id}/export.json")
    assert got.status_code == 200 and got.headers["content-disposition"] == \
        f'attachment; filename="member-{member_id}.json"'
    assert got.json()["profile"]["name"] == "Console Erase Me" and got.json()["profile"]["balance"] == 30
    pdf = support.get(f"/console/members/{member_id}/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # not confirmed: refused with one line, nothing erased
    refused = support.post(f"/console/members/{member_id}/erase",
                           data={"csrf": _csrf(page.text), "reason": "request #9"})
    assert refused.status_code == 422 and "Not erased: tick the confirmation" in refused.text
    assert run_tx(engine, lambda c: svc.member_state(c, member_id)).erased is False
    done = support.post(f"/console/members/{member_id}/erase",
                        data={"csrf": _csrf(page.text), "reason": "request #9", "confirm": "yes"})
    assert done.status_code == 303
    state = run_tx(engine, lambda c: svc.member_state(c, member_id))
    assert (state.erased, state.name, state.phone, state.balance) == (True, "", None, 30)
    page = support.get(f"/console/members/{member_id}")
    assert "Personal data erased on" in page.text and "Console Erase Me" not in page.text
    trail = run_tx(engine, lambda c: c.execute(select(m.console_audit.c.action, m.console_audit.c.after).where(
        m.console_audit.c.target == member_id).order_by(m.console_audit.c.id)).all())
    assert [row.action for row in trail] == ["member.export", "member.export", "member.erase"]
    assert all("0897770001" not in (row.after or "") and "Console Erase Me" not in (row.after or "") for row in trail)


def test_members_inactive_for_the_retention_period_are_flagged_for_review_once(
        client: TestClient, engine: Engine, settings: Settings, new_terminal: NewTerminal) -> None:
    from datetime import UTC, datetime, timedelta

    a = new_terminal(client)
    three_years_ago = records.format_utc(datetime.now(UTC) - timedelta(days=3 * 365))

    def old_member(name: str) -> dict:
        record = a.member(name=name)
        record["member"]["created_at"] = three_years_ago
        record["member"]["content_hash"] = records.content_hash(record["member"])
        return record

    idle, busy, erased = old_member("Idle Since Long"), old_member("Still Buying"), old_member("Gone Already")
    fresh = a.member(name="Just Joined")
    a.upload_ok([idle, busy, erased, fresh, a.earn(busy["member"]["id"], 25_000)])
    run_tx(engine, lambda c: svc.erase_member(c, erased["member"]["id"], "request #10", "dpo", svc.utcnow()))

    out = server_cli(settings, "member", "inactive", "--months", "24")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ("1 members inactive for 24 months or more flagged for review (flags list --kind "
                                  "retention_review)")
    flags = run_tx(engine, lambda c: svc.list_flags(c, True, "retention_review"))
    assert [(f.member_id, f.details["last_activity"]) for f in flags] == [(idle["member"]["id"], three_years_ago)]
    again = server_cli(settings, "member", "inactive", "--months", "24")
    assert again.stdout.strip().startswith("0 members")  # flagged once while the review is open
    bad = server_cli(settings, "member", "inactive", "--months", "0")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
