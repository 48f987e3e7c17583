"""The screens' Qt-free presenters, driven without any widget: what the award button says, the reward tiles,
the member panel's tier progress, pending and expiring points, the idle lock and the change notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos_app.core.i18n import _
from pos_app.services.standing import MemberStanding
from pos_app.ui.presenters.award import AwardPresenter
from pos_app.ui.presenters.changes import Change, ChangeBus
from pos_app.ui.presenters.member import MemberPresenter
from pos_app.ui.presenters.redeem import RedeemPresenter
from pos_app.ui.presenters.session import IdleLock, SessionPresenter

TIERS = {"member": ("สมาชิก", "Member"), "silver": ("ซิลเวอร์", "Silver"), "gold": ("โกลด์", "Gold")}
REWARDS = [{"code": "COFFEE", "name_th": "กาแฟ", "name_en": "Coffee", "points_cost": 120, "stock": None},
           {"code": "BAG", "name_th": "ถุง", "name_en": "Bag", "points_cost": 300, "stock": 0},
           {"code": "MUG", "name_th": "แก้ว", "name_en": "Mug", "points_cost": 500, "stock": 3},
           {"code": "OLD", "name_th": "เก่า", "name_en": "Old", "points_cost": 1, "stock": None, "active": False}]


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    tier: str
    balance: int
    expiring_soon: int = 0
    flagged: str | None = None


def standing(**kw: object) -> MemberStanding:
    values: dict[str, object] = dict(member_id="m1", earned_in_period=400, next_tier="silver", points_to_next=600,
                                     pending_points=0, expiring_points=0, expiring_first_ms=None)
    values.update(kw)
    return MemberStanding(**values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- award
def test_the_award_button_says_what_pressing_it_will_do() -> None:
    award = AwardPresenter()
    assert award.button_text() == _("Award points")  # nobody shown yet
    award.has_member = True
    assert award.set_amount("1,234.50") is True  # a member and a usable amount: ask for a preview
    generation = award.generation
    assert award.button_text() == _("Award points")  # not yet known: it does not guess
    assert award.previewed(generation, 123_450, 1_234, None)
    assert award.button_text() == _("Award {points} points").format(points="1,234")
    assert award.preview_text() == _("{amount} earns {points} points").format(amount="฿1,234.50", points="1,234")


def test_a_zero_point_sale_button_records_the_sale() -> None:
    award = AwardPresenter()
    award.has_member = True
    award.set_amount("10")
    assert award.previewed(award.generation, 1_000, 0, 2_500)
    assert award.button_text() == _("Record the sale (0 points)")
    assert "0" in award.preview_text()


def test_a_late_preview_for_an_older_amount_is_ignored() -> None:
    award = AwardPresenter()
    award.has_member = True
    award.set_amount("100")
    old = award.generation
    award.set_amount("1000")  # the cashier typed on
    assert not award.previewed(old, 10_000, 4, None)
    assert award.preview_points is None and award.button_text() == _("Award points")


def test_the_amount_error_is_quiet_while_empty_and_plain_when_wrong() -> None:
    award = AwardPresenter()
    award.has_member = True
    award.set_amount("")
    assert award.amount_error(quiet_when_empty=True) == ""
    assert award.amount_error() != ""  # Enter on an empty amount with a member shown: say what is missing
    assert award.set_amount("12,34x") is False
    assert award.amount_error(quiet_when_empty=True) != ""


def test_a_foreign_sale_previews_its_amount_the_baht_equivalent_the_rate_and_the_points() -> None:
    award = AwardPresenter()
    award.has_member = True
    assert award.set_currency("USD") is False  # nothing typed yet: no preview to ask for
    assert award.set_amount("40") is True
    assert award.sale() == {"currency": "USD", "amount_minor": 4000}
    assert award.amount() is None  # not a baht bill
    generation = award.generation
    assert award.preview_text() == ""  # the rate is the rules', known only from the services' answer
    assert not award.previewed(generation, 4000, 57, None, 143_250, "35.8125")  # a baht answer: not this sale
    assert award.previewed(generation, ("USD", 4000), 57, None, 143_250, "35.8125")
    assert award.preview_text() == _("{amount} → {points} points").format(
        amount=_("{amount} = {baht} at {rate}").format(amount="USD 40.00", baht="฿1,432.50", rate="35.8125"),
        points="57")
    assert award.button_text() == _("Award {points} points").format(points="57")


def test_a_foreign_sale_below_one_block_says_why_and_a_late_answer_for_another_currency_is_ignored() -> None:
    award = AwardPresenter()
    award.has_member = True
    award.set_currency("JPY")
    award.set_amount("100")
    generation = award.generation
    assert award.previewed(generation, ("JPY", 100), 0, 2_500, 2_251, "0.2251")
    assert award.preview_text() == _("{amount} → 0 points: {why}").format(
        amount=_("{amount} = {baht} at {rate}").format(amount="JPY 100", baht="฿22.51", rate="0.2251"),
        why=_("points start at {amount}").format(amount="฿25"))
    assert award.button_text() == _("Record the sale (0 points)")
    generation = award.generation
    award.set_currency("USD")  # the cashier chose dollars while the yen preview was on its way
    assert not award.previewed(generation, ("JPY", 100), 0, 2_500, 2_251, "0.2251")
    assert award.preview_text() == "" and award.button_text() == _("Award points")
    award.set_currency(None)  # back to baht: the same text is a baht bill
    assert award.sale() == {"amount_satang": 10_000}


def test_a_foreign_amount_with_too_many_decimals_is_refused_inline() -> None:
    award = AwardPresenter()
    award.has_member = True
    award.set_currency("JPY")
    assert award.set_amount("1000.5") is False
    assert award.amount_error() == _("An amount in {code} has no decimal places, for example 1,000.").format(
        code="JPY")
    award.set_currency("USD")
    assert award.amount_error() == ""  # 1000.50 dollars is an amount


# ---------------------------------------------------------------- redeem
def test_tiles_show_cost_stock_and_what_the_member_can_afford() -> None:
    redeem = RedeemPresenter()
    redeem.set_rewards(REWARDS)
    assert [t.code for t in redeem.tiles()] == ["COFFEE", "BAG", "MUG"]  # the inactive reward is not offered
    assert not any(t.affordable for t in redeem.tiles())  # nobody shown: nothing is affordable
    redeem.balance = 400
    coffee, bag, mug = redeem.tiles()
    assert coffee.affordable and coffee.caption == _("{points} points").format(points="120")
    assert not bag.affordable and bag.hint == _("out of stock")  # enough points, no stock
    assert not mug.affordable and mug.hint == _("not enough points")
    assert mug.caption == _("{points} points").format(points="500") + " · " + _("{count} left").format(count="3")


def test_choosing_a_tile_sets_the_button_and_a_withdrawn_reward_is_unchosen() -> None:
    redeem = RedeemPresenter()
    redeem.set_rewards(REWARDS)
    redeem.balance = 1_000
    assert redeem.button_text("") == _("Redeem")
    assert redeem.button_text("250") == _("Redeem {points} points").format(points="250")
    redeem.select("MUG")
    assert [t.selected for t in redeem.tiles()] == [False, False, True]
    assert redeem.cost() == 500 and redeem.button_text("") == _("Redeem {points} points").format(points="500")
    assert redeem.set_rewards([r for r in REWARDS if r["code"] != "MUG"]) is True  # withdrawn by a sync pull
    assert redeem.selected is None and redeem.cost() is None
    redeem.select("NOPE")
    assert redeem.selected is None


# ---------------------------------------------------------------- member panel
def test_the_member_panel_says_tier_progress_pending_and_expiring(monkeypatch: object) -> None:
    panel = MemberPresenter()
    panel.tier_names = TIERS
    assert panel.name_text() == _("No member yet") and panel.tier_text() == "" and panel.tier_progress() is None
    assert panel.show(Member("m1", "Somchai", "member", 1_500)) is True
    assert panel.tier_text() == _("Tier: {tier}").format(tier=TIERS["member"][0])  # standing not read yet
    first = int(datetime(2026, 12, 24, 9, 0).timestamp() * 1000)
    panel.standing = standing(pending_points=50, expiring_points=70, expiring_first_ms=first)
    assert panel.tier_text().endswith(_("{points} points to {tier}").format(points="600", tier=TIERS["silver"][0]))
    assert panel.tier_progress() == (400, 1_000)
    assert panel.pending_text() == _("{points} pending").format(
        points="+50")
    assert panel.notes_text() == _("{points} points expire within 30 days, the first on {date}").format(
        points="70", date="24/12/2026")
    panel.standing = standing(next_tier=None, points_to_next=0)
    assert panel.tier_progress() is None and panel.tier_text().endswith(_("highest tier"))
    assert panel.pending_text() == ""


def test_a_reread_of_another_member_does_not_replace_the_one_shown() -> None:
    panel = MemberPresenter()
    panel.show(Member("m1", "Somchai", "member", 10))
    panel.standing = standing()
    assert panel.show(Member("m1", "Somchai", "member", 20)) is False  # the same member: standing kept
    assert panel.standing is not None
    assert panel.refreshed(Member("m2", "Jane", "gold", 99)) is False
    assert panel.member.balance == 20
    assert panel.show(Member("m2", "Jane", "gold", 99)) is True and panel.standing is None


# ---------------------------------------------------------------- session, idle lock, notifications
def test_the_idle_lock_follows_an_injected_clock() -> None:
    now = [1_000.0]
    lock = IdleLock(120, clock=lambda: now[0])
    now[0] += 119
    assert not lock.due() and lock.remaining_s() == 1
    lock.touch()  # a key was pressed
    now[0] += 119
    assert not lock.due()
    now[0] += 1
    assert lock.due() and lock.remaining_s() == 0
    never = IdleLock(0, clock=lambda: now[0])
    now[0] += 10**6
    assert not never.enabled and not never.due()


def test_only_back_office_roles_see_the_back_office() -> None:
    @dataclass
    class Staff:
        name: str
        role: str

    session = SessionPresenter()
    assert not session.back_office and session.who_text() == ""
    session.staff = Staff("Somjai", "cashier")
    assert not session.back_office and session.who_text() == _("{name} ({role})").format(
        name="Somjai", role=_("cashier"))
    session.staff = Staff("Manee", "manager")
    assert session.back_office


def test_change_notifications_reach_their_subscribers_in_order() -> None:
    bus = ChangeBus()
    seen: list[tuple[str, object]] = []
    bus.subscribe(Change.SYNC_PULLED, lambda n: seen.append(("a", n)))
    bus.subscribe(Change.SYNC_PULLED, lambda n: seen.append(("b", n)))
    bus.subscribe(Change.OPERATION_COMMITTED, lambda r: seen.append(("op", r)))
    bus.publish(Change.SYNC_PULLED, 3)
    bus.publish(Change.REWARDS_CHANGED, [])  # nobody listens: nothing happens
    assert seen == [("a", 3), ("b", 3)]
    assert bus.published == [Change.SYNC_PULLED, Change.REWARDS_CHANGED]


def test_a_voucher_reward_says_what_it_gives_and_its_button_buys_it() -> None:
    redeem = RedeemPresenter()
    redeem.set_rewards([*REWARDS, {"code": "V50", "name_th": "บัตร", "name_en": "Voucher", "points_cost": 150,
                                   "stock": None, "voucher_benefit": "F5000", "voucher_valid_days": 30},
                        {"code": "VNEW", "name_th": "ใหม่", "name_en": "New", "points_cost": 90, "stock": None,
                         "voucher_benefit": "?"}])  # a benefit this counter cannot read: still a voucher
    redeem.balance = 1_000
    tiles = {t.code: t for t in redeem.tiles()}
    gives = _("A voucher: {what}").format(what=_("{amount} off the bill").format(amount="฿50.00"))
    assert tiles["V50"].voucher == gives
    assert tiles["V50"].caption == _("{points} points").format(points="150") + "\n" + gives
    assert tiles["VNEW"].voucher == _("A voucher (bought online)")
    assert tiles["COFFEE"].voucher == "" and "\n" not in tiles["COFFEE"].caption
    redeem.select("V50")
    assert redeem.button_text("") == _("Buy voucher: {points} points").format(points="150")
    redeem.select("COFFEE")
    assert redeem.button_text("") == _("Redeem {points} points").format(points="120")


def test_a_voucher_purchase_is_one_operation_per_member_and_reward_until_it_is_seen_through() -> None:
    from itertools import count

    from pos_app.ui.presenters.redeem import VoucherBuys

    ids = count(1)
    buys = VoucherBuys(lambda: f"op{next(ids)}")
    first = buys.for_request("m1", "V50", "cashier1")
    again = buys.for_request("m1", "V50", "cashier2")  # another cashier presses again: the same operation
    assert (again.op_id, again.operator_id) == ("op1", "cashier1") and again is first
    other = buys.for_request("m1", "V90", "cashier1")
    assert other.op_id == "op2"
    buys.mark_spent("op1")
    abandon, owed = buys.member_left("m1")
    assert [b.op_id for b in abandon] == ["op2"] and [b.op_id for b in owed] == ["op1"]
    assert buys.for_request("m1", "V90", "cashier1").op_id == "op3"  # abandoned: a new purchase next time
    assert buys.for_request("m1", "V50", "cashier1").op_id == "op1"  # still owed: the same one
    late = buys.member_left("m1")[0][0]
    buys.keep(late)  # it turned out to have spent the points
    assert [b.op_id for b in buys.owed()] == ["op1", "op3"]
    buys.confirmed("op1")
    assert [b.op_id for b in buys.owed()] == ["op3"]
