"""The counter's state strip, always visible at the bottom: sync (online or offline, records waiting, last
sync, clock skew), the member's offline allowance, backups, the slip printer with reprint. The sync worker's
status arrives from its own thread through :class:`SyncBridge`; a sync pull is announced to the screens as a
change notification (:class:`pos_app.ui.presenters.changes.Change`)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QPushButton

from pos_app.core.i18n import _
from pos_app.services.errors import ServiceError
from pos_app.ui.presenters.changes import Change
from pos_app.ui.screens.style import clock_time, wrapped_label
from pos_app.ui.slips import PrintOutcome, print_slip_job, printer_message, slip_data, slip_labels

if TYPE_CHECKING:
    from pos_app.services.base import MemberView

BACKUP_CHECK_MS = 10 * 60 * 1000  # how often the window asks the services whether a backup is due


class SyncBridge(QObject):
    """Carries the sync worker's status (reported on its own thread) to the UI thread as a queued signal."""

    changed = Signal(object)  # sync.client.SyncStatus
    pulled = Signal(int)      # a sync round applied this many changes from the server


class SyncClientHolder:
    """The redeem path's sync client, made lazily and used only on the service worker thread."""

    def __init__(self, client_kwargs: dict[str, Any]) -> None:
        self.client_kwargs = client_kwargs
        self.client: Any = None
        self.lock = threading.Lock()

    def get(self, services: Any) -> Any:
        from sync.client import NotEnrolled

        with self.lock:
            if self.client is None:
                try:
                    from pos_app.services import sync_glue
                    self.client = sync_glue.make_client(services, **self.client_kwargs)
                except NotEnrolled:
                    return None
            return self.client

    def close(self) -> None:
        with self.lock:
            client, self.client = self.client, None
        close = getattr(client, "close", None)
        if close is not None:
            close()


class StatusStrip:
    """Mixin of :class:`pos_app.ui.counter.CounterWindow`: the state strip and what feeds it."""

    def _build_state_strip(self: Any) -> QFrame:
        # a strip of our own rather than QStatusBar, whose labels cannot wrap: a long sync or printer message
        # would widen the window past the screen
        self.sync_label = wrapped_label("syncStatus")
        self.backup_label = wrapped_label("backupStatus")
        self.config_label = wrapped_label("configStatus", note=True)
        self.printer_label = wrapped_label("printerStatus", note=True)
        self.reprint_button = QPushButton()
        self.reprint_button.setObjectName("reprintButton")
        self.reprint_button.clicked.connect(self.reprint_last_slip)
        self.reprint_button.setVisible(False)
        state = QFrame()
        state.setObjectName("stateStrip")
        state_layout = QGridLayout(state)
        state_layout.setContentsMargins(4, 2, 4, 2)
        state_layout.setVerticalSpacing(0)
        state_layout.addWidget(self.sync_label, 0, 0)
        state_layout.addWidget(self.backup_label, 0, 1)
        state_layout.addWidget(self.printer_label, 1, 0)
        state_layout.addWidget(self.reprint_button, 1, 1, 2, 1)
        state_layout.addWidget(self.config_label, 2, 0)
        state_layout.setColumnStretch(0, 3)
        state_layout.setColumnStretch(1, 1)
        self.state_strip = state
        return state

    def _retranslate_state_strip(self: Any) -> None:
        self._show_sync_status()
        self._show_offline_remaining()
        self.backup_label.setText(self._backup_text() if self._backup_text else "")
        self.printer_label.setText(self._printer_text() if self._printer_text else "")
        self.reprint_button.setText(_("Reprint last slip"))
        self.config_label.setText(_("Configuration not used, running on defaults: {error}").format(
            error=self.config_error) if self.config_error else "")

    # ------------------------------------------------------------------ backups
    def check_backup(self: Any) -> None:
        """Ask the services (on the worker, never here) for a backup when one is due; a failure is shown in
        the status bar and never blocks the counter."""
        svc = self._services
        if svc is None:
            return
        hours, keep = self.config.backup.every_hours, self.config.backup.keep

        def work() -> Any:
            return svc.backup_if_due(hours, keep)

        def done(info: Any) -> None:
            if info is not None:
                when = clock_time(int(info.created_at * 1000))
                self._backup_failed = False
                self._backup_text = lambda: _("Backup done at {time}").format(time=when)
                self.backup_label.setText(self._backup_text())
            self.backup_checked.emit(info)

        def failed(error: ServiceError) -> None:
            message = error.message
            self._backup_failed = True
            self._backup_text = lambda: _("Backup failed: {error}").format(error=message)
            self.backup_label.setText(self._backup_text())
            self.backup_checked.emit(error)

        self.worker.submit(work, done, failed, busy=False)

    # ------------------------------------------------------------------ slips
    def _print_slip(self: Any, result: Any, member: MemberView | None, voucher: Any = None) -> None:
        """After a committed award/redeem: render and print the slip on the print thread (``voucher``: a
        discount voucher used on the sale, listed on it). A printing problem is shown with a reprint action;
        it never blocks the counter or undoes the operation."""
        slips, worker = self.slip_printer, self.print_worker
        if slips is None or worker is None or member is None:
            return
        data = slip_data(result, member, branch=self._branch_name, labels=slip_labels(), voucher=voucher)
        paper = "58mm" if self.config.printer.paper_mm == 58 else "80mm"
        worker.submit(lambda: print_slip_job(slips, data, paper), self._slip_done, self._slip_failed, busy=False)

    def reprint_last_slip(self: Any) -> None:
        """Print the last slip again, marked as a copy (after paper was loaded or the printer fixed)."""
        slips, worker = self.slip_printer, self.print_worker
        if slips is None or worker is None:
            return
        self.reprint_button.setEnabled(False)
        worker.submit(lambda: print_slip_job(slips, None, "", reprint=True), self._slip_done, self._slip_failed,
                      busy=False)

    def _slip_done(self: Any, outcome: PrintOutcome) -> None:
        self.reprint_button.setEnabled(True)
        if outcome.error_code is None:
            self._printer_text = None
            self.printer_label.setText("")
        else:
            code = outcome.error_code
            self._printer_text = lambda: _("The slip did not print: {reason}").format(reason=printer_message(code))
            self.printer_label.setText(self._printer_text())
        if self.slip_printer is not None and self.slip_printer.last_slip is not None:
            self.reprint_button.setVisible(True)
        self.slip_printed.emit(outcome)

    def _slip_failed(self: Any, error: ServiceError) -> None:
        self._slip_done(PrintOutcome(None, "error", error.message))

    # ------------------------------------------------------------------ sync
    def _start_sync(self: Any, services: Any) -> None:
        from pos_app.services import sync_glue
        worker = sync_glue.make_worker(services, interval=float(self.config.sync.interval_seconds),
                                       client_kwargs=self._sync_client_kwargs,
                                       on_change=self.sync_bridge.changed.emit,
                                       on_pulled=self.sync_bridge.pulled.emit)
        self.sync_worker = worker
        self.sync_status = worker.status
        worker.start()
        worker.trigger()

    def _sync_trigger(self: Any) -> None:
        if self.sync_worker is not None:
            self.sync_worker.trigger()

    def _on_sync_status(self: Any, status: Any) -> None:
        if self._closed:
            return
        was_online = self.sync_status.online if self.sync_status is not None else None
        self.sync_status = status
        self._show_sync_status()
        if status.syncing:
            return
        if was_online != status.online:
            self._refresh_offline_remaining()
        self.sync_status_shown.emit(status)

    def _on_sync_pulled(self: Any, count: int) -> None:
        """The server sent changes (points earned at another counter, a reward added or out of stock, a
        flag): re-read the member shown, the tiers and the rewards on the worker, then tell the screens."""
        svc = self._services
        if self._closed or svc is None or self._staff is None:
            return
        member_id = self._member.id if self._member is not None else None

        def work() -> tuple[MemberView | None, list[dict[str, Any]], dict[str, tuple[str, str]]]:
            fresh = self._fresh_member(svc, member_id) if member_id is not None else None
            tiers = {t.code: (t.name_th, t.name_en) for t in svc.active_rules().tiers.tiers}
            return fresh, svc.rewards(), tiers

        def done(outcome: tuple[MemberView | None, list[dict[str, Any]], dict[str, tuple[str, str]]]) -> None:
            fresh, rewards, tiers = outcome
            self.member_state.tier_names = tiers
            self.changes.publish(Change.SYNC_PULLED, count)
            self.changes.publish(Change.RULES_CHANGED)
            self.changes.publish(Change.REWARDS_CHANGED, rewards)
            if fresh is not None and self.member_state.is_shown(fresh.id):
                self._member_refreshed(fresh)
                self._refresh_offline_remaining()
                self._load_member_details()
            self.pulled_refreshed.emit(self._member)

        self.worker.submit(work, done, lambda _error: None, busy=False)

    def _show_sync_status(self: Any) -> None:
        status = self.sync_status
        if not self._enrolled or status is None:
            self.sync_label.setText(_("Standalone: not connected to a loyalty server") if self._services else "")
            self.sync_label.setProperty("online", "none")
            return
        parts = [_("Online") if status.online else _("Offline")]
        if status.queued:
            parts.append(_("{count} records waiting to be sent").format(count=f"{status.queued:,}"))
        else:
            parts.append(_("all records sent"))
        if status.last_success_ms is not None:
            parts.append(_("last sync {time}").format(time=clock_time(status.last_success_ms)))
        else:
            parts.append(_("never synced yet"))
        if not status.online and status.error_code:
            from pos_app.services import sync_glue
            parts.append(sync_glue.describe(status.error_code, status.last_error or ""))
        if status.clock_skewed:
            minutes = abs(status.clock_offset_ms) // 60_000
            parts.append(_("Warning: this terminal's clock differs from the server's by {minutes} minutes; "
                           "check the date and time.").format(minutes=minutes))
        self.sync_label.setText(" · ".join(parts))
        self.sync_label.setProperty("online", "yes" if status.online else "no")

    def _offline_now(self: Any) -> bool:
        return self._enrolled and (self.sync_status is None or not self.sync_status.online)

    def _refresh_offline_remaining(self: Any) -> None:
        """When offline, how many points the member shown can still redeem here (asked on the worker)."""
        member, svc = self._member, self._services
        if member is None or svc is None or not self._offline_now():
            self._offline_remaining = None
            self._show_offline_remaining()
            return
        member_id = member.id

        def work() -> int:
            from pos_app.services import sync_glue
            return int(sync_glue.offline_remaining(svc, member_id))

        def done(points: int) -> None:
            if self._member is None or self._member.id != member_id or not self._offline_now():
                return
            self._offline_remaining = points
            self._show_offline_remaining()
            self.offline_remaining_shown.emit(points)

        self.worker.submit(work, done, lambda _error: None, busy=False)

    def _show_offline_remaining(self: Any) -> None:
        points = self._offline_remaining
        if points is None or self._member is None:
            self.offline_label.setText("")
            return
        self.offline_label.setText(_("Offline: this member can redeem up to {points} points here until the "
                                     "terminal syncs again.").format(points=f"{points:,}"))


__all__ = ["BACKUP_CHECK_MS", "StatusStrip", "SyncBridge", "SyncClientHolder"]
