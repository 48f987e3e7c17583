"""The store manager's back office reads (beside the reports of :mod:`pos_app.services.reports`): the flags sync
raised for this branch, with acknowledge, and the approvals log.

Flags are head office's: the sync client fetches the open flags of the terminal's branch after each round
(``GET /v1/flags``) and keeps them as the server sent them; this terminal's own quarantined records (kept from
the upload answers) are listed too, so a manager sees them even before a server that lacks ``/v1/flags`` is
upgraded. *Acknowledge* records here, once, which manager saw a flag and when; *resolving* a flag (and giving a
member their offline allowance back after an overdraft) stays head office's, in the console.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pos_app.core.i18n import _
from pos_app.services.errors import NotFound
from pos_app.services.staff import StaffView, require_role

if TYPE_CHECKING:
    from pos_app.services.terminal import Services

MAX_APPROVALS = 500


@dataclass(frozen=True)
class BranchFlag:
    key: str                     # "flag:<server id>" or "quarantined:<record id>": what acknowledge names
    kind: str                    # the server's flag kind (overdraft, points_mismatch, quarantined, ...)
    member_id: str | None
    member_name: str | None      # when this terminal knows the member
    terminal_id: str | None
    entry_id: str | None
    details: dict[str, Any]
    raised_at_ms: int | None
    this_terminal: bool          # raised on this terminal's records
    acknowledged_by: str | None  # the manager's name
    acknowledged_at_ms: int | None


@dataclass(frozen=True)
class BranchFlags:
    flags: list[BranchFlag]      # not acknowledged first, then newest first
    fetched_at_ms: int | None    # when the last sync round brought them (None: never)
    truncated: bool              # the server had more open flags than it sends


@dataclass(frozen=True)
class ApprovalLine:
    """An operation of this counter a manager approved (``entry_id``), or an approval refused (``entry_id`` None:
    a wrong manager PIN, a manager approving their own operation)."""

    at_ms: int
    what: str                    # earn, redeem, reverse (a return or void: see ``reason``), adjust; or the event
    reason: str | None           # "void", "return", the adjustment's reason; the refused event's purpose
    operator_name: str | None
    approver_name: str | None
    member_name: str | None
    points: int | None
    amount_satang: int | None
    reward_code: str | None
    entry_id: str | None
    refused: bool


def _ms(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return None


def branch_flags(services: Services) -> BranchFlags:
    """The open flags of this branch as the last sync brought them, and this terminal's quarantined records."""
    def run() -> BranchFlags:
        ledger = services.ledger
        with ledger.read() as conn:
            held = json.loads(ledger.get_meta(conn, "sync_branch_flags") or "{}")
            quarantined = json.loads(ledger.get_meta(conn, "sync_quarantined") or "[]")
            acks = ledger.flag_acks(conn)
            names = ledger.staff_names(conn)
            me = ledger.terminal_id
            raw = list(held.get("flags", []))
            member_ids = {f.get("member_id") for f in raw if f.get("member_id")}
            members = {m: ledger.get_member(conn, m) for m in member_ids}
        flags = []
        seen_entries = set()
        for f in raw:
            key = f"flag:{f['id']}"
            ack = acks.get(key)
            member = members.get(f.get("member_id"))
            seen_entries.add(f.get("entry_id"))
            flags.append(BranchFlag(
                key=key, kind=str(f["kind"]), member_id=f.get("member_id"),
                member_name=member.name if member is not None else None, terminal_id=f.get("terminal_id"),
                entry_id=f.get("entry_id"), details=dict(f.get("details") or {}), raised_at_ms=_ms(f.get("created_at")),
                this_terminal=f.get("terminal_id") == me, acknowledged_by=names.get(ack[0], ack[0]) if ack else None,
                acknowledged_at_ms=ack[1] if ack else None))
        for q in quarantined:
            if q.get("id") in seen_entries:
                continue  # the server's own "quarantined" flag says it already
            key = f"quarantined:{q['id']}"
            ack = acks.get(key)
            flags.append(BranchFlag(
                key=key, kind="quarantined", member_id=None, member_name=None, terminal_id=me, entry_id=q.get("id"),
                details={"code": q.get("code"), "reason": q.get("reason"), "seq": q.get("seq")}, raised_at_ms=None,
                this_terminal=True, acknowledged_by=names.get(ack[0], ack[0]) if ack else None,
                acknowledged_at_ms=ack[1] if ack else None))
        flags.sort(key=lambda x: (x.acknowledged_by is not None, -(x.raised_at_ms or 0)))
        at = held.get("at_ms")
        return BranchFlags(flags=flags, fetched_at_ms=int(at) if at is not None else None,
                           truncated=bool(held.get("truncated")))

    result: BranchFlags = services._call(run)
    return result


def acknowledge_flag(services: Services, key: str, by: StaffView) -> BranchFlags:
    """A manager acknowledges flag ``key`` (seen at the store; head office still resolves it). Acknowledging
    twice keeps the first acknowledgement. Returns the flags as they are now."""
    require_role(by, "manager")
    known = {f.key for f in branch_flags(services).flags}
    if key not in known:
        raise NotFound(_("No flag {key} here: it may have been resolved since.").format(key=key), code="unknown_flag")

    def run() -> None:
        with services.ledger.write() as conn:
            services.ledger.acknowledge_flag(conn, key, by.id, services.clock())

    services._call(run)
    return branch_flags(services)


def approvals_log(services: Services, date_from: str, date_to: str, limit: int = MAX_APPROVALS) -> list[ApprovalLine]:
    """What managers approved at this counter from ``date_from`` to ``date_to`` (Bangkok days), and the
    approvals refused (a wrong manager PIN, approving one's own operation), newest first."""
    from pos_app.services.reports import _range_bounds

    start, end = _range_bounds(services, date_from, date_to, "cashier")

    def run() -> list[ApprovalLine]:
        ledger = services.ledger
        with ledger.read() as conn:
            names = ledger.staff_names(conn)
            rows = ledger.approvals_log(conn, start, end, limit)
            audit = [a for a in ledger.audit_since(conn, start, limit=5000) if a.at_ms < end]
        out = [ApprovalLine(
            at_ms=int(at), what=kind, reason=reason, operator_name=names.get(op, op) if op else None,
            approver_name=names.get(by, by), member_name=member, points=int(points), amount_satang=amount,
            reward_code=reward, entry_id=entry_id, refused=False)
            for entry_id, kind, at, op, by, member, points, amount, reward, reason, _corrects in rows]
        for a in audit:
            refused = a.event == "self_approval_refused" or (a.event in ("pin_failed", "pin_lockout")
                                                             and a.purpose == "approval")
            if not refused:
                continue
            operator = a.details.get("operator_id")
            out.append(ApprovalLine(
                at_ms=a.at_ms, what=a.event, reason=str(a.details.get("operation") or "") or None,
                operator_name=names.get(operator, operator) if operator else None,
                approver_name=names.get(a.staff_id, a.staff_id) if a.staff_id else None, member_name=None,
                points=None, amount_satang=None, reward_code=None, entry_id=None, refused=True))
        out.sort(key=lambda x: -x.at_ms)
        return out[:limit]

    result: list[ApprovalLine] = services._call(run)
    return result


__all__ = ["ApprovalLine", "BranchFlag", "BranchFlags", "acknowledge_flag", "approvals_log", "branch_flags"]
