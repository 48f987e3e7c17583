"""The device page's state and wording (manager or IT): sync, the printer, camera and scanner tests, the
``doctor`` checks and a backup. What is true comes from the services (``DeviceUseCases.device_state``,
``doctor``, ``backup``) and the sync worker's live status; this decides what the page says about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.core.i18n import N_, _
from pos_app.core.member_codes import classify_scan

#: doctor's check names, as the page shows them
CHECK_NAMES = {
    "integrity": N_("Ledger file"), "hash_chain": N_("Entry chain"), "balances": N_("Balances"),
    "schema": N_("Schema"), "backup": N_("Backup"), "disk": N_("Disk space"), "ledger": N_("Ledger"),
    "identity": N_("Identity"),
}
SCAN_KINDS = {
    "member_qr": N_("a member card (QR)"), "app_code": N_("a member code from the app"),
    "card_number": N_("a member card number"), "phone": N_("a phone number"),
}


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    kind: str = "info"  # "info", "ok" or "error"


def when_text(ms: int | None) -> str:
    if ms is None:
        return _("never")
    return datetime.fromtimestamp(ms / 1000).strftime("%d/%m/%Y %H:%M")


class DevicePresenter:
    def __init__(self) -> None:
        self.state: Any = None       # DeviceState
        self.live: Any = None        # the sync worker's SyncStatus (None: standalone or not started)
        self.doctor: dict[str, Any] | None = None
        self.printer_result = ""
        self.scanner_result = ""
        self.backup_result = ""
        self.backing_up = False

    # ------------------------------------------------------------------ sync
    def sync_lines(self) -> list[Line]:
        state, live = self.state, self.live
        if state is None:
            return []
        if state.mode != "enrolled":
            return [Line(_("Server"), _("none: this terminal works alone (standalone)"))]
        queued = live.queued if live is not None else state.queued
        last_ok = live.last_success_ms if live is not None and live.last_success_ms else state.last_sync_ok_ms
        offset = live.clock_offset_ms if live is not None and live.clock_offset_ms is not None \
            else state.clock_offset_ms
        lines = [Line(_("Server"), state.server_url or _("not set")),
                 Line(_("Records waiting"), f"{queued:,}", "error" if queued and live is not None
                      and not live.online else "info"),
                 Line(_("Last success"), when_text(last_ok), "info" if last_ok else "error")]
        error = live.last_error if live is not None else state.last_sync_error
        if error and not (live is not None and live.online):
            lines.append(Line(_("Last error"), error, "error"))
        lines.append(self._skew_line(offset, state.clock_skew_limit_ms))
        return lines

    @staticmethod
    def _skew_line(offset: int | None, limit_ms: int | None) -> Line:
        if offset is None:
            return Line(_("Clock skew"), _("not measured yet"))
        seconds = abs(offset) // 1000
        text = _("{seconds} s ahead of the server").format(seconds=f"{seconds:,}") if offset > 0 else \
            _("{seconds} s behind the server").format(seconds=f"{seconds:,}") if offset < 0 else _("none")
        if limit_ms is not None and abs(offset) > limit_ms:
            return Line(_("Clock skew"), text + " " + _("(too far: check the date and time)"), "error")
        return Line(_("Clock skew"), text, "ok")

    # ------------------------------------------------------------------ doctor
    def doctor_lines(self) -> list[Line]:
        if self.doctor is None:
            return []
        return [Line(_(CHECK_NAMES[c["check"]]) if c["check"] in CHECK_NAMES else c["check"],
                     str(c["detail"]), "ok" if c["ok"] else "error") for c in self.doctor.get("checks", [])]

    def doctor_verdict(self) -> str:
        if self.doctor is None:
            return ""
        return _("All checks passed.") if self.doctor.get("ok") else _("Some checks failed: call IT.")

    # ------------------------------------------------------------------ tests
    def printed(self, outcome: Any, describe: Any) -> None:
        """``outcome``: the print thread's PrintOutcome; ``describe``: the printer's error text by code."""
        if outcome.error_code is None:
            self.printer_result = _("Test slip printed on {printer}.").format(printer=outcome.result.printer)
        else:
            self.printer_result = describe(outcome.error_code)

    def scanned(self, text: str, layout_warning: str = "") -> None:
        """What the scanner typed into the test field: the text, and what the counter would take it for."""
        kind = classify_scan(text)
        meaning = _(SCAN_KINDS[kind]) if kind in SCAN_KINDS else _("not a member code or phone number")
        self.scanner_result = _("Read {count} characters: {text} ({meaning})").format(
            count=len(text), text=text if len(text) <= 40 else text[:37] + "...", meaning=meaning)
        if layout_warning:
            self.scanner_result += "\n" + layout_warning

    # ------------------------------------------------------------------ backup
    def backup_started(self) -> None:
        self.backing_up = True
        self.backup_result = _("Backing up the ledger…")

    def backup_done(self, info: Any) -> None:
        self.backing_up = False
        self.backup_result = _("Backup written: {path} ({size} KB)").format(
            path=info.path, size=f"{max(1, info.size_bytes // 1024):,}")

    def backup_failed(self, message: str) -> None:
        self.backing_up = False
        self.backup_result = message

    def backup_text(self) -> str:
        """What the backup box says: the outcome of the backup just made here, else the newest backup in the
        data folder (when, how large, how many are kept), so a manager sees at once whether one is recent."""
        if self.backup_result or self.state is None:
            return self.backup_result
        last = self.state.last_backup
        if last is None:
            return _("No backup yet: press \"Back up now\".")
        return _("Last backup: {when} ({size} KB); {count} kept in {folder}").format(
            when=when_text(int(last.created_at * 1000)), size=f"{max(1, last.size_bytes // 1024):,}",
            count=self.state.backups_kept, folder=last.path.parent)


__all__ = ["CHECK_NAMES", "DevicePresenter", "Line", "when_text"]
