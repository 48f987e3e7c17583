"""Opening the local ledger file: durability settings, write transactions, integrity at start.

SQLite in WAL mode with ``synchronous=FULL`` and every write in ``BEGIN IMMEDIATE``: a write either waits
for the single writer slot up front or fails at once, never half-way, and nothing is reported done before
its commit has reached the disk.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from pos_app.core.i18n import _

LEDGER_FILENAME = "ledger.sqlite3"
BUSY_TIMEOUT_MS = 5000


class LedgerError(Exception):
    """A ledger problem with a one-line, translated ``message`` for the person at the counter or IT."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LedgerCorrupt(LedgerError):
    pass


class LedgerFull(LedgerError):
    pass


class LedgerBusy(LedgerError):
    pass


class LedgerReadOnly(LedgerError):
    """The data folder or a ledger file cannot be written by this user: a permission problem, not damage."""


class LedgerTooNew(LedgerError):
    """The ledger's schema was written by a newer version of the app than this one."""


class LedgerMissing(LedgerError):
    """The ledger file is empty or gone where a terminal existed (credential or backups present)."""


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


def fix_permissions_command(data_dir: Path) -> str:
    """The command that gives the current user back the data folder (what IT types)."""
    from pos_app.ledger.files import fix_command

    return fix_command(data_dir, _user())


def _writable_file(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    os.close(fd)
    return True


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # no statvfs on Windows
        return False


def permission_problem(data_dir: Path) -> LedgerReadOnly | None:
    """Whether this user can write the data folder and the ledger files in it (None when it can).

    Checked before anything else on open: a read-only folder must be reported as what it is, never as a
    failed integrity check with the advice to restore a backup (a destructive step for a permission problem).
    """
    if not data_dir.is_dir():
        return None
    fix = fix_permissions_command(data_dir)
    if _read_only_mount(data_dir):
        return LedgerReadOnly(_("The data folder {path} is on a read-only disk (a permission problem, nothing is "
                                "damaged): mount it read-write, then try again.").format(path=data_dir))
    if not os.access(data_dir, os.W_OK | os.X_OK):
        return LedgerReadOnly(_("The data folder {path} is read-only for user {user} (a permission problem, nothing "
                                "is damaged). Fix it with: {command}").format(path=data_dir, user=_user(),
                                                                             command=fix))
    for name in (LEDGER_FILENAME, LEDGER_FILENAME + "-wal", LEDGER_FILENAME + "-shm"):
        if not _writable_file(data_dir / name):
            return LedgerReadOnly(_("The ledger file {path} cannot be written by user {user} (a permission problem, "
                                    "nothing is damaged). Fix it with: {command}").format(
                path=data_dir / name, user=_user(), command=fix))
    return None


def one_line(problem: str, limit: int = 100) -> str:
    """SQLite's multi-line integrity report as one short line (``*** in database main ***`` dropped)."""
    text = " ".join(problem.replace("*** in database main ***", " ").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE instead of pysqlite's implicit deferred BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted and overwritten content is zeroed, not left in free space: an erased member's name and phone
    # must really leave the file (docs/privacy.md). Costs a little extra writing on updates, none on inserts.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    # Writers take the write lock up front (BEGIN IMMEDIATE); readers use a deferred BEGIN, so in WAL mode
    # they never wait for, or hold up, the single writer.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("immediate") else "BEGIN")


def create_ledger_engine(path: Path) -> Engine:
    """An engine on ``path`` with WAL + synchronous=FULL and BEGIN IMMEDIATE transactions."""
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=NullPool if str(path) == ":memory:" else None,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


DATABASE_ERRORS: tuple[type[BaseException], ...] = (DBAPIError, sqlite3.Error)
"""Every failure the database layer can raise (for callers that must never let one through raw)."""


def translate_sqlite_error(exc: BaseException, path: Path | None = None) -> LedgerError | None:
    """Map low-level SQLite failures to messages a person can act on (None if not one of those).

    ``path``: the ledger file, to tell a permission problem from damage."""
    text = str(getattr(exc, "orig", exc)).lower()
    if path is not None and ("readonly" in text or "unable to open" in text or "permission" in text):
        denied = permission_problem(path.parent)
        if denied is not None:
            return denied
    if "readonly" in text:
        return LedgerReadOnly(_("The ledger cannot be written (read-only: a permission problem, nothing is "
                                "damaged): nothing was recorded. Run 'pos-terminal doctor' for the fix."))
    if "database or disk is full" in text or "disk i/o error" in text and "full" in text:
        return LedgerFull(_("The disk is full: nothing was recorded. Free some space or call IT, then try again."))
    if "database is locked" in text or "database is busy" in text:
        return LedgerBusy(_("The ledger is busy with another task: nothing was recorded. Try again in a moment."))
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return LedgerCorrupt(
            _("The local ledger file is damaged. Restore the latest backup (pos-terminal restore) or call IT.")
        )
    return None


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` on the file; an empty list means the file is sound."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        rows = con.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        con.close()
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One durable write transaction (BEGIN IMMEDIATE ... COMMIT)."""
    with engine.connect() as conn:
        conn.info["immediate"] = True
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop("immediate", None)
