"""Returns: clawing back points earned on a receipt, in proportion to what is refunded.

The clawback is cumulative so that rounding can never take more than was earned, and a full return takes
back exactly what was earned, however the return is split::

    total_clawed(r) = earned - (earned * (original - r)) // original     # r = satang refunded so far
    clawback(refund) = total_clawed(before + refund) - total_clawed(before)

(The member keeps the floor of the points of what they kept, so each partial return rounds in the
member's disfavour by less than one point, and the last one settles the rest.)
"""

from __future__ import annotations

from pos_app.core.errors import ReturnError
from pos_app.core.i18n import _
from pos_app.core.money import format_baht
from pos_app.core.rules import ReturnPolicy


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def total_clawed(earned_points: int, original_satang: int, refunded_satang: int) -> int:
    """Points clawed back in all once ``refunded_satang`` of ``original_satang`` has been refunded."""
    kept = original_satang - refunded_satang
    return earned_points - (earned_points * kept) // original_satang


def clawback_for_return(
    earned_points: int, original_satang: int, refunded_before_satang: int, refund_satang: int
) -> int:
    """Points to claw back for a refund of ``refund_satang`` on a receipt of ``original_satang`` that earned
    ``earned_points`` and already had ``refunded_before_satang`` refunded.

    Refuses (ReturnError) a non-positive refund and a refund larger than what remains refundable.
    """
    for value in (earned_points, original_satang, refunded_before_satang, refund_satang):
        if not _is_int(value):
            raise ReturnError(_("Amounts and points must be whole numbers."), "return.invalid")
    if earned_points < 0 or original_satang < 0 or refunded_before_satang < 0:
        raise ReturnError(_("The receipt's figures cannot be negative."), "return.invalid")
    if refund_satang <= 0:
        raise ReturnError(_("The refund must be more than zero."), "return.amount")
    refundable = original_satang - refunded_before_satang
    if refundable <= 0:
        raise ReturnError(_("This receipt has already been fully refunded."), "return.already")
    if refund_satang > refundable:
        raise ReturnError(
            _("The refund ({refund}) is more than what remains refundable on this receipt ({left}).").format(
                refund=format_baht(refund_satang), left=format_baht(refundable)
            ),
            "return.too_much",
        )
    before = total_clawed(earned_points, original_satang, refunded_before_satang)
    after = total_clawed(earned_points, original_satang, refunded_before_satang + refund_satang)
    return after - before


def restore_for_refunded_redemption(redeemed_points: int, policy: ReturnPolicy) -> int:
    """Points given back when a redemption is refunded: all of them if the policy says so, else none."""
    if not _is_int(redeemed_points) or redeemed_points < 0:
        raise ReturnError(_("Give the redeemed points as a positive number."), "return.invalid")
    return redeemed_points if policy.restore_redeemed_points else 0
