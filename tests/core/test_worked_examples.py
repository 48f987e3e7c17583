"""The numbers quoted in docs/loyalty-rules.md, checked so the document cannot drift from the code."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from pos_app.core.expiry import LedgerMove, due_expiries, expires_at_for, expiring_within
from pos_app.core.money import parse_amount
from pos_app.core.redeem import discount_for_points, max_points_for_bill
from pos_app.core.returns import clawback_for_return
from pos_app.core.rules import Campaign, CategoryLine, Purchase, default_rules, points_for
from pos_app.core.tiers import points_earned_in_period, tier_for

BKK = timezone(timedelta(hours=7))
RULES = default_rules()
SALE = datetime(2026, 11, 23, 17, 30, tzinfo=BKK)


def test_section_2_earning() -> None:
    bill = parse_amount("฿1,234.50")
    assert [points_for(Purchase(bill, SALE), RULES, t).points for t in ("member", "silver", "gold")] == [49, 61, 73]
    nov = (datetime(2026, 11, 1, tzinfo=BKK), datetime(2026, 12, 1, tzinfo=BKK))
    rules = replace(
        RULES,
        version=2,
        earn=replace(
            RULES.earn,
            campaigns=(
                Campaign("nov-drinks-x2", "Drinks x2", *nov, 2000, branches=frozenset({"BKK01"}),
                         categories=frozenset({"beverage"})),
                Campaign("big-basket", "+50 from ฿1,000", *nov, 1000, 50, min_spend_satang=parse_amount("1,000")),
                Campaign("3day-x1.5", "3 days x1.5", datetime(2026, 11, 21, tzinfo=BKK),
                         datetime(2026, 11, 24, tzinfo=BKK), 1500),
            ),
        ),
    )
    lines = (CategoryLine("beverage", parse_amount("300")), CategoryLine("food", parse_amount("934.50")))
    gold = points_for(Purchase(bill, SALE, "BKK01", lines), rules, "gold")
    assert (gold.base_points, gold.tier_bonus, gold.campaign_bonus, gold.points) == (49, 24, 12 + 50 + 24, 159)
    assert gold.rules_version == 2
    assert points_for(Purchase(bill, SALE, "BKK01", lines), rules, "member").points == 135
    assert points_for(Purchase(bill, SALE, "BKK01"), rules, "gold").points == 147


def test_section_4_tiers() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    moves = [
        LedgerMove("old", "earn", 4000, datetime(2025, 10, 15, tzinfo=UTC)),
        LedgerMove("jan", "earn", 800, datetime(2026, 1, 20, tzinfo=UTC)),
        LedgerMove("nov", "earn", 500, datetime(2026, 11, 13, tzinfo=UTC)),
        LedgerMove("ret", "reverse", -100, datetime(2026, 11, 14, tzinfo=UTC), "nov"),
        LedgerMove("red", "redeem", -1200, datetime(2026, 11, 15, tzinfo=UTC)),
        LedgerMove("gift", "adjust", 3000, datetime(2026, 11, 16, tzinfo=UTC)),
    ]
    assert points_earned_in_period(moves, RULES.tiers, now) == 1200
    assert tier_for(1200, RULES.tiers).code == "silver"
    later = datetime(2027, 11, 23, tzinfo=UTC)
    assert tier_for(points_earned_in_period(moves, RULES.tiers, later), RULES.tiers).code == "member"


def test_section_5_redeeming() -> None:
    assert discount_for_points(400, RULES.discount) == parse_amount("100")
    assert max_points_for_bill(parse_amount("350"), 2000, RULES.discount) == 1400


def test_section_6_returns() -> None:
    assert clawback_for_return(159, parse_amount("1,234.50"), 0, parse_amount("300")) == 39
    assert clawback_for_return(159, parse_amount("1,234.50"), parse_amount("300"), parse_amount("934.50")) == 120


def test_section_7_expiry() -> None:
    assert expires_at_for(SALE, RULES.expiry) == datetime(2028, 11, 23, 23, 59, 59, 999999, tzinfo=BKK)
    assert expires_at_for(datetime(2026, 11, 24, 3, tzinfo=BKK), RULES.expiry) == datetime(
        2028, 11, 24, 23, 59, 59, 999999, tzinfo=BKK
    )
    moves = [
        LedgerMove("A", "earn", 100, datetime(2026, 1, 10, 12, tzinfo=BKK)),
        LedgerMove("B", "earn", 50, datetime(2026, 3, 5, 12, tzinfo=BKK)),
        LedgerMove("r", "redeem", -30, datetime(2026, 6, 1, 12, tzinfo=BKK)),
    ]
    assert expiring_within(moves, RULES.expiry, datetime(2027, 12, 12, tzinfo=BKK)) == 70
    assert due_expiries(moves, RULES.expiry, datetime(2028, 1, 11, tzinfo=BKK)) == [("A", 70)]
