"""The PIN policy and the wrong-PIN delay schedule (pure rules)."""

from __future__ import annotations

import pytest

from pos_app.core.pins import GuardPolicy, PinPolicyError, check_new_pin, is_sequence


@pytest.mark.parametrize(("pin", "role", "phone", "code"), [
    ("12a4", "cashier", None, "pin.format"),
    ("123", "cashier", None, "pin.format"),
    ("4829", "manager", None, "pin.length"),
    ("1111", "cashier", None, "pin.same"),
    ("000000", "manager", None, "pin.same"),
    ("1234", "cashier", None, "pin.sequence"),
    ("9876", "cashier", None, "pin.sequence"),
    ("345678", "manager", None, "pin.sequence"),
    ("7890", "cashier", None, "pin.sequence"),
    ("5678", "cashier", "0812345678", "pin.sequence"),
    ("2345678", "manager", "0812345678", "pin.sequence"),
    ("45678", "cashier", "0812345678", "pin.sequence"),
    ("1357246", "manager", "089-135-7246", "pin.phone"),
    ("4821", "cashier", "0899994821", "pin.phone"),
    ("99994821", "manager", "0899994821", "pin.phone"),
])
def test_the_policy_refuses_guessable_pins(pin: str, role: str, phone: str | None, code: str) -> None:
    with pytest.raises(PinPolicyError) as refused:
        check_new_pin(pin, role, phone)
    assert refused.value.code == code
    assert refused.value.message


@pytest.mark.parametrize(("pin", "role"), [("4829", "cashier"), ("482916", "manager"), ("135792", "admin"),
                                           ("1357", "cashier"), ("90817263", "manager")])
def test_the_policy_accepts_ordinary_pins(pin: str, role: str) -> None:
    assert check_new_pin(f" {pin} ", role, "0812345678") == pin


def test_a_manager_pin_under_six_digits_is_explained() -> None:
    with pytest.raises(PinPolicyError, match="at least 6 digits"):
        check_new_pin("4829", "manager")


def test_sequences_are_runs_of_three_or_more() -> None:
    assert is_sequence("0123") and is_sequence("3210") and is_sequence("0987")
    assert not is_sequence("1243") and not is_sequence("9012") and not is_sequence("12")


def test_the_delay_grows_after_a_few_failures_and_is_capped() -> None:
    policy = GuardPolicy(delay_after=3, lock_after=8, base_delay_seconds=5, max_delay_seconds=30)
    assert [policy.delay_ms(n) for n in range(7)] == [0, 0, 0, 5000, 10000, 20000, 30000]
    assert not policy.locks(7) and policy.locks(8)
    assert GuardPolicy(base_delay_seconds=0).delay_ms(10) == 0
