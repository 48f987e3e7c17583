"""Earn: the points a purchase gives (preview) and the award itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.core.currency import HOME_CURRENCY, convert_sale
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
    currency: str | None = None
    """A sale paid in another currency: its ISO code; ``amount_minor`` in its minor units at ``fx_rate`` THB per
    unit, and ``amount_satang`` is the THB equivalent the points were computed on."""
    amount_minor: int | None = None
    fx_rate: str | None = None
    voucher_id: str | None = None
    """A points-multiplier voucher used with the sale: its id and factor (``points`` is already multiplied;
    ``breakdown["voucher_bonus"]`` is what it added)."""
    points_factor: int | None = None

    @property
    def zero_points_text(self) -> str | None:
        """Why this sale earned nothing ("0 points: points start at ฿25"), or None when it earned points."""
        return zero_points_text(self.points_start_satang) if self.points == 0 else None


@dataclass(frozen=True)
class SalePreview:
    """What an award of a bill would give (nothing recorded): the points, and for a sale in another currency
    the THB equivalent and the rate of the active rules it was converted at (as the award will record them)."""

    points: int
    amount_satang: int
    points_start_satang: int | None = None  # when ``points`` is 0: the bill from which points start
    currency: str | None = None
    amount_minor: int | None = None
    fx_rate: str | None = None


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

    def preview_sale(self, member_id: str, *, amount_satang: int = 0, currency: str | None = None,
                     amount_minor: int | None = None, sale_at: datetime | None = None,
                     factor: int = 1) -> SalePreview:
        """:meth:`preview_award` for a bill in baht or, with ``currency`` and ``amount_minor``, in another
        currency: converted as :meth:`award` converts it (the active rules' rate at the sale time, this branch),
        and refused as the award would be (no rate, a currency the branch does not take: ``InvalidInput``).
        ``factor``: a points-multiplier voucher to be used with the sale (``points`` is then multiplied)."""
        foreign = currency is not None and currency.strip().upper() != HOME_CURRENCY
        if (amount_minor is None or amount_minor <= 0) if foreign else amount_satang <= 0:
            raise InvalidInput(_("The amount must be more than zero."))

        def run() -> SalePreview:
            with self.ledger.read() as conn:
                member = self._member(conn, member_id)
                rules = self.active_rules(conn)
                branch = self.ledger.get_meta(conn, "branch_id")
            when = ms_to_dt(self._sale_ms(sale_at))
            fx: dict[str, Any] = {}
            amount = amount_satang
            if foreign:
                assert currency is not None and amount_minor is not None
                fx = convert_sale(rules, branch, currency, amount_minor, when)
                amount = fx.pop("amount_satang")
            known = {t.code for t in rules.tiers.tiers}
            breakdown = points_for(Purchase(amount_satang=amount, sale_at=when, branch_id=branch), rules,
                                   member.tier if member.tier in known else None, factor=factor)
            return SalePreview(points=breakdown.points, amount_satang=amount,
                               points_start_satang=breakdown.points_start_satang, **fx)

        result: SalePreview = self._call(run)
        return result

    def award(self, *, member_id: str, amount_satang: int = 0, receipt_ref: str, operator_id: str,
              lines: Sequence[tuple[str, int]] = (), op_id: str | None = None,
              sale_at: datetime | None = None, currency: str | None = None,
              amount_minor: int | None = None) -> AwardResult:
        """Give points for a purchase. A receipt earns once; a retry with the same ``op_id`` is harmless.

        A sale in another currency gives ``currency`` and ``amount_minor`` (its minor units) instead of
        ``amount_satang``: the THB equivalent is computed from the rate of the active rules at the sale time
        (``pos_app.core.currency.to_satang``) and earns like any sale of that many satang."""
        receipt_ref = self._check_receipt(receipt_ref)
        foreign = currency is not None and currency.strip().upper() != HOME_CURRENCY
        if foreign:
            if amount_minor is None or amount_minor <= 0:
                raise InvalidInput(_("The amount must be more than zero."))
            if lines:
                raise InvalidInput(_("Category lines are in baht: record a sale in another currency without "
                                     "them."))
        elif amount_satang <= 0:
            raise InvalidInput(_("The amount must be more than zero."))
        op_id = op_id or self.ledger.new_id()
        sale_ms = self._sale_ms(sale_at)
        request: dict[str, Any] = {"member_id": member_id, "amount_satang": amount_satang, "receipt_ref": receipt_ref,
                                   "lines": [list(x) for x in lines], "operator_id": operator_id}
        if foreign:
            request.update(currency=currency, amount_minor=amount_minor)
        if sale_at is not None:
            request["sale_at_ms"] = sale_ms

        def work(conn: Any) -> AwardResult:
            return self._award_in(conn, member_id=member_id, amount_satang=amount_satang, receipt_ref=receipt_ref,
                                  operator_id=operator_id, lines=lines, op_id=op_id, sale_ms=sale_ms,
                                  currency=currency if foreign else None, amount_minor=amount_minor)

        result: AwardResult = self._once("award", op_id, request, AwardResult, work)
        return result

    def _award_in(self, conn: Any, *, member_id: str, amount_satang: int, receipt_ref: str, operator_id: str,
                  lines: Sequence[tuple[str, int]], op_id: str, sale_ms: int, currency: str | None = None,
                  amount_minor: int | None = None, voucher: tuple[str, int] | None = None) -> AwardResult:
        """The award's write in ``conn`` (the caller's transaction): also the sale a points-multiplier voucher is
        used with (``voucher`` = its id and factor; ``services.vouchers``), so the two are one transaction."""
        foreign = currency is not None
        member = self._member(conn, member_id)
        if self.ledger.receipt_has_earned(conn, receipt_ref):
            raise Conflict(_("Receipt {receipt} already earned points; nothing was added.").format(
                receipt=receipt_ref))
        meta = self.ledger.all_meta(conn)
        rules = self.rules(conn, int(meta.get("rules_version", "1")))
        fx: dict[str, Any] = {}
        amount = amount_satang
        if foreign:
            assert currency is not None and amount_minor is not None
            fx = convert_sale(rules, meta.get("branch_id"), currency, amount_minor, ms_to_dt(sale_ms))
            amount = fx.pop("amount_satang")
        purchase = Purchase(amount_satang=amount, sale_at=ms_to_dt(sale_ms),
                            branch_id=meta.get("branch_id"),
                            lines=tuple(CategoryLine(c, a) for c, a in lines))
        if member.tier not in {t.code for t in rules.tiers.tiers}:
            # The rules changed and this tier is gone: place the member in the new tiers first.
            self._retier(conn, member, rules, sale_ms)
            member = self._member(conn, member_id)
        # A sale below one block or a minimum spend is still a sale: it is recorded with 0 points
        # (it counts for visits and spend, and a later return of it stays consistent).
        breakdown = points_for(purchase, rules, member.tier, factor=voucher[1] if voucher else 1)
        entry = self.ledger.append_entry(conn, NewEntry(
            member_id=member_id, kind="earn", points=breakdown.points, sale_at_ms=sale_ms,
            operator_id=operator_id, amount_satang=amount, receipt_ref=receipt_ref,
            rules_version=rules.version, tier_code=member.tier, lines=tuple(lines), op_id=op_id,
            clock_offset_ms=int(meta.get("clock_offset_ms", "0")), **fx,
            voucher_id=voucher[0] if voucher else None, points_factor=voucher[1] if voucher else None))
        tier, changed = member.tier, False
        if self._tier_may_change(member, rules, breakdown.points):
            tier, changed = self._retier(conn, member, rules, sale_ms)
        result = AwardResult(
            op_id=op_id, entry_id=entry.id, member_id=member_id, points=breakdown.points,
            balance_before=member.points, balance_after=member.points + breakdown.points,
            amount_satang=amount, receipt_ref=receipt_ref,
            breakdown={"base_points": breakdown.base_points, "tier_bonus": breakdown.tier_bonus,
                       "campaign_bonus": breakdown.campaign_bonus,
                       "campaigns_applied": list(breakdown.campaigns_applied),
                       "rules_version": breakdown.rules_version,
                       **({"voucher_bonus": breakdown.voucher_bonus} if voucher else {})},
            tier=tier, tier_changed=changed, points_start_satang=breakdown.points_start_satang, **fx,
            voucher_id=voucher[0] if voucher else None, points_factor=voucher[1] if voucher else None)
        return result

    def is_enrolled(self) -> bool:
        def run() -> bool:
            with self.ledger.read() as conn:
                return self.ledger.get_meta(conn, "mode") == "enrolled"

        result: bool = self._call(run)
        return result

    def accepted_currencies(self) -> tuple[str, ...]:
        """The currencies other than baht this terminal's branch takes under the active rules (may be empty)."""
        def run() -> tuple[str, ...]:
            with self.ledger.read() as conn:
                return self.active_rules(conn).currencies.accepted(self.ledger.get_meta(conn, "branch_id"))

        result: tuple[str, ...] = self._call(run)
        return result
