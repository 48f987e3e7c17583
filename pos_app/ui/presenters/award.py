"""The award screen: the bill typed (in baht or in a currency the branch takes), its live preview, and what the
primary button will do.

A sale in another currency previews as the amount in its currency, its THB equivalent and the rate it was
converted at, then the points ("USD 40.00 = ฿1,432.50 at 35.8125 → 57 points"), all from the services'
answer (the rules' rate at the sale time, ``pos_app.core.currency.convert_sale``), never computed here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pos_app.core import currency as fx
from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.money import format_baht, parse_purchase_amount
from pos_app.core.rules import points_start_text

SaleKey = int | tuple[str, int]
"""What a preview was asked for: satang for a baht bill, (currency, minor units) for another currency."""


@dataclass(frozen=True)
class AppliedVoucher:
    """A discount voucher already used on this sale (``VoucherUseResult``): what it took off the bill."""

    voucher_id: str
    discount_satang: int
    description: str

    @property
    def tail(self) -> str:
        """The end of the voucher's id, as the slip and the screen show it."""
        return self.voucher_id[-4:]


class AwardPresenter:
    def __init__(self) -> None:
        self.has_member = False
        self.amount_text = ""
        self.currency: str | None = None  # the currency chosen when it is not baht
        self.preview_points: int | None = None
        self.preview_start: int | None = None  # when the preview is 0 points: the bill from which points start
        self.preview_fx: tuple[int, str] | None = None  # a foreign sale: its THB equivalent (satang) and rate
        self.voucher: AppliedVoucher | None = None  # a discount voucher used on this sale: points on what is paid
        self.generation = 0

    def _forget_preview(self) -> None:
        self.preview_points = None
        self.preview_start = None
        self.preview_fx = None
        self.generation += 1

    def reset(self) -> None:
        self.amount_text = ""
        self.voucher = None
        self._forget_preview()

    def apply_voucher(self, result: Any) -> bool:
        """A voucher was used on this sale (a ``VoucherUseResult``): a baht discount is taken off the bill the
        points are earned on (the member earns on what they pay). True when a new preview should be asked for."""
        if result.kind not in ("fixed", "percent") or not result.value_satang:
            return False
        self.voucher = AppliedVoucher(result.voucher_id, int(result.value_satang), result.description)
        return self.set_amount(self.amount_text)

    def set_currency(self, code: str | None) -> bool:
        """The cashier chose a currency (None or THB: baht); True when a preview should be asked for."""
        self.currency = None if code in (None, fx.HOME_CURRENCY) else code
        return self.set_amount(self.amount_text)

    def amount(self) -> int | None:
        """The baht bill in satang (None while a foreign currency is chosen or the text is no amount)."""
        if self.currency is not None:
            return None
        try:
            return parse_purchase_amount(self.amount_text)
        except RuleError:
            return None

    def _sale(self) -> dict[str, Any]:
        if self.currency is None:
            bill = parse_purchase_amount(self.amount_text)
            if self.voucher is not None:
                if bill <= self.voucher.discount_satang:
                    raise RuleError(_("The voucher pays the whole bill: there is nothing paid to earn points "
                                      "on."), "amount.voucher")
                return {"amount_satang": bill - self.voucher.discount_satang}
            return {"amount_satang": bill}
        return {"currency": self.currency, "amount_minor": fx.parse_amount(self.amount_text, self.currency)}

    def sale(self) -> dict[str, Any] | None:
        """The typed bill as the arguments of ``Services.award`` / ``preview_sale`` (None: not an amount)."""
        try:
            return self._sale()
        except RuleError:
            return None

    def sale_key(self) -> SaleKey | None:
        sale = self.sale()
        if sale is None:
            return None
        return sale["amount_satang"] if self.currency is None else (sale["currency"], sale["amount_minor"])

    def set_amount(self, text: str) -> bool:
        """The cashier typed; True when a preview should be asked for (a member and a usable amount)."""
        self.amount_text = text
        self._forget_preview()
        return self.has_member and self.sale() is not None

    def amount_error(self, quiet_when_empty: bool = False) -> str:
        """The inline error for the amount field ("" when it is usable or nothing needs saying)."""
        if not self.amount_text.strip() and (quiet_when_empty or not self.has_member):
            return ""
        try:
            self._sale()
        except RuleError as exc:
            return exc.message
        return ""

    def previewed(self, generation: int, amount: SaleKey, points: int, start: int | None,
                  thb_satang: int | None = None, rate: str | None = None) -> bool:
        """A preview came back (for a foreign sale with its THB equivalent and rate); False (ignored) when the
        cashier typed on or chose another currency meanwhile."""
        if generation != self.generation or self.sale_key() != amount:
            return False
        self.preview_points, self.preview_start = points, start
        self.preview_fx = (thb_satang, rate) if self.currency is not None and thb_satang is not None and rate \
            else None
        return True

    def _amount_shown(self) -> str | None:
        """The bill as the preview says it: ``฿1,234.50``, or ``USD 40.00 = ฿1,432.50 at 35.8125``."""
        key = self.sale_key()
        if key is None:
            return None
        if isinstance(key, int):
            if self.voucher is not None:  # the member earns on what they pay: say so
                return _("{bill} − voucher …{tail} {discount} = {paid} paid").format(
                    bill=format_baht(key + self.voucher.discount_satang), tail=self.voucher.tail,
                    discount=format_baht(self.voucher.discount_satang), paid=format_baht(key))
            return format_baht(key)
        if self.preview_fx is None:
            return None
        code, minor = key
        satang, rate = self.preview_fx
        return _("{amount} = {baht} at {rate}").format(amount=fx.format_money(minor, code),
                                                       baht=format_baht(satang), rate=rate)

    def preview_text(self) -> str:
        shown = self._amount_shown()
        if not self.has_member or shown is None or self.preview_points is None:
            return ""
        if self.currency is not None:
            if self.preview_points == 0:
                return _("{amount} → 0 points: {why}").format(amount=shown,
                                                              why=points_start_text(self.preview_start))
            return _("{amount} → {points} points").format(amount=shown, points=f"{self.preview_points:,}")
        if self.preview_points == 0:  # still a sale: the award button records it with 0 points
            return _("{amount} earns 0 points: {why}").format(
                amount=shown, why=points_start_text(self.preview_start))
        return _("{amount} earns {points} points").format(amount=shown, points=f"{self.preview_points:,}")

    def button_text(self) -> str:
        """What pressing the primary button will do, in the cashier's words."""
        if not self.has_member or self.sale() is None or self.preview_points is None:
            return _("Award points")
        if self.preview_points == 0:
            return _("Record the sale (0 points)")
        return _("Award {points} points").format(points=f"{self.preview_points:,}")


__all__ = ["AppliedVoucher", "AwardPresenter", "SaleKey"]
