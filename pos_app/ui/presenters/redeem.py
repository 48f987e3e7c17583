"""The redeem screen: reward tiles (cost, stock, whether the member can afford it) and points as a discount."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pos_app.core.i18n import _, get_language


def reward_name(reward: Mapping[str, Any]) -> str:
    """A reward's name in the current language: the one place that decides it."""
    return str(reward["name_th"] if get_language() == "th" else reward["name_en"])


@dataclass(frozen=True)
class RewardTile:
    code: str
    name: str
    cost: int
    stock: int | None       # None: unlimited
    affordable: bool        # the member's balance covers the cost and there is stock
    selected: bool
    voucher: str = ""       # a reward that buys a voucher: what the voucher gives ("" for an ordinary reward)

    @property
    def cost_text(self) -> str:
        return _("{points} points").format(points=f"{self.cost:,}")

    @property
    def stock_text(self) -> str:
        if self.stock is None:
            return ""
        if self.stock <= 0:
            return _("out of stock")
        return _("{count} left").format(count=f"{self.stock:,}")

    @property
    def caption(self) -> str:
        """The tile's second line: cost, and stock when it is counted."""
        line = " · ".join(part for part in (self.cost_text, self.stock_text) if part)
        return f"{line}\n{self.voucher}" if self.voucher else line

    @property
    def hint(self) -> str:
        """Why a tile cannot be chosen (the tooltip of a greyed tile)."""
        if self.stock is not None and self.stock <= 0:
            return self.stock_text
        return "" if self.affordable else _("not enough points")

class RedeemPresenter:
    def __init__(self) -> None:
        self.rewards: list[dict[str, Any]] = []
        self.selected: str | None = None  # a reward code; None: points as a discount
        self.balance: int | None = None   # the member's balance (None: no member)

    def set_rewards(self, rewards: Iterable[Mapping[str, Any]]) -> bool:
        """The rewards (re-)read; True when the chosen reward was withdrawn (nothing stays half-chosen)."""
        self.rewards = [dict(r) for r in rewards if r.get("active", True)]
        if self.selected is not None and self.reward(self.selected) is None:
            self.selected = None
            return True
        return False

    def reward(self, code: str | None) -> dict[str, Any] | None:
        return next((r for r in self.rewards if r["code"] == code), None)

    def names(self) -> dict[str, str]:
        return {str(r["code"]): reward_name(r) for r in self.rewards}

    def select(self, code: str | None) -> None:
        self.selected = code if code is None or self.reward(code) is not None else None

    def voucher(self, code: str | None = None) -> str:
        """What the voucher bought with reward ``code`` (default: the chosen one) gives; "" if not a voucher."""
        from pos_app.core.vouchers import reward_voucher_line

        reward = self.reward(self.selected if code is None else code)
        if reward is None or reward.get("voucher_benefit") is None:
            return ""
        return reward_voucher_line(str(reward["voucher_benefit"]))

    def cost(self) -> int | None:
        reward = self.reward(self.selected)
        return int(reward["points_cost"]) if reward is not None else None

    def tiles(self) -> list[RewardTile]:
        tiles = []
        for reward in self.rewards:
            cost = int(reward["points_cost"])
            stock = reward.get("stock")
            in_stock = stock is None or int(stock) > 0
            affordable = self.balance is not None and self.balance >= cost and in_stock
            tiles.append(RewardTile(code=str(reward["code"]), name=reward_name(reward), cost=cost,
                                    stock=None if stock is None else int(stock), affordable=affordable,
                                    selected=reward["code"] == self.selected,
                                    voucher=self.voucher(str(reward["code"]))))
        return tiles

    def button_text(self, points_text: str = "") -> str:
        """What the primary button will do: redeem the chosen reward's cost, or the points typed."""
        cost = self.cost()
        if cost is None and points_text.strip().isdigit() and int(points_text) > 0:
            cost = int(points_text)
        if cost is None:
            return _("Redeem")
        if self.voucher():
            return _("Buy voucher: {points} points").format(points=f"{cost:,}")
        return _("Redeem {points} points").format(points=f"{cost:,}")


@dataclass
class PendingBuy:
    """A voucher purchase the window started and has not seen through: its operation id (the server's points hold
    is derived from it) and the cashier who started it (part of the operation's request, kept for the retry)."""
    member_id: str
    reward_code: str
    operator_id: str
    op_id: str
    spent: bool = False     # the redemption is recorded here: the points are spent, the voucher is still owed


class VoucherBuys:
    """The window's unfinished voucher purchases, one per member and reward. Pressing again for the same member
    and reward reuses the operation (the points are spent once, the same voucher comes back), whoever is signed
    in. When the cashier moves on to another member, a purchase that spent nothing is abandoned (its hold
    released); one that spent the points stays until its voucher is fetched."""

    def __init__(self, new_id: Any) -> None:
        self._new_id = new_id
        self._pending: dict[tuple[str, str], PendingBuy] = {}

    def for_request(self, member_id: str, reward_code: str, operator_id: str) -> PendingBuy:
        key = (member_id, reward_code)
        if key not in self._pending:
            self._pending[key] = PendingBuy(member_id, reward_code, operator_id, self._new_id())
        return self._pending[key]

    def mark_spent(self, op_id: str) -> None:
        for buy in self._pending.values():
            if buy.op_id == op_id:
                buy.spent = True

    def confirmed(self, op_id: str) -> None:
        self._pending = {k: b for k, b in self._pending.items() if b.op_id != op_id}

    def member_left(self, member_id: str) -> tuple[list[PendingBuy], list[PendingBuy]]:
        """The member is no longer shown: (purchases to abandon, now dropped; purchases still owing a voucher)."""
        mine = [b for b in self._pending.values() if b.member_id == member_id]
        abandon = [b for b in mine if not b.spent]
        for b in abandon:
            del self._pending[(b.member_id, b.reward_code)]
        return abandon, [b for b in mine if b.spent]

    def keep(self, buy: PendingBuy) -> None:
        """An abandoned purchase turned out to have spent the points: keep it for the retry."""
        buy.spent = True
        self._pending[(buy.member_id, buy.reward_code)] = buy

    def owed(self) -> list[PendingBuy]:
        return [b for b in self._pending.values() if b.spent]


__all__ = ["PendingBuy", "RedeemPresenter", "RewardTile", "VoucherBuys", "reward_name"]
