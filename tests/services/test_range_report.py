"""The manager's report for a date range: by cashier, reward or hour of the day (Bangkok), totals, CSV."""

from __future__ import annotations

import pytest

from pos_app.services.errors import InvalidInput
from pos_app.services.reports import range_report, report_csv

HOUR = 3_600_000


@pytest.fixture
def activity(services, clock):
    """Two Bangkok days (the clock starts 2026-11-18 18:06 Bangkok): awards on the 18th, redemptions the 19th."""
    services.put_reward(code="COFFEE", name_th="กาแฟ", name_en="Coffee", points_cost=100)
    m = services.members.enroll(name="Somchai", phone="081-234-5678", operator_id="cashier-1")
    services.award(member_id=m.id, amount_satang=100_000, receipt_ref="R-1", operator_id="cashier-1")  # 40, 18h
    clock.advance(HOUR)
    services.award(member_id=m.id, amount_satang=250_000, receipt_ref="R-2", operator_id="manager-1")  # 100, 19h
    clock.advance(24 * HOUR)
    services.redeem(member_id=m.id, reward_code="COFFEE", operator_id="cashier-1")  # 100 points, 19h on the 19th
    services.redeem(member_id=m.id, points=10, operator_id="cashier-1")
    return m


def rows(report):
    return {line.key: (line.awards, line.points_awarded, line.sales_satang, line.redemptions, line.points_redeemed)
            for line in report.lines}


def test_by_cashier_reward_and_hour_over_two_days(services, activity) -> None:
    by_cashier = range_report(services, "2026-11-18", "2026-11-19", "cashier")
    assert rows(by_cashier) == {"Cashier One": (1, 40, 100_000, 2, 110), "Manager One": (1, 100, 250_000, 0, 0)}
    totals = by_cashier.totals
    assert (totals.awards, totals.points_awarded, totals.sales_satang, totals.redemptions,
            totals.points_redeemed) == (2, 140, 350_000, 2, 110)

    by_hour = range_report(services, "2026-11-18", "2026-11-19", "hour")
    assert [line.key for line in by_hour.lines] == ["18:00", "19:00"]  # the hour of the day, both days together
    assert rows(by_hour)["19:00"] == (1, 100, 250_000, 2, 110)

    by_reward = range_report(services, "2026-11-18", "2026-11-19", "reward")
    assert rows(by_reward) == {"Coffee": (0, 0, 0, 1, 100), "Points as a discount": (0, 0, 0, 1, 10)}

    only_19th = range_report(services, "2026-11-19", "2026-11-19", "cashier")
    assert rows(only_19th) == {"Cashier One": (0, 0, 0, 2, 110)}


def test_the_csv_holds_the_lines_and_the_totals(services, activity) -> None:
    report = range_report(services, "2026-11-18", "2026-11-19", "cashier")
    assert report_csv(report).splitlines() == [
        "cashier,awards,points_awarded,sales_baht,redemptions,points_redeemed",
        "Cashier One,1,40,1000.00,2,110",
        "Manager One,1,100,2500.00,0,0",
        "Total,2,140,3500.00,2,110",
    ]


@pytest.mark.parametrize(("date_from", "date_to", "by", "message"), [
    ("2026-11-19", "2026-11-18", "cashier", "The report's end date 2026-11-18 is before its start date 2026-11-19."),
    ("2026-11-31", "2026-12-01", "cashier", "'2026-11-31' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-29."),
    ("2026-11-18", "2026-11-19", "week", "A report is by cashier, reward or hour, not 'week'."),
    ("2025-01-01", "2026-11-19", "hour", "A report covers at most 366 days."),
])
def test_bad_ranges_are_refused_in_one_clear_line(services, date_from, date_to, by, message) -> None:
    with pytest.raises(InvalidInput) as refused:
        range_report(services, date_from, date_to, by)
    assert refused.value.code == "invalid_input" and refused.value.message == message
