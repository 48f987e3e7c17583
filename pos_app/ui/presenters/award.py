"""The award screen: the bill typed, its live preview, and what the primary button will do."""

from __future__ import annotations

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.money import format_baht, parse_purchase_amount
from pos_app.core.rules import points_start_text


class AwardPresenter:
    def __init__(self) -> None:
        self.has_member = False
        self.amount_text = ""
        self.preview_points: int | None = None
        self.preview_start: int | None = None  # when the preview is 0 points: the bill from which points start
        self.generation = 0

    def reset(self) -> None:
        self.amount_text = ""
        self.preview_points = None
        self.preview_start = None
        self.generation += 1

    def amount(self) -> int | None:
        try:
            return parse_purchase_amount(self.amount_text)
        except RuleError:
            return None

    def set_amount(self, text: str) -> bool:
        """The cashier typed; True when a preview should be asked for (a member and a usable amount)."""
        self.amount_text = text
        self.preview_points = None
        self.generation += 1
        return self.has_member and self.amount() is not None

    def amount_error(self, quiet_when_empty: bool = False) -> str:
        """The inline error for the amount field ("" when it is usable or nothing needs saying)."""
        if not self.amount_text.strip() and (quiet_when_empty or not self.has_member):
            return ""
        try:
            parse_purchase_amount(self.amount_text)
        except RuleError as exc:
            return exc.message
        return ""

    def previewed(self, generation: int, amount: int, points: int, start: int | None) -> bool:
        """A preview came back; False (ignored) when the cashier typed on meanwhile."""
        if generation != self.generation or self.amount() != amount:
            return False
        self.preview_points, self.preview_start = points, start
        return True

    def preview_text(self) -> str:
        amount = self.amount()
        if not self.has_member or amount is None or self.preview_points is None:
            return ""
        if self.preview_points == 0:  # still a sale: the award button records it with 0 points
            return _("{amount} earns 0 points: {why}").format(
                amount=format_baht(amount), why=points_start_text(self.preview_start))
        return _("{amount} earns {points} points").format(
            amount=format_baht(amount), points=f"{self.preview_points:,}")

    def button_text(self) -> str:
        """What pressing the primary button will do, in the cashier's words."""
        if not self.has_member or self.amount() is None or self.preview_points is None:
            return _("Award points")
        if self.preview_points == 0:
            return _("Record the sale (0 points)")
        return _("Award {points} points").format(points=f"{self.preview_points:,}")


__all__ = ["AwardPresenter"]
