"""Engine creation, migrations and the serialising change counter."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, select, update

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
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


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


def take_change_ids(conn: Connection, count: int) -> int:
    """Reserve ``count`` change ids; returns the first. Call it LAST in a writing transaction.

    The UPDATE locks the single counter row until commit, so transactions receive change ids in the order in
    which they commit. A reader that sees id N therefore also sees every id below N.
    """
    if count <= 0:
        raise ValueError("count must be positive")
    row = conn.execute(
        update(counters).where(counters.c.name == "change").values(value=counters.c.value + count)
        .returning(counters.c.value)
    ).one()
    return int(row[0]) - count + 1


def current_change_id(conn: Connection) -> int:
    return int(conn.execute(select(counters.c.value).where(counters.c.name == "change")).scalar_one())
