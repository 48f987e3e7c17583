"""The staff admin page's use cases on a real ledger: list (disabled too), add with the manager's PIN,
disable and enable; each change confirmed by the manager's PIN and audited as an approval naming whom it was
about; the refusals, each by its code and message."""

from __future__ import annotations

from typing import Any

from pos_app.services import Approval
from pos_app.services.errors import InvalidInput, NotAllowed, NotFound
from pos_app.services.staff import StaffView

MANAGER = StaffView("manager-1", "Manager One", "manager")
CASHIER = StaffView("cashier-1", "Cashier One", "cashier")
OK = Approval("9999", manager_id="manager-1")


def approvals(svc: Any) -> list[dict[str, Any]]:
    return [dict(a.details, by=a.staff_id) for a in svc.audit_log() if a.event == "approval"]


def test_a_manager_adds_a_cashier_who_must_choose_their_own_pin_and_it_is_audited(services: Any) -> None:
    added = services.add_staff_member(name="  Nok Noi ", role="cashier", pin="582046", by=MANAGER, approval=OK)
    assert (added.name, added.role, added.must_change_pin) == ("Nok Noi", "cashier", True)
    me = services.login(added.id, "582046")
    assert me.must_change_pin  # the manager knows this PIN: the cashier replaces it at once
    listed = {m.id: m for m in services.staff_members(by=MANAGER)}
    assert listed[added.id].active and listed[added.id].must_change_pin and not listed[added.id].head_office
    assert approvals(services)[0] == {"operation": "add_staff", "operator_id": None, "op_id": None,
                                      "subject": added.id, "by": "manager-1"}


def test_adding_under_the_pin_policy_and_with_a_wrong_manager_pin_adds_nobody(services: Any, refused: Any) -> None:
    before = services.staff_members(by=MANAGER)
    with refused(InvalidInput, "invalid_input", "A PIN cannot be a run of digits (such as 1234 or 9876)"):
        services.add_staff_member(name="Nok", role="cashier", pin="1234", by=MANAGER, approval=OK)
    with refused(NotAllowed, "not_allowed", "That is not a manager's PIN: nothing was changed."):
        services.add_staff_member(name="Nok", role="cashier", pin="582046", by=MANAGER,
                                  approval=Approval("5555", manager_id="manager-1"))
    with refused(NotAllowed, "role_too_high", "managers are managed by an admin or head office"):
        services.add_staff_member(name="Boss", role="manager", pin="58204671", by=MANAGER, approval=OK)
    with refused(NotAllowed, "not_allowed", "needs manager"):
        services.staff_members(by=CASHIER)
    assert services.staff_members(by=MANAGER) == before
    assert [a.event for a in services.audit_log()] == ["pin_failed"]  # the wrong PIN counted, nothing else


def test_a_disabled_cashier_cannot_sign_in_until_enabled_and_both_are_audited(services: Any, refused: Any) -> None:
    off = services.set_staff_active("cashier-1", False, by=MANAGER, approval=OK)
    assert not off.active
    with refused(NotAllowed, "not_allowed", "Unknown staff id or wrong PIN."):
        services.login_by_pin("1111")
    listed = {m.id: m for m in services.staff_members(by=MANAGER)}
    assert not listed["cashier-1"].active
    assert [m.id for m in services.staff_members(by=MANAGER)][-1] == "cashier-1"  # disabled ones last
    on = services.set_staff_active("cashier-1", True, by=MANAGER, approval=OK)
    assert on.active and services.login_by_pin("1111").id == "cashier-1"
    assert [(a["operation"], a["subject"]) for a in approvals(services)] == [
        ("enable_staff", "cashier-1"), ("disable_staff", "cashier-1")]


def test_nobody_disables_themselves_a_manager_or_head_offices_staff(services: Any, refused: Any) -> None:
    with refused(NotAllowed, "self", "You cannot disable or enable yourself"):
        services.set_staff_active("manager-1", False, by=MANAGER, approval=OK)
    services.add_staff(name="Other Manager", role="manager", pin="58204671", staff_id="manager-2")
    with refused(NotAllowed, "role_too_high", "A manager adds, disables and enables cashiers"):
        services.set_staff_active("manager-2", False, by=MANAGER, approval=OK)
    with services.ledger.write() as conn:
        services.ledger.upsert_staff(conn, staff_id="hq-1", name="HQ Cashier", role="cashier", pin_hash="x",
                                     active=True, origin="server")
    with refused(NotAllowed, "head_office", "HQ Cashier is managed by head office"):
        services.set_staff_active("hq-1", False, by=MANAGER, approval=OK)
    with refused(NotFound, "not_found", "No such staff member on this terminal."):
        services.set_staff_active("nobody", False, by=MANAGER, approval=OK)
    assert {m.id: m.head_office for m in services.staff_members(by=MANAGER)}["hq-1"]
    assert all(m.active for m in services.staff_members(by=MANAGER))
    assert approvals(services) == []
