"""Award screen: the bill amount and receipt, the live preview, and the primary button that says what it will
do ("Award 12 points", or records a 0-point sale). State: :class:`pos_app.ui.presenters.award.AwardPresenter`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLineEdit, QVBoxLayout

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.rules import zero_points_text
from pos_app.services.errors import ServiceError
from pos_app.ui.currency_picker import CurrencyPicker, amount_row
from pos_app.ui.presenters.changes import Change
from pos_app.ui.screens.style import big_button, with_key, wrapped_label

if TYPE_CHECKING:
    from pos_app.services.base import MemberView

PREVIEW_DELAY_MS = 150


class AwardScreen:
    """Mixin of :class:`pos_app.ui.counter.CounterWindow`: awarding points for a bill."""

    def _build_award(self: Any) -> QGroupBox:
        self.award_box = QGroupBox()
        self.award_box.setObjectName("awardBox")
        award_outer = QVBoxLayout(self.award_box)
        award_outer.setContentsMargins(6, 2, 6, 4)  # the actions column fits 768 pixels with the reward tiles
        award_outer.setSpacing(4)
        award_layout = QGridLayout()
        self.amount_label = wrapped_label("amountLabel")
        self.amount_field = QLineEdit()
        self.amount_field.setObjectName("amountField")
        self.amount_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.currency_picker = CurrencyPicker()  # the branch's currencies (hidden while it takes baht only)
        self.receipt_label = wrapped_label("receiptLabel")
        self.receipt_field = QLineEdit()
        self.receipt_field.setObjectName("receiptField")
        self.receipt_field.setMaxLength(64)
        self.amount_error = wrapped_label("amountError", note=True)
        self.preview = wrapped_label("preview", note=True)
        self.award_button = big_button("awardButton")
        self.amount_label.setBuddy(self.amount_field)
        self.receipt_label.setBuddy(self.receipt_field)
        award_layout.addWidget(self.amount_label, 0, 0)
        award_layout.addLayout(amount_row(self.amount_field, self.currency_picker), 0, 1)
        award_layout.addWidget(self.receipt_label, 1, 0)
        award_layout.addWidget(self.receipt_field, 1, 1)
        # the primary button beside the two fields, as tall as both: the largest control, and the column
        # keeps room under the fields for the preview and the errors at 768 pixels
        award_layout.addWidget(self.award_button, 0, 2, 2, 1)
        award_layout.setColumnStretch(1, 1)
        # notes under the grid, in a box layout: it gives a wrapped note the height its width needs
        award_outer.addLayout(award_layout)
        award_outer.addWidget(self.amount_error)
        award_outer.addWidget(self.preview)
        self.amount_field.textChanged.connect(self._amount_changed)
        self.currency_picker.currentIndexChanged.connect(self._amount_changed)
        self.amount_field.returnPressed.connect(self._amount_entered)
        self.receipt_field.returnPressed.connect(self.award)
        self.award_button.clicked.connect(self.award)
        self.changes.subscribe(Change.MEMBER_SHOWN, self._award_member_shown)
        self.changes.subscribe(Change.RULES_CHANGED, self._refresh_currencies)  # new rules may bring currencies
        return self.award_box

    def _refresh_currencies(self: Any, _payload: Any = None) -> None:
        if self._services is not None:
            self.currency_picker.refresh(self.worker, self._services)

    def _retranslate_award(self: Any) -> None:
        self.award_box.setTitle(_("Award points"))
        self._show_amount_label()
        self.amount_field.setPlaceholderText("1,234.50")
        self.receipt_label.setText(_("Receipt no."))
        self.receipt_field.setPlaceholderText(_("e.g. R-000123"))
        self._show_preview()
        self._refresh_amount_error()

    def _award_member_shown(self: Any, member: MemberView | None) -> None:
        self.award_state.has_member = member is not None
        self.amount_field.clear()
        self.receipt_field.clear()
        self.award_state.reset()
        self._show_preview()

    # ------------------------------------------------------------------ typing and preview
    def _show_amount_label(self: Any) -> None:
        code = self.currency_picker.foreign()
        self.amount_label.setText(_("Bill amount ({code})").format(code=code) if code else _("Bill amount (baht)"))

    def _amount_changed(self: Any, _value: object = None) -> None:
        state = self.award_state
        state.currency = self.currency_picker.foreign()
        self._show_amount_label()
        wants_preview = state.set_amount(self.amount_field.text())
        self._refresh_amount_error(quiet_when_empty=True)
        self._show_preview()
        if wants_preview:
            self._preview_timer.start()

    def _amount_entered(self: Any) -> None:
        if self._refresh_amount_error():
            self.receipt_field.setFocus()

    def _refresh_amount_error(self: Any, quiet_when_empty: bool = False) -> bool:
        """Show the inline error for the amount field; True when the amount is usable."""
        state = self.award_state
        state.amount_text = self.amount_field.text()
        state.currency = self.currency_picker.foreign()
        self.amount_error.setText(state.amount_error(quiet_when_empty))
        return state.sale() is not None

    def _request_preview(self: Any) -> None:
        """The live preview, on the worker: the points, and for another currency its THB equivalent and rate."""
        state, member, svc = self.award_state, self._member, self._services
        sale, key = state.sale(), state.sale_key()
        if member is None or sale is None or key is None or svc is None:
            return
        generation, member_id = state.generation, member.id

        def work() -> Any:
            return svc.preview_sale(member_id, **sale)

        def done(preview: Any) -> None:
            if state.previewed(generation, key, preview.points, preview.points_start_satang,
                               preview.amount_satang, preview.fx_rate):
                self._show_preview()
                self.preview_shown.emit(preview.points)

        def failed(error: ServiceError) -> None:
            if generation == state.generation:
                state.preview_points = None
                self.amount_error.setText(error.message)

        self.worker.submit(work, done, failed, busy=False)

    def _show_preview(self: Any) -> None:
        self.preview.setText(self.award_state.preview_text())
        self.award_button.setText(with_key(self.award_state.button_text(), "F2", below=True))
        # as wide as the longest thing it may say, so a text that grows while typing is never clipped (the
        # amount field beside it gives way; the currency picker makes that row narrower)
        metrics = self.award_button.fontMetrics()
        widest = max(metrics.horizontalAdvance(text) for text in (
            _("Award points"), _("Record the sale (0 points)"), _("Award {points} points").format(points="9,999")))
        self.award_button.setMinimumWidth(widest + 24)

    # ------------------------------------------------------------------ award
    def award(self: Any) -> None:
        """Award points for the bill: captured values go to the worker; "done" shows after the commit."""
        if self._services is None or self._staff is None or self.worker.busy:
            return
        member = self._member
        if member is None:
            self.show_error(_("Find the member first."))
            return
        try:
            sale = self.currency_picker.sale(self.amount_field.text())
        except RuleError as exc:
            self.amount_error.setText(exc.message)
            self.amount_field.setFocus()
            self.error_shown.emit(exc.message)
            return
        voucher = self.award_state.voucher
        if voucher is not None and "amount_satang" in sale:  # a discount voucher: points on what is paid
            paid = self.award_state.sale()
            if paid is None:
                self.amount_error.setText(self.award_state.amount_error())
                self.amount_field.setFocus()
                return
            sale = paid
        receipt = self.receipt_field.text().strip()
        if not receipt:
            message = _("Type the receipt number.")
            self.show_error(message)
            self.receipt_field.setFocus()
            return
        staff_id = self._staff.id
        key = (member.id, tuple(sale.items()), receipt, staff_id)
        op_id = self.ops.for_request("award", key)
        svc = self._services
        member_id = member.id

        def work() -> tuple[Any, MemberView | None]:
            result = svc.award(member_id=member_id, receipt_ref=receipt, operator_id=staff_id, op_id=op_id, **sale)
            return result, self._fresh_member(svc, member_id)

        self._submit(work, self._awarded)

    def _awarded(self: Any, outcome: tuple[Any, MemberView | None]) -> None:
        result, fresh = outcome
        self.ops.confirmed("award", result.op_id)
        voucher, self.award_state.voucher = self.award_state.voucher, None  # used on this sale: on its slip
        self._member_refreshed(fresh)
        self.amount_field.clear()
        self.receipt_field.clear()
        self.amount_error.clear()
        points, balance, start = result.points, result.balance_after, result.points_start_satang

        def text() -> str:
            if points == 0:
                return _("Done: sale recorded. {why}. Balance {balance} points.").format(
                    why=zero_points_text(start), balance=f"{balance:,}")
            return _("Done: {points} points awarded. New balance {balance} points.").format(
                points=f"{points:,}", balance=f"{balance:,}")

        self._set_status("done", text)
        self.amount_field.setFocus()
        self.changes.publish(Change.OPERATION_COMMITTED, result)
        self._sync_trigger()
        self._print_slip(result, fresh if fresh is not None else self._member, voucher=voucher)
        self.operation_done.emit(result)


__all__ = ["PREVIEW_DELAY_MS", "AwardScreen"]
