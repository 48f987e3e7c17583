"""Returns screen: the receipt number, what the return will do (the original award, the points taken back),
a manager's approval, the slip. Qt-free parts: :func:`pos_app.ui.presenters.return_summary`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.money import parse_purchase_amount
from pos_app.services.errors import ApprovalRequired, ServiceError
from pos_app.services.staff import Approval
from pos_app.ui.dialogs import ReturnDialog
from pos_app.ui.presenters import return_summary
from pos_app.ui.presenters.changes import Change

if TYPE_CHECKING:
    from pos_app.services.base import MemberView
    from pos_app.services.returns import ReturnPreview


class ReturnsScreen:
    """Mixin of :class:`pos_app.ui.counter.CounterWindow`: returning a receipt."""

    def open_return(self: Any) -> None:
        """A return: the receipt number, what the return will do, a manager's approval, the slip."""
        if self._services is None or self._staff is None or self.return_dialog is not None or self.worker.busy:
            return
        dialog = ReturnDialog(self)
        self.return_dialog = dialog
        dialog.look_up.clicked.connect(self.preview_return)
        dialog.confirm.clicked.connect(lambda: self.do_return())

        def closed() -> None:
            self.return_dialog = None
            dialog.deleteLater()
            self._back_to_counter()
            self.member_field.setFocus()

        dialog.finished.connect(closed)
        dialog.open()
        self.return_requested.emit(dialog)

    def _return_request(self: Any) -> tuple[str, int | None] | None:
        dialog = self.return_dialog
        if dialog is None:
            return None
        receipt = dialog.receipt.text().strip()
        if not receipt:
            message = _("Type the receipt number.")
            dialog.show_error(message)
            dialog.receipt.setFocus()
            self.error_shown.emit(message)
            return None
        amount: int | None = None
        if dialog.amount.text().strip():
            try:
                amount = parse_purchase_amount(dialog.amount.text())
            except RuleError as exc:
                dialog.show_error(exc.message)
                dialog.amount.setFocus()
                self.error_shown.emit(exc.message)
                return None
        return receipt, amount

    def preview_return(self: Any) -> None:
        dialog, svc = self.return_dialog, self._services
        request = self._return_request()
        if dialog is None or svc is None or request is None or self.worker.busy:
            return
        receipt, amount = request

        def work() -> ReturnPreview:
            from pos_app.services.returns import preview_return
            return preview_return(svc, receipt, amount)

        def done(preview: ReturnPreview) -> None:
            if self.return_dialog is dialog and self._return_request() == request:
                dialog.show_preview(return_summary(preview))
                self.return_previewed.emit(preview)

        def failed(error: ServiceError) -> None:
            if self.return_dialog is dialog:
                dialog.forget_preview()
                dialog.show_error(error.message)
            self.error_shown.emit(error.message)

        self.worker.submit(work, done, failed)

    def do_return(self: Any, approval: Approval | None = None) -> None:
        dialog, svc, staff = self.return_dialog, self._services, self._staff
        request = self._return_request()
        if dialog is None or svc is None or staff is None or request is None or self.worker.busy:
            return
        receipt, amount = request
        staff_id = staff.id
        op_id = self.ops.for_request("return", (receipt, amount, staff_id))

        def work() -> tuple[Any, MemberView | None]:
            result = svc.return_receipt(receipt_ref=receipt, operator_id=staff_id, refund_satang=amount,
                                        approval=approval, op_id=op_id)
            return result, self._fresh_member(svc, result.member_id)

        def failed(error: ServiceError) -> None:
            if isinstance(error, ApprovalRequired):
                self._ask_manager(error.message, lambda pin: self.do_return(Approval(pin=pin)),
                                  lambda: _("Not returned: no manager approval."))
                return
            if self.return_dialog is dialog:
                dialog.show_error(error.message)
            self.show_error(error.message)

        self._submit(work, self._returned, failed)

    def _returned(self: Any, outcome: tuple[Any, MemberView | None]) -> None:
        result, fresh = outcome
        self.ops.confirmed("return", result.op_id)
        if self.return_dialog is not None:
            self.return_dialog.accept()
        self._member_refreshed(fresh)
        receipt, taken, given, balance = (result.receipt_ref, result.points_clawed_back, result.points_restored,
                                          result.balance_after)

        def text() -> str:
            done = _("Done: receipt {receipt} returned, {points} points taken back.").format(
                receipt=receipt, points=f"{taken:,}")
            if given:
                done += " " + _("{points} points given back.").format(points=f"{given:,}")
            return done + " " + _("New balance {balance} points.").format(balance=f"{balance:,}")

        self._set_status("done", text)
        self.changes.publish(Change.OPERATION_COMMITTED, result)
        self._sync_trigger()
        self._print_slip(result, fresh)
        self.operation_done.emit(result)


__all__ = ["ReturnsScreen"]
