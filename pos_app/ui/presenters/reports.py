"""The manager's reports screen, Qt-free: the date range (a day, a range, or today / yesterday / this week /
this month), the grouping, the table's cells, the chart's bars, the drill-down's lines, the export's text.

The services compute (``pos_app.services.reports``: ``range_report``, ``report_operations``, ``report_csv``);
this decides what the screen says. Amounts are ``฿1,234.50``; voided operations are left out of the numbers by
the services and shown in the drill-down marked as voided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pos_app.core.i18n import N_, _
from pos_app.core.money import format_baht

GROUPINGS = (("cashier", N_("By cashier")), ("reward", N_("By reward")), ("hour", N_("By hour")))
PRESETS = (("today", N_("Today")), ("yesterday", N_("Yesterday")), ("week", N_("This week")),
           ("month", N_("This month")))
GROUP_TITLE = {"cashier": N_("Cashier"), "reward": N_("Reward"), "hour": N_("Hour")}
CHART_TITLE = {"cashier": N_("Sales by cashier"), "reward": N_("Redemptions by reward"),
               "hour": N_("Awards and redemptions by hour of the day")}


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """The days of a quick choice: today, yesterday, this week (from Monday), this month (from the 1st)."""
    if preset == "today":
        return today, today
    if preset == "yesterday":
        day = today - timedelta(days=1)
        return day, day
    if preset == "week":
        return today - timedelta(days=today.weekday()), today
    if preset == "month":
        return today.replace(day=1), today
    raise ValueError(f"unknown preset {preset!r}")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int       # what the bar's length shows (satang for sales, a count otherwise)
    text: str        # the value as the bar's label says it ("฿1,234.50", "12")
    code: str        # the report line's code: activating the bar drills down to it


@dataclass(frozen=True)
class DrillLine:
    cells: tuple[str, ...]
    voided: bool


def _when(ms: int, one_day: bool) -> str:
    moment = datetime.fromtimestamp(ms / 1000)
    return moment.strftime("%H:%M") if one_day else moment.strftime("%Y-%m-%d\n%H:%M")


class ReportPresenter:
    """State of the reports screen: what is asked (range, grouping), what is shown (a ``RangeReport``), and
    which line is drilled into (its ``ReportOperation`` list)."""

    def __init__(self, today: str) -> None:
        self.today = date.fromisoformat(today)
        self.date_from = self.today
        self.date_to = self.today
        self.by = "cashier"
        self.report: Any = None          # pos_app.services.reports.RangeReport
        self.drilled: Any = None         # the ReportLine drilled into (the totals line for everything)
        self.operations: list[Any] = []  # pos_app.services.reports.ReportOperation

    # ------------------------------------------------------------------ what is asked
    def choose_preset(self, preset: str) -> None:
        self.date_from, self.date_to = preset_range(preset, self.today)

    def choose_range(self, date_from: date, date_to: date) -> None:
        self.date_from, self.date_to = date_from, date_to

    def choose_grouping(self, by: str) -> None:
        if by not in dict(GROUPINGS):
            raise ValueError(f"unknown grouping {by!r}")
        self.by = by

    def request(self) -> tuple[str, str, str]:
        """The services' arguments for the report asked for."""
        return self.date_from.isoformat(), self.date_to.isoformat(), self.by

    def preset_shown(self) -> str | None:
        """Which quick choice the range is (its button is shown pressed), if any."""
        for code, _text in PRESETS:
            if preset_range(code, self.today) == (self.date_from, self.date_to):
                return code
        return None

    # ------------------------------------------------------------------ the report
    def show(self, report: Any) -> None:
        self.report = report
        self.drilled = None
        self.operations = []

    def title(self) -> str:
        report = self.report
        if report is None:
            return ""
        if report.date_from == report.date_to:
            return _("Awards and redemptions on {day}").format(day=report.date_from)
        return _("Awards and redemptions from {start} to {end}").format(start=report.date_from, end=report.date_to)

    def headers(self) -> list[str]:
        by = self.report.by if self.report is not None else self.by
        return [_(GROUP_TITLE[by]), _("Awards"), _("Points\nawarded"), _("Sales"), _("Redemptions"),
                _("Points\nredeemed"), _("Voided")]

    def lines(self) -> list[Any]:
        """The report's lines, the totals last."""
        if self.report is None:
            return []
        return [*self.report.lines, self.report.totals]

    def rows(self) -> list[list[str]]:
        return [[_("Total") if line is self.report.totals else line.key, f"{line.awards:,}",
                 f"{line.points_awarded:,}", format_baht(line.sales_satang), f"{line.redemptions:,}",
                 f"{line.points_redeemed:,}", f"{line.voided:,}"] for line in self.lines()]

    def empty_text(self) -> str:
        if self.report is not None and not self.report.lines:
            return _("No awards or redemptions in these days.")
        return ""

    def chart_title(self) -> str:
        return _(CHART_TITLE[self.report.by if self.report is not None else self.by])

    def bars(self) -> list[Bar]:
        """The chart: sales per cashier, redemptions per reward, operations per hour of the day (every hour
        from the first to the last with activity, so the day's shape shows its quiet hours too)."""
        report = self.report
        if report is None or not report.lines:
            return []
        if report.by == "cashier":
            return [Bar(line.key, line.sales_satang, format_baht(line.sales_satang), line.code)
                    for line in report.lines]
        if report.by == "reward":
            return [Bar(line.key, line.redemptions, f"{line.redemptions:,}", line.code) for line in report.lines]
        by_hour = {int(line.code): line for line in report.lines}
        bars = []
        for hour in range(min(by_hour), max(by_hour) + 1):
            line = by_hour.get(hour)
            count = line.awards + line.redemptions if line is not None else 0
            bars.append(Bar(f"{hour:02d}", count, f"{count:,}", f"{hour:02d}"))
        return bars

    # ------------------------------------------------------------------ drill-down
    def line_for_row(self, row: int) -> Any:
        lines = self.lines()
        return lines[row] if 0 <= row < len(lines) else None

    def line_for_code(self, code: str) -> Any:
        if self.report is None:
            return None
        return next((line for line in self.report.lines if line.code == code), None)

    def drill_request(self, line: Any) -> tuple[str, str, str, str | None]:
        """The services' arguments for the operations behind ``line`` (the totals: every one)."""
        assert self.report is not None
        code = None if line is self.report.totals else line.code
        return self.report.date_from, self.report.date_to, self.report.by, code

    def drill(self, line: Any, operations: Sequence[Any]) -> None:
        self.drilled = line
        self.operations = list(operations)

    def drill_title(self) -> str:
        if self.drilled is None or self.report is None:
            return ""
        name = _("Total") if self.drilled is self.report.totals else self.drilled.key
        shown = len(self.operations)
        text = _("{name}: {n} operations behind the numbers").format(name=name, n=f"{shown:,}")
        voided = sum(1 for op in self.operations if op.voided)
        if voided:
            text += " · " + _("{n} voided (not counted)").format(n=f"{voided:,}")
        return text

    def drill_headers(self) -> list[str]:
        return [_("When"), _("Cashier"), _("Member"), _("Operation"), _("Points"), _("Amount"), _("Online"),
                _("Approved by"), _("Status")]

    def drill_lines(self) -> list[DrillLine]:
        one_day = self.report is not None and self.report.date_from == self.report.date_to
        out = []
        for op in self.operations:
            member = "\n".join(x for x in (op.member_name, op.member_phone_masked) if x)
            what = _("Award") if op.kind == "earn" else (op.reward_name or _("Redemption"))
            if op.receipt_ref:
                what += "\n" + op.receipt_ref
            amount = format_baht(op.amount_satang) if op.amount_satang else ""
            status = _("Voided") if op.voided else ""
            if op.voided and op.voided_approved_by:
                status += "\n" + op.voided_approved_by
            out.append(DrillLine((_when(op.sale_at_ms, one_day), op.operator_name, member, what,
                                  f"{op.points:+,}", amount, _("Offline") if op.offline else _("Online"),
                                  op.approved_by or "", status), op.voided))
        return out

    # ------------------------------------------------------------------ export
    def file_stem(self) -> str:
        assert self.report is not None
        return f"report-{self.report.date_from}-{self.report.date_to}-{self.report.by}"


__all__ = ["CHART_TITLE", "GROUPINGS", "PRESETS", "Bar", "DrillLine", "ReportPresenter", "preset_range"]
