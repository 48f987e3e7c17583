"""Tiers from points *earned* in a rolling period (never from the balance), with upgrade and downgrade.

A member's tier is re-judged from the points earned in the last ``period_days`` days (rolling, ending now):
spending points never lowers a tier, and a member who stops buying drifts down as old earnings leave the
window. Earned points are earn entries net of the clawbacks of their returns (reverses that correct them,
directly or through a chain of reverses); manual adjustments, refunds of redemptions and overdraft
write-offs are not "earned".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from pos_app.core.errors import RuleError
from pos_app.core.expiry import LedgerMove
from pos_app.core.i18n import _
from pos_app.core.rules import Tier, TierPolicy
from pos_app.core.timeutil import require_utc

TierChange = Literal["up", "down", "same"]


def tier_for(points_earned_in_period: int, policy: TierPolicy) -> Tier:
    """The highest tier whose threshold the points earned in the period reach (negative counts as 0)."""
    if not isinstance(points_earned_in_period, int) or isinstance(points_earned_in_period, bool):
        raise RuleError(_("Points must be a whole number."), "tier.points")
    chosen = policy.tiers[0]
    for tier in policy.tiers:
        if points_earned_in_period >= tier.threshold_points:
            chosen = tier
    return chosen


def tier_change(old_code: str | None, new_points: int, policy: TierPolicy) -> TierChange:
    """Compare the tier ``old_code`` with the tier ``new_points`` (earned in the period) reach.

    ``None`` (no tier yet, e.g. a new member) counts as the lowest tier. An unknown code raises RuleError.
    """
    old_index = 0 if old_code is None else policy.tiers.index(policy.get(old_code))
    new_index = policy.tiers.index(tier_for(new_points, policy))
    if new_index > old_index:
        return "up"
    if new_index < old_index:
        return "down"
    return "same"


def period_start(now: datetime, policy: TierPolicy) -> datetime:
    """Start of the rolling period ending at ``now``: ``now - period_days`` (inclusive)."""
    return require_utc(now, _("The current time")) - timedelta(days=policy.period_days)


def points_earned_in_period(moves: Sequence[LedgerMove], policy: TierPolicy, now: datetime) -> int:
    """Points earned by sales in ``[period_start(now), now]``, net of the clawbacks of their returns.

    A reverse counts against the earn it (transitively) corrects, whenever it happened up to ``now``; each
    receipt contributes at least 0.
    """
    now = require_utc(now, _("The current time"))
    start = period_start(now, policy)
    by_id = {move.entry_id: move for move in moves}

    def root_earn(move: LedgerMove) -> LedgerMove | None:
        """The earn ``move`` is, or that its chain of reverses corrects; None for anything else."""
        seen: set[str] = set()
        current: LedgerMove | None = move
        while current is not None and current.kind == "reverse" and current.corrects_id not in seen:
            seen.add(current.entry_id)
            current = by_id.get(current.corrects_id or "")
        return current if current is not None and current.kind == "earn" else None

    per_earn: dict[str, int] = {}
    for move in moves:
        if move.at > now:
            continue
        earn = root_earn(move)
        if earn is None or not (start <= earn.at <= now):
            continue
        per_earn[earn.entry_id] = per_earn.get(earn.entry_id, 0) + move.points
    return sum(max(0, points) for points in per_earn.values())
