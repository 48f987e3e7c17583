"""The wrong-PIN guard on a real ledger file: counted durably (a reopened terminal remembers), delays refused
until a stored time, lockouts, unlocks, audit events queued for upload, PIN change/reset, approvals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pos_app.services import Approval, open_terminal
from pos_app.services.errors import InvalidInput, NotAllowed, NotFound, PinLocked, PinWait
from tests.conftest import FakeClock


def wrong_sign_ins(svc: Any, n: int, clock: FakeClock, step_ms: int = 600_000) -> None:
    for _ in range(n):
        clock.advance(step_ms)  # past any delay
        with pytest.raises(NotAllowed) as refused:
            svc.login_by_pin("5555")
        assert refused.value.code == "not_allowed"


def outbox_types(svc: Any) -> list[str]:
    with svc.ledger.read() as conn:
        return [r["type"] for r in svc.ledger.outbox_after(conn, 0, 1000)]


def test_wrong_pins_slow_down_then_lock_and_survive_a_restart(data_dir: Path, clock: FakeClock) -> None:
    svc = open_terminal(data_dir, clock=clock)
    svc.add_staff(name="Cashier One", role="cashier", pin="4829", staff_id="c1")
    for _ in range(3):
        with pytest.raises(NotAllowed) as wrong:
            svc.login_by_pin("5555")
        assert wrong.value.code == "not_allowed" and "wrong PIN" in wrong.value.message
    with pytest.raises(PinWait) as wait:  # even the right PIN waits: the guard refuses before checking
        svc.login_by_pin("4829")
    assert wait.value.code == "pin_wait" and wait.value.retry_after_s == 5
    assert "try again in 5 s" in wait.value.message
    svc.close()
    svc = open_terminal(data_dir, clock=clock)  # a restart does not reset the count
    with pytest.raises(PinWait):
        svc.login_by_pin("4829")
    clock.advance(5_000)
    assert svc.login_by_pin("4829").id == "c1"  # a cashier's own PIN does not reset the terminal's count
    with pytest.raises(NotAllowed):
        svc.login_by_pin("5555")
    clock.advance(4_000)
    with pytest.raises(PinWait) as wait:  # the 4th failure doubled the delay
        svc.login_by_pin("4829")
    assert wait.value.retry_after_s == 6
    wrong_sign_ins(svc, 3, clock, 600_000)  # 7 failures, each after its delay (within the quiet period)
    clock.advance(600_000)
    with pytest.raises(PinLocked) as locked:
        svc.login_by_pin("5555")  # the 8th locks
    assert locked.value.code == "pin_locked" and "Sign-in is locked on this terminal" in locked.value.message
    clock.advance(86_400_000)
    with pytest.raises(PinLocked):  # a lock never lapses by itself
        svc.login_by_pin("4829")
    status = svc.pin_guard_status()
    assert status[0]["staff_id"] is None and status[0]["locked"] and status[0]["purpose"] == "sign_in"
    events = [a.event for a in svc.audit_log()]
    assert events.count("pin_failed") == 8 and events.count("pin_lockout") == 1
    assert outbox_types(svc).count("audit") == 9  # every failure and the lockout travel to the server
    svc.close()


def test_a_named_manager_signs_in_while_pin_only_sign_in_is_locked_and_unlocks_it(services: Any,
                                                                                  clock: FakeClock) -> None:
    services.pin_policy = services.pin_policy.__class__(base_delay_seconds=0, lock_after=3)
    for _ in range(2):
        with pytest.raises(NotAllowed):
            services.login_by_pin("5555")
    with pytest.raises(PinLocked):
        services.login_by_pin("5555")
    with pytest.raises(PinLocked):
        services.login_by_pin("1111")
    with pytest.raises(PinLocked, match="only a manager"):
        services.login("cashier-1", "1111")
    manager = services.login("manager-1", "9999")
    assert services.unlock(None, by=manager) == 1
    assert services.login_by_pin("1111").id == "cashier-1"
    unlocked = [a for a in services.audit_log() if a.event == "pin_unlocked"]
    assert unlocked[0].details["by"] == "manager-1" and unlocked[0].details["was_locked"] is True


def test_approvals_are_counted_apart_from_sign_in_and_lock_the_named_manager(services: Any,
                                                                          clock: FakeClock) -> None:
    services.pin_policy = services.pin_policy.__class__(base_delay_seconds=0, lock_after=3)
    member = services.members.enroll(name="Somchai", phone="0812345678", operator_id="cashier-1")
    for _ in range(2):
        with pytest.raises(NotAllowed, match="not a manager's PIN"):
            services.adjust(member_id=member.id, points=5, reason="x", operator_id="cashier-1",
                            approval=Approval(pin="1234", manager_id="manager-1"))
    with pytest.raises(PinLocked, match="Manager One's PIN is locked"):
        services.adjust(member_id=member.id, points=5, reason="x", operator_id="cashier-1",
                        approval=Approval(pin="1235", manager_id="manager-1"))
    with pytest.raises(PinLocked):  # the right PIN too, named or not
        services.adjust(member_id=member.id, points=5, reason="x", operator_id="cashier-1",
                        approval=Approval(pin="9999"))
    assert services.login_by_pin("9999").id == "manager-1"  # sign-in is counted separately
    assert services.members.get(member.id).balance == 0  # nothing was changed by the refused attempts
    failed = [a for a in services.audit_log() if a.event == "pin_failed"]
    assert {a.staff_id for a in failed} == {"manager-1"} and failed[0].details["operator_id"] == "cashier-1"
    assert failed[0].details["operation"] == "adjust"


def test_an_approval_records_who_approved_which_operation(services: Any) -> None:
    member = services.members.enroll(name="Somchai", phone="0812345678", operator_id="cashier-1")
    result = services.adjust(member_id=member.id, points=5, reason="goodwill", operator_id="cashier-1",
                             approval=Approval(pin="9999"))
    approval = next(a for a in services.audit_log() if a.event == "approval")
    assert approval.staff_id == "manager-1" == result.approved_by
    assert approval.details == {"operation": "adjust", "operator_id": "cashier-1", "op_id": result.op_id}
    assert "audit" in outbox_types(services)


def test_no_self_approval_when_another_manager_is_on_the_roster(services: Any) -> None:
    member = services.members.enroll(name="Somchai", phone="0812345678", operator_id="manager-1")
    # the only manager may approve their own operation (a one-person store)
    services.adjust(member_id=member.id, points=5, reason="x", operator_id="manager-1", approval=Approval(pin="9999"))
    services.add_staff(name="Second Manager", role="manager", pin="582047", staff_id="manager-2")
    with pytest.raises(NotAllowed, match="cannot approve your own operation"):
        services.adjust(member_id=member.id, points=5, reason="y", operator_id="manager-1",
                        approval=Approval(pin="9999"))
    assert any(a.event == "self_approval_refused" for a in services.audit_log())
    assert services.adjust(member_id=member.id, points=5, reason="y", operator_id="manager-1",
                           approval=Approval(pin="582047")).approved_by == "manager-2"
    services.pin_policy = services.pin_policy.__class__(allow_self_approval=True)
    assert services.adjust(member_id=member.id, points=5, reason="z", operator_id="manager-1",
                           approval=Approval(pin="9999")).approved_by == "manager-1"


def test_pin_policy_change_and_reset(services: Any) -> None:
    with pytest.raises(InvalidInput, match="at least 6 digits"):
        services.add_staff(name="Boss", role="manager", pin="4829")
    with pytest.raises(InvalidInput, match="own phone"):
        services.add_staff(name="Nok", role="cashier", pin="4829", phone="081-111-4829")
    with pytest.raises(NotAllowed, match="wrong PIN"):
        services.change_pin("cashier-1", "2222", "4829")
    with pytest.raises(InvalidInput, match="run of digits"):
        services.change_pin("cashier-1", "1111", "1234")
    assert services.change_pin("cashier-1", "1111", "4829").must_change_pin is False
    with pytest.raises(NotAllowed):
        services.login_by_pin("1111")
    manager = services.login_by_pin("9999")
    reset = services.reset_pin("cashier-1", "7391", by=manager)
    assert reset.must_change_pin
    signed_in = services.login_by_pin("7391")
    assert signed_in.must_change_pin  # the window asks for a new PIN before anything else
    services.change_pin("cashier-1", "7391", "6142")
    assert services.login_by_pin("6142").must_change_pin is False
    cashier = services.login_by_pin("6142")
    with pytest.raises(NotAllowed):
        services.reset_pin("manager-1", "582047", by=cashier)
    with pytest.raises(NotFound):
        services.reset_pin("nobody", "4829", by=manager)
    events = [a.event for a in services.audit_log()]
    assert events.count("pin_changed") == 2 and events.count("pin_reset") == 1
