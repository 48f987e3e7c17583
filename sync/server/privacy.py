"""A member's right of access (PDPA, docs/privacy.md): everything the server holds about one member, as a JSON
document and as a readable PDF in Thai or English.

The JSON is :func:`member_export` (profile, consent, every entry with its branch, online redemptions, flags, the
erasure if any); the PDF is drawn by :func:`render_pdf` with Pillow on A4 pages with the bundled Thai font
(``hardware.fonts``), the way slips are drawn, and saved as a multi-page PDF by Pillow. The phone is masked
(``pos_app.core.phone.mask_phone``) in both: an export is a file that travels by e-mail and USB stick, and the
member confirms the number at the counter.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from pos_app.core.phone import mask_phone
from sync.server import models as m
from sync.server.errors import ApiError

EXPORT_FORMAT = 1
LANGS = ("th", "en")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Personal data held about a loyalty member",
        "made": "Made on {at} (UTC) by the loyalty server of the chain",
        "profile": "Profile", "id": "Member id", "card_no": "Card number", "name": "Name", "phone": "Phone",
        "tier": "Tier", "consent": "Consent to the loyalty program", "created_at": "Enrolled",
        "enrolled_at": "Enrolled at", "balance": "Points balance", "erased": "Personal data erased",
        "merged_into": "Merged into member",
        "yes": "yes", "no": "no", "none": "none",
        "entries": "Points entries ({n})", "reservations": "Online redemptions ({n})", "flags": "Flags ({n})",
        "entry_line": "{sale_at}  {kind}  {points} points  {branch}",
        "entry_detail": "receipt {receipt}  amount {amount} THB  reward {reward}",
        "reservation_line": "{created_at}  {points} points  reward {reward}  {status}",
        "flag_line": "{created_at}  {kind}  {state}", "open": "open", "resolved": "resolved",
        "head_office": "head office", "page": "page {n}",
        "marketing": "Consent to marketing messages", "consents": "Consent records ({n})",
        "consent_line": "{at}  {purpose}: {choice}  (text version {version}, {branch}, cashier {staff})",
        "purpose_loyalty": "loyalty program", "purpose_marketing": "marketing messages", "given": "given",
        "withdrawn": "not given or withdrawn",
    },
    "th": {
        "title": "ข้อมูลส่วนบุคคลของสมาชิกสะสมแต้ม",
        "made": "จัดทำเมื่อ {at} (UTC) โดยเซิร์ฟเวอร์ระบบสะสมแต้มของร้าน",
        "profile": "ข้อมูลสมาชิก", "id": "รหัสสมาชิก", "card_no": "หมายเลขบัตร", "name": "ชื่อ", "phone": "โทรศัพท์",
        "tier": "ระดับ", "consent": "ยินยอมเข้าร่วมโปรแกรมสะสมแต้ม", "created_at": "สมัครเมื่อ",
        "enrolled_at": "สมัครที่", "balance": "แต้มคงเหลือ", "erased": "ลบข้อมูลส่วนบุคคลแล้ว",
        "merged_into": "รวมเข้ากับสมาชิก",
        "yes": "ใช่", "no": "ไม่", "none": "ไม่มี",
        "entries": "รายการแต้ม ({n})", "reservations": "การแลกแต้มออนไลน์ ({n})", "flags": "รายการที่ต้องตรวจสอบ ({n})",
        "entry_line": "{sale_at}  {kind}  {points} แต้ม  {branch}",
        "entry_detail": "ใบเสร็จ {receipt}  ยอด {amount} บาท  ของรางวัล {reward}",
        "reservation_line": "{created_at}  {points} แต้ม  ของรางวัล {reward}  {status}",
        "flag_line": "{created_at}  {kind}  {state}", "open": "รอตรวจสอบ", "resolved": "ตรวจสอบแล้ว",
        "head_office": "สำนักงานใหญ่", "page": "หน้า {n}",
        "marketing": "ยินยอมรับข่าวสารการตลาด", "consents": "บันทึกความยินยอม ({n})",
        "consent_line": "{at}  {purpose}: {choice}  (ข้อความฉบับ {version}, {branch}, พนักงาน {staff})",
        "purpose_loyalty": "โปรแกรมสะสมแต้ม", "purpose_marketing": "ข่าวสารการตลาด", "given": "ให้ความยินยอม",
        "withdrawn": "ไม่ยินยอมหรือถอนความยินยอม",
    },
}
KIND_NAMES = {
    "en": {"earn": "earned", "redeem": "redeemed", "reverse": "returned", "adjust": "adjusted", "expire": "expired",
           "overdraft": "overdraft"},
    "th": {"earn": "ได้รับแต้ม", "redeem": "แลกแต้ม", "reverse": "คืนสินค้า", "adjust": "ปรับแต้ม", "expire": "แต้มหมดอายุ",
           "overdraft": "แต้มติดลบ"},
}


def member_export(conn: Connection, member_id: str, now: datetime) -> dict[str, Any]:
    """Everything the server holds about ``member_id`` (404 ``unknown_member``), phone masked."""
    row = conn.execute(select(m.members).where(m.members.c.id == member_id)).first()
    if row is None or row.placeholder and not row.erased_at:
        raise ApiError(404, "unknown_member", "unknown member")
    branches = {r.id: (r.code, r.name) for r in conn.execute(
        select(m.terminals.c.id, m.branches.c.code, m.branches.c.name)
        .select_from(m.terminals.join(m.branches, m.branches.c.id == m.terminals.c.branch_id)))}

    def branch(terminal_id: str | None) -> dict[str, str] | None:
        found = branches.get(terminal_id or "")
        return {"code": found[0], "name": found[1]} if found else None

    entries = []
    for e in conn.execute(select(m.entries).where(m.entries.c.member_id == member_id)
                          .order_by(m.entries.c.sale_at, m.entries.c.id)):
        data = json.loads(e.payload)
        entries.append({
            "id": e.id, "kind": e.kind, "points": int(e.points), "sale_at": e.sale_at, "terminal_id": e.terminal_id,
            "branch": branch(e.terminal_id), "amount_satang": data.get("amount_satang"),
            "receipt_ref": data.get("receipt_ref"), "reward_code": data.get("reward_code"),
            "corrects_id": e.corrects_id, "reason": data.get("reason"), "offline": bool(data.get("offline")),
            "currency": data.get("currency"), "amount_minor": data.get("amount_minor"),
            "quarantined": bool(e.quarantined)})
    reservations = [{"id": r.id, "points": int(r.points), "reward_code": r.reward_code, "status": r.status,
                     "created_at": r.created_at.isoformat(), "terminal_id": r.terminal_id}
                    for r in conn.execute(select(m.reservations).where(m.reservations.c.member_id == member_id)
                                          .order_by(m.reservations.c.created_at))]
    flags = [{"id": f.id, "kind": f.kind, "created_at": f.created_at.isoformat(), "details": json.loads(f.details),
              "resolved_at": f.resolved_at.isoformat() if f.resolved_at else None}
             for f in conn.execute(select(m.flags).where(m.flags.c.member_id == member_id).order_by(m.flags.c.id))]
    for flag in flags:  # a duplicate_phone flag quotes the number: masked like everywhere in an export
        if isinstance(flag["details"], dict) and flag["details"].get("phone"):
            flag["details"]["phone"] = mask_phone(flag["details"]["phone"])
    consents = [{"purpose": c.purpose, "granted": bool(c.granted), "text_version": c.text_version,
                 "at": c.at.isoformat(), "terminal_id": c.terminal_id, "branch": branch(c.terminal_id),
                 "staff_id": c.staff_id}
                for c in conn.execute(select(m.consents).where(m.consents.c.member_id == member_id)
                                      .order_by(m.consents.c.at, m.consents.c.seq))]
    if not any(c["purpose"] == "loyalty" for c in consents):  # enrolled before consent records: the flag
        consents.insert(0, {"purpose": "loyalty", "granted": bool(row.consent), "text_version": None,
                            "at": row.created_at, "terminal_id": row.terminal_id, "branch": branch(row.terminal_id),
                            "staff_id": None})
    erasure = conn.execute(select(m.member_erasures).where(m.member_erasures.c.member_id == member_id)
                           .order_by(m.member_erasures.c.id.desc())).first()
    return {
        "format": EXPORT_FORMAT,
        "made_at": now.isoformat(),
        "profile": {
            "id": row.id, "card_no": row.card_no, "name": row.name, "phone_masked": mask_phone(row.phone),
            "tier": row.tier, "created_at": row.created_at, "enrolled_at_terminal": row.terminal_id,
            "enrolled_at_branch": branch(row.terminal_id), "balance": int(row.balance),
            "merged_into": row.merged_into,
            "erased_at": row.erased_at.isoformat() if row.erased_at else None,
            "erasure_reason": erasure.reason if erasure is not None else None,
        },
        "consents": consents,
        "marketing_consent": row.marketing_consent,
        "entries": entries,
        "reservations": reservations,
        "flags": flags,
    }


# ------------------------------------------------------------------------------------------------ PDF

PAGE_W, PAGE_H = 1240, 1754  # A4 at 150 dpi
MARGIN = 100
DPI = 150.0


class _Pages:
    def __init__(self) -> None:
        from hardware.fonts import load_font

        self.font = load_font(24)
        self.bold = load_font(24, bold=True)
        self.big = load_font(34, bold=True)
        self.pages: list[Any] = []
        self.y = 0
        self._new_page()

    def _new_page(self) -> None:
        from PIL import Image, ImageDraw

        self.image = Image.new("L", (PAGE_W, PAGE_H), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.pages.append(self.image)
        self.y = MARGIN

    def line(self, text: str, *, bold: bool = False, big: bool = False, indent: int = 0) -> None:
        from hardware.slips import wrap

        font = self.big if big else self.bold if bold else self.font
        ascent, descent = font.getmetrics()
        height = ascent + descent + 8
        for part in wrap(text, font, PAGE_W - 2 * MARGIN - indent) or [""]:
            if self.y + height > PAGE_H - MARGIN:
                self._new_page()
            self.draw.text((MARGIN + indent, self.y), part, font=font, fill=0)
            self.y += height

    def gap(self, pixels: int = 16) -> None:
        self.y += pixels

    def pdf(self) -> bytes:
        out = io.BytesIO()
        first, rest = self.pages[0], self.pages[1:]
        first.save(out, "PDF", resolution=DPI, save_all=True, append_images=rest)
        return out.getvalue()


def render_pdf(export: dict[str, Any], lang: str = "th") -> bytes:
    """The export as a readable PDF (A4 pages) in ``lang`` (``th`` or ``en``)."""
    if lang not in LANGS:
        raise ValueError(f"lang is one of {', '.join(LANGS)}")
    t, kinds = LABELS[lang], KIND_NAMES[lang]
    prof = export["profile"]
    pages = _Pages()
    pages.line(t["title"], big=True)
    pages.line(t["made"].format(at=export["made_at"][:19].replace("T", " ")))
    pages.gap(24)
    pages.line(t["profile"], bold=True)

    def where(branch: dict[str, str] | None) -> str:
        return f"{branch['code']} {branch['name']}" if branch else t["head_office"]

    rows = [("id", prof["id"]), ("card_no", prof["card_no"]), ("name", prof["name"] or "-"),
            ("phone", prof["phone_masked"] or t["none"]), ("tier", prof["tier"]),
            ("consent", t["yes"] if next(c for c in export["consents"] if c["purpose"] == "loyalty")["granted"]
             else t["no"]),
            ("marketing", t["yes"] if export.get("marketing_consent") else t["no"]),
            ("created_at", prof["created_at"][:19].replace("T", " ")),
            ("enrolled_at", where(prof["enrolled_at_branch"])), ("balance", f"{prof['balance']:,}")]
    if prof["merged_into"]:
        rows.append(("merged_into", prof["merged_into"]))
    if prof["erased_at"]:
        rows.append(("erased", prof["erased_at"][:19].replace("T", " ")))
    for key, value in rows:
        pages.line(f"{t[key]}: {value}", indent=20)
    pages.gap(24)
    pages.line(t["consents"].format(n=len(export["consents"])), bold=True)
    for c in export["consents"]:
        pages.line(t["consent_line"].format(
            at=c["at"][:16].replace("T", " "), purpose=t["purpose_" + c["purpose"]],
            choice=t["given"] if c["granted"] else t["withdrawn"], version=c["text_version"] or "-",
            branch=where(c["branch"]), staff=c["staff_id"] or "-"), indent=20)
    pages.gap(24)
    pages.line(t["entries"].format(n=len(export["entries"])), bold=True)
    for e in export["entries"]:
        pages.line(t["entry_line"].format(sale_at=e["sale_at"][:16].replace("T", " "),
                                          kind=kinds.get(e["kind"], e["kind"]), points=f"{e['points']:+,}",
                                          branch=where(e["branch"])), indent=20)
        if e["receipt_ref"] or e["amount_satang"] is not None or e["reward_code"]:
            amount = "-" if e["amount_satang"] is None else f"{e['amount_satang'] // 100:,}.{e['amount_satang'] % 100:02d}"
            pages.line(t["entry_detail"].format(receipt=e["receipt_ref"] or "-", amount=amount,
                                                reward=e["reward_code"] or "-"), indent=60)
    pages.gap(24)
    pages.line(t["reservations"].format(n=len(export["reservations"])), bold=True)
    for r in export["reservations"]:
        pages.line(t["reservation_line"].format(created_at=r["created_at"][:16].replace("T", " "),
                                                points=f"{r['points']:,}", reward=r["reward_code"] or "-",
                                                status=r["status"]), indent=20)
    pages.gap(24)
    pages.line(t["flags"].format(n=len(export["flags"])), bold=True)
    for f in export["flags"]:
        pages.line(t["flag_line"].format(created_at=f["created_at"][:16].replace("T", " "), kind=f["kind"],
                                         state=t["resolved"] if f["resolved_at"] else t["open"]), indent=20)
    return pages.pdf()


# ------------------------------------------------------------------------------------------------ retention

RETENTION_FLAG = "retention_review"
DEFAULT_INACTIVE_MONTHS = 24


def flag_inactive_members(conn: Connection, now: datetime, months: int = DEFAULT_INACTIVE_MONTHS,
                          limit: int = 10_000) -> int:
    """Raise a ``retention_review`` flag for every member with no points entry (nor enrollment) in the last
    ``months`` months, not erased, not merged, without an open one already (docs/privacy.md, "Retention").
    A manager then asks the member or erases them; resolving the flag keeps the member. Returns how many were
    flagged (at most ``limit`` per run: run again until 0)."""
    from sqlalchemy import and_, func

    from sync import records as rec
    from sync.server import service as svc

    if not 1 <= months <= 1200:
        raise ApiError(422, "bad_period", "the inactivity period is 1..1200 months")
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    cutoff = rec.format_utc(now.replace(year=year, month=month + 1, day=min(now.day, 28)))
    last = (select(m.entries.c.member_id, func.max(m.entries.c.sale_at).label("last_at"))
            .group_by(m.entries.c.member_id).subquery())
    open_flag = (select(m.flags.c.id).where(m.flags.c.member_id == m.members.c.id, m.flags.c.kind == RETENTION_FLAG,
                                            m.flags.c.resolved_at.is_(None)).exists())
    rows = conn.execute(
        select(m.members.c.id, m.members.c.created_at, last.c.last_at)
        .select_from(m.members.outerjoin(last, last.c.member_id == m.members.c.id))
        .where(m.members.c.erased_at.is_(None), m.members.c.merged_into.is_(None),
               m.members.c.placeholder.is_(False), m.members.c.created_at < cutoff,
               and_(func.coalesce(last.c.last_at, m.members.c.created_at) < cutoff), ~open_flag)
        .order_by(m.members.c.id).limit(limit)).all()
    svc.insert_flags(conn, [svc.NewFlag(RETENTION_FLAG, r.id, None, None, {
        "last_activity": r.last_at or r.created_at, "inactive_months_at_least": months,
        "action": "ask the member, then erase (loyalty-server member erase) or resolve to keep"}) for r in rows],
        now)
    return len(rows)
