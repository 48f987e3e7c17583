"""Redeeming: catalog rewards and points as a discount, partial redemption, clear refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.core.errors import RedeemError, RuleError
from pos_app.core.money import MAX_AMOUNT_SATANG
from pos_app.core.redeem import (
    Reward,
    check_redeem,
    discount_for_points,
    max_discount_satang,
    max_points_for_bill,
    reward_cost,
)
from pos_app.core.rules import DiscountPolicy

DEFAULT = DiscountPolicy()  # 1 point = ฿0.25
COFFEE = Reward("COF", "กาแฟเย็น", "Iced coffee", 200, stock=3)


def test_check_redeem(refused) -> None:
    check_redeem(100, 100)
    check_redeem(1, 1)
    for balance, points, code, message in [
        (100, 0, "redeem.points", "Choose at least 1 point to redeem."),
        (100, -5, "redeem.points", "Choose at least 1 point to redeem."),
        (100, 1.0, "redeem.points", "Choose at least 1 point to redeem."),
        (100, True, "redeem.points", "Choose at least 1 point to redeem."),
        (100.0, 5, "redeem.points", "The balance is not a whole number of points."),
        (100, 101, "redeem.balance", "Not enough points: the member has 100 and 101 were asked for."),
        (-10, 1, "redeem.balance", "Not enough points: the member has 0 and 1 were asked for."),  # owes: shown as 0
    ]:
        with refused(RedeemError, code, message):
            check_redeem(balance, points)
    with pytest.raises(RedeemError, match="has 100 and 101"):
        check_redeem(100, 101)


def test_rewards(refused) -> None:
    assert reward_cost(COFFEE, 500) == 200
    assert reward_cost(COFFEE, 600, quantity=3) == 600
    with pytest.raises(RedeemError, match="out of stock"):
        reward_cost(COFFEE, 10_000, quantity=4)
    with pytest.raises(RedeemError) as caught:
        reward_cost(COFFEE, 199)
    assert caught.value.code == "redeem.balance"
    with pytest.raises(RedeemError, match="no longer offered"):
        reward_cost(Reward("OLD", "เก่า", "Old mug", 10, active=False), 100)
    with refused(RedeemError, 'redeem.quantity', 'Choose at least one reward.'):
        reward_cost(COFFEE, 500, quantity=0)
    assert reward_cost(Reward("BAG", "ถุงผ้า", "Tote bag", 50), 10**6, quantity=100) == 5000  # unlimited stock
    for bad, message in [(dict(points_cost=0), "A reward must cost at least 1 point."),
                         (dict(stock=-1), "Reward stock must be zero or more (or unlimited)."),
                         (dict(code=""), "A reward needs a code."),
                         (dict(points_cost=1.5), "A reward must cost at least 1 point.")]:
        with refused(RuleError, "reward.invalid", message):
            Reward(**{"code": "X", "name_th": "x", "name_en": "X", "points_cost": 1, **bad})  # type: ignore[arg-type]


def test_points_as_discount(refused) -> None:
    assert discount_for_points(100, DEFAULT) == 2500  # 100 points = ฿25.00
    assert discount_for_points(1, DEFAULT) == 25
    assert discount_for_points(400, DEFAULT, bill_satang=10000) == 10000  # a whole ฿100 bill
    with pytest.raises(RedeemError, match="at most 400 points") as caught:
        discount_for_points(401, DEFAULT, bill_satang=10000)
    assert caught.value.code == "redeem.bill_cap"
    with refused(RedeemError, 'redeem.points', 'Choose at least 1 point to redeem.'):
        discount_for_points(0, DEFAULT)
    half = DiscountPolicy(satang_per_point=25, min_points=100, max_bill_fraction_permille=500)
    with pytest.raises(RedeemError, match="At least 100"):
        discount_for_points(99, half)
    assert max_discount_satang(10001, half) == 5000
    assert max_points_for_bill(10001, 1000, half) == 200
    assert max_points_for_bill(10001, 150, half) == 150
    assert max_points_for_bill(10001, 99, half) == 0  # below the minimum: nothing usable
    assert max_points_for_bill(1000, 1000, half) == 0  # ฿5 cap = 20 points < 100 minimum
    with refused(RedeemError, 'redeem.bill', 'The bill amount is not valid.'):
        max_points_for_bill(-1, 10, DEFAULT)


@settings(max_examples=300)
@given(
    st.integers(0, 10**9),
    st.integers(-100, 10**6),
    st.builds(DiscountPolicy, st.integers(1, 500), st.integers(1, 50), st.integers(0, 1000)),
)
def test_the_offered_maximum_is_always_accepted_and_never_exceeds_bill_or_balance(
    bill: int, balance: int, policy: DiscountPolicy
) -> None:
    most = max_points_for_bill(bill, balance, policy)
    assert 0 <= most <= max(balance, 0)
    if most:
        check_redeem(balance, most)
        discount = discount_for_points(most, policy, bill)
        assert discount <= bill * policy.max_bill_fraction_permille // 1000 <= bill
        # one more point would be refused (by the bill cap or by the balance)
        try:
            check_redeem(balance, most + 1)
            discount_for_points(most + 1, policy, bill)
        except RedeemError:
            pass
        else:
            raise AssertionError("the maximum was not the maximum")


def test_reward_refusals_name_the_reward(refused) -> None:
    with refused(RedeemError, "redeem.inactive", "The reward “Old mug” is no longer offered."):
        reward_cost(Reward("OLD", "เก่า", "Old mug", 10, active=False), 100)
    with refused(RedeemError, "redeem.stock", "The reward “Iced coffee” is out of stock (3 left)."):
        reward_cost(COFFEE, 10_000, quantity=4)
    assert reward_cost(COFFEE, 600, quantity=3) == 600  # the last ones in stock, with exactly enough points
    with refused(RedeemError, "redeem.stock", "The reward “Zero” is out of stock (0 left)."):
        reward_cost(Reward("Z", "z", "Zero", 1, stock=0), 5)
    with refused(RuleError, "reward.invalid", "Reward stock must be zero or more (or unlimited)."):
        Reward("X", "x", "X", 1, stock=1.5)  # type: ignore[arg-type]
    with refused(RuleError, "reward.invalid", "Reward “active” must be true or false."):
        Reward("X", "x", "X", 1, active=1)  # type: ignore[arg-type]
    with refused(RuleError, "reward.invalid", "A reward needs a name_en."):
        Reward("X", "x", " ", 1)


def test_discount_refusals(refused) -> None:
    half = DiscountPolicy(satang_per_point=25, min_points=100, max_bill_fraction_permille=500)
    with refused(RedeemError, "redeem.minimum", "At least 100 points are needed for a discount."):
        discount_for_points(99, half)
    with refused(RedeemError, "redeem.bill_cap",
                 "401 points (฿100.25) is more than this bill allows; use at most 400 points."):
        discount_for_points(401, DEFAULT, bill_satang=10000)
    assert max_discount_satang(MAX_AMOUNT_SATANG, DEFAULT) == MAX_AMOUNT_SATANG * DEFAULT.max_bill_fraction_permille // 1000
    with refused(RedeemError, "redeem.bill", "The bill amount is not valid."):
        max_discount_satang(MAX_AMOUNT_SATANG + 1, DEFAULT)
    assert max_points_for_bill(10_000, 100, half) == 100  # exactly the minimum is usable


def test_a_member_with_no_points_or_in_debt_is_offered_no_discount() -> None:
    assert max_points_for_bill(10_000, 0, DEFAULT) == 0
    assert max_points_for_bill(10_000, -5, DEFAULT) == 0  # an overdraft not yet written off
    assert max_points_for_bill(10_000, 1, DEFAULT) == 1
