"""Read-only reports: the manager's daily report, the report for a date range, and IT's health check."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos_app.core.currency import format_money
from pos_app.core.i18n import _
from pos_app.core.money import format_baht
from pos_app.core.phone import mask_phone
from pos_app.ledger import backup as backup_mod
from pos_app.ledger import migrate
from pos_app.ledger.db import integrity_problems
from pos_app.services.base import BANGKOK, ServicesBase
from pos_app.services.errors import InvalidInput
from pos_app.services.redeem import RewardView, reward_view

if TYPE_CHECKING:
    from pos_app.services.terminal import Services


@dataclass
class ReportLine:
    """One line of a report. Voided operations are not in its counts, points or sales (a void undoes the
    operation as if it had not happened); ``voided`` says how many of its operations were voided."""

    key: str
    awards: int = 0
    points_awarded: int = 0
    sales_satang: int = 0
    redemptions: int = 0
    points_redeemed: int = 0
    voided: int = 0
    code: str = ""
    """What the line groups by, for its drill-down: the operator id, the reward code ("" for points as a
    discount) or the hour of the day ("07"); "" on the totals."""


@dataclass
class CurrencyLine:
    """Sales paid in one currency other than baht: how many, their sum in that currency (minor units) and in
    baht (the THB equivalents they earned on, already inside the report's baht totals)."""

    currency: str
    sales: int = 0
    amount_minor: int = 0
    sales_satang: int = 0


@dataclass
class DailyReport:
    date: str
    per_cashier: list[ReportLine] = field(default_factory=list)
    per_reward: list[ReportLine] = field(default_factory=list)
    per_hour: list[ReportLine] = field(default_factory=list)
    totals: ReportLine = field(default_factory=lambda: ReportLine("total"))
    per_currency: list[CurrencyLine] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ReportUseCases(ServicesBase):
    # ------------------------------------------------------------------ report
    def daily_report(self, day: str | None = None) -> DailyReport:
        """Awards and redemptions of one local (Bangkok) day: per cashier, per reward, per hour, totals."""
        return daily_report(self, day)  # type: ignore[arg-type]

    def today(self) -> str:
        return datetime.fromtimestamp(self.clock() // 1000, UTC).astimezone(BANGKOK).date().isoformat()

    @staticmethod
    def day_bounds_ms(day: str) -> tuple[int, int]:
        try:
            start = datetime.fromisoformat(day).replace(tzinfo=BANGKOK)
        except ValueError as exc:
            raise InvalidInput(_("A date is written YYYY-MM-DD.")) from exc
        end = start + timedelta(days=1)
        return int(start.timestamp()) * 1000, int(end.timestamp()) * 1000


REPORT_GROUPINGS = ("cashier", "reward", "hour")
MAX_REPORT_DAYS = 366


def _add(line: Any, kind: str, n: int, points: int, amount: int, voided: int = 0) -> None:
    line.voided += voided
    if kind == "earn":
        line.awards += n
        line.points_awarded += points
        line.sales_satang += amount
    else:
        line.redemptions += n
        line.points_redeemed += -points


def daily_report(services: Services, day: str | None) -> DailyReport:

    day = day or services.today()
    start, end = services.day_bounds_ms(day)
    report = DailyReport(date=day)
    with services.ledger.read() as conn:
        staff_names = services.ledger.staff_names(conn)
        rows = _activity(services, conn, start, end)
        report.per_currency = _currency_lines(services.ledger.currency_activity(conn, start, end))
    cashiers: dict[str, ReportLine] = {}
    rewards: dict[str, ReportLine] = {}
    hours: dict[int, ReportLine] = {}
    for op, reward, hour, kind, n, points, amount, voided in rows:
        _add(cashiers.setdefault(op, ReportLine(staff_names.get(op, op), code=op)), kind, n, points, amount, voided)
        _add(hours.setdefault(hour, ReportLine(f"{hour:02d}:00", code=f"{hour:02d}")), kind, n, points, amount,
             voided)
        _add(report.totals, kind, n, points, amount, voided)
        if kind == "redeem":
            _add(rewards.setdefault(reward or "discount", ReportLine(reward or "discount", code=reward or "")),
                 kind, n, points, amount, voided)
    report.per_cashier = sorted(cashiers.values(), key=lambda x: x.key)
    report.per_reward = sorted(rewards.values(), key=lambda x: x.key)
    report.per_hour = [hours[h] for h in sorted(hours)]
    return report


def _activity(services: Services, conn: Any, start: int, end: int) -> list[tuple[Any, ...]]:
    """The report's groups ``(operator, reward, hours since start, kind, count, points, amount, voided)``,
    voided operations taken out of the count, points and amount and counted in ``voided``: the one place the
    CLI's and the window's reports decide what a void does to a number."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for op, reward, hour, kind, n, points, amount in services.ledger.day_activity(conn, start, end):
        groups[(op, reward, hour, kind)] = [int(n), int(points or 0), int(amount or 0), 0]
    for op, reward, hour, kind, n, points, amount in services.ledger.voided_activity(conn, start, end):
        group = groups.get((op, reward, hour, kind))
        if group is None:  # cannot happen: a voided entry is inside its own group
            continue
        group[0] -= int(n)
        group[1] -= int(points or 0)
        group[2] -= int(amount or 0)
        group[3] += int(n)
    return [(*key, *values) for key, values in groups.items()]


def _currency_lines(rows: list[tuple[Any, ...]]) -> list[CurrencyLine]:
    return [CurrencyLine(code, int(n), int(minor or 0), int(satang or 0)) for code, n, minor, satang in rows]


def currency_text(lines: list[CurrencyLine]) -> list[str]:
    """"Paid in other currencies" lines of a report (none when every sale was in baht)."""
    if not lines:
        return []
    out = ["", _("Paid in other currencies (included above in baht)")]
    out += [_("{code}: {n:,} sales, {money} = {baht}").format(
        code=c.currency, n=c.sales, money=format_money(c.amount_minor, c.currency), baht=format_baht(c.sales_satang))
        for c in lines]
    return out


@dataclass
class RangeReport:
    """Awards and redemptions of this terminal from ``date_from`` to ``date_to`` (both included, Bangkok days),
    one line per cashier, reward or hour of the day, and the totals."""

    date_from: str
    date_to: str
    by: str
    lines: list[ReportLine] = field(default_factory=list)
    totals: ReportLine | None = None
    per_currency: list[CurrencyLine] = field(default_factory=list)
    """Sales paid in other currencies, in them and in baht (the baht is inside ``lines`` and ``totals``)."""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(_("{value} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-29.").format(
            value=repr(text))) from None


def _range_bounds(services: Services, date_from: str, date_to: str, by: str) -> tuple[int, int]:
    """[start, end) in ms of a report's Bangkok days, or one clear refusal."""
    if by not in REPORT_GROUPINGS:
        raise InvalidInput(_("A report is by cashier, reward or hour, not {by}.").format(by=repr(by)))
    first, last = _day(date_from), _day(date_to)
    if last < first:
        raise InvalidInput(_("The report's end date {to} is before its start date {start}.").format(
            to=last.isoformat(), start=first.isoformat()))
    if (last - first).days + 1 > MAX_REPORT_DAYS:
        raise InvalidInput(_("A report covers at most {days} days.").format(days=MAX_REPORT_DAYS))
    start, _unused = services.day_bounds_ms(first.isoformat())
    _unused, end = services.day_bounds_ms(last.isoformat())
    return start, end


def range_report(services: Services, date_from: str, date_to: str, by: str) -> RangeReport:
    """The manager's report for a date range, by ``cashier``, ``reward`` or ``hour`` (of the day)."""
    start, end = _range_bounds(services, date_from, date_to, by)
    first, last = _day(date_from), _day(date_to)

    def run() -> tuple[dict[str, str], list[tuple[Any, ...]], list[RewardView], list[tuple[Any, ...]]]:
        with services.ledger.read() as conn:
            return (services.ledger.staff_names(conn), _activity(services, conn, start, end),
                    [reward_view(r) for r in services.ledger.list_rewards(conn, active_only=False)],
                    services.ledger.currency_activity(conn, start, end))

    staff_names, rows, rewards, currency_rows = services._call(run)
    reward_names = {r.code: r.display_name() for r in rewards}
    report = RangeReport(date_from=first.isoformat(), date_to=last.isoformat(), by=by, totals=ReportLine("total"),
                         per_currency=_currency_lines(currency_rows))
    groups: dict[Any, ReportLine] = {}
    for op, reward, hours_since_start, kind, n, points, amount, voided in rows:
        assert report.totals is not None
        _add(report.totals, kind, n, points, amount, voided)
        if by == "cashier":
            key: Any = op
            label, code = staff_names.get(op, op), op
        elif by == "hour":
            key = int(hours_since_start) % 24  # Bangkok has no daylight saving: every day starts at 00:00
            label, code = f"{key:02d}:00", f"{key:02d}"
        else:
            if kind != "redeem":
                continue
            key = code = reward or ""
            label = reward_names.get(reward, reward) if reward else _("Points as a discount")
        _add(groups.setdefault(key, ReportLine(label, code=code)), kind, n, points, amount, voided)
    order = sorted(groups) if by == "hour" else sorted(groups, key=lambda k: groups[k].key)
    report.lines = [groups[k] for k in order]
    return report


@dataclass(frozen=True)
class ReportOperation:
    """One award or redemption behind a number of a report (a drill-down line)."""

    entry_id: str
    kind: str                   # earn (an award) or redeem
    sale_at_ms: int
    operator_id: str
    operator_name: str
    member_id: str
    member_name: str
    member_phone_masked: str    # only the last four digits (core.phone.mask_phone)
    reward_code: str | None
    reward_name: str | None     # None for an award; "Points as a discount" for a redemption without a reward
    points: int                 # + earned / - redeemed
    amount_satang: int | None   # the sale of an award (in baht), the discount of a points redemption
    receipt_ref: str | None
    offline: bool               # recorded while the counter could not reach the server
    approved_by: str | None     # the manager's name (an approval on the operation itself)
    voided: bool
    voided_approved_by: str | None  # the manager who approved the void


MAX_DRILL_DOWN = 1000


def report_operations(services: Services, date_from: str, date_to: str, by: str, code: str | None,
                      limit: int = MAX_DRILL_DOWN) -> list[ReportOperation]:
    """The operations behind one line of :func:`range_report` (``code`` is the line's ``code``; None: the
    totals), oldest first, at most ``limit``. Voided operations are listed, marked ``voided``: the report's
    numbers leave them out, the drill-down shows that they happened."""
    start, end = _range_bounds(services, date_from, date_to, by)
    filters: dict[str, Any] = {}
    if code is not None:
        if by == "cashier":
            filters["operator_id"] = code
        elif by == "reward":
            filters["reward_code"] = code
        else:
            try:
                hour = int(code)
            except ValueError:
                hour = -1
            if not 0 <= hour <= 23:
                raise InvalidInput(_("An hour of the day is 00 to 23, not {hour}.").format(hour=repr(code)))
            filters["hour_of_day"] = hour
    elif by == "reward":
        filters["redemptions_only"] = True

    def run() -> tuple[dict[str, str], list[tuple[Any, ...]], list[RewardView]]:
        with services.ledger.read() as conn:
            return (services.ledger.staff_names(conn),
                    services.ledger.report_operations(conn, start, end, limit=limit, **filters),
                    [reward_view(r) for r in services.ledger.list_rewards(conn, active_only=False)])

    names, rows, rewards = services._call(run)
    reward_names = {r.code: r.display_name() for r in rewards}
    out = []
    for (entry_id, kind, sale_at, operator, member_id, reward, points, amount, receipt, offline, approved_by,
         _currency, _minor, member_name, phone, voided_by, voided) in rows:
        operator = operator or "-"
        reward_name = None if kind != "redeem" else (
            reward_names.get(reward, reward) if reward else _("Points as a discount"))
        out.append(ReportOperation(
            entry_id=entry_id, kind=kind, sale_at_ms=int(sale_at), operator_id=operator,
            operator_name=names.get(operator, operator), member_id=member_id, member_name=member_name or "",
            member_phone_masked=mask_phone(phone), reward_code=reward, reward_name=reward_name, points=int(points),
            amount_satang=amount, receipt_ref=receipt, offline=bool(offline),
            approved_by=names.get(approved_by, approved_by) if approved_by else None, voided=bool(voided),
            voided_approved_by=names.get(voided_by, voided_by) if voided_by else None))
    return out


CSV_COLUMNS = ("key", "awards", "points_awarded", "sales_baht", "redemptions", "points_redeemed", "voided")


def report_csv(report: RangeReport) -> str:
    """The report as CSV (UTF-8, one header row of stable column names, amounts in baht with 2 decimals, the
    totals last), as a spreadsheet opens it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([report.by, *CSV_COLUMNS[1:]])
    lines = [*report.lines, *([report.totals] if report.totals is not None else [])]
    for line in lines:
        name = _("Total") if line is report.totals else line.key
        baht = f"{line.sales_satang // 100}.{line.sales_satang % 100:02d}"
        writer.writerow([name, line.awards, line.points_awarded, baht, line.redemptions, line.points_redeemed,
                         line.voided])
    return out.getvalue()


def report_text(report: RangeReport) -> str:
    """The report as a plain-text table (the CLI's output)."""
    title = {"cashier": _("By cashier"), "reward": _("By reward"), "hour": _("By hour")}[report.by]
    out = [_("Report {start} to {end}").format(start=report.date_from, end=report.date_to) + " · " + title, ""]
    out.append(f"{'':<24}{_('Awards'):>8}{_('Points awarded'):>16}{_('Sales'):>16}{_('Redemptions'):>13}"
               f"{_('Points redeemed'):>17}{_('Voided'):>8}")
    lines = [*report.lines, *([report.totals] if report.totals is not None else [])]
    for line in lines:
        name = _("Total") if line is report.totals else line.key
        out.append(f"{name[:24]:<24}{line.awards:>8,}{line.points_awarded:>16,}{format_baht(line.sales_satang):>16}"
                   f"{line.redemptions:>13,}{line.points_redeemed:>17,}{line.voided:>8,}")
    out.append("")
    out.append(_("Voided operations are not counted in the numbers; the Voided column says how many there were."))
    out += currency_text(report.per_currency)
    return "\n".join(out)


def doctor(services: Services) -> dict[str, Any]:
    """Everything IT asks first: the file, its schema, its checks, backups, disk, identity, queue."""
    ledger = services.ledger
    checks: list[dict[str, Any]] = []

    def check(name: str, ok: bool, detail: str) -> None:
        checks.append({"check": name, "ok": ok, "detail": detail})

    problems = integrity_problems(ledger.path)
    check("integrity", not problems, _("SQLite integrity check passed") if not problems else problems[0])
    verify = ledger.verify()
    check("hash_chain", verify.chain_ok, _("{n} entries, chain intact").format(n=verify.entries) if verify.chain_ok
          else _("chain broken at entry {entry}").format(entry=verify.chain_break_at))
    check("balances", not verify.balance_mismatches,
          _("{n} members, every balance equals the sum of its entries").format(n=verify.members)
          if not verify.balance_mismatches
          else _("balances differ from entries for {n} members").format(n=len(verify.balance_mismatches)))
    current = migrate.current_revision(ledger.engine)
    check("schema", current == migrate.head_revision(), _("schema revision {rev}").format(rev=current))
    backups = backup_mod.list_backups(services.data_dir)
    check("backup", bool(backups), _("latest backup {path}").format(path=backups[0].path) if backups
          else _("no backup yet: run 'pos-terminal backup'"))
    usage = shutil.disk_usage(services.data_dir)
    free_mb = usage.free // (1024 * 1024)
    check("disk", free_mb >= 200, _("{mb} MB free").format(mb=free_mb))
    with ledger.read() as conn:
        mode = ledger.get_meta(conn, "mode") or "standalone"
        acked = int(ledger.get_meta(conn, "acked_seq") or 0)
        queued = ledger.outbox_count_after(conn, acked)
        info = {
            "terminal_id": ledger.terminal_id,
            "branch_id": ledger.get_meta(conn, "branch_id"),
            "mode": mode,
            "server_url": ledger.get_meta(conn, "server_url"),
            "rules_version": ledger.get_meta(conn, "rules_version"),
            "queued_for_upload": queued,
            "last_sync_ok_ms": ledger.get_meta(conn, "last_sync_ok_ms"),
            "last_sync_error": ledger.get_meta(conn, "last_sync_error"),
        }
    return {"ok": all(c["ok"] for c in checks if c["check"] != "backup"), "data_dir": str(services.data_dir),
            "ledger": str(ledger.path), "checks": checks, **info}


def doctor_without_ledger(data_dir: Path, problem: str) -> dict[str, Any]:
    """What ``doctor`` can still report when the ledger cannot be opened (empty, missing beside a credential,
    written by a newer version, read-only, damaged): the ledger's problem first, then what needs no ledger."""
    from pos_app.ledger.db import LEDGER_FILENAME
    from pos_app.ledger.sync_store import CREDENTIAL_FILENAME

    checks: list[dict[str, Any]] = [{"check": "ledger", "ok": False, "detail": problem}]
    credential = data_dir / CREDENTIAL_FILENAME
    checks.append({"check": "identity", "ok": True, "detail": _("enrolled: credential {path}").format(path=credential)
                   if credential.exists() else _("no sync credential (standalone)")})
    backups = backup_mod.list_backups(data_dir) if data_dir.is_dir() else []
    checks.append({"check": "backup", "ok": bool(backups), "detail": _("latest backup {path}").format(
        path=backups[0].path) if backups else _("no backup in {folder}").format(folder=data_dir / "backups")})
    if data_dir.is_dir():
        free_mb = shutil.disk_usage(data_dir).free // (1024 * 1024)
        checks.append({"check": "disk", "ok": free_mb >= 200, "detail": _("{mb} MB free").format(mb=free_mb)})
    return {"ok": False, "data_dir": str(data_dir), "ledger": str(data_dir / LEDGER_FILENAME), "checks": checks,
            "terminal_id": None, "mode": "enrolled" if credential.exists() else None, "queued_for_upload": None}
