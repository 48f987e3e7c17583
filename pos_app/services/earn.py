"""Earn: the points a purchase gives (preview) and the award itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.core.i18n import _
from pos_app.core.rules import CategoryLine, EarnBreakdown, Purchase, points_for, zero_points_text
from pos_app.ledger.canonical import ms_to_dt
from pos_app.ledger.repository import NewEntry
from pos_app.services.base import ServicesBase
from pos_app.services.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class AwardResult:
    op_id: str
    entry_id: str
    member_id: str
    points: int
    balance_before: int
    balance_after: int
    amount_satang: int
    receipt_ref: str
    breakdown: dict[str, Any]
    tier: str
    tier_changed: bool
    replayed: bool = False
    points_start_satang: int | None = None  # when ``points`` is 0: the bill from which points start

    @property
    def zero_points_text(self) -> str | None:
        """Why this sale earned nothing ("0 points: points start at ฿25"), or None when it earned points."""
        return zero_points_text(self.points_start_satang) if self.points == 0 else None


class EarnUseCases(ServicesBase):
    # ------------------------------------------------------------------ award
    def preview_award(self, member_id: str, amount_satang: int,
                      lines: Sequence[tuple[str, int]] = (), sale_at: datetime | None = None) -> EarnBreakdown:
        """The points an award would give, without recording anything."""
        def run() -> EarnBreakdown:
            with self.ledger.read() as conn:
                member = self._member(conn, member_id)
                rules = self.active_rules(conn)
                purchase = Purchase(amount_satang=amount_satang, sale_at=ms_to_dt(self._sale_ms(sale_at)),
                                    branch_id=self.ledger.get_meta(conn, "branch_id"),
                                    lines=tuple(CategoryLine(c, a) for c, a in lines))
                known = {t.code for t in rules.tiers.tiers}
                return points_for(purchase, rules, member.tier if member.tier in known else None)

        result: EarnBreakdown = self._call(run)
        return result

    def award(self, *, member_id: str, amount_satang: int, receipt_ref: str, operator_id: str,
              lines: Sequence[tuple[str, int]] = (), op_id: str | None = None,
              sale_at: datetime | None = None) -> AwardResult:
        """Give points for a purchase. A receipt earns once; a retry with the same ``op_id`` is harmless."""
        receipt_ref = self._check_receipt(receipt_ref)
        if amount_satang <= 0:
            raise InvalidInput(_("The amount must be more than zero."))
        op_id = op_id or self.ledger.new_id()
        sale_ms = self._sale_ms(sale_at)
        request = {"member_id": member_id, "amount_satang": amount_satang, "receipt_ref": receipt_ref,
                   "lines": [list(x) for x in lines], "operator_id": operator_id}
        if sale_at is not None:
            request["sale_at_ms"] = sale_ms

        def work(conn: Any) -> AwardResult:
            member = self._member(conn, member_id)
            if self.ledger.receipt_has_earned(conn, receipt_ref):
                raise Conflict(_("Receipt {receipt} already earned points; nothing was added.").format(
                    receipt=receipt_ref))
            meta = self.ledger.all_meta(conn)
            rules = self.rules(conn, int(meta.get("rules_version", "1")))
            purchase = Purchase(amount_satang=amount_satang, sale_at=ms_to_dt(sale_ms),
                                branch_id=meta.get("branch_id"),
                                lines=tuple(CategoryLine(c, a) for c, a in lines))
            if member.tier not in {t.code for t in rules.tiers.tiers}:
                # The rules changed and this tier is gone: place the member in the new tiers first.
                self._retier(conn, member, rules, sale_ms)
                member = self._member(conn, member_id)
            # A sale below one block or a minimum spend is still a sale: it is recorded with 0 points
            # (it counts for visits and spend, and a later return of it stays consistent).
            breakdown = points_for(purchase, rules, member.tier)
            entry = self.ledger.append_entry(conn, NewEntry(
                member_id=member_id, kind="earn", points=breakdown.points, sale_at_ms=sale_ms,
                operator_id=operator_id, amount_satang=amount_satang, receipt_ref=receipt_ref,
                rules_version=rules.version, tier_code=member.tier, lines=tuple(lines), op_id=op_id,
                clock_offset_ms=int(meta.get("clock_offset_ms", "0"))))
            tier, changed = member.tier, False
            if self._tier_may_change(member, rules, breakdown.points):
                tier, changed = self._retier(conn, member, rules, sale_ms)
            result = AwardResult(
                op_id=op_id, entry_id=entry.id, member_id=member_id, points=breakdown.points,
                balance_before=member.points, balance_after=member.points + breakdown.points,
                amount_satang=amount_satang, receipt_ref=receipt_ref,
                breakdown={"base_points": breakdown.base_points, "tier_bonus": breakdown.tier_bonus,
                           "campaign_bonus": breakdown.campaign_bonus,
                           "campaigns_applied": list(breakdown.campaigns_applied),
                           "rules_version": breakdown.rules_version},
                tier=tier, tier_changed=changed, points_start_satang=breakdown.points_start_satang)
            return result

        result: AwardResult = self._once("award", op_id, request, AwardResult, work)
        return result
