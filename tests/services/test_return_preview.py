"""The return preview says exactly what the return then does, and refuses what the return would refuse."""

from __future__ import annotations

import pytest

from pos_app.services import Approval
from pos_app.services.errors import Conflict, InvalidInput, NotFound
from pos_app.services.returns import preview_return


@pytest.fixture
def member(services):
    return services.members.enroll(name="Somchai Jaidee", phone="081-234-5678", operator_id="cashier-1")


def test_the_preview_matches_partial_then_full_returns_and_writes_nothing(services, member) -> None:
    services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-9", operator_id="c")  # 40 points
    services.redeem(member_id=member.id, points=15, receipt_ref="R-9", operator_id="c")
    before = services.history(member.id)
    half = preview_return(services, " R-9 ", 50_000)
    assert services.history(member.id) == before  # nothing written
    assert (half.receipt_ref, half.member_name, half.original_satang, half.points_earned) == (
        "R-9", "Somchai Jaidee", 100_000, 40)
    assert (half.points_to_take_back, half.points_to_give_back, half.balance_now, half.balance_after) == (
        20, 0, 25, 5)
    done = services.return_receipt(receipt_ref="R-9", refund_satang=50_000, operator_id="c",
                                   approval=Approval("9999"))
    assert (done.points_clawed_back, done.points_restored, done.balance_after) == (20, 0, half.balance_after)

    rest = preview_return(services, "R-9")
    assert (rest.refunded_before_satang, rest.remaining_satang, rest.refund_satang) == (50_000, 50_000, 50_000)
    assert (rest.points_to_take_back, rest.points_to_give_back) == (20, 15)  # the whole receipt: redeemed back
    done = services.return_receipt(receipt_ref="R-9", operator_id="c", approval=Approval("9999"))
    assert (done.points_clawed_back, done.points_restored, done.balance_after) == (20, 15, rest.balance_after)


def test_the_preview_refuses_like_the_return(services, member) -> None:
    services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-9", operator_id="c")
    with pytest.raises(NotFound, match="R-NOPE"):
        preview_return(services, "R-NOPE")
    with pytest.raises(InvalidInput, match="Only ฿1,000.00"):
        preview_return(services, "R-9", 100_001)
    with pytest.raises(InvalidInput):
        preview_return(services, "R-9", 0)
    services.return_receipt(receipt_ref="R-9", operator_id="c", approval=Approval("9999"))
    with pytest.raises(Conflict, match="already fully returned"):
        preview_return(services, "R-9")
