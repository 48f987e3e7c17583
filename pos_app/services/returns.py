"""What a return would do, before it is done: the cashier sees the original award and what will be taken back
(and given back) and only then asks a manager to approve it (``Services.return_receipt`` does it).

The figures come from the same rules as the return itself (``pos_app.core.returns``) on the same ledger rows,
read in one read transaction; a typed record, never rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pos_app.core.currency import format_money, share_satang
from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.money import format_baht
from pos_app.core.returns import clawback_for_return, restore_for_refunded_redemption
from pos_app.ledger.repository import NewEntry
from pos_app.services import voids
from pos_app.services.base import ServicesBase, _check_points, _checked
from pos_app.services.errors import Conflict, InvalidInput, NotFound
from pos_app.services.staff import Approval
from pos_app.services.voids import VOID_REASON, Voidable, VoidResult

if TYPE_CHECKING:
    from pos_app.services.terminal import Services


@dataclass(frozen=True)
class ReturnPreview:
    receipt_ref: str
    member_id: str
    member_name: str
    sale_at_ms: int
    original_satang: int          # the bill the points were earned on
    points_earned: int
    refunded_before_satang: int   # earlier (partial) returns on this receipt
    remaining_satang: int         # what can still be returned
    refund_satang: int            # what this return refunds (all that remains unless a part was asked)
    points_to_take_back: int
    points_to_give_back: int      # redeemed on this receipt, restored when the whole receipt is returned
    balance_now: int
    currency: str | None = None   # paid in another currency: the amounts in it (minor units) beside the THB ones
    remaining_minor: int | None = None
    refund_minor: int | None = None
    original_minor: int | None = None  # the sale in its currency
    fx_rate: str | None = None         # the sale's rate: refunds are converted at it, never at today's

    @property
    def refunded_before_minor(self) -> int | None:
        """Earlier (partial) returns on this receipt, in its currency."""
        if self.original_minor is None or self.remaining_minor is None:
            return None
        return self.original_minor - self.remaining_minor

    @property
    def balance_after(self) -> int:
        return self.balance_now - self.points_to_take_back + self.points_to_give_back


def preview_return(services: Services, receipt_ref: str, refund_satang: int | None = None,
                   refund_minor: int | None = None) -> ReturnPreview:
    """What ``services.return_receipt(receipt_ref=..., refund_satang=...)`` would do now (nothing is written).
    Refuses as the return itself would: an unknown receipt, one already fully returned, too large a refund."""
    receipt = services._check_receipt(receipt_ref)
    if (refund_satang is not None and refund_satang <= 0) or (refund_minor is not None and refund_minor <= 0):
        raise InvalidInput(_("The refund amount must be more than zero."))
    preview: ReturnPreview = services._call(lambda: _preview(services, receipt, refund_satang, refund_minor))
    return preview


@dataclass(frozen=True)
class ReturnPlan:
    """What a return of ``refund`` on a receipt works on: its earn, the entries on it and what corrects them,
    and the amounts (one reading for the preview and for ``Services.return_receipt``)."""

    earn: Any
    on_receipt: list[Any]
    corrections: list[Any]
    original: int
    refunded_before: int
    remaining: int
    refund: int
    refund_minor: int | None = None
    """A receipt paid in another currency (``earn.currency``): this refund in its minor units."""
    remaining_minor: int | None = None

    def redemptions_to_restore(self) -> list[Any]:
        """The receipt's redemptions not yet corrected, given back when the whole receipt is returned."""
        if self.refunded_before + self.refund != self.original:
            return []
        already = {c.corrects_id for c in self.corrections}
        return [r for r in self.on_receipt if r.kind == "redeem" and r.id not in already]


def plan_return(ledger: Any, conn: Any, receipt: str, refund_satang: int | None,
                refund_minor: int | None = None) -> ReturnPlan:
    """Read the receipt in ``conn`` and refuse as a return must: no points earned on it, already fully returned,
    more than what remains, a refund in another currency than the sale's.

    A receipt paid in another currency is refunded in that currency (``refund_minor``); the THB part of a
    refund is the same share of the sale's THB amount, taken cumulatively (``currency.share_satang``), so the
    refunds of a whole receipt add up exactly to its THB amount and the points come back as for baht."""
    on_receipt = ledger.entries_for_receipt(conn, receipt)
    corrections = ledger.entries_correcting(conn, [e.id for e in on_receipt])
    voided = {c.corrects_id for c in corrections if c.reason == VOID_REASON}
    earns = [e for e in on_receipt if e.kind == "earn"]
    if not earns:
        raise NotFound(_("No points were earned on receipt {receipt}.").format(receipt=receipt))
    # the award that stands: a voided award (typed wrong, then voided and typed again) is not returned
    earn = next((e for e in earns if e.id not in voided), earns[0])
    returns = [c for c in corrections if c.corrects_id == earn.id and c.kind == "reverse"]
    refunded_before = sum(c.amount_satang or 0 for c in returns)
    original = earn.amount_satang or 0
    remaining = original - refunded_before
    if remaining <= 0:
        raise Conflict(_("Receipt {receipt} was already fully returned.").format(receipt=receipt))
    if earn.currency is None:
        if refund_minor is not None:
            raise InvalidInput(_("Receipt {receipt} was paid in baht: give the refund in baht.").format(
                receipt=receipt))
        refund = remaining if refund_satang is None else refund_satang
        if refund > remaining:
            raise InvalidInput(_("Only {amount} of receipt {receipt} can still be returned.").format(
                amount=format_baht(remaining), receipt=receipt))
        return ReturnPlan(earn=earn, on_receipt=on_receipt, corrections=corrections, original=original,
                          refunded_before=refunded_before, remaining=remaining, refund=refund)
    if refund_satang is not None:
        raise InvalidInput(_("Receipt {receipt} was paid in {code}: give the refund in {code}.").format(
            receipt=receipt, code=earn.currency))
    total_minor = earn.amount_minor or 0
    before_minor = sum(c.amount_minor or 0 for c in returns)
    remaining_minor = total_minor - before_minor
    part = remaining_minor if refund_minor is None else refund_minor
    if part > remaining_minor:
        raise InvalidInput(_("Only {amount} of receipt {receipt} can still be returned.").format(
            amount=format_money(remaining_minor, earn.currency), receipt=receipt))
    refund = share_satang(original, total_minor, before_minor + part) - share_satang(original, total_minor,
                                                                                      before_minor)
    return ReturnPlan(earn=earn, on_receipt=on_receipt, corrections=corrections, original=original,
                      refunded_before=refunded_before, remaining=remaining, refund=refund, refund_minor=part,
                      remaining_minor=remaining_minor)


def _preview(services: Services, receipt: str, refund_satang: int | None,
             refund_minor: int | None = None) -> ReturnPreview:
    ledger = services.ledger
    with ledger.read() as conn:
        plan = plan_return(ledger, conn, receipt, refund_satang, refund_minor)
        member = ledger.get_member(conn, plan.earn.member_id)
        rules = services.active_rules(conn)
    if member is None:
        raise NotFound(_("No points were earned on receipt {receipt}.").format(receipt=receipt))
    try:
        take = clawback_for_return(plan.earn.points, plan.original, plan.refunded_before, plan.refund)
    except RuleError as exc:
        raise InvalidInput(exc.message) from exc
    give = sum(restore_for_refunded_redemption(-r.points, rules.returns) for r in plan.redemptions_to_restore())
    return ReturnPreview(receipt_ref=receipt, member_id=member.id, member_name=member.name,
                         sale_at_ms=plan.earn.sale_at_ms, original_satang=plan.original,
                         points_earned=plan.earn.points, refunded_before_satang=plan.refunded_before,
                         remaining_satang=plan.remaining, refund_satang=plan.refund, points_to_take_back=take,
                         points_to_give_back=give, balance_now=member.points, currency=plan.earn.currency,
                         remaining_minor=plan.remaining_minor, refund_minor=plan.refund_minor,
                         original_minor=plan.earn.amount_minor if plan.earn.currency else None,
                         fx_rate=plan.earn.fx_rate if plan.earn.currency else None)


@dataclass(frozen=True)
class ReturnResult:
    op_id: str
    receipt_ref: str
    member_id: str
    refund_satang: int
    points_clawed_back: int
    points_restored: int
    balance_before: int
    balance_after: int
    entry_ids: tuple[str, ...]
    replayed: bool = False
    currency: str | None = None
    """The receipt was paid in another currency: the refund in it (``refund_satang`` is its THB part)."""
    refund_minor: int | None = None


@dataclass(frozen=True)
class AdjustResult:
    op_id: str
    entry_id: str
    member_id: str
    points: int
    balance_before: int
    balance_after: int
    approved_by: str
    replayed: bool = False


class CorrectionUseCases(ServicesBase):
    # ------------------------------------------------------------------ returns
    def return_receipt(self, *, receipt_ref: str, operator_id: str, refund_satang: int | None = None,
                       approval: Approval | None = None, op_id: str | None = None,
                       refund_minor: int | None = None) -> ReturnResult:
        """A full (no refund amount) or partial return: claw back points in proportion, never twice. A receipt
        paid in another currency is refunded in it (``refund_minor``, its minor units); its THB part is the
        same share of the sale's THB amount (at the sale's rate), so the points taken back are as for baht."""
        receipt_ref = self._check_receipt(receipt_ref)
        if (refund_satang is not None and refund_satang <= 0) or (refund_minor is not None and refund_minor <= 0):
            raise InvalidInput(_("The refund amount must be more than zero."))
        op_id = op_id or self.ledger.new_id()
        request: dict[str, Any] = {"receipt_ref": receipt_ref, "refund_satang": refund_satang,
                                   "operator_id": operator_id}
        if refund_minor is not None:
            request["refund_minor"] = refund_minor

        def work(conn: Any) -> ReturnResult:
            plan = plan_return(self.ledger, conn, receipt_ref, refund_satang, refund_minor)
            earn, refund, original, refunded_before = plan.earn, plan.refund, plan.original, plan.refunded_before
            approver = self._approve(conn, approval, _("a return"), operation="return",
                                     operator_id=operator_id, op_id=op_id)
            rules = self.active_rules(conn)
            member = self._member(conn, earn.member_id, erased_ok=True)
            clawed = clawback_for_return(earn.points, original, refunded_before, refund)
            sale_ms = self.clock()
            offset = self._clock_offset(conn)
            ids: list[str] = []
            entry = self.ledger.append_entry(conn, NewEntry(
                member_id=member.id, kind="reverse", points=-clawed, sale_at_ms=sale_ms,
                operator_id=operator_id, amount_satang=refund, receipt_ref=receipt_ref, corrects_id=earn.id,
                rules_version=earn.rules_version, approved_by=approver.id,
                reason="return", op_id=op_id, clock_offset_ms=offset, currency=earn.currency,
                amount_minor=plan.refund_minor, fx_rate=earn.fx_rate))
            ids.append(entry.id)
            restored = 0
            for redemption in plan.redemptions_to_restore():
                back = restore_for_refunded_redemption(-redemption.points, rules.returns)
                if back > 0:
                    r = self.ledger.append_entry(conn, NewEntry(
                        member_id=redemption.member_id, kind="reverse", points=back, sale_at_ms=sale_ms,
                        operator_id=operator_id, receipt_ref=receipt_ref, corrects_id=redemption.id,
                        approved_by=approver.id, reason="return", op_id=op_id, clock_offset_ms=offset))
                    ids.append(r.id)
                    restored += back
            self._retier(conn, member, rules, sale_ms)
            result = ReturnResult(
                op_id=op_id, receipt_ref=receipt_ref, member_id=member.id, refund_satang=refund,
                points_clawed_back=clawed, points_restored=restored, balance_before=member.points,
                balance_after=member.points - clawed + restored, entry_ids=tuple(ids),
                currency=earn.currency, refund_minor=plan.refund_minor)
            return result

        result: ReturnResult = self._once("return", op_id, request, ReturnResult, work)
        return result

    def receipt_currency(self, receipt_ref: str) -> str | None:
        """The currency a receipt that earned points was paid in (None: baht, or no such receipt)."""
        receipt_ref = self._check_receipt(receipt_ref)

        def run() -> str | None:
            with self.ledger.read() as conn:
                earns = [e for e in self.ledger.entries_for_receipt(conn, receipt_ref) if e.kind == "earn"]
            return earns[0].currency if earns else None

        result: str | None = self._call(run)
        return result

    # ------------------------------------------------------------------ adjust
    def adjust(self, *, member_id: str, points: int, reason: str, operator_id: str,
               approval: Approval | None = None, corrects_id: str | None = None,
               op_id: str | None = None) -> AdjustResult:
        """A manager's correction: a compensating entry with a reason (the original is never edited)."""
        reason = _checked(reason.strip(), _("The reason"))
        _check_points(points)
        if points == 0:
            raise InvalidInput(_("An adjustment must add or remove at least one point."))
        if not reason:
            raise InvalidInput(_("An adjustment needs a reason."))
        op_id = op_id or self.ledger.new_id()
        request = {"member_id": member_id, "points": points, "reason": reason, "operator_id": operator_id,
                   "corrects_id": corrects_id}

        def work(conn: Any) -> AdjustResult:
            member = self._member(conn, member_id)
            approver = self._approve(conn, approval, _("a manual adjustment"), operation="adjust",
                                     operator_id=operator_id, op_id=op_id)
            if member.points + points < 0:
                raise InvalidInput(_("This would leave {name} with a negative balance.").format(name=member.name),
                                   log_message=f"this would leave member {member.id} with a negative balance")
            entry = self.ledger.append_entry(conn, NewEntry(
                member_id=member_id, kind="adjust", points=points, sale_at_ms=self.clock(),
                operator_id=operator_id, corrects_id=corrects_id, approved_by=approver.id, reason=reason,
                op_id=op_id, clock_offset_ms=self._clock_offset(conn)))
            result = AdjustResult(op_id=op_id, entry_id=entry.id, member_id=member_id, points=points,
                                  balance_before=member.points, balance_after=member.points + points,
                                  approved_by=approver.id)
            return result

        result: AdjustResult = self._once("adjust", op_id, request, AdjustResult, work)
        return result

    # ------------------------------------------------------------------ void
    def void(self, *, entry_id: str, operator_id: str, approval: Approval | None = None,
             op_id: str | None = None) -> VoidResult:
        """Void a mistaken award, redemption or adjustment of this counter within the void window, with a
        manager's approval: a compensating entry (see :mod:`pos_app.services.voids`)."""
        return voids.void(self, entry_id=entry_id, operator_id=operator_id, approval=approval, op_id=op_id)

    def voidable(self, member_id: str | None = None) -> list[Voidable]:
        """What this counter may void now, newest first."""
        return voids.voidable(self, member_id)


__all__ = ["AdjustResult", "CorrectionUseCases", "ReturnPlan", "ReturnPreview", "ReturnResult", "plan_return",
           "preview_return"]
