"""The local ledger: the only code that reads or writes the terminal's SQLite file.

Every method that writes takes the caller's open transaction (``Connection`` from :meth:`Ledger.write`), so a
use case is exactly one ``BEGIN IMMEDIATE`` ... ``COMMIT``. Reads open their own short read transaction.
SQL is SQLAlchemy Core with bound parameters throughout; the hot path (one award) is a handful of
single-row statements on primary keys.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from pos_app.core.i18n import _
from pos_app.core.version import app_version
from pos_app.ledger import locks, migrate, schema
from pos_app.ledger.canonical import GENESIS_HASH, chain_hash
from pos_app.ledger.db import (
    BUSY_TIMEOUT_MS,
    LEDGER_FILENAME,
    LedgerBusy,
    LedgerCorrupt,
    LedgerError,
    LedgerMissing,
    LedgerTooNew,
    create_ledger_engine,
    integrity_problems,
    one_line,
    permission_problem,
    translate_sqlite_error,
)
from pos_app.ledger.files import private_dir, tighten_tree
from pos_app.ledger.ids import new_id
from sync.records import (
    ENTRY_KINDS,
    MAX_BALANCE_POINTS,
    MAX_ENTRY_POINTS,
    MAX_SATANG,
    audit_record,
    canonical_json,
    check_points,
    consent_record,
    content_hash,
    entry_record,
    erased_member_record,
    is_erased_member_record,
    iso_to_ms,
    member_record,
    ms_to_iso,
    sha256_hex,
)

# Double entry: every entry moves points between the member's account and one chain account.
CONTRA_ACCOUNTS = {
    "earn": "chain:issued",
    "redeem": "chain:redeemed",
    "reverse": "chain:reversed",
    "adjust": "chain:adjustments",
    "expire": "chain:expired",
    "overdraft": "chain:overdraft",
}
assert set(CONTRA_ACCOUNTS) == set(ENTRY_KINDS), "every record kind (sync.records.KINDS) has its contra account"


TERMINAL_SCOPE = "terminal"
"""Scope of the PIN guard counting PINs typed without naming anyone (tried against every staff member)."""


def staff_scope(staff_id: str) -> str:
    """Scope of the PIN guard counting attempts at one staff member's PIN."""
    return f"staff:{staff_id}"


RESTORE_PENDING = "restore_pending"
"""Meta key set by ``backup.restore`` on an enrolled terminal: until the sync client has got back this terminal's
own records from the server (``sync_restore_own_records``), no new local record may take a sequence number."""


def now_ms() -> int:
    return time.time_ns() // 1_000_000


SCHEMA_WRITTEN_BY = "schema_written_by"
FREE_SPACE_ZEROED = "free_space_zeroed_ms"
"""Meta key: when the free space of the file was last rewritten as zeros (``VACUUM``, once after the upgrade that
turned ``secure_delete`` on): free pages written by older versions may hold copies of members' names and phones
(docs/privacy.md)."""
"""Meta key: the app version that created or last migrated the ledger's schema."""


def _missing_ledger_problem(data_dir: Path, path: Path) -> LedgerMissing | None:
    """Never create a ledger (a new terminal identity) where one existed: an empty (0-byte) ledger file, or no
    ledger beside an enrolled terminal's credential or beside backups, is refused with the way out."""
    from pos_app.ledger.backup import BACKUP_DIRNAME
    from pos_app.ledger.sync_store import CREDENTIAL_FILENAME  # an enrolled terminal's secret

    credential = data_dir / CREDENTIAL_FILENAME
    backups = data_dir / BACKUP_DIRNAME
    has_backup = backups.is_dir() and any(backups.glob("*.sqlite3"))
    enrolled = credential.exists()
    if path.exists():
        if path.stat().st_size > 0:
            return None
        if has_backup:
            return LedgerMissing(_("The ledger {path} is empty (0 bytes); nothing was created or changed. Way out: "
                                   "restore the latest backup with 'pos-terminal restore'.").format(path=path))
        if enrolled:
            return LedgerMissing(_("The ledger {path} is empty (0 bytes), there is no backup, and this terminal is "
                                   "enrolled ({credential}); nothing was created. Way out: call IT to move both "
                                   "files aside and enroll the terminal again.").format(path=path,
                                                                                       credential=credential))
        return LedgerMissing(_("The ledger {path} is empty (0 bytes) and there is no backup; nothing was created. "
                               "Way out: if this is a new terminal, delete the empty file and run "
                               "'pos-terminal init'.").format(path=path))
    if enrolled:
        if has_backup:
            return LedgerMissing(_("There is no ledger in {folder} but this terminal is enrolled ({credential}); "
                                   "nothing was created. Way out: restore the latest backup with "
                                   "'pos-terminal restore'.").format(folder=data_dir, credential=credential))
        return LedgerMissing(_("There is no ledger in {folder} but this terminal is enrolled ({credential}); "
                               "nothing was created. Way out: put the ledger file back, or call IT to move the "
                               "credential aside and enroll the terminal again.").format(folder=data_dir,
                                                                                        credential=credential))
    if has_backup:
        return LedgerMissing(_("There is no ledger in {folder} but it holds backups; nothing was created. Way out: "
                               "restore the latest with 'pos-terminal restore' (or move the backups folder aside "
                               "to start a new terminal).").format(folder=data_dir))
    return None


def _too_new(engine: Engine, revision: str) -> LedgerTooNew:
    """The refusal for a schema this version does not know, naming the version that wrote it."""
    written_by = None
    try:
        with engine.connect() as conn:
            written_by = conn.execute(text("SELECT value FROM meta WHERE key = :k"),
                                      {"k": SCHEMA_WRITTEN_BY}).scalar_one_or_none()
    except DBAPIError:
        pass
    if written_by:
        return LedgerTooNew(_("This ledger was written by version {version} (this is {mine}); install {version} "
                              "or newer. Nothing was changed.").format(version=written_by, mine=app_version()))
    return LedgerTooNew(_("This ledger was written by a newer version (schema {revision}; this is {mine}); install "
                          "the newer version. Nothing was changed.").format(revision=revision, mine=app_version()))


class OperationConflict(LedgerError):
    """The same operation id was used before for a different request."""


@dataclass(frozen=True)
class NewEntry:
    member_id: str
    kind: str
    points: int
    sale_at_ms: int
    operator_id: str | None
    amount_satang: int | None = None
    receipt_ref: str | None = None
    reward_code: str | None = None
    corrects_id: str | None = None
    rules_version: int | None = None
    tier_code: str | None = None
    lines: tuple[tuple[str, int], ...] = ()
    approved_by: str | None = None
    reason: str | None = None
    offline: bool = False
    reservation_id: str | None = None
    op_id: str | None = None
    clock_offset_ms: int = 0
    entry_id: str | None = None
    currency: str | None = None
    """A sale in another currency: its ISO code, amount in minor units and rate (``amount_satang`` = THB)."""
    amount_minor: int | None = None
    fx_rate: str | None = None
    voucher_id: str | None = None
    """A points-multiplier voucher used with the sale, and its factor (``points`` is already multiplied)."""
    points_factor: int | None = None


@dataclass(frozen=True)
class EntryRow:
    id: str
    terminal_id: str
    seq: int
    member_id: str
    kind: str
    points: int
    amount_satang: int | None
    receipt_ref: str | None
    reward_code: str | None
    corrects_id: str | None
    rules_version: int | None
    tier_code: str | None
    lines: tuple[tuple[str, int], ...]
    sale_at_ms: int
    operator_id: str | None
    approved_by: str | None
    reason: str | None
    offline: bool
    origin: str
    currency: str | None = None
    amount_minor: int | None = None
    fx_rate: str | None = None
    voucher_id: str | None = None
    points_factor: int | None = None
    recorded_at_ms: int = 0  # when this ledger recorded it (the counter's clock; a void's window counts from it)
    op_id: str | None = None  # the counter operation that made it (None: pulled from the server, or expiry)


@dataclass(frozen=True)
class MemberRow:
    id: str
    card_no: str
    name: str
    phone: str | None
    tier: str
    consent: bool
    created_at_ms: int
    terminal_id: str
    member_code: str | None
    flagged: str | None
    points: int
    earned_total: int
    erased_at_ms: int | None = None
    """When the member's personal data was erased here (PDPA): ``name`` is '' and ``phone`` None since."""
    marketing_consent: bool | None = None
    """The member's newest choice about marketing messages; None when never asked."""

    @property
    def erased(self) -> bool:
        return self.erased_at_ms is not None


@dataclass(frozen=True)
class StaffRow:
    id: str
    name: str
    role: str
    pin_hash: str
    active: bool
    origin: str = "local"
    phone: str | None = None
    must_change_pin: bool = False
    demo: bool = False
    unlocked_at_ms: int | None = None


def _staff_from_row(r: Any) -> StaffRow:
    return StaffRow(r.id, r.name, r.role, r.pin_hash, bool(r.active), r.origin, r.phone, bool(r.must_change_pin),
                    bool(r.demo), r.unlocked_at_ms)


@dataclass(frozen=True)
class GuardRow:
    """Failed PIN attempts of one scope (``staff:<id>`` or ``terminal``) for one purpose."""

    scope: str
    purpose: str
    failures: int
    last_failure_at_ms: int
    locked_at_ms: int | None


@dataclass(frozen=True)
class AuditRow:
    id: str
    seq: int
    at_ms: int
    staff_id: str | None
    event: str
    purpose: str | None
    details: dict[str, Any]


@dataclass
class VerifyReport:
    entries: int = 0
    members: int = 0
    chain_ok: bool = True
    balance_mismatches: list[str] = field(default_factory=list)
    chain_break_at: str | None = None
    double_entry_ok: bool = True

    @property
    def ok(self) -> bool:
        return self.chain_ok and not self.balance_mismatches and self.double_entry_ok


def _entry_wire(terminal_id: str, seq: int, entry_id: str, e: NewEntry) -> dict[str, Any]:
    """The entry exactly as it travels to the server (``sync.records.entry_record``)."""
    return entry_record(
        id=entry_id, terminal_id=terminal_id, seq=seq, member_id=e.member_id, kind=e.kind, points=e.points,
        amount_satang=e.amount_satang, receipt_ref=e.receipt_ref, reward_code=e.reward_code,
        corrects_id=e.corrects_id, rules_version=e.rules_version, tier_code=e.tier_code, lines=e.lines,
        sale_at=ms_to_iso(e.sale_at_ms), clock_offset_ms=e.clock_offset_ms, operator_id=e.operator_id,
        approved_by=e.approved_by, reason=e.reason, offline=e.offline, reservation_id=e.reservation_id,
        currency=e.currency, amount_minor=e.amount_minor, fx_rate=e.fx_rate, voucher_id=e.voucher_id,
        points_factor=e.points_factor)


def _member_from_row(row: Any) -> MemberRow:
    """From a row of ``_SQL_MEMBER`` (a plain tuple, in that column order)."""
    (member_id, card_no, name, phone, tier, consent, created_at_ms, terminal_id, member_code, flagged, points,
     earned_total, erased_at_ms, marketing) = row
    return MemberRow(
        id=member_id, card_no=card_no, name=name, phone=phone, tier=tier, consent=bool(consent),
        created_at_ms=created_at_ms, terminal_id=terminal_id, member_code=member_code, flagged=flagged,
        points=points or 0, earned_total=earned_total or 0, erased_at_ms=erased_at_ms,
        marketing_consent=None if marketing is None else bool(marketing),
    )


def _raw(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under ``conn``, inside the same transaction: the hot path skips SQLAlchemy's
    per-statement machinery (measured by bench/bench_ledger.py)."""
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def _entry_from_row(row: Any) -> EntryRow:
    return EntryRow(
        id=row.id, terminal_id=row.terminal_id, seq=row.seq, member_id=row.member_id, kind=row.kind,
        points=row.points, amount_satang=row.amount_satang, receipt_ref=row.receipt_ref,
        reward_code=row.reward_code, corrects_id=row.corrects_id, rules_version=row.rules_version,
        tier_code=row.tier_code,
        lines=tuple((line["category"], line["amount_satang"]) for line in json.loads(row.lines_json)),
        sale_at_ms=row.sale_at_ms, operator_id=row.operator_id, approved_by=row.approved_by,
        reason=row.reason, offline=bool(row.offline), origin=row.origin, recorded_at_ms=row.recorded_at_ms,
        op_id=row.op_id, currency=row.currency, amount_minor=row.amount_minor, fx_rate=row.fx_rate,
        voucher_id=row.voucher_id, points_factor=row.points_factor,
    )


# Hot-path statements: fixed SQL with bound parameters, run on the driver connection (no per-call statement
# building). bench/bench_ledger.py measures the award path against bare sqlite3.
_SQL_MEMBER = (
    "SELECT m.id, m.card_no, m.name, m.phone, m.tier, m.consent, m.created_at_ms, m.terminal_id, m.member_code, "
    "m.flagged, b.points, b.earned_total, m.erased_at_ms, m.marketing_consent FROM members m LEFT JOIN balances b ON b.member_id = m.id WHERE m.{col} = ?"
)
_SQL_MEMBER_BY = {col: _SQL_MEMBER.format(col=col) for col in ("id", "phone", "card_no")}
_SQL_MEMBER_SEARCH = (  # name contains / starts with / has a word starting with (LIKE, '\\' escapes % and _)
    _SQL_MEMBER.split(" WHERE ")[0] + " WHERE m.name LIKE ? ESCAPE '\\' ORDER BY CASE WHEN m.name LIKE ? ESCAPE '\\' "
    "THEN 0 WHEN m.name LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END, m.name, m.id LIMIT ?"
)
_SQL_HAS_NAME_INDEX = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'member_name_index'"
_SQL_MEMBER_NAME_MATCH = (  # the same, the candidates from the trigram index (migration 0011) instead of a scan
    _SQL_MEMBER.split(" FROM ")[0] + " FROM member_name_index f JOIN members m ON m.rowid = f.rowid "
    "LEFT JOIN balances b ON b.member_id = m.id WHERE member_name_index MATCH ? ORDER BY CASE WHEN m.name LIKE ? "
    "ESCAPE '\\' THEN 0 WHEN m.name LIKE ? ESCAPE '\\' THEN 1 ELSE 2 END, m.name, m.id LIMIT ?"
)
_SQL_FIND_OP = "SELECT kind, request_hash, result_json FROM operations WHERE op_id = ?"
_SQL_INSERT_OP = "INSERT INTO operations (op_id, kind, request_hash, result_json, created_at_ms) VALUES (?, ?, ?, ?, ?)"
_SQL_NEXT_SEQ = "SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox"
_SQL_NEXT_LOCAL_SEQ = (
    "SELECT COALESCE(MAX(seq), 0) + 1, (SELECT value FROM meta WHERE key = 'restore_pending') FROM outbox"
)
_SQL_LAST_CHAIN = "SELECT chain_hash FROM entries ORDER BY rowid DESC LIMIT 1"
_SQL_INSERT_OUTBOX = "INSERT INTO outbox (seq, type, ref_id, payload, created_at_ms) VALUES (?, ?, ?, ?, ?)"
_SQL_INSERT_ENTRY = (
    "INSERT INTO entries (id, terminal_id, seq, member_id, kind, points, contra_account, amount_satang, "
    "receipt_ref, reward_code, corrects_id, rules_version, tier_code, lines_json, sale_at_ms, clock_offset_ms, "
    "operator_id, approved_by, reason, offline, reservation_id, op_id, content_hash, chain_hash, origin, "
    "recorded_at_ms, currency, amount_minor, fx_rate, voucher_id, points_factor) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQL_ENTRY_KIND = "SELECT kind FROM entries WHERE id = ?"
_SQL_ADD_BALANCE = (
    "UPDATE balances SET points = points + ?, earned_total = earned_total + ?, updated_at_ms = ? WHERE member_id = ?"
)
_SQL_BALANCE = "SELECT points FROM balances WHERE member_id = ?"
_SQL_RECEIPT_EARNED = (  # an award on the receipt that was not voided (a voided award may be typed again)
    "SELECT 1 FROM entries e WHERE e.receipt_ref = ? AND e.kind = 'earn' AND NOT EXISTS "
    "(SELECT 1 FROM entries v WHERE v.corrects_id = e.id AND v.reason = 'void') LIMIT 1"
)
_SQL_META_ALL = "SELECT key, value FROM meta"
_SQL_DAY_ACTIVITY = (
    "SELECT COALESCE(operator_id, '-'), reward_code, ((sale_at_ms - ?) / 3600000) % 24, kind, COUNT(*), "
    "SUM(points), SUM(COALESCE(amount_satang, 0)) FROM entries "
    "WHERE sale_at_ms >= ? AND sale_at_ms < ? AND kind IN ('earn', 'redeem') AND origin = 'local' "
    "GROUP BY 1, 2, 3, 4"
)


HOUR_MS = 3_600_000

_SQL_HOUR_ACTIVITY = (
    "SELECT operator_id, NULLIF(reward_code, ''), (hour - ?) % 24, kind, SUM(n), SUM(points), SUM(amount_satang) "
    "FROM report_hours WHERE hour >= ? AND hour < ? GROUP BY 1, 2, 3, 4"
)
""":data:`_SQL_DAY_ACTIVITY` from the hourly summary (migration 0009) when the range is whole hours: a month reads
some thousand summary rows instead of grouping every entry (100,000 entries: bench/bench_ui.py), and hands back
a few hundred groups (hours of the day, not hours of the month) for the services to lay out."""

_SQL_VOIDED_ACTIVITY = (
    "SELECT COALESCE(o.operator_id, '-'), o.reward_code, ((o.sale_at_ms - ?) / 3600000) % 24, o.kind, COUNT(*), "
    "SUM(o.points), SUM(COALESCE(o.amount_satang, 0)) FROM entries v CROSS JOIN entries o ON o.id = v.corrects_id "
    "WHERE v.corrects_id IS NOT NULL AND v.kind = 'reverse' AND v.reason = 'void' "
    "AND o.sale_at_ms >= ? AND o.sale_at_ms < ? AND o.kind IN ('earn', 'redeem') AND o.origin = 'local' "
    "GROUP BY 1, 2, 3, 4"
)
"""The voided part of :data:`_SQL_DAY_ACTIVITY`, in the same groups: a scan of the partial index of corrections
(``ix_entries_corrects``: returns and voids only, a small part of the ledger), then one primary-key look-up each.
``CROSS JOIN`` keeps that order (SQLite's planner otherwise walks the month's entries and probes each one for a
void: 100,000 probes for a month; bench/bench_ui.py)."""

_SQL_REPORT_OPERATIONS = (
    "SELECT e.id, e.kind, e.sale_at_ms, e.operator_id, e.member_id, e.reward_code, e.points, e.amount_satang, "
    "e.receipt_ref, e.offline, e.approved_by, e.currency, e.amount_minor, m.name, m.phone, "
    "(SELECT v.approved_by FROM entries v WHERE v.corrects_id = e.id AND v.reason = 'void' "
    " AND v.corrects_id IS NOT NULL LIMIT 1) AS voided_by, "
    "(SELECT COUNT(*) FROM entries v WHERE v.corrects_id = e.id AND v.reason = 'void' "
    " AND v.corrects_id IS NOT NULL) AS voided "
    "FROM entries e LEFT JOIN members m ON m.id = e.member_id "
    "WHERE e.sale_at_ms >= ? AND e.sale_at_ms < ? AND e.kind IN ('earn', 'redeem') AND e.origin = 'local' "
)


_SQL_CURRENCY_ACTIVITY = (
    "SELECT currency, COUNT(*), SUM(amount_minor), SUM(amount_satang) FROM entries e "
    "WHERE sale_at_ms >= ? AND sale_at_ms < ? AND kind = 'earn' AND origin = 'local' AND currency IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.corrects_id = e.id AND v.corrects_id IS NOT NULL "
    "AND v.kind = 'reverse' AND v.reason = 'void') "
    "GROUP BY currency ORDER BY currency"
)
"""Foreign-currency sales of a report, voided ones left out as the report's baht totals leave them out
(:func:`pos_app.services.reports._activity`); a return keeps the sale in both, as it does in baht."""


class Ledger:
    """The terminal's ledger file. Create with :meth:`open`; close with :meth:`close`."""

    def __init__(self, path: Path, engine: Engine, *, clock: Callable[[], int] | None = None,
                 ids: Callable[[], str] | None = None) -> None:
        self.path = path
        self.engine = engine
        # The terminal's clock (ms since the epoch) and id source: injected by tests and the deterministic
        # simulation, so that a seed reproduces the same ledger bytes.
        self.clock: Callable[[], int] = clock or now_ms
        self.new_id: Callable[[], str] = ids or new_id
        # random numbers for what is not an id (card numbers): the system's, or drawn from the injected id source
        self.randbelow: Callable[[int], int] = secrets.randbelow if ids is None else (
            lambda n: int(uuid.UUID(self.new_id()).int & ((1 << 62) - 1)) % n)
        self._terminal_id: str | None = None
        self._held: locks.Held | None = None  # the shared ledger.lock while open (pos_app.ledger.locks)
        # One long-lived connection for writes, used by one thread at a time: SQLite has a single writer
        # anyway, and reusing it saves a pool checkout and a Connection per transaction on the hot path.
        self._write_lock = threading.RLock()
        self._writer: Connection | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, data_dir: Path, *, check_integrity: bool = True, clock: Callable[[], int] | None = None,
             ids: Callable[[], str] | None = None) -> Ledger:
        """Open (creating if needed) the ledger in ``data_dir``, checking it and migrating it to head.

        A damaged file raises :class:`LedgerCorrupt` with the way out; it is never modified.
        Before a schema upgrade of a file that holds data, a backup is written next to it.
        """
        try:
            private_dir(data_dir)  # 0700: member names and phones are nobody else's business
        except OSError as exc:
            raise LedgerError(
                _("Cannot create the data folder {path}: {reason}").format(path=data_dir, reason=exc.strerror)
            ) from exc
        path = data_dir / LEDGER_FILENAME
        denied = permission_problem(data_dir)
        if denied is not None:
            raise denied
        held = locks.share_ledger(data_dir)  # "open here": restore refuses while any process holds this
        if held is None:
            raise LedgerBusy(_("The ledger in {path} is being restored from a backup right now: try again in a "
                               "moment.").format(path=data_dir))
        try:
            ledger = cls._open(data_dir, path, check_integrity, clock, ids)
        except BaseException:
            held.release()
            raise
        ledger._held = held
        return ledger

    @classmethod
    def _open(cls, data_dir: Path, path: Path, check_integrity: bool, clock: Callable[[], int] | None,
              ids: Callable[[], str] | None) -> Ledger:
        missing = _missing_ledger_problem(data_dir, path)
        if missing is not None:
            raise missing
        existed = path.exists()
        if existed and check_integrity:
            problems = integrity_problems(path)
            if problems:
                raise LedgerCorrupt(
                    _(
                        "The ledger {path} is damaged ({problem}); nothing was changed. Way out: restore the "
                        "latest backup with 'pos-terminal restore', or call IT."
                    ).format(path=path, problem=one_line(problems[0]))
                )
        engine = create_ledger_engine(path)
        ledger = cls(path, engine, clock=clock, ids=ids)
        try:
            current = migrate.current_revision(engine)
            if current is not None and not migrate.is_known(current):
                raise _too_new(engine, current)
            migrated = current != migrate.head_revision()
            if migrated:
                if existed and current is not None:
                    from pos_app.ledger.backup import backup_to, prune

                    backup_to(path, data_dir / "backups" / f"pre-migrate-{current}-{now_ms()}.sqlite3")
                    prune(data_dir, keep=None)  # only the oldest upgrade backups go
                migrate.upgrade(engine)
            ledger._zero_free_space_once(existed)
            ledger._ensure_identity(migrated)
            tighten_tree(data_dir)  # the new file (and what an older version left 0644) becomes 0600
        except LedgerError:
            engine.dispose()
            raise
        except DBAPIError as exc:
            engine.dispose()
            translated = translate_sqlite_error(exc, path)
            if translated:
                raise translated from exc
            raise
        return ledger

    def close(self) -> None:
        with self._write_lock:
            if self._writer is not None:
                self._writer.info.pop("immediate", None)
                self._writer.close()
                self._writer = None
        self.engine.dispose()
        if self._held is not None:
            self._held.release()
            self._held = None

    def _zero_free_space_once(self, existed: bool) -> None:
        """A ledger made before ``secure_delete`` was on is rewritten once (``VACUUM``: no free pages, no stale
        cells; the entries keep their order, which the hash chain follows). A new file has nothing to rewrite."""
        with self.read() as conn:
            if self.get_meta(conn, FREE_SPACE_ZEROED) is not None:
                return
        if existed:
            self.engine.dispose()  # no pooled connection may hold the file open in a transaction
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            try:
                con.execute("PRAGMA secure_delete=ON")
                con.execute("VACUUM")
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                con.close()
        with self.write() as conn:
            self.set_meta(conn, FREE_SPACE_ZEROED, str(self.clock()))

    def _ensure_identity(self, migrated: bool = False) -> None:
        with self.write() as conn:
            if migrated or self.get_meta(conn, SCHEMA_WRITTEN_BY) is None:
                # The version that brought the schema to its revision: an older app names it when refusing.
                self.set_meta(conn, SCHEMA_WRITTEN_BY, app_version())
            terminal_id = self.get_meta(conn, "terminal_id")
            if terminal_id is None:
                terminal_id = self.new_id()
                self.set_meta(conn, "terminal_id", terminal_id)
                self.set_meta(conn, "created_at_ms", str(self.clock()))
                self.set_meta(conn, "mode", "standalone")
        self._terminal_id = terminal_id

    @property
    def terminal_id(self) -> str:
        assert self._terminal_id is not None
        return self._terminal_id

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One durable write transaction; SQLite failures become :class:`LedgerError` with a clear message."""
        with self._write_lock:
            if self._writer is None or self._writer.closed or self._writer.invalidated:
                self._writer = self.engine.connect()
                self._writer.info["immediate"] = True  # BEGIN IMMEDIATE (see db._on_begin)
            writer = self._writer
            try:
                if writer.in_transaction():  # nested use on this thread: join the open transaction
                    yield writer
                    return
                with writer.begin():
                    yield writer
            except (DBAPIError, sqlite3.Error) as exc:
                translated = translate_sqlite_error(exc, self.path)
                if translated:
                    raise translated from exc
                raise

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
                conn.rollback()
        except (DBAPIError, sqlite3.Error) as exc:
            translated = translate_sqlite_error(exc)
            if translated:
                raise translated from exc
            raise

    # ------------------------------------------------------------------ meta
    @staticmethod
    def get_meta(conn: Connection, key: str) -> str | None:
        return conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == key)).scalar_one_or_none()

    @staticmethod
    def set_meta(conn: Connection, key: str, value: str) -> None:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(schema.meta).values(key=key, value=value)
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

    # ------------------------------------------------------------------ operations (idempotency)
    @staticmethod
    def request_hash(kind: str, request: dict[str, Any]) -> str:
        return sha256_hex(canonical_json({"kind": kind, "request": request}))

    def find_operation(self, conn: Connection, op_id: str, kind: str, request: dict[str, Any]) -> dict[str, Any] | None:
        """The stored result of ``op_id`` if it was done before with the same request; a conflict if not."""
        row = _raw(conn).execute(_SQL_FIND_OP, (op_id,)).fetchone()
        if row is None:
            return None
        stored_kind, stored_hash, result_json = row
        if stored_kind != kind or stored_hash != self.request_hash(kind, request):
            raise OperationConflict(
                _("Operation {op_id} was already used for a different request; nothing was changed.").format(op_id=op_id)
            )
        result: dict[str, Any] = json.loads(result_json)
        return result

    def record_operation(self, conn: Connection, op_id: str, kind: str, request: dict[str, Any],
                         result: dict[str, Any]) -> None:
        _raw(conn).execute(_SQL_INSERT_OP, (op_id, kind, self.request_hash(kind, request),
                                              canonical_json(result), self.clock()))

    # ------------------------------------------------------------------ outbox
    def _next_seq(self, conn: Connection) -> int:
        return int(_raw(conn).execute(_SQL_NEXT_SEQ).fetchone()[0])

    def _next_local_seq(self, conn: Connection) -> int:
        """The seq of a new record made here; refused while a restore waits for the server's copy of this
        terminal's newer records (the next seq may already be taken there)."""
        seq, restored = _raw(conn).execute(_SQL_NEXT_LOCAL_SEQ).fetchone()
        if restored:
            raise LedgerError(_(
                "This terminal was restored from a backup and must first get its newer records back from the "
                "loyalty server: connect it and sync (pos-terminal sync --once). Nothing was recorded."))
        return int(seq)

    def _append_outbox(self, conn: Connection, seq: int, record_type: str, ref_id: str,
                       payload: dict[str, Any]) -> None:
        record: dict[str, Any] = {"seq": seq, "type": record_type, record_type: payload}
        if record_type in ("entry", "member"):  # the version-1 shape of these two, byte for byte
            record["entry" if record_type == "member" else "member"] = None
        _raw(conn).execute(_SQL_INSERT_OUTBOX, (seq, record_type, ref_id, canonical_json(record), self.clock()))

    # ------------------------------------------------------------------ members
    def add_member(self, conn: Connection, *, member_id: str, card_no: str, name: str, phone: str | None,
                   tier: str, consent: bool, created_at_ms: int) -> None:
        """Enroll a member made at this counter (also queued for upload)."""
        try:
            conn.execute(insert(schema.members).values(
                id=member_id, card_no=card_no, name=name, phone=phone, tier=tier, consent=consent,
                created_at_ms=created_at_ms, terminal_id=self.terminal_id, member_code=None,
                flagged=None, origin="local",
            ))
        except IntegrityError as exc:
            raise LedgerError(_("A member with this phone or card number already exists.")) from exc
        conn.execute(insert(schema.balances).values(
            member_id=member_id, points=0, earned_total=0, updated_at_ms=created_at_ms))
        wire = member_record(id=member_id, card_no=card_no, name=name, phone=phone, tier=tier, consent=consent,
                             created_at=ms_to_iso(created_at_ms), terminal_id=self.terminal_id)
        self._append_outbox(conn, self._next_local_seq(conn), "member", member_id, wire)

    def get_member(self, conn: Connection, member_id: str) -> MemberRow | None:
        row = _raw(conn).execute(_SQL_MEMBER_BY["id"], (member_id,)).fetchone()
        return _member_from_row(row) if row else None

    def find_member_by_phone(self, conn: Connection, phone: str) -> MemberRow | None:
        row = _raw(conn).execute(_SQL_MEMBER_BY["phone"], (phone,)).fetchone()
        return _member_from_row(row) if row else None

    def find_member_by_card_no(self, conn: Connection, card_no: str) -> MemberRow | None:
        row = _raw(conn).execute(_SQL_MEMBER_BY["card_no"], (card_no,)).fetchone()
        return _member_from_row(row) if row else None

    def set_member_tier(self, conn: Connection, member_id: str, tier: str) -> None:
        conn.execute(update(schema.members).where(schema.members.c.id == member_id).values(tier=tier))

    def set_member_code(self, conn: Connection, member_id: str, code: str) -> None:
        conn.execute(update(schema.members).where(schema.members.c.id == member_id).values(member_code=code))

    def add_consent(self, conn: Connection, *, member_id: str, purpose: str, granted: bool, text_version: str,
                    at_ms: int, staff_id: str | None) -> dict[str, Any]:
        """A consent record (given or withdrawn, for ``purpose``), stored and queued for upload, in ``conn``'s
        transaction; a marketing choice also becomes the member's current one. Returns the record."""
        seq = self._next_local_seq(conn)
        wire = consent_record(id=self.new_id(), terminal_id=self.terminal_id, member_id=member_id, purpose=purpose,
                              granted=granted, text_version=text_version, at=ms_to_iso(at_ms),
                              branch_id=self.get_meta(conn, "branch_id"), staff_id=staff_id)
        self._store_consent(conn, seq, wire)
        self._append_outbox(conn, seq, "consent", wire["id"], wire)
        return wire

    def _store_consent(self, conn: Connection, seq: int, wire: dict[str, Any]) -> None:
        _raw(conn).execute(
            "INSERT INTO consents (id, seq, member_id, purpose, granted, text_version, at_ms, branch_id, staff_id, "
            "content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (wire["id"], seq, wire["member_id"], wire["purpose"], wire["granted"], wire["text_version"],
             iso_to_ms(wire["at"]), wire["branch_id"], wire["staff_id"], wire["content_hash"]))
        if wire["purpose"] == "marketing":
            _raw(conn).execute("UPDATE members SET marketing_consent = ? WHERE id = ?",
                               (wire["granted"], wire["member_id"]))

    def consents_for_member(self, conn: Connection, member_id: str) -> list[dict[str, Any]]:
        """The consent records made here for the member, oldest first."""
        rows = _raw(conn).execute(
            "SELECT purpose, granted, text_version, at_ms, branch_id, staff_id FROM consents WHERE member_id = ? "
            "ORDER BY seq", (member_id,)).fetchall()
        return [{"purpose": r[0], "granted": bool(r[1]), "text_version": r[2], "at_ms": r[3], "branch_id": r[4],
                 "staff_id": r[5]} for r in rows]

    def erase_member_data(self, conn: Connection, member_id: str, at_ms: int) -> bool:
        """Erase the member's personal data held here (PDPA, docs/privacy.md), in ``conn``'s transaction: the
        name becomes '' and the phone and member code go, in the member row and in the member's outbox record
        (rewritten into its erased form, ``sync.records.erased_member_record``; the one outbox change migration
        0008 allows); the enrollment's stored operation result is dropped. Entries, balance and card number stay.
        With ``secure_delete`` on (``db._on_connect``) the old bytes are zeroed in the file; the WAL still holds
        them until :meth:`checkpoint_truncate`. False when the member is not here or was erased already."""
        raw = _raw(conn)
        row = raw.execute("SELECT erased_at_ms FROM members WHERE id = ?", (member_id,)).fetchone()
        if row is None or row[0] is not None:
            return False
        raw.execute("UPDATE members SET name = '', phone = NULL, member_code = NULL, erased_at_ms = ? WHERE id = ?",
                    (at_ms, member_id))
        if raw.execute(_SQL_HAS_NAME_INDEX).fetchone() is not None:
            # the name index's trigger marked the old name deleted; its trigrams stay in the index's segments
            # until they are merged: merge them now, so that no piece of the name is left in the file
            raw.execute("INSERT INTO member_name_index(member_name_index) VALUES ('optimize')")
        for seq, payload in raw.execute("SELECT seq, payload FROM outbox WHERE type = 'member' AND ref_id = ?",
                                        (member_id,)).fetchall():
            record = json.loads(payload)
            erased = {"seq": seq, "type": "member", "member": erased_member_record(record["member"]), "entry": None}
            raw.execute("UPDATE outbox SET payload = ? WHERE seq = ?", (canonical_json(erased), seq))
        raw.execute("DELETE FROM operations WHERE kind = 'enroll' AND result_json = ?",
                    (canonical_json({"member_id": member_id}),))
        return True

    def checkpoint_truncate(self) -> bool:
        """Copy the WAL into the database file and truncate it to zero bytes (after an erasure: the WAL holds
        the old pages until then). Tried a few times; False when readers kept it from completing (the WAL then
        keeps the old pages until the next erasure's checkpoint or until the ledger is closed, when SQLite
        checkpoints and deletes the WAL; docs/privacy.md)."""
        busy = 1
        for attempt in range(5):  # a reader mid-transaction (the window refreshing) holds it up for a moment
            if attempt:
                time.sleep(0.05 * attempt)
            with self._write_lock:
                con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
                try:
                    busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                finally:
                    con.close()
            if busy == 0:
                break
        return busy == 0

    # ------------------------------------------------------------------ entries
    def append_entry(self, conn: Connection, e: NewEntry) -> EntryRow:
        """Append one entry made at this counter: entry + balance cache + outbox record, in ``conn``'s transaction."""
        if e.kind not in ENTRY_KINDS:
            raise ValueError(f"unknown entry kind {e.kind!r}")
        if check_points(e.points) is not None:
            raise LedgerError(_("Points must be between -{limit:,} and {limit:,} in one entry; nothing was "
                                "recorded.").format(limit=MAX_ENTRY_POINTS))
        if any(a is not None and not 0 <= a <= MAX_SATANG for a in (e.amount_satang, *(x for _, x in e.lines))):
            raise LedgerError(_("The amount is too large for one entry; nothing was recorded."))
        row = _raw(conn).execute(_SQL_BALANCE, (e.member_id,)).fetchone()
        if row is not None and abs(row[0] + e.points) > MAX_BALANCE_POINTS:
            raise LedgerError(_("This would take the member's balance beyond {limit:,} points; nothing was "
                                "recorded.").format(limit=MAX_BALANCE_POINTS))
        seq = self._next_local_seq(conn)
        entry_id = e.entry_id or self.new_id()
        wire = _entry_wire(self.terminal_id, seq, entry_id, e)
        recorded = self._insert_entry(conn, wire, origin="local", op_id=e.op_id)
        self._append_outbox(conn, seq, "entry", entry_id, wire)
        return EntryRow(
            id=entry_id, terminal_id=self.terminal_id, seq=seq, member_id=e.member_id, kind=e.kind,
            points=e.points, amount_satang=e.amount_satang, receipt_ref=e.receipt_ref,
            reward_code=e.reward_code, corrects_id=e.corrects_id, rules_version=e.rules_version,
            tier_code=e.tier_code, lines=e.lines, sale_at_ms=e.sale_at_ms, operator_id=e.operator_id,
            approved_by=e.approved_by, reason=e.reason, offline=e.offline, origin="local",
            currency=e.currency, amount_minor=e.amount_minor, fx_rate=e.fx_rate, voucher_id=e.voucher_id,
            points_factor=e.points_factor, recorded_at_ms=recorded, op_id=e.op_id,
        )

    def _insert_entry(self, conn: Connection, wire: dict[str, Any], *, origin: str, op_id: str | None) -> int:
        """Insert the entry and move the balance cache; returns the time it was recorded (ms)."""
        raw = _raw(conn)
        last = raw.execute(_SQL_LAST_CHAIN).fetchone()
        previous = last[0] if last else GENESIS_HASH
        recorded = self.clock()
        kind = wire["kind"]
        raw.execute(_SQL_INSERT_ENTRY, (
            wire["id"], wire["terminal_id"], wire["seq"], wire["member_id"], kind, wire["points"],
            CONTRA_ACCOUNTS[kind], wire["amount_satang"], wire["receipt_ref"], wire["reward_code"],
            wire["corrects_id"], wire["rules_version"], wire["tier_code"], canonical_json(wire["lines"]),
            iso_to_ms(wire["sale_at"]), wire["clock_offset_ms"], wire["operator_id"], wire["approved_by"],
            wire["reason"], wire["offline"], wire["reservation_id"], op_id, wire["content_hash"],
            chain_hash(previous, wire["content_hash"]), origin, recorded,
            wire.get("currency"), wire.get("amount_minor"), wire.get("fx_rate"), wire.get("voucher_id"),
            wire.get("points_factor"),
        ))
        earned = wire["points"] if kind == "earn" else 0
        if kind == "reverse" and wire["corrects_id"]:
            corrected = raw.execute(_SQL_ENTRY_KIND, (wire["corrects_id"],)).fetchone()
            if corrected is not None and corrected[0] == "earn":
                earned = wire["points"]
        result = raw.execute(_SQL_ADD_BALANCE, (wire["points"], earned, recorded, wire["member_id"]))
        if result.rowcount != 1:
            raise LedgerError(_("Unknown member {member_id}.").format(member_id=wire["member_id"]))
        return recorded

    def insert_remote_entry(self, conn: Connection, wire: dict[str, Any]) -> bool:
        """Store an entry made elsewhere (pulled from the server). False if it is already here."""
        exists = conn.execute(
            select(schema.entries.c.content_hash).where(schema.entries.c.id == wire["id"])
        ).scalar_one_or_none()
        if exists is not None:
            if exists != wire["content_hash"]:
                raise LedgerError(
                    _("Entry {entry_id} arrived with content different from the copy held here.").format(
                        entry_id=wire["id"])
                )
            return False
        if wire["content_hash"] != content_hash(wire):
            raise LedgerError(_("Entry {entry_id} arrived damaged (hash mismatch).").format(entry_id=wire["id"]))
        self._insert_entry(conn, wire, origin="remote", op_id=None)
        return True

    def receipt_has_earned(self, conn: Connection, receipt_ref: str) -> bool:
        return _raw(conn).execute(_SQL_RECEIPT_EARNED, (receipt_ref,)).fetchone() is not None

    @staticmethod
    def all_meta(conn: Connection) -> dict[str, str]:
        return dict(_raw(conn).execute(_SQL_META_ALL).fetchall())

    def entries_for_member(self, conn: Connection, member_id: str) -> list[EntryRow]:
        rows = conn.execute(
            select(schema.entries).where(schema.entries.c.member_id == member_id)
            .order_by(schema.entries.c.sale_at_ms, text("rowid"))
        ).all()
        return [_entry_from_row(r) for r in rows]

    def entries_for_receipt(self, conn: Connection, receipt_ref: str) -> list[EntryRow]:
        rows = conn.execute(
            select(schema.entries).where(schema.entries.c.receipt_ref == receipt_ref).order_by(text("rowid"))
        ).all()
        return [_entry_from_row(r) for r in rows]

    def entries_correcting(self, conn: Connection, entry_ids: Sequence[str]) -> list[EntryRow]:
        if not entry_ids:
            return []
        rows = conn.execute(
            select(schema.entries).where(schema.entries.c.corrects_id.in_(list(entry_ids))).order_by(text("rowid"))
        ).all()
        return [_entry_from_row(r) for r in rows]

    def earned_since(self, conn: Connection, member_id: str, since_ms: int) -> int:
        """Points earned (earn entries, less reversals of them) with a sale time since ``since_ms``."""
        earned = conn.execute(
            select(func.coalesce(func.sum(schema.entries.c.points), 0)).where(
                schema.entries.c.member_id == member_id, schema.entries.c.kind == "earn",
                schema.entries.c.sale_at_ms >= since_ms)
        ).scalar_one()
        reversed_ = conn.execute(text(
            "SELECT COALESCE(SUM(r.points), 0) FROM entries r JOIN entries e ON r.corrects_id = e.id "
            "WHERE r.member_id = :m AND r.kind = 'reverse' AND e.kind = 'earn' AND e.sale_at_ms >= :since"
        ), {"m": member_id, "since": since_ms}).scalar_one()
        return int(earned) + int(reversed_)

    def balance(self, conn: Connection, member_id: str) -> int | None:
        return conn.execute(
            select(schema.balances.c.points).where(schema.balances.c.member_id == member_id)
        ).scalar_one_or_none()

    def day_activity(self, conn: Connection, start_ms: int, end_ms: int) -> list[tuple[Any, ...]]:
        """This terminal's awards and redemptions in [start, end), grouped by cashier, reward, hour of the day
        (0-23, counted from ``start``, a Bangkok midnight for the reports) and kind: ``(operator, reward_code,
        hour, kind, count, points, amount_satang)``. Whole-hour ranges read
        the hourly summary ``report_hours`` (migration 0009), others one range scan of the covering index
        ``ix_entries_report`` (migration 0002)."""
        if start_ms % HOUR_MS == 0 and end_ms % HOUR_MS == 0:  # every report range (Bangkok days)
            start_h = start_ms // HOUR_MS
            return _raw(conn).execute(_SQL_HOUR_ACTIVITY, (start_h, start_h, end_ms // HOUR_MS)).fetchall()
        return self.day_activity_scan(conn, start_ms, end_ms)

    def day_activity_scan(self, conn: Connection, start_ms: int, end_ms: int) -> list[tuple[Any, ...]]:
        """:meth:`day_activity` from the entries themselves (any range; the check of the hourly summary)."""
        return _raw(conn).execute(_SQL_DAY_ACTIVITY, (start_ms, start_ms, end_ms)).fetchall()

    def voided_activity(self, conn: Connection, start_ms: int, end_ms: int) -> list[tuple[Any, ...]]:
        """The part of :meth:`day_activity` that was voided since (a ``reverse`` entry with reason ``void``
        names it), in the same groups and shape."""
        return _raw(conn).execute(_SQL_VOIDED_ACTIVITY, (start_ms, start_ms, end_ms)).fetchall()

    def report_operations(self, conn: Connection, start_ms: int, end_ms: int, *, operator_id: str | None = None,
                          reward_code: str | None = None, redemptions_only: bool = False,
                          hour_of_day: int | None = None, limit: int = 1000) -> list[tuple[Any, ...]]:
        """The awards and redemptions of this terminal in [start, end) behind one line of a report, oldest first:
        ``(id, kind, sale_at_ms, operator_id, member_id, reward_code, points, amount_satang, receipt_ref,
        offline, approved_by, currency, amount_minor, member_name, member_phone, voided_by, voided)``.
        ``reward_code=""`` is points taken as a discount; ``hour_of_day`` counts hours from ``start_ms`` (a
        Bangkok midnight) modulo 24. Parameters only, never text built from input."""
        sql = _SQL_REPORT_OPERATIONS
        params: list[Any] = [start_ms, end_ms]
        if operator_id is not None:
            sql += "AND COALESCE(e.operator_id, '-') = ? "
            params.append(operator_id)
        if redemptions_only or reward_code is not None:
            sql += "AND e.kind = 'redeem' "
        if reward_code is not None:
            sql += "AND COALESCE(e.reward_code, '') = ? "
            params.append(reward_code)
        if hour_of_day is not None:
            sql += "AND ((e.sale_at_ms - ?) / 3600000) % 24 = ? "
            params += [start_ms, hour_of_day]
        sql += "ORDER BY e.sale_at_ms, e.seq LIMIT ?"
        params.append(limit)
        return _raw(conn).execute(sql, params).fetchall()

    def currency_activity(self, conn: Connection, start_ms: int, end_ms: int) -> list[tuple[Any, ...]]:
        """This terminal's sales in other currencies in [start, end): ``(currency, count, amount_minor,
        amount_satang)`` per currency (earn entries; the THB amounts are inside :meth:`day_activity`'s)."""
        return _raw(conn).execute(_SQL_CURRENCY_ACTIVITY, (start_ms, end_ms)).fetchall()
    def get_entry(self, conn: Connection, entry_id: str) -> EntryRow | None:
        row = conn.execute(select(schema.entries).where(schema.entries.c.id == entry_id)).first()
        return _entry_from_row(row) if row else None

    def recent_local_entries(self, conn: Connection, since_recorded_ms: int, kinds: Sequence[str]) -> list[EntryRow]:
        """This counter's own entries of ``kinds`` recorded since ``since_recorded_ms``, newest first. Entries are
        appended in recording order, so the scan walks back from the newest row and stops at the first one
        recorded before the cutoff (it reads only the last minutes of the ledger, however long the ledger)."""
        out: list[EntryRow] = []
        rows = conn.execute(select(schema.entries).order_by(text("rowid DESC")))
        for row in rows:
            if row.recorded_at_ms < since_recorded_ms:
                break
            if row.origin == "local" and row.kind in kinds:
                out.append(_entry_from_row(row))
        rows.close()
        return out

    def search_members_by_name(self, conn: Connection, text_: str, limit: int) -> list[MemberRow]:
        """Members whose name contains ``text_`` (case-insensitive for Latin letters; Thai has no case), names
        that start with it first, then names with a word that starts with it, then the rest.

        Three characters or more are looked up in the trigram index ``member_name_index`` (migration 0011):
        only the matching names are read, instead of every name. Shorter text (a trigram needs three), or a
        ledger whose SQLite could not build the index, reads every name with LIKE."""
        escaped = text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        raw = _raw(conn)
        if len(text_) >= 3 and raw.execute(_SQL_HAS_NAME_INDEX).fetchone() is not None:
            phrase = '"' + text_.replace('"', '""') + '"'  # one FTS5 string: every character is literal
            params: tuple[Any, ...] = (phrase, f"{escaped}%", f"% {escaped}%", limit)
            rows = raw.execute(_SQL_MEMBER_NAME_MATCH, params).fetchall()
        else:
            params = (f"%{escaped}%", f"{escaped}%", f"% {escaped}%", limit)
            rows = raw.execute(_SQL_MEMBER_SEARCH, params).fetchall()
        return [_member_from_row(r) for r in rows]

    def give_back_reward_stock(self, conn: Connection, code: str) -> None:
        """Put one back in stock (a voided redemption; rewards without stock tracking are left alone)."""
        conn.execute(update(schema.rewards).where(schema.rewards.c.code == code, schema.rewards.c.stock.is_not(None))
                     .values(stock=schema.rewards.c.stock + 1))

    def staff_names(self, conn: Connection) -> dict[str, str]:
        return dict(_raw(conn).execute("SELECT id, name FROM staff").fetchall())

    def members_with_points(self, conn: Connection) -> list[str]:
        return list(conn.execute(
            select(schema.balances.c.member_id).where(schema.balances.c.points > 0)
        ).scalars())

    def outbox_after(self, conn: Connection, after_seq: int, limit: int) -> list[dict[str, Any]]:
        rows = conn.execute(
            select(schema.outbox.c.payload).where(schema.outbox.c.seq > after_seq)
            .order_by(schema.outbox.c.seq).limit(limit)
        ).all()
        return [json.loads(r.payload) for r in rows]

    def outbox_count_after(self, conn: Connection, after_seq: int) -> int:
        return int(conn.execute(
            select(func.count()).select_from(schema.outbox).where(schema.outbox.c.seq > after_seq)
        ).scalar_one())

    # ------------------------------------------------------------------ staff, rewards, rules, keys
    def add_staff(self, conn: Connection, *, staff_id: str, name: str, role: str, pin_hash: str,
                  origin: str = "local", phone: str | None = None, demo: bool = False,
                  must_change_pin: bool = False) -> None:
        try:
            conn.execute(insert(schema.staff).values(
                id=staff_id, name=name, role=role, pin_hash=pin_hash, active=True, origin=origin, phone=phone,
                demo=demo, must_change_pin=must_change_pin))
        except IntegrityError as exc:
            raise LedgerError(_("Staff member {staff_id} already exists.").format(staff_id=staff_id)) from exc

    def upsert_staff(self, conn: Connection, *, staff_id: str, name: str, role: str, pin_hash: str,
                     active: bool, origin: str) -> None:
        """A staff member as head office has them (local-only facts such as must_change_pin are kept)."""
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        values = {"id": staff_id, "name": name, "role": role, "pin_hash": pin_hash, "active": active,
                  "origin": origin}
        stmt = sqlite_insert(schema.staff).values(**values)
        conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))

    def list_staff(self, conn: Connection, role: str | None = None, include_inactive: bool = False) -> list[StaffRow]:
        query = select(schema.staff).order_by(schema.staff.c.name)
        if not include_inactive:
            query = query.where(schema.staff.c.active.is_(True))
        if role:
            query = query.where(schema.staff.c.role == role)
        return [_staff_from_row(r) for r in conn.execute(query)]

    def get_staff(self, conn: Connection, staff_id: str) -> StaffRow | None:
        r = conn.execute(select(schema.staff).where(schema.staff.c.id == staff_id)).first()
        return _staff_from_row(r) if r else None

    def set_staff_pin(self, conn: Connection, staff_id: str, pin_hash: str, must_change_pin: bool = False) -> None:
        conn.execute(update(schema.staff).where(schema.staff.c.id == staff_id).values(
            pin_hash=pin_hash, must_change_pin=must_change_pin, demo=False))

    def set_staff_active(self, conn: Connection, staff_id: str, active: bool) -> None:
        conn.execute(update(schema.staff).where(schema.staff.c.id == staff_id).values(active=active))

    def set_staff_unlocked_at(self, conn: Connection, staff_id: str, at_ms: int) -> None:
        conn.execute(update(schema.staff).where(schema.staff.c.id == staff_id).values(unlocked_at_ms=at_ms))

    # ------------------------------------------------------------------ PIN guard and audit
    def guard_get(self, conn: Connection, scope: str, purpose: str) -> GuardRow | None:
        r = conn.execute(select(schema.pin_guard).where(schema.pin_guard.c.scope == scope,
                                                        schema.pin_guard.c.purpose == purpose)).first()
        return GuardRow(r.scope, r.purpose, r.failures, r.last_failure_at_ms, r.locked_at_ms) if r else None

    def guard_put(self, conn: Connection, row: GuardRow) -> None:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        values = {"scope": row.scope, "purpose": row.purpose, "failures": row.failures,
                  "last_failure_at_ms": row.last_failure_at_ms, "locked_at_ms": row.locked_at_ms}
        stmt = sqlite_insert(schema.pin_guard).values(**values)
        conn.execute(stmt.on_conflict_do_update(index_elements=["scope", "purpose"], set_=values))

    def guard_clear(self, conn: Connection, scope: str, purpose: str | None = None) -> list[GuardRow]:
        """Forget the failures of ``scope`` (one purpose or both); returns the rows that were there."""
        where = [schema.pin_guard.c.scope == scope]
        if purpose is not None:
            where.append(schema.pin_guard.c.purpose == purpose)
        rows = [GuardRow(r.scope, r.purpose, r.failures, r.last_failure_at_ms, r.locked_at_ms)
                for r in conn.execute(select(schema.pin_guard).where(*where))]
        conn.execute(schema.pin_guard.delete().where(*where))
        return rows

    def guard_rows(self, conn: Connection) -> list[GuardRow]:
        return [GuardRow(r.scope, r.purpose, r.failures, r.last_failure_at_ms, r.locked_at_ms)
                for r in conn.execute(select(schema.pin_guard).order_by(schema.pin_guard.c.scope,
                                                                         schema.pin_guard.c.purpose))]

    def flag_acks(self, conn: Connection) -> dict[str, tuple[str, int]]:
        """The store's acknowledgements of flags: key -> (staff id, when)."""
        rows = _raw(conn).execute("SELECT flag_key, staff_id, at_ms FROM flag_acks").fetchall()
        return {key: (staff, int(at)) for key, staff, at in rows}

    def acknowledge_flag(self, conn: Connection, key: str, staff_id: str, at_ms: int) -> bool:
        """Record that ``staff_id`` acknowledged flag ``key`` (once: a second acknowledgement keeps the first);
        True when this call recorded it."""
        done = _raw(conn).execute("INSERT OR IGNORE INTO flag_acks (flag_key, staff_id, at_ms) VALUES (?, ?, ?)",
                                  (key, staff_id, at_ms))
        return bool(done.rowcount)

    def approvals_log(self, conn: Connection, since_ms: int, until_ms: int, limit: int) -> list[tuple[Any, ...]]:
        """This terminal's operations a manager approved in [since, until), newest first: ``(entry id, kind,
        sale_at_ms, operator_id, approved_by, member name, points, amount_satang, reward_code, reason,
        corrects_id)``."""
        return _raw(conn).execute(
            "SELECT e.id, e.kind, e.sale_at_ms, e.operator_id, e.approved_by, m.name, e.points, e.amount_satang, "
            "e.reward_code, e.reason, e.corrects_id FROM entries e LEFT JOIN members m ON m.id = e.member_id "
            "WHERE e.sale_at_ms >= ? AND e.sale_at_ms < ? AND e.approved_by IS NOT NULL AND e.origin = 'local' "
            "ORDER BY e.sale_at_ms DESC, e.seq DESC LIMIT ?", (since_ms, until_ms, limit)).fetchall()

    def append_audit(self, conn: Connection, *, event: str, at_ms: int, staff_id: str | None = None,
                     purpose: str | None = None, details: dict[str, Any] | None = None) -> AuditRow:
        """An audit event (failed PIN, lockout, unlock, PIN change, approval...): stored here and queued for
        upload as an ``audit`` outbox record, in ``conn``'s transaction."""
        seq = self._next_seq(conn)
        event_id = self.new_id()
        wire = audit_record(id=event_id, terminal_id=self.terminal_id, staff_id=staff_id, event=event,
                            purpose=purpose, at=ms_to_iso(at_ms), details=dict(details or {}))
        conn.execute(insert(schema.audit_events).values(
            id=event_id, seq=seq, at_ms=at_ms, staff_id=staff_id, event=event, purpose=purpose,
            details_json=canonical_json(wire["details"]), content_hash=wire["content_hash"]))
        self._append_outbox(conn, seq, "audit", event_id, wire)
        return AuditRow(event_id, seq, at_ms, staff_id, event, purpose, wire["details"])

    def audit_since(self, conn: Connection, since_ms: int, limit: int = 500) -> list[AuditRow]:
        rows = conn.execute(select(schema.audit_events).where(schema.audit_events.c.at_ms >= since_ms)
                            .order_by(schema.audit_events.c.seq.desc()).limit(limit))
        return [AuditRow(r.id, r.seq, r.at_ms, r.staff_id, r.event, r.purpose, json.loads(r.details_json))
                for r in rows]

    def upsert_reward(self, conn: Connection, *, code: str, name_th: str, name_en: str, points_cost: int,
                      stock: int | None, active: bool, voucher_benefit: str | None = None,
                      voucher_valid_days: int | None = None) -> None:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        values = {"code": code, "name_th": name_th, "name_en": name_en, "points_cost": points_cost,
                  "stock": stock, "active": active, "voucher_benefit": voucher_benefit,
                  "voucher_valid_days": voucher_valid_days}
        stmt = sqlite_insert(schema.rewards).values(**values)
        conn.execute(stmt.on_conflict_do_update(index_elements=["code"], set_=values))

    def list_rewards(self, conn: Connection, active_only: bool = True) -> list[Any]:
        query = select(schema.rewards).order_by(schema.rewards.c.points_cost)
        if active_only:
            query = query.where(schema.rewards.c.active.is_(True))
        return list(conn.execute(query).all())

    def get_reward(self, conn: Connection, code: str) -> Any:
        return conn.execute(select(schema.rewards).where(schema.rewards.c.code == code)).first()

    def take_reward_stock(self, conn: Connection, code: str) -> bool:
        """Take one from stock (rewards without stock tracking always succeed)."""
        result = conn.execute(
            update(schema.rewards)
            .where(schema.rewards.c.code == code, schema.rewards.c.stock.is_not(None), schema.rewards.c.stock > 0)
            .values(stock=schema.rewards.c.stock - 1)
        )
        if result.rowcount == 1:
            return True
        stock = conn.execute(select(schema.rewards.c.stock).where(schema.rewards.c.code == code)).first()
        return stock is not None and stock.stock is None

    def put_rules(self, conn: Connection, version: int, bundle_json: str) -> None:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(schema.rules).values(version=version, bundle_json=bundle_json)
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["version"]))

    def get_rules_json(self, conn: Connection, version: int) -> str | None:
        return conn.execute(
            select(schema.rules.c.bundle_json).where(schema.rules.c.version == version)
        ).scalar_one_or_none()

    def put_signing_key(self, conn: Connection, key_id: str, public_key: bytes, status: str = "active") -> None:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(schema.signing_keys).values(key_id=key_id, public_key=public_key, status=status)
        conn.execute(stmt.on_conflict_do_update(index_elements=["key_id"],
                                                set_={"public_key": public_key, "status": status}))

    def revoked_key_ids(self, conn: Connection) -> frozenset[str]:
        """Key ids whose codes must be refused (a revoked chain key, or a revoked terminal's own key)."""
        return frozenset(conn.execute(
            select(schema.signing_keys.c.key_id).where(schema.signing_keys.c.status == "revoked")).scalars())

    def public_keys(self, conn: Connection) -> dict[str, bytes]:
        rows = conn.execute(
            select(schema.signing_keys.c.key_id, schema.signing_keys.c.public_key)
            .where(schema.signing_keys.c.status == "active")
        ).all()
        return {r.key_id: bytes(r.public_key) for r in rows}

    # ------------------------------------------------------------------ checks
    def verify(self) -> VerifyReport:
        """Check the hash chain, that every cached balance equals the sum of entries, and double entry."""
        report = VerifyReport()
        with self.read() as conn:
            previous = GENESIS_HASH
            for row in conn.execute(text(
                "SELECT id, terminal_id, seq, member_id, kind, points, amount_satang, receipt_ref, reward_code, "
                "corrects_id, rules_version, tier_code, lines_json, sale_at_ms, clock_offset_ms, operator_id, "
                "approved_by, reason, offline, reservation_id, content_hash, chain_hash, currency, amount_minor, "
                "fx_rate, voucher_id, points_factor FROM entries ORDER BY rowid"
            )):
                report.entries += 1
                try:
                    hashed = entry_record(
                        id=row.id, terminal_id=row.terminal_id, seq=row.seq, member_id=row.member_id,
                        kind=row.kind, points=row.points, amount_satang=row.amount_satang,
                        receipt_ref=row.receipt_ref, reward_code=row.reward_code, corrects_id=row.corrects_id,
                        rules_version=row.rules_version, tier_code=row.tier_code, lines=json.loads(row.lines_json),
                        sale_at=ms_to_iso(row.sale_at_ms), clock_offset_ms=row.clock_offset_ms,
                        operator_id=row.operator_id, approved_by=row.approved_by, reason=row.reason,
                        offline=bool(row.offline), reservation_id=row.reservation_id, currency=row.currency,
                        amount_minor=row.amount_minor, fx_rate=row.fx_rate, voucher_id=row.voucher_id,
                        points_factor=row.points_factor)["content_hash"]
                except (TypeError, ValueError, OverflowError):
                    hashed = ""
                expected = chain_hash(previous, hashed)
                if report.chain_ok and (hashed != row.content_hash or expected != row.chain_hash):
                    report.chain_ok = False
                    report.chain_break_at = row.id
                previous = row.chain_hash
            mismatches = conn.execute(text(
                "SELECT m.id FROM members m LEFT JOIN balances b ON b.member_id = m.id "
                "LEFT JOIN (SELECT member_id, SUM(points) AS s FROM entries GROUP BY member_id) e "
                "ON e.member_id = m.id WHERE COALESCE(b.points, 0) != COALESCE(e.s, 0)"
            )).scalars().all()
            report.balance_mismatches = list(mismatches)
            report.members = int(conn.execute(select(func.count()).select_from(schema.members)).scalar_one())
            # Double entry: member accounts and chain accounts sum to zero; each kind has its one contra account.
            pairs = conn.execute(text("SELECT DISTINCT kind, contra_account FROM entries")).all()
            report.double_entry_ok = all(CONTRA_ACCOUNTS.get(kind) == contra for kind, contra in pairs)
        return report

    # ---- sync support (sync_store)
    # Owned by the sync engineer: used only by pos_app/ledger/sync_store.py (and the offline-allowance guard).

    def sync_adopt_terminal_id(self, conn: Connection, terminal_id: str) -> None:
        """Take the server-assigned terminal id (only while the outbox is empty: nothing carries the old id)."""
        if self._next_seq(conn) != 1:
            raise LedgerError(_("This terminal already holds records; it cannot change its identity."))
        self.set_meta(conn, "terminal_id", terminal_id)
        self._terminal_id = terminal_id

    def sync_replace_rules(self, conn: Connection, version: int, bundle_json: str) -> None:
        """Store a rules version as the server has it (a local pre-enrollment default may differ)."""
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(schema.rules).values(version=version, bundle_json=bundle_json)
        conn.execute(stmt.on_conflict_do_update(index_elements=["version"], set_={"bundle_json": bundle_json}))

    def sync_upsert_member(self, conn: Connection, *, member_id: str, card_no: str, name: str, phone: str | None,
                           tier: str, consent: bool, created_at_ms: int, terminal_id: str,
                           member_code: str | None, flagged: str | None, erased: bool = False,
                           marketing_consent: bool | None = None) -> None:
        """Insert a member known to the server (with an empty balance: entries bring the points), or update the
        server-owned fields of one held here. Never touches the balance. A phone or card number held here by
        another member is left out instead of failing the whole page (the server flags duplicates)."""
        existing = conn.exec_driver_sql(
            "SELECT name, phone, member_code, flagged, erased_at_ms, marketing_consent FROM members WHERE id = ?",
            (member_id,)).first()
        if existing is not None and marketing_consent is not None and \
                (existing.marketing_consent is None or bool(existing.marketing_consent) != marketing_consent):
            conn.exec_driver_sql("UPDATE members SET marketing_consent = ? WHERE id = ?",
                                 (marketing_consent, member_id))
        if erased or (existing is not None and existing.erased_at_ms is not None):
            # Erased at head office (or here before): nothing personal is stored again, the member row is kept
            # (its balance, entries and card number), and what this ledger held of them is erased now.
            if existing is None:
                taken = conn.exec_driver_sql("SELECT id FROM members WHERE card_no = ?", (card_no,)).first()
                conn.execute(insert(schema.members).values(
                    id=member_id, card_no=card_no if card_no and taken is None else f"?{member_id}", name="",
                    phone=None, tier=tier, consent=consent, created_at_ms=created_at_ms, terminal_id=terminal_id,
                    member_code=None, flagged=flagged, origin="remote", erased_at_ms=self.clock()))
                conn.execute(insert(schema.balances).values(
                    member_id=member_id, points=0, earned_total=0, updated_at_ms=self.clock()))
            else:
                self.erase_member_data(conn, member_id, self.clock())
                conn.execute(update(schema.members).where(schema.members.c.id == member_id).values(flagged=flagged))
            return
        if existing is not None and existing.flagged == flagged and (member_code is None or
                                                                     existing.member_code == member_code) \
                and (not name or existing.name == name) and (phone is None or existing.phone == phone):
            return  # nothing new (most member changes only move the balance, which entries bring)
        if phone is not None:
            owner = conn.exec_driver_sql("SELECT id FROM members WHERE phone = ?", (phone,)).scalar_one_or_none()
            if owner is not None and owner != member_id:
                phone = None
        if existing is None:
            taken = conn.exec_driver_sql("SELECT id FROM members WHERE card_no = ?", (card_no,)).first()
            if not card_no or taken is not None:
                card_no = f"?{member_id}"
            conn.execute(insert(schema.members).values(
                id=member_id, card_no=card_no, name=name, phone=phone, tier=tier, consent=consent,
                created_at_ms=created_at_ms, terminal_id=terminal_id, member_code=member_code, flagged=flagged,
                origin="remote", marketing_consent=marketing_consent))
            conn.execute(insert(schema.balances).values(
                member_id=member_id, points=0, earned_total=0, updated_at_ms=self.clock()))
            return
        values: dict[str, Any] = {"flagged": flagged}
        if member_code is not None:
            values["member_code"] = member_code
        if name:
            values["name"] = name
        if phone is not None:
            values["phone"] = phone
        conn.execute(update(schema.members).where(schema.members.c.id == member_id).values(**values))

    def sync_offline_redeemed(self, conn: Connection, after_seq: int, member_id: str | None = None) -> int:
        """Points this terminal redeemed offline in its own entries with seq > ``after_seq``."""
        sql = ("SELECT COALESCE(SUM(-points), 0) FROM entries WHERE origin = 'local' AND kind = 'redeem' "
               "AND offline = 1 AND seq > ?")
        params: tuple[Any, ...] = (after_seq,)
        if member_id is not None:
            sql += " AND member_id = ?"
            params = (after_seq, member_id)
        return int(conn.exec_driver_sql(sql, params).scalar_one())

    def sync_restore_own_records(self, conn: Connection, records: list[dict[str, Any]]) -> int:
        """Take back this terminal's own records from the server after a restore (``OutboxRecord`` wire dicts in
        seq order). A seq held here must hold the same record (else nothing is stored: the backup is not this
        terminal's history); the next ones are stored as local records with their original seq, id and hash,
        each with its outbox row. Their members must be known (a page brings them first). Returns how many
        were added."""
        held = self._next_seq(conn) - 1
        added = 0
        raw = _raw(conn)
        for record in records:
            seq, kind = int(record["seq"]), record["type"]
            payload = record[kind]
            if payload["terminal_id"] != self.terminal_id:
                raise LedgerError(_("The server sent a record of another terminal as this terminal's own."))
            if seq <= held:
                row = raw.execute("SELECT ref_id, payload FROM outbox WHERE seq = ?", (seq,)).fetchone()
                mine = json.loads(row[1]) if row else None
                if kind == "member" and mine is not None and row[0] == payload["id"] and mine[kind] is not None \
                        and is_erased_member_record(payload):
                    self.erase_member_data(conn, payload["id"], self.clock())  # erased at head office since
                    continue
                if mine is None or row[0] != payload["id"] or \
                        mine[kind] is None or mine[kind]["content_hash"] != payload["content_hash"]:
                    raise LedgerError(_(
                        "Record {seq} of this terminal differs from the server's copy: this backup is not this "
                        "terminal's history. Nothing was changed; call IT.").format(seq=seq))
                continue
            if seq != held + 1:
                raise LedgerError(_("Record {seq} of this terminal came back out of order.").format(seq=seq))
            if content_hash(payload) != payload["content_hash"]:
                raise LedgerError(_("Entry {entry_id} arrived damaged (hash mismatch).").format(entry_id=payload["id"]))
            if kind == "entry":
                if raw.execute("SELECT 1 FROM entries WHERE id = ?", (payload["id"],)).fetchone():
                    raise LedgerError(_("Entry {entry_id} arrived with content different from the copy held "
                                        "here.").format(entry_id=payload["id"]))
                self._insert_entry(conn, payload, origin="local", op_id=None)
            elif kind == "consent":
                self._store_consent(conn, seq, payload)
            elif kind == "audit":
                conn.execute(insert(schema.audit_events).values(
                    id=payload["id"], seq=seq, at_ms=iso_to_ms(payload["at"]), staff_id=payload["staff_id"],
                    event=payload["event"], purpose=payload["purpose"],
                    details_json=canonical_json(payload["details"]), content_hash=payload["content_hash"]))
            else:
                self.sync_upsert_member(
                    conn, member_id=payload["id"], card_no=payload["card_no"], name=payload["name"],
                    phone=payload["phone"], tier=payload["tier"], consent=bool(payload["consent"]),
                    created_at_ms=iso_to_ms(payload["created_at"]), terminal_id=payload["terminal_id"],
                    member_code=None, flagged=None, erased=is_erased_member_record(payload))
                raw.execute("UPDATE members SET origin = 'local' WHERE id = ?", (payload["id"],))
            self._append_outbox(conn, seq, kind, payload["id"], payload)
            held = seq
            added += 1
        return added

    def sync_has_remote_rows(self, conn: Connection) -> bool:
        """Whether the ledger holds members, entries or staff that came from a loyalty server."""
        return conn.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM members WHERE origin = 'remote') OR EXISTS (SELECT 1 FROM entries WHERE "
            "origin = 'remote') OR EXISTS (SELECT 1 FROM staff WHERE origin = 'server')").scalar_one() == 1

    def sync_max_seq(self, conn: Connection) -> int:
        return self._next_seq(conn) - 1
