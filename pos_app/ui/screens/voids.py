"""Void of the counter's last operations (an award, a redemption or an adjustment made here within the void
window of terminal.toml), with a manager's approval: a compensating entry, nothing deleted. State:
:class:`pos_app.ui.presenters.voids.VoidPresenter`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos_app.core.i18n import _
from pos_app.services.errors import ApprovalRequired, ServiceError
from pos_app.services.staff import Approval
from pos_app.ui.dialogs import VoidDialog
from pos_app.ui.presenters.changes import Change
from pos_app.ui.presenters.voids import void_done_text

if TYPE_CHECKING:
    from pos_app.services.base import MemberView


class VoidScreen:
    """Mixin of :class:`pos_app.ui.counter.CounterWindow`: voiding a mistaken operation."""

    def _void_minutes(self: Any) -> int:
        return int(self.config.terminal.void_window_minutes)

    def open_void(self: Any) -> None:
        if self._services is None or self._staff is None or self.void_dialog is not None or self.worker.busy:
            return
        svc = self._services

        def work() -> list[Any]:
            operations: list[Any] = svc.voidable()
            return operations

        def done(operations: list[Any]) -> None:
            if self.void_dialog is not None or self._staff is None:
                return
            state = self.void_state
            state.show(operations)
            dialog = VoidDialog(self)
            self.void_dialog = dialog
            dialog.chosen.connect(lambda index: (state.choose(index), self._show_voids()))
            dialog.confirm.clicked.connect(lambda: self.do_void())

            def closed() -> None:
                self.void_dialog = None
                dialog.deleteLater()
                self._back_to_counter()
                self.member_field.setFocus()

            dialog.finished.connect(closed)
            self._show_voids()
            dialog.open()
            self.void_requested.emit(dialog)

        self._submit(work, done)

    def _show_voids(self: Any) -> None:
        dialog, state = self.void_dialog, self.void_state
        if dialog is not None:
            dialog.show_operations(state.prompt(self._void_minutes()), state.lines(self.redeem_state.names()),
                                   state.chosen)

    def do_void(self: Any, approval: Approval | None = None) -> None:
        dialog, svc, staff = self.void_dialog, self._services, self._staff
        entry_id = self.void_state.entry_id
        if dialog is None or svc is None or staff is None or entry_id is None or self.worker.busy:
            return
        staff_id = staff.id
        op_id = self.ops.for_request("void", (entry_id, staff_id))
        member_id = self.void_state.operations[self.void_state.chosen].member_id

        def work() -> tuple[Any, MemberView | None]:
            result = svc.void(entry_id=entry_id, operator_id=staff_id, approval=approval, op_id=op_id)
            return result, self._fresh_member(svc, member_id)

        def failed(error: ServiceError) -> None:
            if isinstance(error, ApprovalRequired):
                self._ask_manager(error.message, lambda pin: self.do_void(Approval(pin=pin)),
                                  lambda: _("Not voided: no manager approval."))
                return
            if self.void_dialog is dialog:
                dialog.show_error(error.message)
            self.show_error(error.message)

        self._submit(work, self._voided, failed)

    def _voided(self: Any, outcome: tuple[Any, MemberView | None]) -> None:
        result, fresh = outcome
        self.ops.confirmed("void", result.op_id)
        if self.void_dialog is not None:
            self.void_dialog.accept()
        self._member_refreshed(fresh)
        self._set_status("done", lambda: void_done_text(result))
        self.changes.publish(Change.OPERATION_COMMITTED, result)
        self._sync_trigger()
        self.operation_done.emit(result)


__all__ = ["VoidScreen"]
