"""Device and maintenance: rules installed on this terminal, backups, health (doctor), the expiry job; and the
file-level maintenance the CLI does on a data folder without opening the ledger (restore, backup listing and
pruning, file ownership, the one-window lock, credential file). The CLI reaches the ledger package only through
this module (an import contract in pyproject.toml says so).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos_app.core.rules import RulesBundle
from pos_app.ledger import backup as backup_mod
from pos_app.ledger.backup import BackupInfo, RestoreInfo, list_backups
from pos_app.ledger.backup import prune as prune_backups
from pos_app.ledger.canonical import iso_to_ms, ms_to_iso
from pos_app.ledger.db import LEDGER_FILENAME, LedgerError
from pos_app.ledger.files import account_name, fix_command, foreign_owner, ownership_problems, private_dir
from pos_app.ledger.locks import single_window
from pos_app.ledger.sync_store import CREDENTIAL_FILENAME
from pos_app.services.base import ServicesBase
from pos_app.services.errors import Unavailable


@dataclass(frozen=True)
class DeviceState:
    """What the device page shows about this terminal and its sync, as the ledger has it."""

    terminal_id: str
    mode: str                       # "standalone" or "enrolled"
    server_url: str | None          # terminal.toml's [sync] server_url, else the address saved at enrollment
    branch: str
    queued: int                     # records waiting to be sent
    last_sync_ok_ms: int | None
    last_sync_error: str | None
    clock_offset_ms: int | None     # this terminal's clock minus the server's, at the last sync (None: never)
    data_dir: str
    clock_skew_limit_ms: int | None = None  # the sync protocol's limit (sync.protocol.CLOCK_SKEW_LIMIT_MS)
    last_backup: backup_mod.BackupInfo | None = None  # the newest backup in the data folder's backups/
    backups_kept: int = 0


class DeviceUseCases(ServicesBase):
    def device_state(self) -> DeviceState:
        """Sync and identity facts for the device page (one read; no network)."""
        from pos_app.services.sync_glue import configured_server_url

        def run() -> DeviceState:
            from sync.protocol import CLOCK_SKEW_LIMIT_MS

            ledger = self.ledger
            backups = backup_mod.list_backups(self.data_dir)
            with ledger.read() as conn:
                acked = int(ledger.get_meta(conn, "acked_seq") or 0)
                last_ok = ledger.get_meta(conn, "last_sync_ok_ms")
                offset = ledger.get_meta(conn, "clock_offset_ms")
                return DeviceState(
                    terminal_id=ledger.terminal_id, mode=ledger.get_meta(conn, "mode") or "standalone",
                    server_url=configured_server_url(self.data_dir) or ledger.get_meta(conn, "server_url"),
                    branch=ledger.get_meta(conn, "branch_name") or "",
                    queued=ledger.outbox_count_after(conn, acked),
                    last_sync_ok_ms=int(last_ok) if last_ok and last_ok.isdigit() else None,
                    last_sync_error=ledger.get_meta(conn, "last_sync_error") or None,
                    clock_offset_ms=int(offset) if offset and last_ok else None,
                    data_dir=str(self.data_dir), clock_skew_limit_ms=CLOCK_SKEW_LIMIT_MS,
                    last_backup=backups[0] if backups else None, backups_kept=len(backups))

        result: DeviceState = self._call(run)
        return result

    def install_rules(self, bundle: RulesBundle, activate: bool = True) -> None:
        with self.ledger.write() as conn:
            self.ledger.put_rules(conn, bundle.version, bundle.to_json())
            if activate:
                self.ledger.set_meta(conn, "rules_version", str(bundle.version))

    # ------------------------------------------------------------------ expiry
    def expire_due(self) -> dict[str, int]:
        """Expire every member's due points now (a daily job on standalone terminals: ``pos-terminal expire``).
        Returns {member_id: points expired}."""
        def run() -> dict[str, int]:
            done: dict[str, int] = {}
            with self.ledger.read() as conn:
                member_ids = self.ledger.members_with_points(conn)
            for member_id in member_ids:
                with self.ledger.write() as conn:
                    expired = self._expire_member(conn, member_id, self.active_rules(conn), self.clock())
                if expired:
                    done[member_id] = expired
            return done

        result: dict[str, int] = self._call(run)
        return result

    # ------------------------------------------------------------------ backup, health
    def backup(self, keep: int = backup_mod.KEEP_BACKUPS) -> backup_mod.BackupInfo:
        """A backup now; the scheduled rotation then keeps the newest ``keep`` (``[backup] keep``)."""

        def run() -> backup_mod.BackupInfo:
            return backup_mod.backup(self.data_dir, keep)

        result: backup_mod.BackupInfo = self._call(run)
        return result

    def backup_if_due(self, max_age_hours: int = 4,
                      keep: int = backup_mod.KEEP_BACKUPS) -> backup_mod.BackupInfo | None:
        """The scheduled backup: take one when the newest is older than ``max_age_hours``, keeping the newest
        ``keep`` (the counter app calls this at start and every few minutes from its background worker with
        ``[backup] every_hours`` and ``keep``; the timer runs ``pos-terminal backup --if-due``)."""
        newest = backup_mod.list_backups(self.data_dir)
        if newest and (time.time() - newest[0].created_at) < max_age_hours * 3600:
            return None
        return self.backup(keep)

    def doctor(self) -> dict[str, Any]:
        from pos_app.services.reports import doctor

        return doctor(self)


def restore_backup(data_dir: Path, source: Path | None = None) -> RestoreInfo:
    """Replace the ledger in ``data_dir`` with a backup (the newest when ``source`` is None); the replaced file
    is kept. A refusal is an ``Unavailable`` with the ledger's own line."""
    try:
        return backup_mod.restore(data_dir, source)
    except LedgerError as exc:
        raise Unavailable(exc.message) from exc


__all__ = [
    "CREDENTIAL_FILENAME", "LEDGER_FILENAME", "BackupInfo", "DeviceState", "DeviceUseCases", "RestoreInfo", "account_name",
    "fix_command", "foreign_owner", "iso_to_ms", "list_backups", "ms_to_iso", "ownership_problems", "private_dir",
    "prune_backups", "restore_backup", "single_window",
]
