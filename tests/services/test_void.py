"""Void of a mistaken operation, on a real ledger file: the member's balance, the compensating entry, what sync
would send, and every refusal by its code and message."""

from __future__ import annotations

import pytest

from pos_app.services import Approval
from pos_app.services.errors import ApprovalRequired, Conflict, NotAllowed, NotFound
from sync.records import check_entry

OK = Approval("9999")
MINUTE = 60_000


@pytest.fixture
def member(services):
    return services.members.enroll(name="Somchai Jaidee", phone="081-234-5678", operator_id="cashier-1")


def test_voiding_an_award_takes_its_points_back_with_a_reverse_entry_that_sync_accepts(services, member) -> None:
    award = services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-1", operator_id="cashier-1")
    assert award.points == 40
    assert [v.entry_id for v in services.voidable()] == [award.entry_id]
    done = services.void(entry_id=award.entry_id, operator_id="cashier-1", approval=OK)
    assert (done.kind, done.points, done.balance_before, done.balance_after, done.approved_by) == (
        "earn", -40, 40, 0, "manager-1")
    assert services.members.get(member.id).balance == 0
    reverse = services.history(member.id)[-1]
    assert (reverse.kind, reverse.corrects_id, reverse.reason, reverse.points, reverse.amount_satang) == (
        "reverse", award.entry_id, "void", -40, 100_000)
    # the record sync uploads passes the shared record rules as a terminal's record
    with services.ledger.read() as conn:
        sent = [w["entry"] for w in services.ledger.outbox_after(conn, 0, 1000)
                if w["type"] == "entry" and w["entry"]["id"] == reverse.id]
    assert len(sent) == 1 and check_entry(sent[0], "terminal") is None
    assert services.voidable() == []  # voided: no longer offered
    # the receipt counts as returned: a return of it is refused like any fully returned receipt
    with pytest.raises(Conflict, match="already fully returned"):
        services.return_receipt(receipt_ref="R-1", operator_id="cashier-1", approval=OK)


def test_voiding_a_redemption_gives_the_points_and_the_reward_back(services, member) -> None:
    services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-1", operator_id="cashier-1")
    services.put_reward(code="BAG", name_th="ถุงผ้า", name_en="Bag", points_cost=30, stock=1)
    redeem = services.redeem(member_id=member.id, reward_code="BAG", operator_id="cashier-1")
    assert [r["stock"] for r in services.rewards() if r["code"] == "BAG"] == [0]
    done = services.void(entry_id=redeem.entry_id, operator_id="cashier-1", approval=OK)
    assert (done.kind, done.points, done.balance_after) == ("redeem", 30, 40)
    assert [r["stock"] for r in services.rewards() if r["code"] == "BAG"] == [1]


def test_voiding_an_adjustment(services, member) -> None:
    adj = services.adjust(member_id=member.id, points=25, reason="goodwill", operator_id="cashier-1", approval=OK)
    done = services.void(entry_id=adj.entry_id, operator_id="cashier-1", approval=OK)
    assert (done.kind, done.points, done.balance_after) == ("adjust", -25, 0)


def test_a_retry_with_the_same_op_id_changes_nothing_even_after_the_window(services, member, clock) -> None:
    award = services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-1", operator_id="cashier-1")
    first = services.void(entry_id=award.entry_id, operator_id="cashier-1", approval=OK, op_id="void-1")
    clock.advance(60 * MINUTE)
    again = services.void(entry_id=award.entry_id, operator_id="cashier-1", approval=None, op_id="void-1")
    assert again.replayed and not first.replayed
    assert (again.entry_id, again.balance_after) == (first.entry_id, first.balance_after)
    assert services.members.get(member.id).balance == 0
    assert sum(1 for e in services.history(member.id) if e.kind == "reverse") == 1


def test_refusals_each_with_its_code_and_message(refused, services, member, clock) -> None:
    award = services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-1", operator_id="cashier-1")
    with refused(NotFound, "not_found", "No entry NOPE on this terminal."):
        services.void(entry_id="NOPE", operator_id="cashier-1", approval=OK)
    with refused(ApprovalRequired, "approval_required", "Manager approval needed: a void"):
        services.void(entry_id=award.entry_id, operator_id="cashier-1")
    services.void(entry_id=award.entry_id, operator_id="cashier-1", approval=OK)
    with refused(Conflict, "already_voided", f"Entry {award.entry_id} was already voided."):
        services.void(entry_id=award.entry_id, operator_id="cashier-1", approval=OK)
    reverse = services.history(member.id)[-1]
    with refused(NotAllowed, "not_voidable", "Only an award, a redemption or an adjustment made at this counter"):
        services.void(entry_id=reverse.id, operator_id="cashier-1", approval=OK)

    late = services.award(member_id=member.id, amount_satang=50_000, receipt_ref="R-2", operator_id="cashier-1")
    clock.advance(10 * MINUTE + 1)
    with refused(NotAllowed, "void_window_passed", "Too late to void: an operation can be voided within 10 minutes"):
        services.void(entry_id=late.entry_id, operator_id="cashier-1", approval=OK)
    assert services.voidable() == []

    returned = services.award(member_id=member.id, amount_satang=50_000, receipt_ref="R-3", operator_id="cashier-1")
    services.return_receipt(receipt_ref="R-3", refund_satang=10_000, operator_id="cashier-1", approval=OK)
    with refused(Conflict, "already_returned", "was already returned or corrected: it cannot be voided."):
        services.void(entry_id=returned.entry_id, operator_id="cashier-1", approval=OK)

    zero = services.award(member_id=member.id, amount_satang=1_000, receipt_ref="R-4", operator_id="cashier-1")
    assert zero.points == 0
    with refused(NotAllowed, "nothing_to_void", "moved no points: there is nothing to void."):
        services.void(entry_id=zero.entry_id, operator_id="cashier-1", approval=OK)

    spent = services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-5", operator_id="cashier-1")
    balance = services.members.get(member.id).balance
    services.redeem(member_id=member.id, points=balance, operator_id="cashier-1", approval=OK)
    with refused(NotAllowed, "points_already_spent", "has already spent these points: void the later redemption"):
        services.void(entry_id=spent.entry_id, operator_id="cashier-1", approval=OK)
    assert services.members.get(member.id).balance == 0  # nothing was written by any refusal


def test_a_wrong_manager_pin_is_refused_and_counted(refused, services, member) -> None:
    award = services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-1", operator_id="cashier-1")
    with refused(NotAllowed, "not_allowed", "That is not a manager's PIN: nothing was changed."):
        services.void(entry_id=award.entry_id, operator_id="cashier-1", approval=Approval("1234"))
    assert services.members.get(member.id).balance == 40
    assert any(r["failures"] == 1 for r in services.pin_guard_status())


def test_the_window_is_configured_in_terminal_toml(data_dir, clock) -> None:
    from pos_app.services import open_terminal

    data_dir.mkdir(parents=True)
    (data_dir / "terminal.toml").write_text("[terminal]\nvoid_window_minutes = 2\n", "utf-8")
    services = open_terminal(data_dir, clock=clock)
    try:
        assert services.void_window_ms == 2 * MINUTE
        services.add_staff(name="Manager One", role="manager", pin="9999", staff_id="manager-1", demo=True)
        m = services.members.enroll(name="A", phone="0891112222", operator_id="c")
        award = services.award(member_id=m.id, amount_satang=100_000, receipt_ref="R-1", operator_id="c")
        clock.advance(2 * MINUTE + 1)
        with pytest.raises(NotAllowed, match="within 2 minutes"):
            services.void(entry_id=award.entry_id, operator_id="c", approval=OK)
    finally:
        services.close()
