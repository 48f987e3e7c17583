"""The manager's report for a date range: by cashier, reward or hour of the day (Bangkok), totals, CSV."""

from __future__ import annotations

import pytest

from pos_app.services import Approval
from pos_app.services.errors import InvalidInput
from pos_app.services.reports import range_report, report_csv, report_operations, report_text

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
        "cashier,awards,points_awarded,sales_baht,redemptions,points_redeemed,voided",
        "Cashier One,1,40,1000.00,2,110,0",
        "Manager One,1,100,2500.00,0,0,0",
        "Total,2,140,3500.00,2,110,0",
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


def test_a_voided_operation_leaves_the_numbers_and_is_counted_as_voided(services, activity, clock) -> None:
    """A void undoes an operation as if it had not happened: the CLI's report and the window's (both
    range_report) leave it out of counts, points and sales, and say how many were voided."""
    mistaken = services.award(member_id=activity.id, amount_satang=500_000, receipt_ref="R-3",
                              operator_id="cashier-1")
    services.void(entry_id=mistaken.entry_id, operator_id="cashier-1", approval=Approval("9999"))
    report = range_report(services, "2026-11-18", "2026-11-19", "cashier")
    assert rows(report)["Cashier One"] == (1, 40, 100_000, 2, 110)
    assert [(line.key, line.voided) for line in report.lines] == [("Cashier One", 1), ("Manager One", 0)]
    assert (report.totals.awards, report.totals.sales_satang, report.totals.voided) == (2, 350_000, 1)
    assert report_csv(report).splitlines()[1] == "Cashier One,1,40,1000.00,2,110,1"
    assert "Voided operations are not counted" in report_text(report)
    by_hour = range_report(services, "2026-11-19", "2026-11-19", "hour")
    assert [(line.key, line.awards, line.voided) for line in by_hour.lines] == [("19:00", 0, 1)]

    behind = report_operations(services, "2026-11-18", "2026-11-19", "cashier", "cashier-1")
    assert [(op.kind, op.points, op.voided, op.voided_approved_by) for op in behind] == [
        ("earn", 40, False, None), ("redeem", -100, False, None), ("redeem", -10, False, None),
        ("earn", 200, True, "Manager One")]


def test_the_operations_behind_a_line(services, activity) -> None:
    by_cashier = range_report(services, "2026-11-18", "2026-11-19", "cashier")
    manager = next(line for line in by_cashier.lines if line.key == "Manager One")
    (op,) = report_operations(services, "2026-11-18", "2026-11-19", "cashier", manager.code)
    assert (op.kind, op.operator_name, op.member_name, op.member_phone_masked, op.points, op.amount_satang,
            op.receipt_ref, op.reward_name, op.offline, op.voided) == (
        "earn", "Manager One", "Somchai", "•••-•••-5678", 100, 250_000, "R-2", None, False, False)

    by_reward = range_report(services, "2026-11-18", "2026-11-19", "reward")
    codes = {line.key: line.code for line in by_reward.lines}
    assert codes == {"Coffee": "COFFEE", "Points as a discount": ""}
    (coffee,) = report_operations(services, "2026-11-18", "2026-11-19", "reward", "COFFEE")
    assert (coffee.kind, coffee.reward_name, coffee.points) == ("redeem", "Coffee", -100)
    (discount,) = report_operations(services, "2026-11-18", "2026-11-19", "reward", "")
    assert (discount.reward_name, discount.points) == ("Points as a discount", -10)
    # the totals of a report by reward are its redemptions; of a report by cashier, everything
    assert len(report_operations(services, "2026-11-18", "2026-11-19", "reward", None)) == 2
    assert len(report_operations(services, "2026-11-18", "2026-11-19", "cashier", None)) == 4

    by_hour = range_report(services, "2026-11-18", "2026-11-19", "hour")
    nineteen = next(line for line in by_hour.lines if line.key == "19:00")
    assert nineteen.code == "19"
    behind = report_operations(services, "2026-11-18", "2026-11-19", "hour", "19")
    assert [op.receipt_ref for op in behind] == ["R-2", None, None]  # both days' 19:00
    assert len(behind) == nineteen.awards + nineteen.redemptions

    with pytest.raises(InvalidInput) as refused:
        report_operations(services, "2026-11-18", "2026-11-19", "hour", "24")
    assert refused.value.message == "An hour of the day is 00 to 23, not '24'."
