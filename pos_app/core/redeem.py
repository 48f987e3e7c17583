"""Redeeming points: catalog rewards and points as a discount on the bill (partial redemption).

The cashier chooses how many points to use; these functions say what that is worth and refuse what is not
allowed with a clear message (:class:`~pos_app.core.errors.RedeemError`, stable ``code``). Offline
allowances (how much may be redeemed without the server) are the ledger's business, not checked here.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.core.errors import RedeemError, RuleError
from pos_app.core.i18n import _
from pos_app.core.money import MAX_AMOUNT_SATANG, format_baht
from pos_app.core.rules import PERMILLE, DiscountPolicy


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Reward:
    """An item of the rewards catalog, worth ``points_cost`` points; ``stock`` None = unlimited."""

    code: str
    name_th: str
    name_en: str
    points_cost: int
    stock: int | None = None
    active: bool = True

    def __post_init__(self) -> None:
        for name in ("code", "name_th", "name_en"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise RuleError(_("A reward needs a {field}.").format(field=name), "reward.invalid")
        if not _is_int(self.points_cost) or self.points_cost <= 0:
            raise RuleError(_("A reward must cost at least 1 point."), "reward.invalid")
        if self.stock is not None and (not _is_int(self.stock) or self.stock < 0):
            raise RuleError(_("Reward stock must be zero or more (or unlimited)."), "reward.invalid")
        if not isinstance(self.active, bool):
            raise RuleError(_("Reward “active” must be true or false."), "reward.invalid")


def check_redeem(balance: int, points: int) -> None:
    """Refuse a redemption of ``points`` that is not positive or exceeds ``balance``."""
    if not _is_int(points) or points <= 0:
        raise RedeemError(_("Choose at least 1 point to redeem."), "redeem.points")
    if not _is_int(balance):
        raise RedeemError(_("The balance is not a whole number of points."), "redeem.points")
    if points > balance:
        raise RedeemError(
            _("Not enough points: the member has {balance} and {points} were asked for.").format(
                balance=max(balance, 0), points=points
            ),
            "redeem.balance",
        )


def reward_cost(reward: Reward, balance: int, quantity: int = 1) -> int:
    """Points to redeem ``quantity`` of ``reward``; refuses inactive, out-of-stock or unaffordable rewards."""
    if not _is_int(quantity) or quantity <= 0:
        raise RedeemError(_("Choose at least one reward."), "redeem.quantity")
    if not reward.active:
        raise RedeemError(
            _("The reward “{name}” is no longer offered.").format(name=reward.name_en), "redeem.inactive"
        )
    if reward.stock is not None and reward.stock < quantity:
        raise RedeemError(
            _("The reward “{name}” is out of stock ({stock} left).").format(name=reward.name_en, stock=reward.stock),
            "redeem.stock",
        )
    cost = reward.points_cost * quantity
    check_redeem(balance, cost)
    return cost


def max_discount_satang(bill_satang: int, policy: DiscountPolicy) -> int:
    """The largest discount points may give on a bill: ``bill * max_bill_fraction_permille // 1000``."""
    if not _is_int(bill_satang) or bill_satang < 0 or bill_satang > MAX_AMOUNT_SATANG:
        raise RedeemError(_("The bill amount is not valid."), "redeem.bill")
    return bill_satang * policy.max_bill_fraction_permille // PERMILLE


def discount_for_points(points: int, policy: DiscountPolicy, bill_satang: int | None = None) -> int:
    """Satang of discount that ``points`` buy; with ``bill_satang``, refuse more than the bill allows.

    Refuses fewer than ``policy.min_points``. Never rounds points away silently: the cashier is told the
    most that can be used (see :func:`max_points_for_bill`).
    """
    if not _is_int(points) or points <= 0:
        raise RedeemError(_("Choose at least 1 point to redeem."), "redeem.points")
    if points < policy.min_points:
        raise RedeemError(
            _("At least {n} points are needed for a discount.").format(n=policy.min_points), "redeem.minimum"
        )
    discount = points * policy.satang_per_point
    if bill_satang is not None:
        cap = max_discount_satang(bill_satang, policy)
        if discount > cap:
            most = cap // policy.satang_per_point
            raise RedeemError(
                _("{points} points ({discount}) is more than this bill allows; use at most {most} points.").format(
                    points=points, discount=format_baht(discount), most=most
                ),
                "redeem.bill_cap",
            )
    return discount


def max_points_for_bill(bill_satang: int, balance: int, policy: DiscountPolicy) -> int:
    """The most points usable as a discount on this bill with this balance (0 if below the minimum)."""
    most = min(max(balance, 0), max_discount_satang(bill_satang, policy) // policy.satang_per_point)
    return most if most >= policy.min_points else 0
