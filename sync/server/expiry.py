"""Points expiry on the central server (for enrolled terminals; a standalone terminal expires points itself).

``expire_points`` replays each candidate member's entries with :func:`pos_app.core.expiry.due_expiries` under the
ACTIVE rules bundle's expiry policy and appends one ``expire`` entry per due grant (``points = -remaining``,
``corrects_id`` = the grant, terminal ``server``). The entries and the members' new balances take change ids, so
every terminal pulls them like the server's overdraft entries.

Safety with several server processes:

* one run at a time: on PostgreSQL a session-level advisory lock (``pg_try_advisory_lock``); a process that
  cannot take it skips the run (another process is doing the work). On SQLite (the single-process demo) a
  process-local lock does the same.
* idempotent even if two runs race anyway (or an upload arrives meanwhile): each batch locks its member rows
  (``SELECT ... FOR UPDATE``, in id order like an upload) and replays the entries it reads AFTER taking the
  lock, so a grant that another transaction has just expired has nothing left to expire.

Spent points are never expired: the replay consumes grants FIFO by expiry (what ``core`` does), so an
``expire`` entry only takes what is left of a grant. Members with an active online reservation are left for the
next run (their held points must stay available to the pending redemption).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, exists, or_, select, text, update

from sync import protocol as p
from sync.server import models as m
from sync.server import service as svc
from sync.server.db import take_change_ids

log = logging.getLogger("sync.server.expiry")

ADVISORY_LOCK_KEY = 0x4C4F59455850  # "LOYEXP": the expiry job's lock, one per database
_local_lock = threading.Lock()


@dataclass
class ExpiryRun:
    """What one run did. ``ran`` is False when another process held the job lock (nothing was done here)."""

    ran: bool
    now: str
    rules_version: int | None = None
    months: int | None = None
    members_checked: int = 0
    members_expired: int = 0
    entries: int = 0
    points: int = 0
    skipped_with_holds: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _active_rules(conn: Connection) -> Any:
    from pos_app.core.rules import RulesBundle

    row = conn.execute(select(m.rules.c.version, m.rules.c.bundle_json).where(m.rules.c.active.is_(True))
                       .order_by(m.rules.c.version.desc()).limit(1)).first()
    return None if row is None else RulesBundle.from_json(row.bundle_json)


def _candidates(conn: Connection, months: int, now: datetime, after: str, limit: int) -> list[str]:
    """Members with a positive balance and at least one positive entry old enough to have expired by ``now``.

    A grant made at ``t`` expires at the end of the day ``months`` calendar months after ``t`` (Thai date), which
    is always later than ``t + 28 * months - 1`` days; sale times are stored as fixed-width UTC text
    (``YYYY-MM-DDTHH:MM:SS.mmmZ``), so a text comparison orders them. The prefilter only skips members that
    cannot have anything due; the replay decides.
    """
    cutoff = p.format_utc(now - timedelta(days=28 * months - 2))
    old_grant = exists().where(m.entries.c.member_id == m.members.c.id, m.entries.c.points > 0,
                               m.entries.c.sale_at <= cutoff, m.entries.c.quarantined.is_(False))
    # A standalone terminal that joined the chain and has not uploaded all its pre-enrollment records yet: its
    # members wait (their own expiries made while standalone may still be on the way; expiring first would
    # expire a grant twice).
    joining = select(m.terminals.c.id).where(m.terminals.c.takeover_seq.is_not(None),
                                             m.terminals.c.applied_seq < m.terminals.c.takeover_seq)
    return list(conn.execute(
        select(m.members.c.id).where(m.members.c.balance > 0, m.members.c.merged_into.is_(None),
                                     m.members.c.id > after, old_grant,
                                     or_(m.members.c.terminal_id.is_(None), m.members.c.terminal_id.not_in(joining)))
        .order_by(m.members.c.id).limit(limit)).scalars())


def _moves(rows: list[Any]) -> list[Any]:
    from pos_app.core.expiry import LedgerMove

    out = []
    for row in rows:
        corrects = row.corrects_id if row.kind != "earn" else None
        out.append(LedgerMove(entry_id=row.id, kind=row.kind, points=int(row.points),
                              at=p.parse_utc(row.sale_at), corrects_id=corrects))
    return out


def _expire_batch(conn: Connection, member_ids: list[str], policy: Any, now: datetime) -> ExpiryRun:
    """One transaction; returns its own counts (added to the run's only after commit: run_tx may retry)."""
    from pos_app.core.errors import RuleError
    from pos_app.core.expiry import due_expiries

    run = ExpiryRun(ran=True, now=p.format_utc(now))
    locked = {r.id: r for r in conn.execute(
        select(m.members.c.id, m.members.c.balance).where(svc._in(conn, m.members.c.id, member_ids))
        .order_by(m.members.c.id).with_for_update())}
    held = {r[0] for r in conn.execute(
        select(m.reservations.c.member_id).where(svc._in(conn, m.reservations.c.member_id, list(locked)),
                                                 m.reservations.c.status == "held",
                                                 m.reservations.c.expires_at > now).distinct())}
    ids = [mid for mid in locked if int(locked[mid].balance) > 0 and mid not in held]
    run.skipped_with_holds += len(held)
    if not ids:
        return run
    by_member: dict[str, list[Any]] = {mid: [] for mid in ids}
    for row in conn.execute(select(m.entries.c.id, m.entries.c.member_id, m.entries.c.kind, m.entries.c.points,
                                   m.entries.c.sale_at, m.entries.c.corrects_id)
                            .where(svc._in(conn, m.entries.c.member_id, ids),
                                   m.entries.c.quarantined.is_(False))):  # quarantined pairs net to zero
        by_member[row.member_id].append(row)
    due: list[tuple[str, str, int]] = []  # (member, grant, points)
    for mid in ids:
        run.members_checked += 1
        try:
            for grant_id, points in due_expiries(_moves(by_member[mid]), policy, now):
                due.append((mid, grant_id, points))
        except (RuleError, ValueError, KeyError) as exc:  # a ledger the replay refuses: report, never guess
            log.error("expiry: member %s skipped: %s", mid, exc)
            run.failed.append(mid)
    if not due:
        return run
    members_hit = sorted({mid for mid, _g, _pts in due})
    change = take_change_ids(conn, len(due) + len(members_hit))  # LAST lock taken (see db.take_change_ids)
    rows = []
    lost: dict[str, int] = {}
    for mid, grant_id, points in due:
        rows.append(svc._server_entry({"member_id": mid, "points": -points, "kind": "expire",
                                       "corrects_id": grant_id, "reason": "expiry", "operator_id": "system"},
                                      change, now))
        lost[mid] = lost.get(mid, 0) + points
        change += 1
    svc._insert_entries(conn, rows)
    conn.execute(update(m.members).where(m.members.c.id == bindparam("b_id")).values(
        balance=m.members.c.balance - bindparam("b_lost"), change_id=bindparam("b_change")),
        [{"b_id": mid, "b_lost": lost[mid], "b_change": change + i} for i, mid in enumerate(members_hit)])
    run.members_expired += len(members_hit)
    run.entries += len(rows)
    run.points += sum(lost.values())
    return run


def expire_points(engine: Engine, now: datetime | None = None, batch_size: int = 200,
                  take_job_lock: bool = True) -> ExpiryRun:
    """Expire every due grant as of ``now`` (default: the current time). One transaction per batch of members.

    ``take_job_lock=False`` skips the one-run-at-a-time lock (tests use it to race two runs on purpose).
    """
    from sync.server.app import run_tx

    now = now or svc.utcnow()
    run = ExpiryRun(ran=False, now=p.format_utc(now))
    guard: Connection | None = None
    local = False
    if take_job_lock:
        if engine.dialect.name == "postgresql":
            guard = engine.connect()
            if not guard.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar_one():
                guard.rollback()
                guard.close()
                log.info("expiry: another server process is running the job; skipped")
                return run
            guard.commit()  # the session lock outlives the transaction; the connection stays out of the pool
        elif not _local_lock.acquire(blocking=False):
            return run
        else:
            local = True
    try:
        run.ran = True
        rules = run_tx(engine, _active_rules)
        if rules is None or rules.expiry.months is None:
            log.info("expiry: no active rules or points never expire; nothing to do")
            return run
        run.rules_version, run.months = rules.version, rules.expiry.months
        after = ""
        while True:
            batch = run_tx(engine, partial(_candidates, months=rules.expiry.months, now=now, after=after,
                                           limit=batch_size))
            if not batch:
                break
            part = run_tx(engine, partial(_expire_batch, member_ids=batch, policy=rules.expiry, now=now))
            for name in ("members_checked", "members_expired", "entries", "points", "skipped_with_holds"):
                setattr(run, name, getattr(run, name) + getattr(part, name))
            run.failed.extend(part.failed)
            after = batch[-1]
        if run.entries:
            log.info("expiry: %d points in %d grants of %d members expired", run.points, run.entries,
                     run.members_expired)
        return run
    finally:
        if guard is not None:
            try:
                guard.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
                guard.commit()
            finally:
                guard.close()
        if local:
            _local_lock.release()

