"""The counter's use cases on a real ledger file, as a cashier or manager would meet them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pos_app.ledger.canonical import ms_to_dt
from pos_app.services import Approval
from pos_app.services.demo import demo_key
from pos_app.services.errors import ApprovalRequired, Conflict, InvalidInput, NotAllowed, NotFound


@pytest.fixture
def member(services):
    return services.members.enroll(name="  Somchai   Jaidee ", phone="081-234-5678", operator_id="cashier-1")


def test_enroll_normalises_and_refuses_a_duplicate_phone_naming_the_member(services, member) -> None:
    assert member.name == "Somchai Jaidee" and member.phone == "0812345678" and member.balance == 0
    with pytest.raises(Conflict) as info:
        services.members.enroll(name="Someone Else", phone="+66 81 234 5678", operator_id="cashier-1")
    assert "Somchai Jaidee" in info.value.message and member.card_no in info.value.message


def test_enroll_with_the_same_op_id_twice_makes_one_member(services) -> None:
    a = services.members.enroll(name="A", phone="0891112222", operator_id="c", op_id="op-1")
    b = services.members.enroll(name="A", phone="0891112222", operator_id="c", op_id="op-1")
    assert a.id == b.id


def test_identify_by_phone_card_number_and_signed_code(refused, services, member) -> None:
    from pos_app.core.member_codes import public_key_bytes, sign_member_code

    assert services.identify("0812345678").id == member.id
    assert services.identify(member.card_no).id == member.id
    key = demo_key(services)
    with services.ledger.write() as conn:
        services.ledger.put_signing_key(conn, "K1", public_key_bytes(key))
    now = ms_to_dt(services.clock())
    code = sign_member_code(key, "K1", member.id, now, now + timedelta(days=365))
    assert services.identify(code).id == member.id
    forged = code[:-6] + ("AAAAAA" if not code.endswith("AAAAAA") else "BBBBBB")
    with refused(InvalidInput, 'invalid_input', 'This member code is not genuine (its signature does not match).'):
        services.identify(forged)


def test_identify_refusals_are_clear(refused, services, member) -> None:
    with pytest.raises(NotFound, match="No member with phone 089-999-9999"):
        services.identify("0899999999")
    wrong_check = member.card_no[:-1] + str((int(member.card_no[-1]) + 1) % 10)
    with pytest.raises(InvalidInput, match="check digit"):
        services.identify(wrong_check)
    with refused(InvalidInput, 'invalid_input', 'Not a member code, card number or phone number we can read.'):
        services.identify("hello world")


def test_award_every_25_baht_is_one_point_and_a_retry_changes_nothing(services, member) -> None:
    first = services.award(member_id=member.id, amount_satang=123_450, receipt_ref="R-1",
                           operator_id="cashier-1", op_id="award-1")
    again = services.award(member_id=member.id, amount_satang=123_450, receipt_ref="R-1",
                           operator_id="cashier-1", op_id="award-1")
    assert first.points == 49 and first.balance_after == 49
    assert again.replayed and again.entry_id == first.entry_id
    assert services.members.get(member.id).balance == 49
    assert services.ledger.verify().ok


def test_same_op_id_for_a_different_request_is_refused(refused, services, member) -> None:
    services.award(member_id=member.id, amount_satang=10_000, receipt_ref="R-1", operator_id="c", op_id="x")
    with refused(Conflict, 'conflict', 'Operation x was already used for a different request; nothing was changed.'):
        services.award(member_id=member.id, amount_satang=99_900, receipt_ref="R-1", operator_id="c", op_id="x")
    assert services.members.get(member.id).balance == 4


def test_a_receipt_earns_once(services, member) -> None:
    services.award(member_id=member.id, amount_satang=10_000, receipt_ref="R-1", operator_id="c")
    with pytest.raises(Conflict, match="already earned"):
        services.award(member_id=member.id, amount_satang=10_000, receipt_ref="R-1", operator_id="c")


def test_preview_matches_award(services, member) -> None:
    preview = services.preview_award(member.id, 250_000)
    result = services.award(member_id=member.id, amount_satang=250_000, receipt_ref="R-2", operator_id="c")
    assert preview.points == result.points == 100


def test_redeem_a_reward_and_points_as_discount(refused, services, member) -> None:
    services.put_reward(code="BAG", name_th="ถุงผ้า", name_en="Bag", points_cost=30, stock=1)
    services.award(member_id=member.id, amount_satang=250_000, receipt_ref="R-1", operator_id="c")
    r = services.redeem(member_id=member.id, reward_code="BAG", operator_id="c")
    assert r.points == 30 and r.balance_after == 70
    with pytest.raises(NotAllowed, match="out of stock"):
        services.redeem(member_id=member.id, reward_code="BAG", operator_id="c")
    d = services.redeem(member_id=member.id, points=40, operator_id="c")
    assert d.discount_satang == 40 * 25 and d.balance_after == 30
    with refused(InvalidInput, 'invalid_input', 'Not enough points: the member has 30 and 31 were asked for.'):
        services.redeem(member_id=member.id, points=31, operator_id="c")
    assert services.members.get(member.id).balance == 30


def test_large_redemption_needs_a_managers_pin(refused, services, member) -> None:
    services.award(member_id=member.id, amount_satang=5_000_000, receipt_ref="R-1", operator_id="c")
    with refused(ApprovalRequired, 'approval_required', 'Manager approval needed: redeeming more than 1000 points'):
        services.redeem(member_id=member.id, points=1500, operator_id="cashier-1")
    with refused(NotAllowed, 'not_allowed', "That is not a manager's PIN: nothing was changed."):
        services.redeem(member_id=member.id, points=1500, operator_id="cashier-1", approval=Approval("1111"))
    ok = services.redeem(member_id=member.id, points=1500, operator_id="cashier-1", approval=Approval("9999"))
    assert ok.approved_by == "manager-1"


def test_returns_claw_back_in_proportion_never_twice_never_more(refused, services, member) -> None:
    services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-9", operator_id="c")  # 40 points
    with refused(ApprovalRequired, 'approval_required', 'Manager approval needed: a return'):
        services.return_receipt(receipt_ref="R-9", refund_satang=25_000, operator_id="c")
    half = services.return_receipt(receipt_ref="R-9", refund_satang=50_000, operator_id="c",
                                   approval=Approval("9999"))
    assert half.points_clawed_back == 20 and half.balance_after == 20
    with pytest.raises(InvalidInput, match="Only ฿500.00"):
        services.return_receipt(receipt_ref="R-9", refund_satang=60_000, operator_id="c", approval=Approval("9999"))
    rest = services.return_receipt(receipt_ref="R-9", operator_id="c", approval=Approval("9999"))
    assert rest.points_clawed_back == 20 and rest.balance_after == 0
    with pytest.raises(Conflict, match="already fully returned"):
        services.return_receipt(receipt_ref="R-9", operator_id="c", approval=Approval("9999"))
    with refused(NotFound, 'not_found', 'No points were earned on receipt NOPE.'):
        services.return_receipt(receipt_ref="NOPE", operator_id="c", approval=Approval("9999"))
    assert services.ledger.verify().ok


def test_full_return_gives_back_points_redeemed_on_that_receipt(services, member) -> None:
    services.award(member_id=member.id, amount_satang=500_000, receipt_ref="R-1", operator_id="c")  # 200
    services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-2", operator_id="c")  # 40
    services.redeem(member_id=member.id, points=50, receipt_ref="R-2", operator_id="c")
    r = services.return_receipt(receipt_ref="R-2", operator_id="c", approval=Approval("9999"))
    assert (r.points_clawed_back, r.points_restored) == (40, 50)
    assert services.members.get(member.id).balance == 200


def test_adjust_needs_a_manager_and_a_reason(refused, services, member) -> None:
    with refused(InvalidInput, 'invalid_input', 'An adjustment needs a reason.'):
        services.adjust(member_id=member.id, points=10, reason=" ", operator_id="c", approval=Approval("9999"))
    with refused(ApprovalRequired, 'approval_required', 'Manager approval needed: a manual adjustment'):
        services.adjust(member_id=member.id, points=10, reason="goodwill", operator_id="c")
    r = services.adjust(member_id=member.id, points=10, reason="goodwill", operator_id="c",
                        approval=Approval("9999"))
    assert r.balance_after == 10 and r.approved_by == "manager-1"
    with pytest.raises(InvalidInput, match="negative"):
        services.adjust(member_id=member.id, points=-11, reason="oops", operator_id="c", approval=Approval("9999"))


def test_tier_rises_with_points_earned_not_with_the_balance(services, member) -> None:
    tiers = services.active_rules().tiers.tiers
    assert [t.code for t in tiers] == ["member", "silver", "gold"]
    gold = tiers[-1].threshold_points
    # one point short of gold: silver (the bonus of silver on the last ฿25 is a floor, 0 points)
    services.award(member_id=member.id, amount_satang=(gold - 1) * 2500, receipt_ref="R-1", operator_id="c")
    assert services.members.get(member.id).tier == "silver"
    last = services.award(member_id=member.id, amount_satang=2500, receipt_ref="R-2", operator_id="c")
    assert last.points == 1
    top = services.members.get(member.id)
    assert (top.tier, top.balance) == ("gold", gold)
    services.adjust(member_id=member.id, points=-top.balance, reason="test", operator_id="c",
                    approval=Approval("9999"))
    assert services.members.get(member.id).tier == "gold"


def test_daily_report_counts_per_cashier_reward_and_hour(refused, services, member, clock) -> None:
    services.put_reward(code="COFFEE", name_th="กาแฟ", name_en="Coffee", points_cost=10)
    services.award(member_id=member.id, amount_satang=100_000, receipt_ref="R-1", operator_id="cashier-1")
    services.award(member_id=member.id, amount_satang=50_000, receipt_ref="R-2", operator_id="manager-1")
    services.redeem(member_id=member.id, reward_code="COFFEE", operator_id="cashier-1")
    clock.advance(2 * 86_400_000)
    services.award(member_id=member.id, amount_satang=50_000, receipt_ref="R-3", operator_id="cashier-1")
    day = ms_to_dt(clock.now - 2 * 86_400_000).astimezone(__import__("zoneinfo").ZoneInfo("Asia/Bangkok"))
    report = services.daily_report(day.date().isoformat())
    assert report.totals.awards == 2 and report.totals.points_awarded == 60
    assert report.totals.sales_satang == 150_000 and report.totals.points_redeemed == 10
    by_cashier = {x.key: x for x in report.per_cashier}
    assert by_cashier["Cashier One"].awards == 1 and by_cashier["Cashier One"].redemptions == 1
    assert [(x.key, x.redemptions) for x in report.per_reward] == [("COFFEE", 1)]
    assert sum(h.awards for h in report.per_hour) == 2
    with refused(InvalidInput, 'invalid_input', 'A date is written YYYY-MM-DD.'):
        services.daily_report("23/11/2026")


def test_pins_are_stored_only_as_memory_hard_hashes(refused, services) -> None:
    with services.ledger.read() as conn:
        hashes = [s.pin_hash for s in services.ledger.list_staff(conn)]
    assert all(h.startswith("$argon2id$") and "1111" not in h and "9999" not in h for h in hashes)
    assert services.login_by_pin("9999").role == "manager"
    with refused(NotAllowed, 'not_allowed', 'Unknown staff id or wrong PIN.'):
        services.login("cashier-1", "0000")


def test_points_expire_oldest_first_and_cannot_be_spent_afterwards(refused, services, member, clock) -> None:
    services.award(member_id=member.id, amount_satang=250_000, receipt_ref="R-old", operator_id="c")  # 100
    months = services.active_rules().expiry.months
    clock.advance((months * 31 - 40) * 86_400_000)
    services.award(member_id=member.id, amount_satang=50_000, receipt_ref="R-new", operator_id="c")  # 20
    assert services.members.get(member.id).expiring_soon == 100
    clock.advance(60 * 86_400_000)
    with refused(InvalidInput, 'invalid_input', 'Not enough points: the member has 20 and 50 were asked for.'):
        services.redeem(member_id=member.id, points=50, operator_id="c")
    assert services.members.get(member.id).balance == 20
    assert services.expire_due() == {}  # already written off, once
    kinds = [e.kind for e in services.history(member.id)]
    assert kinds.count("expire") == 1
    assert services.ledger.verify().ok


def test_daily_expiry_job_writes_each_grant_off_once(services, member, clock) -> None:
    services.award(member_id=member.id, amount_satang=250_000, receipt_ref="R-1", operator_id="c")
    clock.advance((services.active_rules().expiry.months * 31 + 2) * 86_400_000)
    assert services.expire_due() == {member.id: 100}
    assert services.expire_due() == {}
    assert services.members.get(member.id).balance == 0


def test_look_alike_digits_find_the_same_member_and_control_characters_are_refused(services) -> None:
    m = services.members.enroll(name="Fullwidth", phone="０８９-１１１-２２２２", operator_id="cashier1")
    assert m.phone.replace("-", "") == "0891112222"
    for typed in ("๐๘๙๑๑๑๒๒๒๒", "٠٨٩١١١٢٢٢٢", "0891112222"):
        assert services.identify(typed).id == m.id
        assert services.members.find_by_phone(typed).id == m.id
    with pytest.raises(Conflict):  # a look-alike is the same phone, not a second owner
        services.members.enroll(name="Twin", phone="๐๘๙๑๑๑๒๒๒๒", operator_id="cashier1")
    card = services.members.get(m.id).card_no
    fullwidth = "".join(chr(ord("０") + int(d)) for d in card)
    assert services.identify(fullwidth).id == m.id and services.members.find_by_card_no(fullwidth).id == m.id
    with pytest.raises(InvalidInput, match="control character"):
        services.members.enroll(name="Som\x00sri", phone="0891113333", operator_id="cashier1")
    with pytest.raises(InvalidInput, match="control character"):
        services.adjust(member_id=m.id, points=5, reason="oops\x1b[2J", operator_id="manager1")
