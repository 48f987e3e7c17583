"""The PIN policy and the wrong-PIN delay schedule (pure rules)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from pos_app.core.pins import GuardPolicy, PinPolicyError, check_new_pin, is_sequence

Refused = Callable[..., AbstractContextManager[object]]


FORMAT = "A PIN is 4 to 8 digits."
LENGTH = "A manager's PIN has at least 6 digits."
SAME = "A PIN cannot be one digit repeated"
SEQUENCE = "A PIN cannot be a run of digits"
PHONE = "A PIN cannot be your own phone number"


@pytest.mark.parametrize(("pin", "role", "phone", "code", "reason"), [
    ("12a4", "cashier", None, "pin.format", FORMAT),
    ("123", "cashier", None, "pin.format", FORMAT),
    ("482916375", "manager", None, "pin.format", FORMAT),  # 9 digits: one too many
    ("4829", "manager", None, "pin.length", LENGTH),
    ("48291", "admin", None, "pin.length", LENGTH),  # an admin is held to the manager's length
    ("1111", "cashier", None, "pin.same", SAME),
    ("000000", "manager", None, "pin.same", SAME),
    ("1234", "cashier", None, "pin.sequence", SEQUENCE),
    ("9876", "cashier", None, "pin.sequence", SEQUENCE),
    ("345678", "manager", None, "pin.sequence", SEQUENCE),
    ("7890", "cashier", None, "pin.sequence", SEQUENCE),
    ("5678", "cashier", "0812345678", "pin.sequence", SEQUENCE),
    ("2345678", "manager", "0812345678", "pin.sequence", SEQUENCE),
    ("45678", "cashier", "0812345678", "pin.sequence", SEQUENCE),
    ("1357246", "manager", "089-135-7246", "pin.phone", PHONE),
    ("4821", "cashier", "0899994821", "pin.phone", PHONE),
    ("99994821", "manager", "0899994821", "pin.phone", PHONE),
    ("21357246", "manager", "02-135-7246", "pin.phone", PHONE),  # a Bangkok landline without its leading 0
    ("4821", "cashier", "4821", "pin.phone", PHONE),  # a 4-digit internal extension is a phone too
])
def test_the_policy_refuses_guessable_pins(pin: str, role: str, phone: str | None, code: str, reason: str,
                                           refused: Refused) -> None:
    with refused(PinPolicyError, code, reason):
        check_new_pin(pin, role, phone)


@pytest.mark.parametrize(("pin", "role"), [("4829", "cashier"), ("482916", "manager"), ("135792", "admin"),
                                           ("1357", "cashier"), ("90817263", "manager")])
def test_the_policy_accepts_ordinary_pins(pin: str, role: str) -> None:
    assert check_new_pin(f" {pin} ", role, "0812345678") == pin


def test_a_phone_too_short_to_be_a_number_forbids_no_pin() -> None:
    assert check_new_pin("4829", "cashier", "829") == "4829"


def test_only_the_whole_phone_or_its_ending_is_forbidden_not_its_start() -> None:
    assert check_new_pin("0245678", "manager", "02-456-7800") == "0245678"


def test_sequences_are_runs_of_three_or_more() -> None:
    assert is_sequence("0123") and is_sequence("3210") and is_sequence("0987")
    assert is_sequence("123") and is_sequence("890") and is_sequence("210")  # three digits already make a run
    assert not is_sequence("1243") and not is_sequence("9012") and not is_sequence("12")


def test_the_delay_grows_after_a_few_failures_and_is_capped() -> None:
    policy = GuardPolicy(delay_after=3, lock_after=8, base_delay_seconds=5, max_delay_seconds=30)
    assert [policy.delay_ms(n) for n in range(7)] == [0, 0, 0, 5000, 10000, 20000, 30000]
    assert not policy.locks(7) and policy.locks(8)
    assert GuardPolicy(base_delay_seconds=0).delay_ms(10) == 0


def test_the_delay_stops_doubling_after_twenty_doublings() -> None:
    """With no practical maximum configured, the wait stops growing at 2**20 times the base delay."""
    policy = GuardPolicy(delay_after=3, lock_after=100, base_delay_seconds=1, max_delay_seconds=10**9)
    assert policy.delay_ms(3 + 20) == policy.delay_ms(3 + 21) == policy.delay_ms(90) == 2**20 * 1000
    assert policy.delay_ms(3 + 19) == 2**19 * 1000
