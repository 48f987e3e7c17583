"""The sync client's outbox store over the terminal's SQLite ledger (``sync.client.store.OutboxStore``).

Meta keys written here (read by ``doctor``, the status line and the offline-allowance guard):
``mode`` (standalone|enrolled), ``server_url``, ``branch_id``, ``acked_seq``, ``pull_cursor``, ``sync_batch``
(the pending upload batch as JSON), ``last_sync_ok_ms``, ``last_sync_error``, ``clock_offset_ms``,
``offline_policy`` (JSON), ``sync_quarantined`` (JSON list of this terminal's records the server quarantined),
``sync_branch_flags`` (JSON: the open flags of the branch as the last round fetched them, ``truncated``, ``at_ms``),
``pull_scope`` (the feed the cursor was built with: ``chain`` when absent, or ``branch``), ``restore_pending`` (set by ``pos-terminal restore`` on an enrolled terminal until the sync client got back the
terminal's own records from the server), ``allowance_base_seq`` (offline redemptions with a higher seq count against the
allowance: those not yet confirmed by a complete successful sync), ``rules_version``.

This module must not import ``sync`` (the ledger sits below it): it works on plain wire dicts and returns
objects with the attributes of ``sync.client.store.SyncState`` / ``PendingBatch``.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos_app.core.i18n import _
from pos_app.ledger.canonical import iso_to_ms
from pos_app.ledger.repository import RESTORE_PENDING, Ledger, staff_scope

CREDENTIAL_FILENAME = "sync-credential.json"
QUARANTINE_KEPT = 100
OVERDRAFT_FLAG = "overdraft"
"""``members.flagged`` value mirrored from the server's ``offline_redeem_blocked``."""


@dataclass(frozen=True)
class Batch:
    batch_id: str
    first_seq: int
    last_seq: int


@dataclass(frozen=True)
class State:
    terminal_id: str
    mode: str
    server_url: str | None
    branch_id: str | None
    acked_seq: int
    cursor: int
    batch: Batch | None
    last_sync_ok_ms: int | None
    last_sync_error: str | None
    clock_offset_ms: int
    restore_pending: bool = False


def _int(value: str | None, default: int = 0) -> int:
    return int(value) if value not in (None, "") else default


def _flag_text(blocked: bool) -> str | None:
    return _("overdraft after offline redemptions: no offline redemption until a manager resolves it") \
        if blocked else None


_PULL_LOCKS_GUARD = threading.Lock()


class LedgerSyncStore:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    @property
    def pull_lock(self) -> threading.Lock:
        """One lock per open ledger for pulling into it: the background sync and the counter's pull after following
        a member use two clients on one ledger, and a cursor (and the scope it was built with) is read, advanced
        page by page and stored by one pull at a time, never interleaved with another's pages."""
        with _PULL_LOCKS_GUARD:
            lock: threading.Lock | None = getattr(self.ledger, "_pull_lock", None)
            if lock is None:
                lock = threading.Lock()
                self.ledger._pull_lock = lock  # type: ignore[attr-defined]
            return lock

    # ------------------------------------------------------------------ reads
    def state(self) -> State:
        with self.ledger.read() as conn:
            meta = self.ledger.all_meta(conn)
        batch = None
        if meta.get("sync_batch"):
            raw = json.loads(meta["sync_batch"])
            batch = Batch(raw["batch_id"], int(raw["first_seq"]), int(raw["last_seq"]))
        last_ok = meta.get("last_sync_ok_ms")
        return State(
            terminal_id=meta["terminal_id"], mode=meta.get("mode", "standalone"), server_url=meta.get("server_url"),
            branch_id=meta.get("branch_id"), acked_seq=_int(meta.get("acked_seq")),
            cursor=_int(meta.get("pull_cursor")), batch=batch,
            last_sync_ok_ms=int(last_ok) if last_ok else None,
            last_sync_error=meta.get("last_sync_error") or None,
            clock_offset_ms=_int(meta.get("clock_offset_ms")),
            restore_pending=bool(meta.get(RESTORE_PENDING)),
        )

    def credential_path(self) -> Path:
        return self.ledger.path.parent / CREDENTIAL_FILENAME

    def has_local_records(self) -> bool:
        with self.ledger.read() as conn:
            return self.ledger.sync_max_seq(conn) > 0

    def local_max_seq(self) -> int:
        with self.ledger.read() as conn:
            return self.ledger.sync_max_seq(conn)

    def records_after(self, seq: int, limit: int) -> list[dict[str, Any]]:
        with self.ledger.read() as conn:
            return self.ledger.outbox_after(conn, seq, limit)

    def queued_count(self) -> int:
        with self.ledger.read() as conn:
            return self.ledger.outbox_count_after(conn, _int(self.ledger.get_meta(conn, "acked_seq")))

    # ------------------------------------------------------------------ upload bookkeeping
    def begin_batch(self, batch: Any) -> None:  # any object with batch_id, first_seq, last_seq
        with self.ledger.write() as conn:
            self.ledger.set_meta(conn, "sync_batch", json.dumps(
                {"batch_id": batch.batch_id, "first_seq": batch.first_seq, "last_seq": batch.last_seq}))

    def record_quarantined(self, records: list[dict[str, Any]]) -> None:
        with self.ledger.write() as conn:
            held = json.loads(self.ledger.get_meta(conn, "sync_quarantined") or "[]")
            known = {r["id"] for r in held}
            held += [r for r in records if r["id"] not in known]
            self.ledger.set_meta(conn, "sync_quarantined", json.dumps(held[-QUARANTINE_KEPT:], ensure_ascii=False))

    def replace_branch_flags(self, flags: list[dict[str, Any]], truncated: bool, now_ms: int) -> None:
        with self.ledger.write() as conn:
            self.ledger.set_meta(conn, "sync_branch_flags", json.dumps(
                {"flags": flags, "truncated": truncated, "at_ms": now_ms}, ensure_ascii=False))

    def quarantined(self) -> list[dict[str, Any]]:
        """The records of this terminal the server quarantined (newest last; the last QUARANTINE_KEPT)."""
        with self.ledger.read() as conn:
            return list(json.loads(self.ledger.get_meta(conn, "sync_quarantined") or "[]"))

    def acknowledge(self, ack_seq: int) -> None:
        with self.ledger.write() as conn:
            self.ledger.set_meta(conn, "acked_seq", str(int(ack_seq)))
            self.ledger.set_meta(conn, "sync_batch", "")

    # ------------------------------------------------------------------ recovery after a restore
    def adopt_own_records(self, records: list[dict[str, Any]], members: list[dict[str, Any]], ack_seq: int,
                          last_page: bool) -> int:
        ledger = self.ledger
        with ledger.write() as conn:
            for member in members:
                self._apply_member(conn, member)
            added = ledger.sync_restore_own_records(conn, records)
            acked = min(int(ack_seq), ledger.sync_max_seq(conn))
            ledger.set_meta(conn, "acked_seq", str(acked))
            batch = ledger.get_meta(conn, "sync_batch")
            if batch and int(json.loads(batch)["last_seq"]) <= acked:
                ledger.set_meta(conn, "sync_batch", "")
            if last_page:
                ledger.set_meta(conn, RESTORE_PENDING, "")
        if any(m.get("erased") for m in members) or any(r["type"] == "member" and not r["member"]["name"]
                                                        for r in records):
            ledger.checkpoint_truncate()
        return added

    # ------------------------------------------------------------------ results
    def record_sync(self, *, ok: bool, now_ms: int, error: str | None, clock_offset_ms: int | None) -> None:
        with self.ledger.write() as conn:
            if clock_offset_ms is not None:
                self.ledger.set_meta(conn, "clock_offset_ms", str(int(clock_offset_ms)))
            if ok:
                self.ledger.set_meta(conn, "last_sync_ok_ms", str(int(now_ms)))
                self.ledger.set_meta(conn, "last_sync_error", "")
                self.ledger.set_meta(conn, "allowance_base_seq", self.ledger.get_meta(conn, "acked_seq") or "0")
            else:
                self.ledger.set_meta(conn, "last_sync_error", (error or "")[:500])
                self.ledger.set_meta(conn, "last_sync_error_ms", str(int(now_ms)))

    # ------------------------------------------------------------------ enrollment
    def holds_demo_data(self) -> bool:
        with self.ledger.read() as conn:
            return bool(conn.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM staff WHERE demo) OR EXISTS "
                                             "(SELECT 1 FROM signing_keys WHERE key_id = 'DEMO1')").scalar_one())

    def joined_elsewhere(self) -> str | None:
        with self.ledger.read() as conn:
            meta = self.ledger.all_meta(conn)
            if meta.get("server_url") or meta.get("branch_id") or meta.get("enrolled_at_ms"):
                return _("this ledger was enrolled with {url} before").format(
                    url=meta.get("server_url") or meta.get("branch_id") or "?")
            if self.ledger.sync_has_remote_rows(conn):
                return _("this ledger holds members or entries that came from a loyalty server")
        return None

    def adopt_enrollment(self, *, terminal_id: str, server_url: str, snapshot: dict[str, Any], cursor: int,
                         now_ms: int, clock_offset_ms: int, takeover_seq: int = 0,
                         certificate: str | None = None) -> None:
        ledger = self.ledger
        with ledger.write() as conn:
            if takeover_seq:  # a standalone terminal joins with its records: it keeps its id (they carry it)
                if terminal_id != ledger.terminal_id or ledger.sync_max_seq(conn) < takeover_seq:
                    raise ValueError("the server answered for another terminal")
            else:
                ledger.sync_adopt_terminal_id(conn, terminal_id)
            ledger.set_meta(conn, "server_url", server_url)
            ledger.set_meta(conn, "branch_id", snapshot["branch"]["id"])
            ledger.set_meta(conn, "branch_name", snapshot["branch"]["name"])
            for rules in snapshot["rules"]:
                self._apply_rules(conn, rules)
            for reward in snapshot["rewards"]:
                self._apply_reward(conn, reward)
            for staff in snapshot["staff"]:
                self._apply_staff(conn, staff)
            self._apply_policy(conn, snapshot["policy"])
            for key in snapshot["public_keys"]:
                self._apply_key(conn, key)
            ledger.set_meta(conn, "pull_cursor", str(int(cursor)))
            ledger.set_meta(conn, "acked_seq", "0")
            # the standalone terminal's own redemptions are not offline redemptions against the chain's allowance
            ledger.set_meta(conn, "allowance_base_seq", str(int(takeover_seq)))
            if takeover_seq:
                ledger.set_meta(conn, "takeover_seq", str(int(takeover_seq)))
            if certificate:
                ledger.set_meta(conn, "terminal_certificate", certificate)
            ledger.set_meta(conn, "sync_batch", "")
            ledger.set_meta(conn, "last_sync_ok_ms", str(int(now_ms)))
            ledger.set_meta(conn, "last_sync_error", "")
            ledger.set_meta(conn, "clock_offset_ms", str(int(clock_offset_ms)))
            ledger.set_meta(conn, "enrolled_at_ms", str(now_ms))
            ledger.set_meta(conn, "mode", "enrolled")

    # ------------------------------------------------------------------ pull
    def apply_changes(self, changes: list[dict[str, Any]], next_cursor: int) -> None:
        ledger = self.ledger
        with ledger.write() as conn:
            # Members first: member rows are state (no points), and a page may list a member after the
            # entries that refer to it (its change id is newer than theirs).
            for change in changes:
                if change["type"] == "member":
                    self._apply_member(conn, change["member"])
            for change in changes:
                kind = change["type"]
                if kind == "member":
                    continue
                if kind == "entry":
                    entry = change["entry"]
                    if entry["terminal_id"] != ledger.terminal_id:
                        ledger.insert_remote_entry(conn, entry)
                elif kind == "rules":
                    self._apply_rules(conn, change["rules"])
                elif kind == "reward":
                    self._apply_reward(conn, change["reward"])
                elif kind == "staff":
                    self._apply_staff(conn, change["staff"])
                elif kind == "policy":
                    self._apply_policy(conn, change["policy"])
                elif kind == "public_key":
                    self._apply_key(conn, change["public_key"])
            ledger.set_meta(conn, "pull_cursor", str(int(next_cursor)))
        if any(change["type"] == "member" and change["member"].get("erased") for change in changes):
            ledger.checkpoint_truncate()  # the erased name and phone leave the WAL too (docs/privacy.md)

    def feed_scope(self) -> tuple[str, str]:
        with self.ledger.read() as conn:
            meta = self.ledger.all_meta(conn)
        policy = json.loads(meta["offline_policy"]) if meta.get("offline_policy") else {}
        wanted = "branch" if policy.get("feed_scope") == "branch" else "chain"
        return wanted, meta.get("pull_scope") or "chain"

    def set_feed_scope(self, scope: str, reset_cursor: bool) -> None:
        with self.ledger.write() as conn:
            self.ledger.set_meta(conn, "pull_scope", scope)
            if reset_cursor:
                self.ledger.set_meta(conn, "pull_cursor", "0")

    def _apply_member(self, conn: Any, m: dict[str, Any]) -> None:
        self.ledger.sync_upsert_member(
            conn, member_id=m["id"], card_no=m["card_no"], name=m["name"], phone=m["phone"], tier=m["tier"] or "member",
            consent=bool(m["consent"]), created_at_ms=iso_to_ms(m["created_at"]) if m["created_at"] else self.ledger.clock(),
            terminal_id=m["terminal_id"] or "server", member_code=m["member_code"],
            flagged=_flag_text(bool(m["offline_redeem_blocked"])), erased=bool(m.get("erased")),
            marketing_consent=m.get("marketing_consent"))

    def _apply_rules(self, conn: Any, rules: dict[str, Any]) -> None:
        self.ledger.sync_replace_rules(conn, int(rules["version"]), rules["bundle_json"])
        if rules["active"]:
            self.ledger.set_meta(conn, "rules_version", str(int(rules["version"])))

    def _apply_reward(self, conn: Any, r: dict[str, Any]) -> None:
        self.ledger.upsert_reward(conn, code=r["code"], name_th=r["name_th"], name_en=r["name_en"],
                                  points_cost=int(r["points_cost"]), stock=r["stock"], active=bool(r["active"]),
                                  voucher_benefit=_voucher_benefit(r.get("voucher_benefit")),
                                  voucher_valid_days=r.get("voucher_valid_days"))

    def _apply_staff(self, conn: Any, s: dict[str, Any]) -> None:
        """A staff member from head office. ``active`` false disables them here (sign-in and approval refuse
        them); a newer ``unlocked_at`` lifts their PIN lockouts on this terminal (audited)."""
        ledger = self.ledger
        ledger.upsert_staff(conn, staff_id=s["id"], name=s["name"], role=s["role"], pin_hash=s["pin_hash"],
                            active=bool(s["active"]), origin="server")
        unlocked = s.get("unlocked_at")
        if unlocked:
            at = iso_to_ms(unlocked)
            row = ledger.get_staff(conn, s["id"])
            if row is not None and (row.unlocked_at_ms or 0) < at:
                before = [g for g in ledger.guard_rows(conn)
                          if g.scope == staff_scope(s["id"]) and g.last_failure_at_ms <= at]
                for cleared in (c for g in before for c in ledger.guard_clear(conn, g.scope, g.purpose)):
                    ledger.append_audit(conn, event="pin_unlocked", at_ms=self.ledger.clock(), staff_id=s["id"],
                                        purpose=cleared.purpose,
                                        details={"scope": "staff", "by": "head office", "failures": cleared.failures,
                                                 "was_locked": cleared.locked_at_ms is not None})
                ledger.set_staff_unlocked_at(conn, s["id"], at)

    def _apply_policy(self, conn: Any, policy: dict[str, Any]) -> None:
        self.ledger.set_meta(conn, "offline_policy", json.dumps(policy, sort_keys=True))

    def _apply_key(self, conn: Any, key: dict[str, Any]) -> None:
        raw = base64.b64decode(key["public_key_b64"])
        self.ledger.put_signing_key(conn, key["key_id"], raw, "revoked" if key["revoked"] else "active")


def offline_usage(ledger: Ledger, conn: Any, member_id: str) -> tuple[dict[str, Any] | None, int, int, int | None]:
    """(policy dict or None, member's and terminal's offline redemptions since the last successful sync,
    last_sync_ok_ms) read inside the caller's transaction."""
    meta = ledger.all_meta(conn)
    base = _int(meta.get("allowance_base_seq"))
    policy = json.loads(meta["offline_policy"]) if meta.get("offline_policy") else None
    last_ok = meta.get("last_sync_ok_ms")
    return (policy, ledger.sync_offline_redeemed(conn, base, member_id), ledger.sync_offline_redeemed(conn, base),
            int(last_ok) if last_ok else None)


def _voucher_benefit(text: Any) -> str | None:
    """The pulled voucher benefit of a reward, kept only if this terminal can read it; one it cannot read still
    marks the reward a voucher (an ordinary redemption of it stays refused), as ``"?"``."""
    if text is None:
        return None
    from pos_app.core.vouchers import VoucherError, parse_benefit

    try:
        return parse_benefit(str(text)).encode()
    except (VoucherError, ValueError):
        return "?"
