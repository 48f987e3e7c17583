"""Every refusal of the rules carries a translated one-line message and a stable code."""

from __future__ import annotations

import pytest

from pos_app.core.errors import AmountError, PhoneError, RedeemError, ReturnError, RuleError


@pytest.mark.parametrize(
    ("cls", "code"),
    [(RuleError, "rule"), (AmountError, "amount"), (PhoneError, "phone"), (RedeemError, "redeem"),
     (ReturnError, "return")],
)
def test_default_and_given_codes(cls: type[RuleError], code: str) -> None:
    error = cls("Something is wrong.")
    assert (error.code, error.message, str(error), error.args) == (code, "Something is wrong.",
                                                                   "Something is wrong.", ("Something is wrong.",))
    given = cls("Something is wrong.", "x.y")
    assert given.code == "x.y" and str(given) == "Something is wrong."
    assert isinstance(given, ValueError)
