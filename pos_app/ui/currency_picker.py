"""The currencies the branch takes, offered next to the bill amount (a sale paid in dollars, yen, ringgit ...).

A small combo box: baht first and chosen by default; the other currencies of the active rules that this branch
takes (``Services.accepted_currencies``, read on the worker, never on the UI thread); hidden while the branch
takes baht only, so a counter without foreign currencies looks as before. :meth:`CurrencyPicker.sale` reads
the amount typed in the chosen currency (by its ISO 4217 exponent) and gives the arguments of
``Services.award``: ``amount_satang`` for baht, ``currency`` and ``amount_minor`` otherwise (the THB
equivalent is computed by the services at the rules' rate).

The counter window holds one (``CounterWindow.currency_picker``); its hooks are a few lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from pos_app.core import currency as fx
from pos_app.core.i18n import _
from pos_app.core.money import parse_purchase_amount


class CurrencyPicker(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("currencyPicker")
        self.setMinimumHeight(48)  # a touch target, like the fields beside it
        self.set_currencies(())

    def set_currencies(self, codes: Sequence[str]) -> None:
        """Offer baht and ``codes``; the choice is kept when it is still offered, else back to baht."""
        chosen = self.currentData()
        self.blockSignals(True)
        self.clear()
        for code in (fx.HOME_CURRENCY, *codes):
            self.addItem(code, code)
        index = self.findData(chosen) if chosen else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)
        self.setVisible(bool(codes))
        self.setToolTip(_("Currency the bill was paid in"))
        if chosen is not None and self.currentData() != chosen:
            self.currentIndexChanged.emit(self.currentIndex())

    def foreign(self) -> str | None:
        """The chosen currency when it is not baht."""
        code = self.currentData()
        return None if code in (None, fx.HOME_CURRENCY) else str(code)

    def sale(self, text: str) -> dict[str, Any]:
        """The amount ``text`` in the chosen currency as ``Services.award`` arguments; RuleError (one line, with
        a code) for an amount that currency cannot have (``40.005`` dollars, ``1000.5`` yen)."""
        code = self.foreign()
        if code is None:
            return {"amount_satang": parse_purchase_amount(text)}
        return {"currency": code, "amount_minor": fx.parse_amount(text, code)}

    def refresh(self, worker: Any, services: Any) -> None:
        """Read the branch's currencies on ``worker`` (after sign-in and after a sync pull brought new rules)."""
        worker.submit(services.accepted_currencies, self.set_currencies, lambda _error: None, busy=False)


def amount_row(amount_field: QWidget, picker: CurrencyPicker) -> QHBoxLayout:
    """The amount field with the picker at its right."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(amount_field, 1)
    row.addWidget(picker)
    return row
