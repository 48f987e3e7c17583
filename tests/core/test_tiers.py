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
    assert caught.value.message == "Unknown tier “platinum”."


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


DAY = timedelta(days=1)


def test_a_refunded_redemption_is_not_earned() -> None:
    moves = [
        LedgerMove("e1", "earn", 100, NOW - 10 * DAY),
        LedgerMove("r1", "redeem", -1200, NOW - 5 * DAY),
        LedgerMove("back", "reverse", 1200, NOW - 4 * DAY, "r1"),  # the redemption refunded: points back
    ]
    assert points_earned_in_period(moves, POLICY, NOW) == 100
    # a reverse of something this history does not hold counts for nothing either
    moves.append(LedgerMove("lost", "reverse", 300, NOW - DAY, "not-here"))
    assert points_earned_in_period(moves, POLICY, NOW) == 100


def test_a_fully_returned_receipt_counts_zero_and_a_receipt_never_less() -> None:
    moves = [
        LedgerMove("e1", "earn", 40, NOW - 3 * DAY),
        LedgerMove("ret", "reverse", -40, NOW - 2 * DAY, "e1"),
        LedgerMove("e2", "earn", 10, NOW - 3 * DAY),
        LedgerMove("ret2", "reverse", -25, NOW - 2 * DAY, "e2"),  # clawed back more than earned (spent)
    ]
    assert points_earned_in_period(moves, POLICY, NOW) == 0


def test_the_period_includes_both_ends() -> None:
    start = period_start(NOW, POLICY)
    moves = [
        LedgerMove("first", "earn", 7, start),  # exactly at the start: in
        LedgerMove("before", "earn", 1000, start - timedelta(microseconds=1)),  # a moment earlier: out
        LedgerMove("last", "earn", 5, NOW),  # exactly now: in
        LedgerMove("after", "earn", 1000, NOW + timedelta(microseconds=1)),  # a moment later: out
        LedgerMove("ret", "reverse", -2, NOW, "last"),  # a return made right now counts
    ]
    assert points_earned_in_period(moves, POLICY, NOW) == 7 + 5 - 2


def test_a_loop_of_reverses_ends() -> None:
    moves = [
        LedgerMove("a", "reverse", -1, NOW - DAY, "b"),
        LedgerMove("b", "reverse", 1, NOW - DAY, "a"),
        LedgerMove("e", "earn", 3, NOW - DAY),
    ]
    assert points_earned_in_period(moves, POLICY, NOW) == 3


def test_earned_in_period_needs_an_aware_time(refused) -> None:
    with refused(RuleError, "time.naive", "The current time must carry a time zone (UTC)"):
        points_earned_in_period([], POLICY, datetime(2026, 1, 1))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 500), st.integers(0, 100)), max_size=8))
def test_returns_only_ever_lower_what_was_earned(receipts: list[tuple[int, int]]) -> None:
    """Per receipt: earned minus what its returns clawed back, never below zero; the sum over receipts."""
    moves = []
    for i, (earned, percent) in enumerate(receipts):
        moves.append(LedgerMove(f"e{i}", "earn", earned, NOW - 30 * DAY))
        clawed = earned * percent // 100
        if clawed:
            moves.append(LedgerMove(f"r{i}", "reverse", -clawed, NOW - 20 * DAY, f"e{i}"))
    expected = sum(earned - earned * percent // 100 for earned, percent in receipts)
    assert points_earned_in_period(moves, POLICY, NOW) == expected
