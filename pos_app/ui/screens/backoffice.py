"""Back office (manager role): the report for a date range by cashier, reward or hour with CSV export; the
manager area (lockouts, security events, reset a cashier's PIN). The services check the role on every call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pos_app.core.i18n import _
from pos_app.services.errors import ServiceError, Unavailable
from pos_app.services.staff import StaffView
from pos_app.ui.dialogs import ManagerDialog, ReportDialog


class BackOfficeScreen:
    """Mixin of :class:`pos_app.ui.counter.CounterWindow`: reports and the manager area."""

    def show_manager_area(self: Any) -> None:
        """Managers: wrong PINs and lockouts here (Unlock), security events, reset a cashier's PIN."""
        if self._services is None or self._staff is None or self.worker.busy:
            return
        svc = self._services
        manager = self._staff

        def load() -> tuple[list[dict[str, Any]], list[Any], list[StaffView]]:
            svc.require(manager, "manager")
            return svc.pin_guard_status(), svc.audit_log(limit=100), svc.staff("cashier")

        def render(state: tuple[list[dict[str, Any]], list[Any], list[StaffView]]) -> None:
            dialog = self.manager_dialog
            if dialog is None:
                dialog = ManagerDialog(self)
                self.manager_dialog = dialog
                dialog.unlock.clicked.connect(unlock)
                dialog.reset.clicked.connect(reset)
                dialog.finished.connect(closed)
                dialog.open()
            dialog.show_state(*state)
            self.manager_area_shown.emit(dialog)

        def closed(_result: int = 0) -> None:
            if self.manager_dialog is not None:
                self.manager_dialog.deleteLater()
                self._back_to_counter()
                self.manager_dialog = None

        def act(fn: Callable[[], Any], message: Callable[[Any], str]) -> None:
            def work() -> tuple[Any, tuple[list[dict[str, Any]], list[Any], list[StaffView]]]:
                return fn(), load()

            def done(outcome: tuple[Any, tuple[list[dict[str, Any]], list[Any], list[StaffView]]]) -> None:
                value, state = outcome
                if self.manager_dialog is not None:
                    self.manager_dialog.message.setText(message(value))
                render(state)

            def failed(error: ServiceError) -> None:
                if self.manager_dialog is not None:
                    self.manager_dialog.message.setText(error.message)
                self.error_shown.emit(error.message)

            self.worker.submit(work, done, failed)

        def unlock() -> None:
            dialog = self.manager_dialog
            lock = dialog.selected_lock() if dialog is not None else None
            if lock is None:
                return
            staff_id, purpose = lock["staff_id"], lock["purpose"]
            act(lambda: svc.unlock(staff_id, purpose, by=manager), lambda _n: _("Unlocked."))

        def reset() -> None:
            dialog = self.manager_dialog
            if dialog is None or dialog.cashier.currentData() is None:
                return
            cashier_id, pin = dialog.cashier.currentData(), dialog.reset_pin.text().strip()
            dialog.reset_pin.clear()
            act(lambda: svc.reset_pin(cashier_id, pin, by=manager),
                lambda s: _("PIN of {name} reset: they choose a new one at their next sign-in.").format(name=s.name))

        self._submit(load, render)

    def show_report(self: Any) -> None:
        """Managers: the report for a date range (today by cashier first), by cashier, reward or hour, with
        CSV export (the services check the role)."""
        if self._services is None or self._staff is None or self.worker.busy or self.report_dialog is not None:
            return
        svc = self._services
        staff = self._staff

        def work() -> Any:
            svc.require(staff, "manager")
            today = svc.today()
            from pos_app.services.reports import range_report
            return range_report(svc, today, today, "cashier")

        def done(report: Any) -> None:
            dialog = ReportDialog(report, self)
            self.report_dialog = dialog
            dialog.show_button.clicked.connect(self.refresh_report)
            dialog.export_button.clicked.connect(self.export_report)

            def closed() -> None:
                self.report_dialog = None
                dialog.deleteLater()
                self._back_to_counter()

            dialog.finished.connect(closed)
            dialog.open()
            self.report_shown.emit(dialog)

        self._submit(work, done)

    def refresh_report(self: Any) -> None:
        """The report dialog's Show: the dates and grouping typed there, run on the worker."""
        dialog, svc, staff = self.report_dialog, self._services, self._staff
        if dialog is None or svc is None or staff is None or self.worker.busy:
            return
        date_from, date_to, by = dialog.values()

        def work() -> Any:
            svc.require(staff, "manager")
            from pos_app.services.reports import range_report
            return range_report(svc, date_from, date_to, by)

        def done(report: Any) -> None:
            if self.report_dialog is dialog:
                dialog.show_message("")
                dialog.show_report(report)
                self.report_shown.emit(dialog)

        def failed(error: ServiceError) -> None:
            if self.report_dialog is dialog:
                dialog.show_message(error.message)
            self.error_shown.emit(error.message)

        self.worker.submit(work, done, failed)

    def export_report(self: Any) -> None:
        """The report shown, as CSV in the data folder's ``reports`` (written on the worker)."""
        dialog = self.report_dialog
        if dialog is None:
            return
        report = dialog.report
        from pos_app.services.reports import report_csv
        text = report_csv(report)  # in the language shown (the "Total" line), captured here
        path = self.data_dir / "reports" / f"report-{report.date_from}-{report.date_to}-{report.by}.csv"

        def work() -> Path:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise Unavailable(_("Cannot write {path}: {error}").format(
                    path=path, error=exc.strerror or exc)) from exc
            return path

        def done(written: Path) -> None:
            if self.report_dialog is dialog:
                dialog.show_message(_("Saved {path}").format(path=written))
            self.report_exported.emit(written)

        def failed(error: ServiceError) -> None:
            if self.report_dialog is dialog:
                dialog.show_message(error.message)
            self.error_shown.emit(error.message)

        self.worker.submit(work, done, failed)


__all__ = ["BackOfficeScreen"]
