"""A member's standing for the member panel, on a real ledger: tier progress from points earned, points the
server has not confirmed yet (only on an enrolled terminal), and points expiring within 30 days with the date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos_app.services.errors import NotFound
from pos_app.services.standing import member_standing


@pytest.fixture
def member(services):
    return services.members.enroll(name="Somchai Jaidee", phone="081-234-5678", operator_id="cashier-1")


def _set_meta(services, key: str, value: str) -> None:
    with services.ledger.write() as conn:
        services.ledger.set_meta(conn, key, value)


def test_tier_progress_counts_points_earned_and_spending_does_not_lower_it(services, member) -> None:
    services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-1", operator_id="c")  # 40 points
    services.redeem(member_id=member.id, points=15, operator_id="c")
    standing = member_standing(services, member.id)
    assert (standing.earned_in_period, standing.next_tier, standing.points_to_next) == (40, "silver", 960)
    services.award(member_id=member.id, amount_satang=2_500_000, receipt_ref="R-2", operator_id="c")  # 1,000
    standing = member_standing(services, member.id)
    assert (standing.earned_in_period, standing.next_tier, standing.points_to_next) == (1_040, "gold", 3_960)


def test_pending_points_are_this_counters_entries_the_server_has_not_acknowledged(services, member) -> None:
    services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-1", operator_id="c")
    services.redeem(member_id=member.id, points=15, operator_id="c")
    assert member_standing(services, member.id).pending_points == 0  # standalone: there is no server to wait for
    _set_meta(services, "mode", "enrolled")
    assert member_standing(services, member.id).pending_points == 25  # net of the redemption
    first_seq = min(e.seq for e in services.history(member.id))
    _set_meta(services, "acked_seq", str(first_seq))  # the server has the award, not yet the redemption
    assert member_standing(services, member.id).pending_points == -15
    last_seq = max(e.seq for e in services.history(member.id))
    _set_meta(services, "acked_seq", str(last_seq))  # the server confirmed everything
    assert member_standing(services, member.id).pending_points == 0


def test_points_expiring_within_30_days_and_the_first_date(services, member, clock) -> None:
    now = datetime.fromtimestamp(clock() / 1000, UTC)
    old_sale = now - timedelta(days=365 * 2 - 10)  # grants expire 24 months after the sale
    services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-OLD", operator_id="c",
                   sale_at=old_sale)
    services.award(member_id=member.id, amount_satang=50_000, receipt_ref="R-NEW", operator_id="c")
    standing = member_standing(services, member.id)
    assert standing.expiring_points == 40  # the old grant only
    assert standing.expiring_first_ms is not None
    first = datetime.fromtimestamp(standing.expiring_first_ms / 1000, UTC)
    assert now < first <= now + timedelta(days=30)


def test_an_unknown_member_is_refused_like_every_member_use_case(services) -> None:
    with pytest.raises(NotFound, match="No member with id nope"):
        member_standing(services, "nope")
