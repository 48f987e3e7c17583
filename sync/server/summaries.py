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
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
    branches = terminal_branches(conn)
    done = 0
    upto = int(upto)
    while upto < high and done < max_rows:
        # the change id of the BATCH_ROWS-th entry after the watermark bounds this batch (whole change ids only)
        edge = conn.execute(select(m.entries.c.change_id).where(m.entries.c.change_id > upto,
                                                                m.entries.c.change_id <= high)
                            .order_by(m.entries.c.change_id).offset(BATCH_ROWS - 1).limit(1)).scalar()
        stop = high if edge is None else int(edge)
        hour = func.substr(m.entries.c.sale_at, 1, 13)
        rows = conn.execute(
            select(hour, m.entries.c.terminal_id, m.entries.c.kind, func.sum(m.entries.c.points), func.count())
            .where(m.entries.c.change_id > upto, m.entries.c.change_id <= stop, m.entries.c.quarantined.is_(False))
            .group_by(hour, m.entries.c.terminal_id, m.entries.c.kind)).all()
        sums: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for hour_text, terminal_id, kind, points, count in rows:
            day = (datetime.fromisoformat(f"{hour_text}:00:00+00:00") + BANGKOK).date()
            cell = sums[(day, branches.get(terminal_id or "", "HQ"), kind)]
            cell[0] += int(points)
            cell[1] += int(count)
            done += int(count)
        _add(conn, sums)
        upto = stop
        conn.execute(update(m.counters).where(m.counters.c.name == WATERMARK).values(value=upto))
    return RefreshResult(done, upto >= high)


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


def outstanding(conn: Connection) -> int:
    """Points held by members: every counted entry ever (the same as the sum of balances, read from the totals)."""
    return int(conn.execute(select(func.coalesce(func.sum(m.entry_totals.c.points), 0))).scalar_one())
