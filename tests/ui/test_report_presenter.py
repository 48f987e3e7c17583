"""The reports screen's presenter without Qt: quick ranges, the table's cells (฿ amounts, totals last, voided),
the chart's bars (sales per cashier, redemptions per reward, every hour from the first to the last), and the
drill-down's lines (masked phone, offline, approvals, voided)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pos_app.core.i18n import _
from pos_app.services.reports import RangeReport, ReportLine, ReportOperation
from pos_app.ui.presenters.reports import Bar, ReportPresenter, preset_range


@pytest.mark.parametrize(("preset", "expected"), [
    ("today", ("2026-11-26", "2026-11-26")),
    ("yesterday", ("2026-11-25", "2026-11-25")),
    ("week", ("2026-11-23", "2026-11-26")),   # Monday to today (the 26th is a Thursday)
    ("month", ("2026-11-01", "2026-11-26")),
])
def test_quick_ranges(preset: str, expected: tuple[str, str]) -> None:
    first, last = preset_range(preset, date(2026, 11, 26))
    assert (first.isoformat(), last.isoformat()) == expected
    p = ReportPresenter("2026-11-26")
    p.choose_preset(preset)
    assert p.request() == (*expected, "cashier") and p.preset_shown() == preset


def test_on_a_monday_this_week_is_today_and_a_typed_range_is_no_quick_choice() -> None:
    assert preset_range("week", date(2026, 11, 23)) == (date(2026, 11, 23), date(2026, 11, 23))
    p = ReportPresenter("2026-11-26")
    p.choose_range(date(2026, 11, 2), date(2026, 11, 20))
    p.choose_grouping("hour")
    assert p.request() == ("2026-11-02", "2026-11-20", "hour") and p.preset_shown() is None
    with pytest.raises(ValueError):
        p.choose_grouping("week")
    with pytest.raises(ValueError):
        preset_range("year", date(2026, 11, 26))


def report(by: str, lines: list[ReportLine], first: str = "2026-11-26", last: str = "2026-11-26") -> RangeReport:
    totals = ReportLine("total")
    for line in lines:
        for name in ("awards", "points_awarded", "sales_satang", "redemptions", "points_redeemed", "voided"):
            setattr(totals, name, getattr(totals, name) + getattr(line, name))
    return RangeReport(date_from=first, date_to=last, by=by, lines=lines, totals=totals)


def test_the_table_says_amounts_in_baht_with_the_totals_last() -> None:
    p = ReportPresenter("2026-11-26")
    p.show(report("cashier", [ReportLine("Manee", 3, 1_200, 3_000_000, 1, 120, 1, code="manager-1"),
                              ReportLine("สมใจ", 1, 49, 123_450, 0, 0, code="cashier-1")]))
    assert p.title() == _("Awards and redemptions on {day}").format(day="2026-11-26")
    assert p.rows() == [["Manee", "3", "1,200", "฿30,000.00", "1", "120", "1"],
                        ["สมใจ", "1", "49", "฿1,234.50", "0", "0", "0"],
                        [_("Total"), "4", "1,249", "฿31,234.50", "1", "120", "1"]]
    assert len(p.headers()) == 7 and p.empty_text() == ""
    assert p.bars() == [Bar("Manee", 3_000_000, "฿30,000.00", "manager-1"), Bar("สมใจ", 123_450, "฿1,234.50", "cashier-1")]
    assert p.line_for_row(1).code == "cashier-1" and p.line_for_row(2) is p.report.totals
    assert p.line_for_row(3) is None and p.line_for_code("nobody") is None
    assert p.drill_request(p.report.totals) == ("2026-11-26", "2026-11-26", "cashier", None)
    assert p.drill_request(p.line_for_code("manager-1"))[3] == "manager-1"
    assert p.file_stem() == "report-2026-11-26-2026-11-26-cashier"

    p.show(report("cashier", [], "2026-11-01", "2026-11-26"))
    assert p.rows() == [[_("Total"), "0", "0", "฿0.00", "0", "0", "0"]] and p.bars() == []
    assert p.empty_text() == _("No awards or redemptions in these days.")
    assert p.title() == _("Awards and redemptions from {start} to {end}").format(start="2026-11-01", end="2026-11-26")


def test_the_chart_of_rewards_counts_redemptions_and_the_hours_keep_their_quiet_ones() -> None:
    p = ReportPresenter("2026-11-26")
    p.show(report("reward", [ReportLine("Coffee", 0, 0, 0, 4, 480, code="COFFEE"),
                             ReportLine(_("Points as a discount"), 0, 0, 0, 2, 30, code="")]))
    assert [(b.label, b.value, b.code) for b in p.bars()] == [("Coffee", 4, "COFFEE"),
                                                               (_("Points as a discount"), 2, "")]
    p.show(report("hour", [ReportLine("09:00", 2, 10, 100, 1, 5, code="09"),
                           ReportLine("12:00", 1, 10, 100, 0, 0, code="12")]))
    assert [(b.label, b.value) for b in p.bars()] == [("09", 3), ("10", 0), ("11", 0), ("12", 1)]
    assert p.chart_title() == _("Awards and redemptions by hour of the day")


def op(**kw: object) -> ReportOperation:
    values: dict[str, object] = dict(
        entry_id="e1", kind="earn", sale_at_ms=int(datetime(2026, 11, 26, 9, 5).timestamp() * 1000),
        operator_id="cashier-1", operator_name="สมใจ", member_id="m1", member_name="สมชาย",
        member_phone_masked="•••-•••-5678", reward_code=None, reward_name=None, points=49, amount_satang=123_450,
        receipt_ref="R-1", offline=False, approved_by=None, voided=False, voided_approved_by=None)
    values.update(kw)
    return ReportOperation(**values)  # type: ignore[arg-type]


def test_the_drill_down_says_who_when_whom_what_and_whether_it_was_voided() -> None:
    p = ReportPresenter("2026-11-26")
    p.show(report("cashier", [ReportLine("สมใจ", 1, 49, 123_450, 1, 300, 1, code="cashier-1")]))
    line = p.line_for_code("cashier-1")
    p.drill(line, [op(), op(entry_id="e2", kind="redeem", points=-300, amount_satang=None, receipt_ref=None,
                        reward_code="BAG", reward_name="Bag", offline=True, approved_by="Manee"),
                   op(entry_id="e3", points=250, voided=True, voided_approved_by="Manee")])
    cells = [x.cells for x in p.drill_lines()]
    assert cells[0] == ("09:05", "สมใจ", "สมชาย\n•••-•••-5678", _("Award") + "\nR-1", "+49", "฿1,234.50",
                        _("Online"), "", "")
    assert cells[1][3:] == ("Bag", "-300", "", _("Offline"), "Manee", "")
    assert cells[2][8] == _("Voided") + "\nManee" and [x.voided for x in p.drill_lines()] == [False, False, True]
    assert p.drill_title() == _("{name}: {n} operations behind the numbers").format(name="สมใจ", n="3") + \
        " · " + _("{n} voided (not counted)").format(n="1")
    assert len(p.drill_headers()) == len(cells[0])

    p.show(report("cashier", [line], "2026-11-25", "2026-11-26"))  # a new report forgets the drill-down
    assert p.drilled is None and p.operations == [] and p.drill_title() == ""
    p.drill(p.report.totals, [op()])
    assert p.drill_lines()[0].cells[0] == "2026-11-26\n09:05"  # a range: the day too
    assert p.drill_title().startswith(_("Total") + ":")


def test_the_flags_page_puts_what_wants_a_look_first_and_says_where_things_stand() -> None:
    from pos_app.services.backoffice import BranchFlag, BranchFlags
    from pos_app.ui.presenters.flags import FlagsPresenter, flag_text

    def flag(key: str, kind: str, acked: str | None = None, **kw: object) -> BranchFlag:
        values: dict[str, object] = dict(key=key, kind=kind, member_id=None, member_name=None, terminal_id="T2",
                                         entry_id=None, details={}, raised_at_ms=None, this_terminal=False,
                                         acknowledged_by=acked, acknowledged_at_ms=1 if acked else None)
        values.update(kw)
        return BranchFlag(**values)  # type: ignore[arg-type]

    p = FlagsPresenter()
    p.show(BranchFlags([], None, False))
    assert p.summary() == _("No flags yet: this counter has not synced with head office since it was set up.")
    assert p.chosen is None and not p.can_acknowledge()
    p.show(BranchFlags([flag("flag:1", "overdraft", "Manee", details={"shortfall": 1500}),
                        flag("flag:2", "brand_new_kind", this_terminal=True)], 0, True))
    assert p.chosen == 1 and p.chosen_key == "flag:2" and p.can_acknowledge() and p.waiting() == 1
    rows = p.rows()
    assert rows[0][1] == flag_text("overdraft") + "\n" + _("{points} points short").format(points="1,500")
    assert rows[0][4].startswith("Manee\n") and rows[1][1] == "brand_new_kind" and rows[1][3] == _("This counter")
    assert _("Head office has more: the oldest are shown.") in p.summary()
    p.choose(0)
    assert not p.can_acknowledge()
    p.choose(5)
    assert p.chosen is None and p.chosen_key is None


def test_the_approvals_log_names_voids_and_refusals() -> None:
    from pos_app.services.backoffice import ApprovalLine
    from pos_app.ui.presenters.flags import ApprovalsPresenter

    at = int(datetime(2026, 11, 26, 9, 5).timestamp() * 1000)
    p = ApprovalsPresenter()
    assert p.title() == ""
    p.show("2026-11-20", "2026-11-26", [
        ApprovalLine(at, "reverse", "void", "สมใจ", "Manee", "สมชาย", -40, 100_000, None, "e1", False),
        ApprovalLine(at, "reverse", "return", "สมใจ", "Manee", "สมชาย", -20, 50_000, None, "e2", False),
        ApprovalLine(at, "self_approval_refused", "redeem", "Manee", "Manee", None, None, None, None, None, True)])
    rows = p.rows()
    assert rows[0] == ("2026-11-26 09:05", _("Void"), "สมใจ", "Manee", "สมชาย", "-40", "฿1,000.00")
    assert rows[1][1] == _("Return") and rows[2][1] == _("Own operation (refused)") + "\n" + _("Redemption")
    assert rows[2][5:] == ("", "") and p.refused_rows() == [False, False, True]
    assert p.title() == _("Approvals {span}: {n} approved").format(span="2026-11-20 – 2026-11-26", n="2") + \
        ", " + _("{n} refused").format(n="1")
