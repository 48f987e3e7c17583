"""A member's standing for the member panel: tier progress, points not yet confirmed by the server, points
expiring soon and when. Read-only, one read transaction; a typed record, never rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pos_app.core.expiry import LedgerMove, open_lots
from pos_app.core.tiers import points_earned_in_period
from pos_app.ledger.canonical import ms_to_dt

EXPIRING_DAYS = 30


@dataclass(frozen=True)
class MemberStanding:
    member_id: str
    earned_in_period: int          # points earned in the tier period (what the tier is judged on)
    next_tier: str | None          # the next tier's code; None at the highest tier
    points_to_next: int            # points still to earn in the period for ``next_tier`` (0 at the top)
    pending_points: int            # net points of this counter's entries the server has not confirmed yet
    expiring_points: int           # points expiring within EXPIRING_DAYS days
    expiring_first_ms: int | None  # when the first of them expires


def member_standing(services: Any, member_id: str) -> MemberStanding:
    """The standing of ``member_id`` now (``services``: a :class:`pos_app.services.Services`)."""

    def run() -> MemberStanding:
        ledger = services.ledger
        with ledger.read() as conn:
            services._member(conn, member_id)  # NotFound, as every member use case
            rules = services.active_rules(conn)
            entries = ledger.entries_for_member(conn, member_id)
            enrolled = ledger.get_meta(conn, "mode") == "enrolled"
            acked = int(ledger.get_meta(conn, "acked_seq") or 0)
        now = ms_to_dt(services.clock())
        moves = [LedgerMove(entry_id=e.id, kind=e.kind, points=e.points, at=ms_to_dt(e.sale_at_ms),
                            corrects_id=e.corrects_id) for e in entries]
        earned = points_earned_in_period(moves, rules.tiers, now)
        above = [t for t in rules.tiers.tiers if t.threshold_points > earned]
        following = min(above, key=lambda t: t.threshold_points) if above else None
        pending = 0
        if enrolled:
            pending = sum(e.points for e in entries
                          if e.origin == "local" and e.terminal_id == ledger.terminal_id and e.seq > acked)
        horizon = now + timedelta(days=EXPIRING_DAYS)
        lots = [lot for lot in open_lots(moves, rules.expiry)
                if lot.remaining > 0 and lot.expires_at is not None and now < lot.expires_at <= horizon]
        first = min((lot.expires_at for lot in lots if lot.expires_at is not None), default=None)
        return MemberStanding(
            member_id=member_id, earned_in_period=earned,
            next_tier=following.code if following is not None else None,
            points_to_next=following.threshold_points - earned if following is not None else 0,
            pending_points=pending, expiring_points=sum(lot.remaining for lot in lots),
            expiring_first_ms=int(first.timestamp() * 1000) if first is not None else None,
        )

    result: MemberStanding = services._call(run)
    return result


__all__ = ["EXPIRING_DAYS", "MemberStanding", "member_standing"]
