"""Hypothesis strategies for the loyalty rules (shared by the tests in this folder)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from pos_app.core.rules import (
    Campaign,
    CategoryLine,
    DiscountPolicy,
    EarnRules,
    ExpiryPolicy,
    ReturnPolicy,
    RulesBundle,
    Tier,
    TierPolicy,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
BRANCHES = ("BKK01", "BKK02", "CNX01")
CATEGORIES = ("food", "beverage", "bakery", "household")

instants = st.integers(min_value=0, max_value=3 * 365 * 24 * 3600).map(lambda s: T0 + timedelta(seconds=s))
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzกขคงจ ", min_size=1, max_size=12).filter(str.strip)


@st.composite
def campaigns(draw: st.DrawFn, with_bonus: bool = True) -> Campaign:
    starts = draw(instants)
    multiplier = draw(st.sampled_from([1000, 1250, 1500, 2000, 3000, 10000]))
    bonus = draw(st.integers(0, 200)) if with_bonus else 0
    if multiplier == 1000 and bonus == 0:
        multiplier = 2000
    return Campaign(
        id=draw(st.text(alphabet="abcdefgh0123456789-", min_size=1, max_size=8)),
        name=draw(names),
        starts_at=starts,
        ends_at=starts + timedelta(seconds=draw(st.integers(1, 200 * 24 * 3600))),
        multiplier_permille=multiplier,
        bonus_points=bonus,
        branches=draw(st.none() | st.frozensets(st.sampled_from(BRANCHES), min_size=1)),
        categories=draw(st.none() | st.frozensets(st.sampled_from(CATEGORIES), min_size=1)),
        min_spend_satang=draw(st.sampled_from([0, 10000, 50000]) | st.integers(0, 100_000)),
    )


@st.composite
def tier_policies(draw: st.DrawFn) -> TierPolicy:
    count = draw(st.integers(1, 4))
    thresholds = [0] + sorted(draw(st.sets(st.integers(1, 20_000), min_size=count - 1, max_size=count - 1)))
    multipliers = sorted(draw(st.lists(st.integers(1000, 3000), min_size=count, max_size=count)))
    tiers = tuple(
        Tier(f"t{i}", f"ระดับ{i}", f"Tier {i}", thresholds[i], multipliers[i]) for i in range(count)
    )
    return TierPolicy(tiers, draw(st.integers(1, 800)))


@st.composite
def bundles(draw: st.DrawFn, with_bonus: bool = True) -> RulesBundle:
    camps = draw(st.lists(campaigns(with_bonus=with_bonus), max_size=4, unique_by=lambda c: c.id))
    return RulesBundle(
        version=draw(st.integers(1, 10_000)),
        earn=EarnRules(
            satang_per_point=draw(st.sampled_from([100, 2500, 5000]) | st.integers(1, 100_000)),
            min_spend_satang=draw(st.sampled_from([0, 0, 10000]) | st.integers(0, 50_000)),
            campaigns=tuple(camps),
        ),
        tiers=draw(tier_policies()),
        discount=DiscountPolicy(
            draw(st.integers(1, 1000)), draw(st.integers(1, 100)), draw(st.integers(0, 1000))
        ),
        expiry=ExpiryPolicy(draw(st.none() | st.integers(1, 60))),
        returns=ReturnPolicy(draw(st.booleans())),
    )


@st.composite
def category_lines(draw: st.DrawFn, max_lines: int = 4) -> tuple[CategoryLine, ...]:
    return tuple(
        CategoryLine(draw(st.sampled_from(CATEGORIES)), draw(st.integers(0, 500_000)))
        for _ in range(draw(st.integers(1, max_lines)))
    )
