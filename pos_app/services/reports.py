"""Read-only reports: the manager's daily report and IT's health check."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos_app.core.i18n import _
from pos_app.ledger import backup as backup_mod
from pos_app.ledger import migrate
from pos_app.ledger.db import integrity_problems

if TYPE_CHECKING:
    from pos_app.services.terminal import DailyReport, Services

def _add(line: Any, kind: str, n: int, points: int, amount: int) -> None:
    if kind == "earn":
        line.awards += n
        line.points_awarded += points
        line.sales_satang += amount
    else:
        line.redemptions += n
        line.points_redeemed += -points


def daily_report(services: Services, day: str | None) -> DailyReport:
    from pos_app.services.terminal import DailyReport, ReportLine

    day = day or services.today()
    start, end = services.day_bounds_ms(day)
    report = DailyReport(date=day)
    with services.ledger.read() as conn:
        staff_names = services.ledger.staff_names(conn)
        rows = services.ledger.day_activity(conn, start, end)
    cashiers: dict[str, ReportLine] = {}
    rewards: dict[str, ReportLine] = {}
    hours: dict[int, ReportLine] = {}
    for op, reward, hour, kind, n, points, amount in rows:
        _add(cashiers.setdefault(op, ReportLine(staff_names.get(op, op))), kind, n, points, amount)
        _add(hours.setdefault(hour, ReportLine(f"{hour:02d}:00")), kind, n, points, amount)
        _add(report.totals, kind, n, points, amount)
        if kind == "redeem":
            _add(rewards.setdefault(reward or "discount", ReportLine(reward or "discount")), kind, n, points, amount)
    report.per_cashier = sorted(cashiers.values(), key=lambda x: x.key)
    report.per_reward = sorted(rewards.values(), key=lambda x: x.key)
    report.per_hour = [hours[h] for h in sorted(hours)]
    return report


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
