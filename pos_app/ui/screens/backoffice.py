"""Back office (manager role): the window's hooks into the back office dialog (reports, flags, approvals log:
:mod:`pos_app.ui.screens.reports`) and the manager area (lockouts, security events, reset a cashier's PIN). The
services check the role on every call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos_app.core.i18n import _
from pos_app.services.errors import ServiceError
from pos_app.services.staff import StaffView
from pos_app.ui.dialogs import ManagerDialog
from pos_app.ui.screens.reports import BackOfficeDialog


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
        """Managers: the back office (:mod:`pos_app.ui.screens.reports`), today's report by cashier first. Its
        pages run their services on this window's worker; the services check the role on every call."""
        if self._services is None or self._staff is None or self.worker.busy or self.report_dialog is not None:
            return
        svc = self._services
        staff = self._staff

        def work() -> Any:
            svc.require(staff, "manager")
            today = svc.today()
            from pos_app.services.reports import range_report
            return today, range_report(svc, today, today, "cashier")

        def done(outcome: Any) -> None:
            today, report = outcome
            dialog = BackOfficeDialog(svc, staff, self.worker.submit, self.data_dir, today, self)
            self.report_dialog = dialog
            dialog.reports.report_drawn.connect(lambda _r: self.report_shown.emit(dialog))
            dialog.reports.exported.connect(self.report_exported.emit)
            for page in dialog.pages():
                page.refused.connect(self.error_shown.emit)
            self.sync_status_shown.connect(dialog.flags.reload)  # after each sync round: the flags it brought
            dialog.flags.reload()

            def closed() -> None:
                self.report_dialog = None
                dialog.deleteLater()
                self._back_to_counter()

            dialog.finished.connect(closed)
            dialog.open()
            dialog.reports.show_report(report)

        self._submit(work, done)

    def refresh_report(self: Any) -> None:
        """The back office's report again, with the range and grouping chosen there."""
        if self.report_dialog is not None:
            self.report_dialog.reports.refresh()  # queued behind whatever the worker is doing


__all__ = ["BackOfficeScreen"]
