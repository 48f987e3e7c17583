"""Void: a cashier takes back a mistaken award, redemption or adjustment made at this counter a few minutes ago,
with a manager's approval.

Nothing is deleted (the ledger is append-only): a void appends one compensating ``reverse`` entry that names the
entry it voids (``corrects_id``) and gives back exactly what that entry moved, with ``reason = "void"``. It is an
existing record kind, so sync and the server need nothing new: the server checks a reverse against the entry it
corrects (same member, opposite sign, never more than the entry), and a void of an award carries the award's
whole amount, so the server's return rule expects the whole award back, which is what a void takes.

A void is refused, each with its own code, when:

* ``not_found``: no such entry on this terminal;
* ``not_voidable``: not an award, a redemption or an adjustment made at this counter (returns, expiry, entries
  from the server or another terminal, voids themselves);
* ``already_voided`` / ``already_returned``: something already corrects the entry (a void, a return, ...);
* ``void_window_passed``: it was recorded longer ago than the window (``[terminal] void_window_minutes`` of
  terminal.toml, 10 minutes by default);
* ``nothing_to_void``: it moved no points (a sale below the points threshold);
* ``points_already_spent``: taking the points back would leave the member below zero (void the later
  redemption first);
* ``approval_required`` and the PIN refusals of every approval.

Retried with the same operation id, a void answers as the first time and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pos_app.core.i18n import _
from pos_app.ledger.repository import EntryRow, NewEntry
from pos_app.services.errors import Conflict, NotAllowed, NotFound
from pos_app.services.staff import Approval

if TYPE_CHECKING:
    from pos_app.services.base import ServicesBase as Services

VOIDABLE_KINDS = ("earn", "redeem", "adjust")
VOID_REASON = "void"
DEFAULT_VOID_WINDOW_MINUTES = 10


@dataclass(frozen=True)
class Voidable:
    """An operation of this counter that can still be voided now."""

    entry_id: str
    kind: str                    # earn (an award), redeem or adjust
    member_id: str
    member_name: str
    points: int                  # what the entry moved (+ earned / - redeemed / either for an adjustment)
    amount_satang: int | None    # the sale of an award, the discount of a points redemption
    receipt_ref: str | None
    reward_code: str | None
    operator_id: str | None
    recorded_at_ms: int
    void_until_ms: int           # after this instant the void is refused (void_window_passed)


@dataclass(frozen=True)
class VoidResult:
    op_id: str
    entry_id: str                # the compensating reverse entry
    voided_entry_id: str
    kind: str                    # the kind of the voided entry
    member_id: str
    points: int                  # the change the void made to the balance (the opposite of the voided entry)
    balance_before: int
    balance_after: int
    approved_by: str
    replayed: bool = False


def _window_ms(services: Services) -> int:
    return int(services.void_window_ms)


def _refusal(services: Services, conn: Any, entry: EntryRow | None, entry_id: str, now_ms: int) -> Exception | None:
    """Why ``entry`` cannot be voided now (None: it can)."""
    if entry is None:
        return NotFound(_("No entry {entry_id} on this terminal.").format(entry_id=entry_id), code="not_found")
    if entry.kind not in VOIDABLE_KINDS or entry.origin != "local" or entry.op_id is None:
        return NotAllowed(_("Only an award, a redemption or an adjustment made at this counter can be voided; "
                            "for a return use 'return'."), code="not_voidable")
    corrections = services.ledger.entries_correcting(conn, [entry.id])
    if any(c.reason == VOID_REASON for c in corrections):
        return Conflict(_("Entry {entry_id} was already voided.").format(entry_id=entry.id), code="already_voided")
    if corrections:
        return Conflict(_("Entry {entry_id} was already returned or corrected: it cannot be voided.").format(
            entry_id=entry.id), code="already_returned")
    window = _window_ms(services)
    if now_ms - entry.recorded_at_ms > window:
        return NotAllowed(_("Too late to void: an operation can be voided within {minutes} minutes; ask a manager "
                            "for an adjustment or a return.").format(minutes=window // 60_000),
                          code="void_window_passed")
    if entry.points == 0:
        return NotAllowed(_("Entry {entry_id} moved no points: there is nothing to void.").format(entry_id=entry.id),
                          code="nothing_to_void")
    return None


def voidable(services: Services, member_id: str | None = None) -> list[Voidable]:
    """What this counter may void now, newest first (optionally one member's)."""
    def run() -> list[Voidable]:
        now = services.clock()
        with services.ledger.read() as conn:
            rows = services.ledger.recent_local_entries(conn, now - _window_ms(services), VOIDABLE_KINDS)
            out = []
            names: dict[str, str] = {}
            for e in rows:
                if member_id is not None and e.member_id != member_id:
                    continue
                if _refusal(services, conn, e, e.id, now) is not None:
                    continue
                if e.member_id not in names:
                    member = services.ledger.get_member(conn, e.member_id)
                    names[e.member_id] = member.name if member else ""
                out.append(Voidable(
                    entry_id=e.id, kind=e.kind, member_id=e.member_id, member_name=names[e.member_id],
                    points=e.points, amount_satang=e.amount_satang, receipt_ref=e.receipt_ref,
                    reward_code=e.reward_code, operator_id=e.operator_id, recorded_at_ms=e.recorded_at_ms,
                    void_until_ms=e.recorded_at_ms + _window_ms(services)))
            return out

    result: list[Voidable] = services._call(run)
    return result


def void(services: Services, *, entry_id: str, operator_id: str, approval: Approval | None = None,
         op_id: str | None = None) -> VoidResult:
    """Void entry ``entry_id`` (see the module's docstring for what is refused); one transaction."""
    entry_id = entry_id.strip()
    op_id = op_id or services.ledger.new_id()
    request = {"entry_id": entry_id, "operator_id": operator_id}

    def run(conn: Any) -> VoidResult:
        ledger = services.ledger
        now = services.clock()
        entry = ledger.get_entry(conn, entry_id)
        refusal = _refusal(services, conn, entry, entry_id, now)
        if refusal is not None:
            raise refusal
        assert entry is not None
        member = services._member(conn, entry.member_id, erased_ok=True)
        back = -entry.points
        if member.points + back < 0:
            raise NotAllowed(_("{name} has already spent these points: void the later redemption first.").format(
                name=member.name), code="points_already_spent",
                log_message=f"member {member.id} has already spent these points")
        approver = services._approve(conn, approval, _("a void"), operation="void", operator_id=operator_id,
                                     op_id=op_id)
        reverse = ledger.append_entry(conn, NewEntry(
            member_id=entry.member_id, kind="reverse", points=back, sale_at_ms=now, operator_id=operator_id,
            # an award's void carries the award's whole amount: the server's return rule then expects it all back
            amount_satang=entry.amount_satang if entry.kind == "earn" else None,
            # and, paid in another currency, the whole of it at the sale's rate (the server checks the share)
            **({"currency": entry.currency, "amount_minor": entry.amount_minor, "fx_rate": entry.fx_rate}
               if entry.kind == "earn" and entry.currency else {}),
            receipt_ref=entry.receipt_ref, reward_code=entry.reward_code, corrects_id=entry.id,
            rules_version=entry.rules_version, approved_by=approver.id, reason=VOID_REASON, op_id=op_id,
            clock_offset_ms=services._clock_offset(conn)))
        if entry.kind == "redeem" and entry.reward_code:
            ledger.give_back_reward_stock(conn, entry.reward_code)
        if entry.kind == "earn":
            rules = services.active_rules(conn)
            services._retier(conn, member, rules, now)
        return VoidResult(op_id=op_id, entry_id=reverse.id, voided_entry_id=entry.id, kind=entry.kind,
                          member_id=entry.member_id, points=back, balance_before=member.points,
                          balance_after=member.points + back, approved_by=approver.id)

    result: VoidResult = services._once("void", op_id, request, VoidResult, run)
    return result


__all__ = ["DEFAULT_VOID_WINDOW_MINUTES", "VOIDABLE_KINDS", "Voidable", "VoidResult", "void", "voidable"]
