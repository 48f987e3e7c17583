"""A scanned voucher: what it gives, shown before the cashier confirms; what using it did. Qt-free."""

from __future__ import annotations

from typing import Any

from pos_app.core.i18n import _
from pos_app.core.money import format_baht


class VoucherPresenter:
    """One voucher at a time: ``scanned`` -> ``checked`` (or ``failed``) -> the cashier confirms or closes."""

    def __init__(self) -> None:
        self.code: str | None = None
        self.check: Any = None       # the services' VoucherCheck
        self.error = ""

    def scanned(self, code: str) -> None:
        self.code, self.check, self.error = code.strip(), None, ""

    def checked(self, check: Any) -> None:
        self.check, self.error = check, ""

    def failed(self, message: str) -> None:
        self.error = message

    @property
    def can_confirm(self) -> bool:
        return self.check is not None and not self.error

    def title(self) -> str:
        if self.check is None:
            return _("Voucher")
        return _("Voucher {id}").format(id=self.check.voucher_id)

    def lines(self) -> list[str]:
        """What the voucher gives, in the cashier's words (the largest line first)."""
        c = self.check
        if c is None:
            return []
        lines = [c.description]
        if c.kind in ("fixed", "percent"):
            lines.append(_("Takes off this bill: {amount}").format(amount=format_baht(c.value_satang)))
        lines.append(_("Valid until {date}").format(date=c.valid_until))
        if c.min_spend_satang:
            lines.append(_("Minimum bill {amount}").format(amount=format_baht(c.min_spend_satang)))
        if c.owner:
            lines.append(_("For the member it was issued to"))
        return lines

    def confirm_text(self) -> str:
        c = self.check
        if c is not None and c.kind in ("fixed", "percent"):
            return _("Use voucher: {amount} off").format(amount=format_baht(c.value_satang))
        return _("Use voucher")


def voucher_done_text(result: Any) -> str:
    """The status line after a voucher was used (a ``pos_app.services.vouchers.VoucherUseResult``)."""
    text = _("Done: voucher {id} used: {what}.").format(id=result.voucher_id, what=result.description)
    if result.offline:
        text += " " + _("(offline: sent to the server at the next sync)")
    return text


__all__ = ["VoucherPresenter", "voucher_done_text"]
