"""Totals of points per day (Bangkok), branch and kind, kept up to date from the change feed, so that head office's
dashboard reads a few hundred rows instead of scanning the ledger.

How it stays exact: entries are never updated or deleted, and every entry has a change id; the totals hold
everything up to a watermark (``counters.entry_totals_upto``). A refresh adds the entries between the watermark
and the feed's safe upper bound (``db.change_high_water``: nothing at or below it can still commit), in batches,
and moves the watermark in the same transaction as the totals. Refreshes never overlap (a PostgreSQL
transaction-level advisory lock; SQLite has one writer), so no entry is counted twice or skipped. Uploads do not
touch the totals (no hot row for every terminal of a branch to queue on): ``serve`` refreshes them every minute
in the background and the dashboard catches up the rest before it reads (``refresh(..., max_rows=...)``).

Quarantined entries and their compensations are left out (they cancel each other); points with any other kind
are counted under their kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text, update

from sync.server import models as m
from sync.server.db import change_high_water, is_postgres

BANGKOK = timedelta(hours=7)
WATERMARK = "entry_totals_upto"
LOCK_KEY = 0x4C4F59534D59  # "LOYSMY": one refresher at a time, per database
BATCH_ROWS = 50_000


@dataclass(frozen=True)
class RefreshResult:
    rows: int
    caught_up: bool


def refresh(conn: Connection, max_rows: int = 500_000) -> RefreshResult:
    """Add the entries written since the last refresh to the totals (at most about ``max_rows``)."""
    if is_postgres(conn):
        got = conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": LOCK_KEY}).scalar()
        if not got:
            return RefreshResult(0, False)  # another process is refreshing right now
    upto = conn.execute(select(m.counters.c.value).where(m.counters.c.name == WATERMARK)).scalar()
    if upto is None:
        conn.execute(insert(m.counters).values(name=WATERMARK, value=0))
        upto = 0
    high = int(conn.execute(select(change_high_water(conn))).scalar_one())
    branches = terminal_branches(conn) if not is_postgres(conn) else {}
    done = 0
    upto = int(upto)
    while upto < high and done < max_rows:
        # the change id of the BATCH_ROWS-th entry after the watermark bounds this batch (whole change ids only)
        edge = conn.execute(select(m.entries.c.change_id).where(m.entries.c.change_id > upto,
                                                                m.entries.c.change_id <= high)
                            .order_by(m.entries.c.change_id).offset(BATCH_ROWS - 1).limit(1)).scalar()
        stop = high if edge is None else int(edge)
        if is_postgres(conn):
            done += _add_in_database(conn, upto, stop)
        else:
            done += _add_in_python(conn, upto, stop, branches)
        upto = stop
        conn.execute(update(m.counters).where(m.counters.c.name == WATERMARK).values(value=upto))
    return RefreshResult(done, upto >= high)


# PostgreSQL: one statement per batch, grouped by Bangkok day and branch inside the database. Grouping by hour and
# terminal in SQL and by day and branch in Python (the SQLite path below) handed Python one row per entry of a busy
# ledger: 51 s for a million entries on the 2-core development machine, against a few seconds here
# (bench/bench_dashboard.py); it matters beyond the first build, because a dashboard request catches up the last
# minute's entries before it reads. The day is the same as ``_add_in_python``'s: the hour of ``sale_at`` (UTC text)
# plus seven hours.
_ADD_SQL = text("""
    WITH batch AS (
        SELECT ((substr(e.sale_at, 1, 13) || ':00:00')::timestamp + interval '7 hours')::date AS day,
               coalesce(b.code, 'HQ') AS branch, e.kind AS kind, sum(e.points) AS points, count(*) AS entries
        FROM entries e
        LEFT JOIN terminals t ON t.id = e.terminal_id
        LEFT JOIN branches b ON b.id = t.branch_id
        WHERE e.change_id > :upto AND e.change_id <= :stop AND NOT e.quarantined
        GROUP BY 1, 2, 3),
    added AS (
        INSERT INTO entry_totals (day, branch, kind, points, entries)
        SELECT day, branch, kind, points, entries FROM batch
        ON CONFLICT (day, branch, kind) DO UPDATE
        SET points = entry_totals.points + excluded.points, entries = entry_totals.entries + excluded.entries)
    SELECT coalesce(sum(entries), 0) FROM batch""")


def _add_in_database(conn: Connection, upto: int, stop: int) -> int:
    return int(conn.execute(_ADD_SQL, {"upto": upto, "stop": stop}).scalar_one())


def _add_in_python(conn: Connection, upto: int, stop: int, branches: dict[str, str]) -> int:
    hour = func.substr(m.entries.c.sale_at, 1, 13)
    rows = conn.execute(
        select(hour, m.entries.c.terminal_id, m.entries.c.kind, func.sum(m.entries.c.points), func.count())
        .where(m.entries.c.change_id > upto, m.entries.c.change_id <= stop, m.entries.c.quarantined.is_(False))
        .group_by(hour, m.entries.c.terminal_id, m.entries.c.kind)).all()
    sums: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0])
    done = 0
    for hour_text, terminal_id, kind, points, count in rows:
        day = (datetime.fromisoformat(f"{hour_text}:00:00+00:00") + BANGKOK).date()
        cell = sums[(day, branches.get(terminal_id or "", "HQ"), kind)]
        cell[0] += int(points)
        cell[1] += int(count)
        done += int(count)
    _add(conn, sums)
    return done


def terminal_branches(conn: Connection) -> dict[str, str]:
    """Terminal id -> its branch code (entries the server made itself count under "HQ")."""
    rows = conn.execute(select(m.terminals.c.id, m.branches.c.code)
                        .join(m.branches, m.branches.c.id == m.terminals.c.branch_id))
    return {r.id: r.code for r in rows}


def _add(conn: Connection, sums: dict[tuple[date, str, str], list[int]]) -> None:
    if not sums:
        return
    t = m.entry_totals
    values = [{"day": day, "branch": branch, "kind": kind, "points": v[0], "entries": v[1]}
              for (day, branch, kind), v in sums.items()]
    if is_postgres(conn):
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(t).values(values)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(t).values(values)  # type: ignore[assignment]
    conn.execute(stmt.on_conflict_do_update(index_elements=[t.c.day, t.c.branch, t.c.kind], set_={
        "points": t.c.points + stmt.excluded.points, "entries": t.c.entries + stmt.excluded.entries}))


def refresh_all(engine: Engine, max_rows: int = 2_000_000) -> RefreshResult:
    """Catch up in transactions of ``BATCH_ROWS``-sized batches (the job of ``serve`` and the CLI)."""
    from sync.server.app import run_tx

    total = 0
    while True:
        step = run_tx(engine, lambda c: refresh(c, max_rows=BATCH_ROWS))
        total += step.rows
        if step.caught_up or step.rows == 0 or total >= max_rows:
            return RefreshResult(total, step.caught_up)


def totals(conn: Connection, start: date, end: date) -> list[tuple[date, str, str, int, int]]:
    """(day, branch, kind, points, entries) for the days from ``start`` to ``end`` inclusive."""
    t = m.entry_totals
    return [(r.day, r.branch, r.kind, int(r.points), int(r.entries)) for r in conn.execute(
        select(t).where(t.c.day >= start, t.c.day <= end).order_by(t.c.day, t.c.branch, t.c.kind))]


def sums(conn: Connection, start: date, end: date, by: str, kinds: tuple[str, ...],
         branches: Iterable[str] | None = None) -> list[tuple[Any, str, int]]:
    """(day or branch, kind, sum of the absolute points) for ``kinds`` from ``start`` to ``end`` inclusive, added
    up in the database (``by``: "day" or "branch"; ``branches``: only these). What the dashboard draws: at most
    days x kinds or branches x kinds rows, however many branches and entries the chain has."""
    t = m.entry_totals
    key = t.c.day if by == "day" else t.c.branch
    query = (select(key, t.c.kind, func.sum(func.abs(t.c.points)))
             .where(t.c.day >= start, t.c.day <= end, t.c.kind.in_(kinds)).group_by(key, t.c.kind))
    if branches is not None:
        query = query.where(t.c.branch.in_(sorted(branches)))
    return [(r[0], r[1], int(r[2])) for r in conn.execute(query)]


def outstanding(conn: Connection) -> int:
    """Points held by members: every counted entry ever (the same as the sum of balances, read from the totals)."""
    return int(conn.execute(select(func.coalesce(func.sum(m.entry_totals.c.points), 0))).scalar_one())
