"""Engine creation, migrations and change ids (the order of the change feed)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    create_engine,
    event,
    func,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.exc import InvalidatePoolError

from sync.server import models
from sync.server.models import counters

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, pool_size: int = 10) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # One writer at a time, taken up front: the demo's SQLite behaves like the row locks on PostgreSQL.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size)
    _ping_when_idle(engine)
    return engine


PING_AFTER_IDLE_SECONDS = 10.0
"""A pooled connection unused for longer than this is pinged before it is handed out (see _ping_when_idle)."""


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection with a round trip only when it sat unused for ``PING_AFTER_IDLE_SECONDS``, instead
    of on every checkout (``pool_pre_ping``). Every request of a busy server checks out a connection that was in use
    milliseconds before; with two server processes serving 20 terminals at once on two cores, the ping at each
    checkout was the largest part of the "pool wait" the load bench measured (docs/scaling.md, "The upload path"):
    a round trip, and the wait for the GIL after it. A connection the database dropped since it was last used (a
    restart, a failover) is still never handed out after a quiet spell; one that dies while in use fails its
    transaction, which ``app.run_tx`` runs again on a new connection when it had not reached its commit. A failed
    ping invalidates the whole pool (the other connections are as stale) and a new connection is opened."""

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_conn, record):  # type: ignore[no-untyped-def]
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_conn, record):  # type: ignore[no-untyped-def]
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, _proxy):  # type: ignore[no-untyped-def]
        if time.monotonic() - record.info.get("returned_at", 0.0) < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise InvalidatePoolError() from exc


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url: str) -> None:
    """Bring the database schema to the newest Alembic revision (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")
    if not url.startswith("sqlite"):
        engine = make_engine(url, pool_size=1)
        try:
            with engine.begin() as conn:
                ensure_change_floor(conn)
        finally:
            engine.dispose()


# Change ids on PostgreSQL: ``(writer's transaction id + floor) << CHANGE_SHIFT | n``, n = 1, 2, ... within the
# transaction. Writers take them without any shared lock (so uploads from different terminals commit in
# parallel), and a reader's safe upper bound is the oldest transaction still running in its snapshot
# (``pg_snapshot_xmin``): every transaction below it has finished, and every transaction that has not finished,
# or has not even started, gets a larger id. So a cursor never passes a row that commits later (see
# docs/sync-protocol.md, "Cursor", and docs/scaling.md). The floor keeps the ids above every id already handed
# out (the serialising counter of earlier versions, or a database restored into a new cluster whose transaction
# ids start again from small numbers): ``ensure_change_floor``, run by every server process at start.
# The embedded SQLite demo has one writer at a time and keeps the plain counter.
CHANGE_SHIFT = 20
MAX_CHANGES_PER_TRANSACTION = (1 << CHANGE_SHIFT) - 1
FLOOR_COUNTER = "change_xid_floor"
_XID = "pg_current_xact_id()::text::bigint"
_XMIN = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"


def xid_column() -> Any:
    """SQL for this transaction's id (PostgreSQL), to read with another statement instead of on its own: the
    ``xid`` :func:`take_change_ids` then takes (assigned now if the transaction had none yet)."""
    return literal_column(_XID, BigInteger)


def take_change_ids(conn: Connection, count: int, xid: int | None = None) -> int:
    """Reserve ``count`` consecutive change ids for this transaction; returns the first. ``xid`` (PostgreSQL):
    this transaction's id, read in this transaction already (:func:`xid_column`); None: it is read here.

    PostgreSQL: no lock is taken (see above). SQLite: the UPDATE locks the single counter row until commit, so
    transactions receive change ids in the order in which they commit.
    """
    if count <= 0:
        raise ValueError("count must be positive")
    if not is_postgres(conn):
        row = conn.execute(
            update(counters).where(counters.c.name == "change").values(value=counters.c.value + count)
            .returning(counters.c.value)
        ).one()
        return int(row[0]) - count + 1
    if xid is None:
        xid = int(conn.execute(text(f"SELECT {_XID}")).scalar_one())
    taken = conn.info.get("change_ids_taken")
    used = taken[1] if taken is not None and taken[0] == xid else 0
    if used + count > MAX_CHANGES_PER_TRANSACTION:
        raise ValueError(f"more than {MAX_CHANGES_PER_TRANSACTION} changes in one transaction")
    conn.info["change_ids_taken"] = (xid, used + count)
    return ((xid + change_floor(conn)) << CHANGE_SHIFT) + used + 1


def change_tables() -> list[Any]:
    """Every table whose rows carry a change id (what ``/v1/changes`` hands out)."""
    return [t for t in models.metadata.sorted_tables if "change_id" in t.c]


def change_floor(conn: Connection) -> int:
    """The floor added to transaction ids (read once per database connection; it only grows, at start)."""
    floor = conn.info.get("change_floor")
    if floor is None:
        value = conn.execute(select(counters.c.value).where(counters.c.name == FLOOR_COUNTER)).scalar()
        floor = conn.info["change_floor"] = ensure_change_floor(conn) if value is None else int(value)
    return int(floor)


def ensure_change_floor(conn: Connection) -> int:
    """Raise the floor so that every id from now on is above every change id already in the database (the old
    counter's, or a database restored into a new cluster). Idempotent; PostgreSQL only."""
    counter = conn.execute(select(counters.c.value).where(counters.c.name == "change")).scalar() or 0
    highest = max([int(counter)] + [int(conn.execute(select(func.max(t.c.change_id))).scalar() or 0)
                                    for t in change_tables()])
    xid = int(conn.execute(text(f"SELECT {_XID}")).scalar_one())
    needed = max(0, (highest >> CHANGE_SHIFT) + 1 - xid)
    stored = conn.execute(select(counters.c.value).where(counters.c.name == FLOOR_COUNTER)).scalar()
    if stored is None:
        conn.execute(text("INSERT INTO counters (name, value) VALUES (:n, :v) ON CONFLICT (name) DO UPDATE "
                          "SET value = greatest(counters.value, excluded.value)"), {"n": FLOOR_COUNTER, "v": needed})
    elif int(stored) < needed:
        conn.execute(update(counters).where(counters.c.name == FLOOR_COUNTER)
                     .values(value=func.greatest(counters.c.value, needed)))
    floor = int(conn.execute(select(counters.c.value).where(counters.c.name == FLOOR_COUNTER)).scalar_one())
    conn.info["change_floor"] = floor
    return floor


def change_high_water(conn: Connection) -> Any:
    """SQL for the highest change id a reader may hand out now: every row at or below it has committed (or never
    will), and no row committed later can get an id at or below it."""
    if not is_postgres(conn):
        return select(counters.c.value).where(counters.c.name == "change").scalar_subquery()
    return literal_column(f"((({_XMIN}) + {change_floor(conn)}) << {CHANGE_SHIFT}) - 1", BigInteger)



ERASURE_TABLES = ("members", "received", "flags", "console_audit")
"""The tables an erasure rewrites (``service.erase_member``)."""


def scrub_after_erasure(engine: Engine, full: bool = False) -> None:
    """After an erasure committed, make the old row versions go from the live database files (docs/privacy.md).

    PostgreSQL: an UPDATE leaves the old row version (the name and phone) in the table's pages until VACUUM
    removes it; ``VACUUM`` of the rewritten tables makes the space reusable and drops the old index entries at
    once, so neither a dump nor the live tables hold them; the freed bytes stay in the data files until pages are
    reused, and ``full`` (``VACUUM FULL``: rewrites the tables and their indexes under an exclusive lock, a
    pause for the counters' uploads on a large chain) removes them from the files too. What WAL segments and base backups hold is covered by
    their retention (docs/privacy.md). The embedded SQLite demo: ``VACUUM`` rewrites the file without free pages,
    then the WAL is checkpointed and truncated."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ERASURE_TABLES:
                conn.exec_driver_sql(f"VACUUM {'FULL ' if full else ''}{table}")
        return
    raw = engine.raw_connection()
    try:
        raw.execute("VACUUM")  # type: ignore[attr-defined]
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[attr-defined]
    finally:
        raw.close()
