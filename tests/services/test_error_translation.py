"""No ledger or database error reaches a caller raw: every public method of ``Services`` (and of
``services.members``) is called on a terminal whose ledger file was damaged under it, and each answers with a
refusal (``ServiceError``, one translated line) or, for the few that do not need the ledger, an answer.

The table below must name every public method: a new use case without a row fails
``test_every_public_method_is_in_the_table`` until someone decides how to provoke it.
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pos_app.services import Approval
from pos_app.services.errors import ServiceError
from pos_app.services.staff import StaffView
from pos_app.services.terminal import MemberService, Services

OK = Approval("9999")
MANAGER = StaffView("manager-1", "Manager One", "manager")

# method -> arguments (a function of the member id and the award's entry id)
CALLS: dict[str, Any] = {
    "accepted_currencies": lambda m, e: ((), {}),
    "active_rules": lambda m, e: ((), {}),
    "add_staff": lambda m, e: ((), {"name": "New", "role": "cashier", "pin": "5820", "demo": True}),
    "add_staff_member": lambda m, e: ((), {"name": "New", "role": "cashier", "pin": "582046", "by": MANAGER,
                                           "approval": OK}),
    "adjust": lambda m, e: ((), {"member_id": m, "points": 5, "reason": "fix", "operator_id": "c", "approval": OK}),
    "audit_log": lambda m, e: ((), {}),
    "award": lambda m, e: ((), {"member_id": m, "amount_satang": 10_000, "receipt_ref": "R-X", "operator_id": "c"}),
    "backup": lambda m, e: ((), {}),
    "backup_if_due": lambda m, e: ((), {"max_age_hours": 0}),
    "change_pin": lambda m, e: (("cashier-1", "1111", "582046"), {}),
    "close": lambda m, e: ((), {}),
    "daily_report": lambda m, e: ((), {}),
    "device_state": lambda m, e: ((), {}),
    "doctor": lambda m, e: ((), {}),
    "expire_due": lambda m, e: ((), {}),
    "history": lambda m, e: ((m,), {}),
    "is_enrolled": lambda m, e: ((), {}),
    "identify": lambda m, e: (("0812345678",), {}),
    "lookup_key": lambda m, e: (("0812345678",), {}),
    "install_rules": lambda m, e: ((_rules(),), {}),
    "login": lambda m, e: (("cashier-1", "1111"), {}),
    "login_by_pin": lambda m, e: (("1111",), {}),
    "lots": lambda m, e: ((m,), {}),
    "member_card_code": lambda m, e: ((m,), {}),
    "offline_remaining": lambda m, e: ((m,), {}),
    "pin_guard_status": lambda m, e: ((), {}),
    "preview_award": lambda m, e: ((m, 10_000), {}),
    "preview_sale": lambda m, e: ((m,), {"amount_satang": 10_000}),
    "public_keys": lambda m, e: ((), {}),
    "put_reward": lambda m, e: ((), {"code": "BAG", "name_th": "ถุง", "name_en": "Bag", "points_cost": 5}),
    "redeem": lambda m, e: ((), {"member_id": m, "points": 5, "operator_id": "c"}),
    "redeem_online": lambda m, e: ((None,), {"member_id": m, "points": 5, "operator_id": "c"}),
    "require": lambda m, e: ((MANAGER, "manager"), {}),
    "reset_pin": lambda m, e: (("cashier-1", "582046"), {"by": MANAGER}),
    "receipt_currency": lambda m, e: (("R-1",), {}),
    "return_receipt": lambda m, e: ((), {"receipt_ref": "R-1", "operator_id": "c", "approval": OK}),
    "revoked_key_ids": lambda m, e: ((), {}),
    "rewards": lambda m, e: ((), {}),
    "rules": lambda m, e: ((None, 1), {}),
    "search_members": lambda m, e: (("Somchai",), {}),
    "set_staff_active": lambda m, e: (("cashier-1", False), {"by": MANAGER, "approval": OK}),
    "setting_int": lambda m, e: ((None, "redeem_approval_threshold", 1000), {}),
    "staff": lambda m, e: ((), {}),
    "staff_members": lambda m, e: ((), {"by": MANAGER}),
    "today": lambda m, e: ((), {}),
    "unlock": lambda m, e: ((), {"by": MANAGER}),
    "void": lambda m, e: ((), {"entry_id": e, "operator_id": "c", "approval": OK}),
    "voidable": lambda m, e: ((), {}),
    "buy_voucher": lambda m, e: ((None, None), {"member_id": m, "reward_code": "V50", "operator_id": "c"}),
    "abandon_voucher_buy": lambda m, e: ((None,), {"op_id": "01900000-0000-7000-8000-000000000001", "member_id": m,
                                                   "reward_code": "V50", "operator_id": "c"}),
    "award_with_voucher": lambda m, e: ((None, "LV1:K1:V1"), {"member_id": m, "amount_satang": 10_000,
                                                              "receipt_ref": "R-V", "operator_id": "c"}),
    "check_voucher": lambda m, e: (("LV1:K1:V1",), {}),
    "redeem_voucher": lambda m, e: (("LV1:K1:V1",), {"receipt_ref": "R-V", "operator_id": "c"}),
    "redeem_voucher_online": lambda m, e: ((None, "LV1:K1:V1"), {"receipt_ref": "R-V", "operator_id": "c"}),
    "upload_voucher_uses": lambda m, e: ((None,), {}),
    "voucher_report": lambda m, e: ((datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)), {}),
    "members.enroll": lambda m, e: ((), {"name": "B", "phone": "0891112222", "operator_id": "c"}),
    "members.find_by_card_no": lambda m, e: (("8344794814441719",), {}),
    "members.find_by_phone": lambda m, e: (("0812345678",), {}),
    "members.get": lambda m, e: ((m,), {}),
    "members.consents": lambda m, e: ((m,), {}),
    "members.set_marketing_consent": lambda m, e: ((m,), {"granted": False, "operator_id": "c"}),
}
NO_LEDGER = {"require", "today", "close", "lookup_key"}  # answer without reading the ledger (lookup_key: for a
# phone; a member code's keys are read from it)
RULES_CACHED = {"rules"}  # answers from the rules read before the damage (a cache of immutable rule versions)


def _rules() -> Any:
    from pos_app.core.rules import default_rules

    return default_rules(2)


def _public(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_")
            and not isinstance(inspect.getattr_static(cls, n), (property, staticmethod))}


def test_every_public_method_is_in_the_table() -> None:
    expected = _public(Services) - {"members"} | {f"members.{n}" for n in _public(MemberService)}
    assert expected == set(CALLS)


def test_every_public_method_runs_under_the_one_translation() -> None:
    for name in _public(Services):
        assert getattr(getattr(Services, name), "__translated__", False), name
    for name in _public(MemberService):
        assert getattr(getattr(MemberService, name), "__translated__", False), name


def _damage(services: Services) -> None:
    """Overwrite the ledger file (and its WAL) with bytes that are not a database, under the open terminal."""
    path = Path(services.ledger.path)
    services.ledger.close()  # its connections go; the next use case connects again, to the damaged file
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"this is not a database, it was overwritten\n" * 200)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_ledger_error_reaches_no_caller_raw(services, name: str) -> None:
    member = services.members.enroll(name="Somchai Jaidee", phone="081-234-5678", operator_id="c")
    award = services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-1", operator_id="c")
    services.rules(None, 1)  # the rules cache is warm, as on a counter that has been working
    _damage(services)
    target: Any = services
    method = name
    if name.startswith("members."):
        target, method = services.members, name.split(".", 1)[1]
    args, kwargs = CALLS[name](member.id, award.entry_id)
    try:
        getattr(target, method)(*args, **kwargs)
    except ServiceError as exc:
        assert exc.message and "\n" not in exc.message.strip() and "Traceback" not in exc.message
        assert type(exc).__module__ == "pos_app.services.errors"
        return
    assert name in NO_LEDGER | RULES_CACHED, f"{name} answered from a damaged ledger"
