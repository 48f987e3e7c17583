"""The return dialog's state: which receipt was looked up, the currency it was paid in, and the refund typed
read in that currency (a dollar receipt is refunded in dollars, at the sale's rate: the services convert)."""

from __future__ import annotations

from typing import Any

from pos_app.core import currency as fx
from pos_app.core.i18n import _
from pos_app.core.money import parse_purchase_amount


def refund_args(text: str, currency: str | None) -> dict[str, Any]:
    """The refund typed as the arguments of ``Services.return_receipt`` / ``preview_return``: none for the
    whole receipt (an empty field), ``refund_satang`` for a baht receipt, ``refund_minor`` in the receipt's
    currency otherwise. RuleError (one line, a code) for an amount that currency cannot have."""
    if not text.strip():
        return {}
    if currency is None or currency == fx.HOME_CURRENCY:
        return {"refund_satang": parse_purchase_amount(text)}
    return {"refund_minor": fx.parse_amount(text, currency)}


class ReturnPresenter:
    def __init__(self) -> None:
        self.receipt: str | None = None  # the receipt whose preview is shown
        self.currency: str | None = None  # the currency it was paid in (None: baht, or not looked up yet)

    def looked_up(self, receipt: str, currency: str | None) -> None:
        self.receipt, self.currency = receipt, currency

    def forget(self) -> None:
        self.receipt = self.currency = None

    def shown_for(self, receipt: str) -> bool:
        """True when the preview on screen is of ``receipt`` (only then may it be returned)."""
        return self.receipt is not None and self.receipt == receipt

    def amount_label(self) -> str:
        if self.currency is None:
            return _("Refund (baht)")
        return _("Refund ({code})").format(code=self.currency)


__all__ = ["ReturnPresenter", "refund_args"]
