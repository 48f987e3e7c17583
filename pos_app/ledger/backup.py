"""Online backups with SQLite's backup API (consistent while the counter keeps writing) and restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from pos_app.core.i18n import _
from pos_app.ledger.db import LEDGER_FILENAME, LedgerError, integrity_problems
from pos_app.ledger.files import private_dir, private_file

BACKUP_DIRNAME = "backups"
KEEP_BACKUPS = 14
KEEP_UPGRADE_BACKUPS = 4
"""Pre-migration and pre-upgrade backups kept (each upgrade may write one of each: the last two upgrades)."""
UPGRADE_PREFIXES = ("pre-migrate-", "pre-upgrade-")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size_bytes: int
    created_at: float


def backup_to(source: Path, target: Path) -> BackupInfo:
    """Copy the live ledger ``source`` to ``target`` (durably), checking the copy before keeping it."""
    private_dir(target.parent)
    partial = target.with_suffix(target.suffix + ".partial")
    try:
        os.close(private_file(partial))  # 0600 before a single page of the ledger is copied into it
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=5)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
            src.close()
        problems = integrity_problems(partial)
        if problems:
            raise LedgerError(_("The backup copy failed its integrity check: {problem}").format(problem=problems[0]))
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise LedgerError(_("Backup failed: {reason}").format(reason=exc)) from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise LedgerError(_("Backup failed: {reason}").format(reason=exc.strerror or exc)) from exc
    return BackupInfo(target, target.stat().st_size, target.stat().st_mtime)


def backup(data_dir: Path, keep: int = KEEP_BACKUPS) -> BackupInfo:
    """A timestamped backup in ``data_dir/backups``, keeping the newest ``keep``."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + f"-{time.time_ns() % 1_000_000_000:09d}"
    info = backup_to(data_dir / LEDGER_FILENAME, data_dir / BACKUP_DIRNAME / f"ledger-{stamp}.sqlite3")
    prune(data_dir, keep)
    return info


def is_upgrade_backup(path: Path) -> bool:
    """A backup taken before a schema migration or an upgrade: kept apart from the scheduled rotation."""
    return path.name.startswith(UPGRADE_PREFIXES)


def prune(data_dir: Path, keep: int | None = KEEP_BACKUPS, keep_upgrades: int = KEEP_UPGRADE_BACKUPS) -> None:
    """Keep the newest ``keep`` scheduled backups and, separately, the newest ``keep_upgrades`` taken before a
    migration or an upgrade (a day of hourly backups never pushes out the way back from an upgrade)."""
    found = list_backups(data_dir)
    regular = [b for b in found if not is_upgrade_backup(b.path)]
    upgrades = [b for b in found if is_upgrade_backup(b.path)]
    for old in (regular[keep:] if keep is not None else []) + upgrades[keep_upgrades:]:
        old.path.unlink(missing_ok=True)


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Backups, newest first."""
    folder = data_dir / BACKUP_DIRNAME
    if not folder.exists():
        return []
    found = [BackupInfo(p, p.stat().st_size, p.stat().st_mtime) for p in folder.glob("*.sqlite3")]
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


@dataclass(frozen=True)
class RestoreInfo:
    source: Path
    kept: Path | None
    """Where the replaced ledger was kept (None when there was none)."""
    enrolled: bool
    """The restored ledger belongs to a terminal enrolled with a loyalty server: it is marked to get back its own
    newer records from the server at the next sync, and records nothing new until then."""


def restore(data_dir: Path, source: Path | None = None) -> RestoreInfo:
    """Replace the ledger with ``source`` (default: the newest backup). The current file is kept aside first, as
    ``replaced-by-restore-<UTC time>.sqlite3`` in the data folder (with its ``-wal``/``-shm`` if any).

    Must run with the counter app closed. On an enrolled terminal the restored file is marked
    (meta ``restore_pending``): the sync client first gets back this terminal's records that the server
    acknowledged after the backup, so that numbering continues after them and no sequence number is reused.
    """
    from pos_app.ledger.locks import own_ledger

    held = own_ledger(data_dir) if data_dir.is_dir() else None
    if held is None and data_dir.is_dir():
        raise LedgerInUse(_("The ledger in {path} is open in another program (the counter window, the sync "
                            "service or a job): close the window and stop them (sudo systemctl stop "
                            "pos-terminal-sync.service pos-terminal-backup.timer), then restore again. Nothing "
                            "was changed.").format(path=data_dir))
    try:
        return _restore(data_dir, source)
    finally:
        if held is not None:
            held.release()


class LedgerInUse(LedgerError):
    """Another process has the ledger open: it cannot be replaced under it."""


def _restore(data_dir: Path, source: Path | None) -> RestoreInfo:
    if source is None:
        backups = list_backups(data_dir)
        if not backups:
            raise LedgerError(_("There is no backup to restore in {folder}.").format(folder=data_dir / BACKUP_DIRNAME))
        source = backups[0].path
    if not source.exists():
        raise LedgerError(_("Backup file {path} does not exist.").format(path=source))
    problems = integrity_problems(source)
    if problems:
        raise LedgerError(_("Backup {path} is damaged too ({problem}); choose another.").format(
            path=source, problem=problems[0][:120]))
    live = data_dir / LEDGER_FILENAME
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + f"-{time.time_ns() % 1_000_000_000:09d}"
    kept: Path | None = data_dir / f"{REPLACED_PREFIX}{stamp}.sqlite3"
    tmp = live.with_suffix(".restoring")
    try:
        with open(source, "rb") as src, os.fdopen(private_file(tmp), "wb") as dst:
            shutil.copyfileobj(src, dst)
        enrolled = _mark_restored(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        if live.exists():
            assert kept is not None
            shutil.move(live, kept)
        else:
            kept = None
        for suffix in ("-wal", "-shm"):
            side = live.with_name(live.name + suffix)
            if side.exists():
                if kept is not None:
                    shutil.move(side, kept.with_name(kept.name + suffix))
                else:
                    side.unlink()
        os.replace(tmp, live)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise LedgerError(_("Backup {path} cannot be read as a ledger ({problem}); choose another.").format(
            path=source, problem=str(exc)[:120])) from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LedgerError(_("Restore failed: {reason}").format(reason=exc.strerror or exc)) from exc
    return RestoreInfo(source=source, kept=kept, enrolled=enrolled)


REPLACED_PREFIX = "replaced-by-restore-"


def _mark_restored(path: Path) -> bool:
    """Set ``restore_pending`` in the copy about to become the ledger if it belongs to an enrolled terminal."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'mode'").fetchone()
        enrolled = row is not None and row[0] == "enrolled"
        if enrolled:
            with conn:
                conn.execute("INSERT INTO meta (key, value) VALUES ('restore_pending', ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                             (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),))
    finally:
        conn.close()
    return enrolled
