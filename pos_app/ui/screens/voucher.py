"""A voucher scanned at the counter (scanner, camera or typed): what it gives, then Confirm. The voucher is checked
offline by the services, then used online first (held and committed on the loyalty server) or within the offline
allowance. State: :class:`pos_app.ui.presenters.voucher.VoucherPresenter`."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos_app.core.i18n import _
from pos_app.core.money import parse_purchase_amount
from pos_app.core.vouchers import classify_scan
from pos_app.services.errors import ServiceError
from pos_app.ui.dialogs import KioskDialog
from pos_app.ui.presenters.changes import Change
from pos_app.ui.presenters.voucher import VoucherPresenter, voucher_done_text
from pos_app.ui.screens.style import EnterButton


class VoucherDialog(KioskDialog):
    """What the voucher gives, the receipt it is used on, Use (Enter) or Close (Esc). Shown with ``open()``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voucherDialog")
        self.setWindowTitle(_("Voucher"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        self.gives = QLabel()
        self.gives.setObjectName("voucherGives")
        self.gives.setWordWrap(True)
        self.gives.setStyleSheet("font-size: 22px; font-weight: bold;")
        layout.addWidget(self.gives)
        self.details = QLabel()
        self.details.setObjectName("voucherDetails")
        self.details.setWordWrap(True)
        layout.addWidget(self.details)
        self.receipt = QLineEdit()
        self.receipt.setObjectName("voucherReceipt")
        self.receipt.setPlaceholderText(_("Receipt number"))
        layout.addWidget(self.receipt)
        self.message = QLabel()
        self.message.setObjectName("voucherMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.confirm = EnterButton()
        self.confirm.setObjectName("voucherConfirm")
        self.confirm.setDefault(True)
        self.cancel = QPushButton(_("Close"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.confirm, 1)
        layout.addLayout(buttons)
        self.cancel.clicked.connect(self.reject)
        self.receipt.returnPressed.connect(self.confirm.click)
        self.setMinimumWidth(560)

    def show_state(self, state: VoucherPresenter) -> None:
        self.setWindowTitle(state.title())
        lines = state.lines()
        self.gives.setText(lines[0] if lines else "")
        self.details.setText("\n".join(lines[1:]))
        self.confirm.setText(state.confirm_text())
        self.confirm.setEnabled(state.can_confirm)
        self.show_error(state.error)

    def show_error(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        if self.isVisible():
            self.refit()


class VoucherScreen:
    """Mixin of :class:`pos_app.ui.counter.CounterWindow` (which declares ``voucher_requested``, emitted with the
    dialog just opened, and holds ``voucher_state`` and ``voucher_dialog``): a scanned voucher, shown and
    confirmed."""

    def voucher_scanned(self: Any, text: str) -> bool:
        """The scanner path's hook: True when ``text`` is a voucher (by its prefix), which is then shown."""
        if classify_scan(text) != "voucher":
            return False
        self.open_voucher(text)
        return True

    def _voucher_bill(self: Any) -> int | None:
        """The baht bill typed (None: none, or a bill in another currency: a voucher's bill is in baht, and a
        multiplier voucher is then refused rather than recorded with a wrong sale)."""
        if self.currency_picker.foreign():
            return None
        try:
            return parse_purchase_amount(self.amount_field.text()) if self.amount_field.text().strip() else None
        except ValueError:
            return None

    def open_voucher(self: Any, code: str) -> None:
        if self._services is None or self._staff is None or getattr(self, "voucher_dialog", None) is not None:
            return
        svc, state = self._services, self.voucher_state
        state.scanned(code)
        bill = self._voucher_bill()
        member_id = self._member.id if self._member is not None else None
        self.member_field.clear()

        def work() -> tuple[Any, int | None, int | None]:
            check = svc.check_voucher(code, bill_satang=bill, member_id=member_id)
            if member_id is None or bill is None:
                return check, None, None
            if check.kind == "multiplier":  # what the sale will earn with it
                return check, svc.preview_sale(member_id, amount_satang=bill, factor=check.multiplier).points, None
            paid = bill - check.value_satang
            if check.kind in ("fixed", "percent") and paid > 0:  # the member earns on what they pay
                return check, svc.preview_sale(member_id, amount_satang=paid).points, paid
            return check, None, None

        def done(outcome: tuple[Any, int | None, int | None]) -> None:
            state.checked(*outcome)
            self._show_voucher_dialog()

        def failed(error: ServiceError) -> None:
            state.failed(error.message)
            self.show_error(error.message)

        self._submit(work, done, failed)

    def _show_voucher_dialog(self: Any) -> None:
        dialog = VoucherDialog(self)
        self.voucher_dialog = dialog
        dialog.receipt.setText(self.receipt_field.text().strip())
        dialog.confirm.clicked.connect(lambda: self.use_voucher())

        def closed() -> None:
            self.voucher_dialog = None
            dialog.deleteLater()
            self.member_field.setFocus()

        dialog.finished.connect(closed)
        dialog.show_state(self.voucher_state)
        dialog.open()
        dialog.refit()
        dialog.receipt.setFocus()
        self.voucher_requested.emit(dialog)

    def use_voucher(self: Any) -> None:
        dialog, svc, staff, state = self.voucher_dialog, self._services, self._staff, self.voucher_state
        if dialog is None or svc is None or staff is None or not state.can_confirm or self.worker.busy:
            return
        receipt = dialog.receipt.text().strip()
        if not receipt:
            dialog.show_error(_("Type the receipt number the voucher is used on."))
            dialog.receipt.setFocus()
            return
        code, bill, staff_id = state.code, self._voucher_bill(), staff.id
        member_id = self._member.id if self._member is not None else None
        op_id = self.ops.for_request("voucher", (code, receipt, staff_id))
        clients, enrolled = self._sync_clients, self._enrolled

        def work() -> tuple[Any, Any]:
            client = clients.get(svc) if enrolled else None
            from pos_app.services import sync_glue  # the ledger (sqlalchemy): never before the PIN screen

            result = sync_glue.redeem_voucher(svc, client, code, receipt_ref=receipt, operator_id=staff_id,
                                              bill_satang=bill, member_id=member_id, op_id=op_id)
            fresh = self._fresh_member(svc, member_id) if result.points is not None and member_id else None
            return result, fresh

        def done(outcome: tuple[Any, Any]) -> None:
            result, fresh = outcome
            self.ops.confirmed("voucher", result.op_id)
            if self.voucher_dialog is not None:
                self.voucher_dialog.accept()
            if result.points is not None:  # a multiplier: its sale was recorded with it, as an award is
                self._member_refreshed(fresh)
                self.amount_field.clear()
                self.receipt_field.clear()
                self.award_state.reset()
                self._show_preview()
                self._print_slip(result, fresh if fresh is not None else self._member)
            elif self.award_state.apply_voucher(result):  # a discount: points on what the member pays
                if not self.receipt_field.text().strip():
                    self.receipt_field.setText(result.receipt_ref)
                self._show_preview()
                self._preview_timer.start()
            self._set_status("done", lambda: voucher_done_text(result))
            self.changes.publish(Change.OPERATION_COMMITTED, result)
            self._sync_trigger()
            self.operation_done.emit(result)

        def failed(error: ServiceError) -> None:
            if self.voucher_dialog is dialog:
                dialog.show_error(error.message)
            self.show_error(error.message)

        self._submit(work, done, failed)


__all__ = ["VoucherDialog", "VoucherScreen"]
