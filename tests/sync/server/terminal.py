"""A minimal terminal speaking the sync protocol over HTTP, for server tests (the real client lives in
sync/client; this one lets tests misbehave on purpose: resend, reorder, forge, drop responses)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import uuid6

from sync import protocol as p
from sync import records

HEADERS = {p.PROTOCOL_HEADER: "1"}


def now_iso() -> str:
    return p.format_utc(datetime.now(UTC))


def new_card_no() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(16))


def new_phone() -> str:
    return "08" + "".join(secrets.choice("0123456789") for _ in range(8))


@dataclass
class Terminal:
    http: httpx.Client
    terminal_id: str = ""
    secret: str = field(default_factory=lambda: secrets.token_hex(32))
    seq: int = 0
    cursor: int = 0
    outbox: list[dict[str, Any]] = field(default_factory=list)
    clock_offset_ms: int = 0
    snapshot: dict[str, Any] | None = None
    scope: str | None = None
    """``branch``: pull the branch-scoped feed; None: the full feed, as terminals before protocol 1.2 ask."""

    # ------------------------------------------------------------------ transport
    @property
    def auth(self) -> dict[str, str]:
        return {**HEADERS, "Authorization": f"Bearer {self.terminal_id}.{self.secret}"}

    def enroll(self, code: str) -> httpx.Response:
        r = self.http.post("/v1/enroll", headers=HEADERS, json={
            "code": code, "credential_sha256": hashlib.sha256(self.secret.encode()).hexdigest(),
            "device_name": "test", "app_version": "test"})
        if r.status_code == 200:
            body = r.json()
            self.terminal_id = body["terminal_id"]
            self.snapshot = body["snapshot"]
        return r

    def upload(self, records: list[dict[str, Any]], batch_id: str | None = None) -> httpx.Response:
        return self.http.post("/v1/upload", headers=self.auth,
                              json={"batch_id": batch_id or str(uuid.uuid4()), "records": records})

    def upload_ok(self, records: list[dict[str, Any]], batch_id: str | None = None) -> dict[str, Any]:
        r = self.upload(records, batch_id)
        assert r.status_code == 200, r.text
        return r.json()

    def pull(self, cursor: int | None = None, limit: int = 500) -> dict[str, Any]:
        params: dict[str, Any] = {"cursor": self.cursor if cursor is None else cursor, "limit": limit}
        if self.scope is not None:
            params["scope"] = self.scope
        r = self.http.get("/v1/changes", headers=self.auth, params=params)
        assert r.status_code == 200, r.text
        return r.json()

    def pull_pages(self, limit: int = 500) -> list[list[dict[str, Any]]]:
        """Every page from the cursor to the head of the feed, asking ``limit`` changes a page."""
        pages: list[list[dict[str, Any]]] = []
        while True:
            page = self.pull(limit=limit)
            pages.append(page["changes"])
            self.cursor = page["next_cursor"]
            if not page["has_more"]:
                return pages

    def pull_all(self, limit: int = 500) -> list[dict[str, Any]]:
        return [change for page in self.pull_pages(limit) for change in page]

    def sync(self, records: list[dict[str, Any]] | None = None, pull: bool = True,
             heartbeat: dict[str, Any] | None = None, flags: bool = True, batch_id: str | None = None,
             limit: int = 500) -> httpx.Response:
        """One ``POST /v1/sync`` (protocol 1.3), a real counter's round: ``records`` as one upload batch (none: no
        upload), the first page of the feed from the cursor (``pull``), ``heartbeat``, the branch's ``flags``. A
        200 with a page moves the cursor to its ``next_cursor``, as a counter applies it."""
        body: dict[str, Any] = {
            "upload": {"batch_id": batch_id or str(uuid.uuid4()), "records": records} if records else None,
            "pull": {"cursor": self.cursor, "limit": limit, "scope": self.scope or "chain"} if pull else None,
            "heartbeat": heartbeat, "flags": flags}
        r = self.http.post("/v1/sync", headers=self.auth, json=body)
        if r.status_code == 200 and pull:
            self.cursor = r.json()["changes"]["next_cursor"]
        return r

    def follow(self, **by: str) -> httpx.Response:
        return self.http.post("/v1/members/follow", headers=self.auth, json=by)

    def reserve(self, member_id: str, points: int, reservation_id: str | None = None,
                ttl: int = 120, reward_code: str | None = None) -> httpx.Response:
        return self.http.post("/v1/reservations", headers=self.auth, json={
            "reservation_id": reservation_id or str(uuid6.uuid7()), "member_id": member_id, "points": points,
            "ttl_seconds": ttl, "reward_code": reward_code})

    # ------------------------------------------------------------------ records (what the ledger would write)
    def _next(self) -> int:
        self.seq += 1
        return self.seq

    def member(self, phone: str | None = None, name: str = "สมศรี ทดสอบ") -> dict[str, Any]:
        wire: dict[str, Any] = {
            "id": str(uuid6.uuid7()), "card_no": new_card_no(), "name": name,
            "phone": phone if phone is not None else new_phone(), "tier": "member", "consent": True,
            "created_at": now_iso(), "terminal_id": self.terminal_id}
        wire["content_hash"] = p.content_hash(wire)
        record = {"seq": self._next(), "type": "member", "entry": None, "member": wire}
        self.outbox.append(record)
        return record

    def entry(self, member_id: str, kind: str, points: int, **fields: Any) -> dict[str, Any]:
        seq = self._next()
        values: dict[str, Any] = {"id": str(uuid6.uuid7()), "terminal_id": self.terminal_id, "seq": seq,
                                  "member_id": member_id, "kind": kind, "points": points, "sale_at": now_iso(),
                                  "clock_offset_ms": self.clock_offset_ms, "operator_id": "cashier1"}
        wire = records.entry_record(**(values | fields))
        record = {"seq": seq, "type": "entry", "entry": wire, "member": None}
        self.outbox.append(record)
        return record

    def earn(self, member_id: str, amount_satang: int, points: int | None = None, tier: str = "member",
             **fields: Any) -> dict[str, Any]:
        if points is None:
            points = amount_satang // 2500  # default rules v1: 25 baht a point
        values: dict[str, Any] = {"amount_satang": amount_satang, "rules_version": 1, "tier_code": tier,
                                  "receipt_ref": f"R{self.seq + 1}"}
        return self.entry(member_id, "earn", points, **(values | fields))

    def redeem(self, member_id: str, points: int, offline: bool = True, reward_code: str | None = None,
               **fields: Any) -> dict[str, Any]:
        return self.entry(member_id, "redeem", -points, offline=offline, reward_code=reward_code, **fields)
