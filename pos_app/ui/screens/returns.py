"""Returns screen: the receipt number, what the return will do (the original award, the points taken back),
a manager's approval, the slip. A receipt paid in another currency is refunded in it (the amount typed is read
in the receipt's currency once it is looked up; the points come back at the sale's rate, as in the CLI).
Qt-free parts: :func:`pos_app.ui.presenters.return_summary`, :mod:`pos_app.ui.presenters.returns`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.services.errors import ApprovalRequired, InvalidInput, ServiceError
from pos_app.services.staff import Approval
from pos_app.ui.dialogs import ReturnDialog
from pos_app.ui.presenters import return_summary
from pos_app.ui.presenters.changes import Change
from pos_app.ui.presenters.returns import ReturnPresenter, refund_args

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
        self.return_state = ReturnPresenter()
        dialog.look_up.clicked.connect(self.preview_return)
        dialog.confirm.clicked.connect(lambda: self.do_return())
        dialog.receipt.textChanged.connect(self._return_receipt_changed)

        def closed() -> None:
            self.return_dialog = None
            dialog.deleteLater()
            self._back_to_counter()
            self.member_field.setFocus()

        dialog.finished.connect(closed)
        dialog.open()
        self.return_requested.emit(dialog)

    def _return_receipt_changed(self: Any, _text: str = "") -> None:
        """Another receipt: its currency is not known until it is looked up."""
        self.return_state.forget()
        if self.return_dialog is not None:
            self.return_dialog.amount_label.setText(self.return_state.amount_label())

    def _return_request(self: Any) -> tuple[str, str] | None:
        """The receipt and the refund text typed (read in the receipt's currency once it is known)."""
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
        return receipt, dialog.amount.text()

    def _refund_refused(self: Any, message: str) -> None:
        dialog = self.return_dialog
        if dialog is not None:
            dialog.forget_preview()
            dialog.show_error(message)
            dialog.amount.setFocus()
        self.error_shown.emit(message)

    def preview_return(self: Any) -> None:
        """Look the receipt up (on the worker): the currency it was paid in, the refund typed read in it, and
        what the return would do."""
        dialog, svc = self.return_dialog, self._services
        request = self._return_request()
        if dialog is None or svc is None or request is None or self.worker.busy:
            return
        receipt, text = request

        def work() -> ReturnPreview:
            from pos_app.services.returns import preview_return

            currency = svc.receipt_currency(receipt)
            try:
                args = refund_args(text, currency)
            except RuleError as exc:
                raise InvalidInput(exc.message) from exc
            return preview_return(svc, receipt, **args)

        def done(preview: ReturnPreview) -> None:
            if self.return_dialog is dialog and self._return_request() == request:
                self.return_state.looked_up(receipt, preview.currency)
                dialog.amount_label.setText(self.return_state.amount_label())
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
        receipt, text = request
        if not self.return_state.shown_for(receipt):  # what a return does is seen before it is done
            self.preview_return()
            return
        try:
            refund = refund_args(text, self.return_state.currency)
        except RuleError as exc:
            self._refund_refused(exc.message)
            return
        staff_id = staff.id
        op_id = self.ops.for_request("return", (receipt, tuple(refund.items()), staff_id))

        def work() -> tuple[Any, MemberView | None]:
            result = svc.return_receipt(receipt_ref=receipt, operator_id=staff_id, approval=approval, op_id=op_id,
                                        **refund)
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
