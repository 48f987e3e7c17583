"""Tiers follow points earned in the rolling period, never the balance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loyalty_strategies import tier_policies

from pos_app.core.errors import RuleError
from pos_app.core.expiry import LedgerMove
from pos_app.core.rules import TierPolicy, default_rules
from pos_app.core.tiers import period_start, points_earned_in_period, tier_change, tier_for

POLICY = default_rules().tiers  # member 0, silver 1000, gold 5000 over 365 days
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def test_thresholds(refused) -> None:
    assert tier_for(0, POLICY).code == "member"
    assert tier_for(999, POLICY).code == "member"
    assert tier_for(1000, POLICY).code == "silver"
    assert tier_for(4999, POLICY).code == "silver"
    assert tier_for(5000, POLICY).code == "gold"
    assert tier_for(10**9, POLICY).code == "gold"
    assert tier_for(-50, POLICY).code == "member"
    with refused(RuleError, 'tier.points', 'Points must be a whole number.'):
        tier_for(10.5, POLICY)  # type: ignore[arg-type]


def test_upgrade_and_downgrade() -> None:
    assert tier_change("member", 1200, POLICY) == "up"
    assert tier_change("silver", 1200, POLICY) == "same"
    assert tier_change("gold", 1200, POLICY) == "down"
    assert tier_change(None, 0, POLICY) == "same"
    assert tier_change(None, 5000, POLICY) == "up"
    with pytest.raises(RuleError) as caught:
        tier_change("platinum", 0, POLICY)
    assert caught.value.code == "tier.unknown"


def test_period_is_rolling(refused) -> None:
    assert period_start(NOW, POLICY) == NOW - timedelta(days=365)
    with refused(RuleError, 'time.naive', 'The current time must carry a time zone (UTC)'):
        period_start(datetime(2026, 1, 1), POLICY)


def test_earned_points_ignore_spending_and_old_sales() -> None:
    day = timedelta(days=1)
    moves = [
        LedgerMove("old", "earn", 4000, NOW - 400 * day),  # outside the year
        LedgerMove("e1", "earn", 800, NOW - 300 * day),
        LedgerMove("e2", "earn", 500, NOW - 10 * day),
        LedgerMove("r1", "redeem", -1200, NOW - 5 * day),  # spending does not lower the tier
        LedgerMove("ret", "reverse", -100, NOW - 2 * day, "e2"),  # a return does
        LedgerMove("adj", "adjust", 3000, NOW - 1 * day),  # a manager's gift is not "earned"
        LedgerMove("future", "earn", 50, NOW + day),
    ]
    earned = points_earned_in_period(moves, POLICY, NOW)
    assert earned == 800 + 400
    assert tier_for(earned, POLICY).code == "silver"
    # a year later only what was earned since counts: downgrade
    assert points_earned_in_period(moves, POLICY, NOW + 360 * day) == 50
    # a reverse of the return (return cancelled) gives the tier points back
    moves.append(LedgerMove("unret", "reverse", 100, NOW - day, "ret"))
    assert points_earned_in_period(moves, POLICY, NOW) == 1300


@settings(max_examples=200, deadline=None)
@given(tier_policies(), st.integers(0, 30_000), st.integers(0, 30_000))
def test_more_points_never_a_lower_tier(policy: TierPolicy, a: int, b: int) -> None:
    low, high = sorted((a, b))
    tiers = list(policy.tiers)
    assert tiers.index(tier_for(low, policy)) <= tiers.index(tier_for(high, policy))
    assert tier_for(low, policy).threshold_points <= low
    assert tier_change(tier_for(low, policy).code, high, policy) in ("up", "same")
    assert tier_change(tier_for(high, policy).code, low, policy) in ("down", "same")
