"""Refusals raised by the loyalty rules.

Every error carries ``.message``, already translated with ``_()`` and fit to show a cashier on one line,
and ``.code``, a stable machine-readable reason (English, never translated) that services, the CLI's
``--json`` output and the central server can key on.
"""

from __future__ import annotations


class RuleError(ValueError):
    """A value or an operation that the loyalty rules refuse."""

    default_code = "rule"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code

    def __str__(self) -> str:
        return self.message


class AmountError(RuleError):
    """An amount of money typed by a cashier that cannot be used."""

    default_code = "amount"


class PhoneError(RuleError):
    """A phone number that is not a usable Thai number."""

    default_code = "phone"


class RedeemError(RuleError):
    """A redemption that cannot go ahead."""

    default_code = "redeem"


class ReturnError(RuleError):
    """A return (refund) that cannot be applied to the points of a receipt."""

    default_code = "return"
