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
        self.sale_points: int | None = None  # what the sale will earn with it (the member's bill, when known)
        self.paid_satang: int | None = None  # a discount: what the member pays, the points are earned on

    def scanned(self, code: str) -> None:
        self.code, self.check, self.error = code.strip(), None, ""
        self.sale_points = self.paid_satang = None

    def checked(self, check: Any, sale_points: int | None = None, paid_satang: int | None = None) -> None:
        self.check, self.error = check, ""
        self.sale_points, self.paid_satang = sale_points, paid_satang

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
            if self.paid_satang is not None and self.sale_points is not None:
                lines.append(_("The member pays {paid} and earns {points} points on it").format(
                    paid=format_baht(self.paid_satang), points=f"{self.sale_points:,}"))
        elif c.kind == "multiplier" and self.sale_points is not None:
            lines.append(_("Used with this sale: it earns {points} points").format(points=f"{self.sale_points:,}"))
        elif c.kind == "multiplier":
            lines.append(_("Find the member and type the bill: the sale is recorded with the voucher"))
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
        if c is not None and c.kind == "multiplier" and self.sale_points is not None:
            return _("Use voucher: award {points} points").format(points=f"{self.sale_points:,}")
        return _("Use voucher")


def voucher_done_text(result: Any) -> str:
    """The status line after a voucher was used (a ``pos_app.services.vouchers.VoucherUseResult``)."""
    text = _("Done: voucher {id} used: {what}.").format(id=result.voucher_id, what=result.description)
    if result.points is not None:  # a multiplier: the sale was recorded with it
        text += " " + _("{points} points awarded. New balance {balance} points.").format(
            points=f"{result.points:,}", balance=f"{result.balance_after:,}")
    elif result.kind in ("fixed", "percent"):
        text += " " + _("Award the points on what the member pays.")
    if result.offline:
        text += " " + _("(offline: sent to the server at the next sync)")
    return text


__all__ = ["VoucherPresenter", "voucher_done_text"]
