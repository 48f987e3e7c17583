"""Earning rules: worked examples a cashier can check by hand, the rule data's validation and JSON form,
and properties (splitting a bill never earns more, monotonic, never negative, deterministic)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loyalty_strategies import BRANCHES, CATEGORIES, bundles, category_lines, instants

from pos_app.core.errors import RuleError
from pos_app.core.money import MAX_AMOUNT_SATANG, parse_amount
from pos_app.core.rules import (
    Campaign,
    CategoryLine,
    Currencies,
    DiscountPolicy,
    EarnRules,
    ExpiryPolicy,
    FxRate,
    Purchase,
    ReturnPolicy,
    RulesBundle,
    Tier,
    TierPolicy,
    default_rules,
    points_for,
    points_start_text,
    zero_points_text,
)

SALE = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
RULES = default_rules()


def with_campaigns(*campaigns: Campaign, rules: RulesBundle = RULES) -> RulesBundle:
    return replace(rules, version=rules.version + 1, earn=replace(rules.earn, campaigns=campaigns))


def campaign(**kw: object) -> Campaign:
    fields: dict[str, object] = {
        "id": "nov-x2",
        "name": "Double points November",
        "starts_at": datetime(2026, 11, 1, tzinfo=UTC),
        "ends_at": datetime(2026, 12, 1, tzinfo=UTC),
        "multiplier_permille": 2000,
    }
    fields.update(kw)
    return Campaign(**fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ worked examples


def test_block_earning_drops_the_remainder_per_receipt() -> None:
    got = points_for(Purchase(parse_amount("1,234.50"), SALE), RULES)
    assert (got.points, got.base_points, got.tier_bonus, got.campaign_bonus) == (49, 49, 0, 0)
    assert got.rules_version == 1 and got.campaigns_applied == ()
    assert points_for(Purchase(2499, SALE), RULES).points == 0
    assert points_for(Purchase(2500, SALE), RULES).points == 1
    assert points_for(Purchase(0, SALE), RULES).points == 0


def test_tier_multipliers_floor_the_bonus() -> None:
    amount = parse_amount("1,234.50")  # 49 base points
    assert points_for(Purchase(amount, SALE), RULES, "member").points == 49
    silver = points_for(Purchase(amount, SALE), RULES, "silver")
    assert (silver.points, silver.tier_bonus) == (61, 12)  # 49 * 1.25 = 61.25
    gold = points_for(Purchase(amount, SALE), RULES, "gold")
    assert (gold.points, gold.tier_bonus) == (73, 24)  # 49 * 1.5 = 73.5


def test_unknown_tier_is_refused() -> None:
    with pytest.raises(RuleError) as caught:
        points_for(Purchase(10000, SALE), RULES, "platinum")
    assert caught.value.code == "tier.unknown"


def test_minimum_spend() -> None:
    rules = replace(RULES, earn=EarnRules(min_spend_satang=10000))
    assert points_for(Purchase(9999, SALE), rules).points == 0
    assert points_for(Purchase(10000, SALE), rules).points == 4


def test_campaign_window_is_half_open() -> None:
    rules = with_campaigns(campaign())
    amount = parse_amount("1,234.50")
    before = points_for(Purchase(amount, datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC)), rules)
    start = points_for(Purchase(amount, datetime(2026, 11, 1, tzinfo=UTC)), rules)
    end = points_for(Purchase(amount, datetime(2026, 12, 1, tzinfo=UTC)), rules)
    assert before.points == 49 and end.points == 49
    assert start.points == 98 and start.campaign_bonus == 49 and start.campaigns_applied == ("nov-x2",)
    assert start.rules_version == 2


def test_campaigns_add_their_extra_parts_and_do_not_compound_with_tiers() -> None:
    rules = with_campaigns(
        campaign(),  # x2 -> +49
        campaign(id="bkk-x1.5", multiplier_permille=1500, branches=frozenset({"BKK01"})),  # +24
        campaign(id="welcome", multiplier_permille=1000, bonus_points=20, min_spend_satang=100000),  # +20
    )
    got = points_for(Purchase(parse_amount("1,234.50"), SALE, "BKK01"), rules, "gold")
    assert got.base_points == 49 and got.tier_bonus == 24
    assert got.campaign_bonus == 49 + 24 + 20
    assert got.points == 49 + 24 + 93
    assert got.campaigns_applied == ("nov-x2", "bkk-x1.5", "welcome")
    other_branch = points_for(Purchase(parse_amount("1,234.50"), SALE, "CNX01"), rules, "gold")
    assert other_branch.campaigns_applied == ("nov-x2", "welcome")
    no_branch = points_for(Purchase(parse_amount("1,234.50"), SALE), rules, "gold")
    assert no_branch.campaigns_applied == ("nov-x2", "welcome")
    small = points_for(Purchase(parse_amount("999.99"), SALE, "BKK01"), rules)
    assert small.campaigns_applied == ("nov-x2", "bkk-x1.5")  # below the bonus's ฿1,000 minimum


def test_category_campaign_boosts_only_its_lines() -> None:
    rules = with_campaigns(campaign(id="drinks-x3", multiplier_permille=3000, categories=frozenset({"beverage"})))
    lines = (CategoryLine("beverage", 30000), CategoryLine("food", 93450))  # ฿300 drinks, ฿934.50 food
    got = points_for(Purchase(123450, SALE, lines=lines), rules)
    assert got.base_points == 49 and got.campaign_bonus == 24  # 300/25 = 12 points of drinks, x3 -> +24
    assert got.points == 73
    assert points_for(Purchase(123450, SALE), rules).points == 49  # no lines: the campaign cannot apply
    food_only = points_for(Purchase(123450, SALE, lines=(CategoryLine("food", 123450),)), rules)
    assert food_only.points == 49 and food_only.campaigns_applied == ()


def test_a_multiplier_voucher_multiplies_the_whole_sale_s_points_exactly() -> None:
    rules = with_campaigns(campaign(id="bkk-x1.5", multiplier_permille=1500))
    plain = points_for(Purchase(parse_amount("1,234.50"), SALE), rules, "gold")
    assert (plain.points, plain.base_points, plain.tier_bonus, plain.campaign_bonus) == (97, 49, 24, 24)
    assert (plain.voucher_bonus, plain.points_factor) == (0, 1)
    doubled = points_for(Purchase(parse_amount("1,234.50"), SALE), rules, "gold", factor=2)
    # each part rounded down as always (73.5 -> 73, 24.5 -> 24), then the total times 2: nothing left to round
    assert (doubled.points, doubled.voucher_bonus, doubled.points_factor) == (194, 97, 2)
    assert (doubled.base_points, doubled.tier_bonus, doubled.campaign_bonus) == (49, 24, 24)
    assert doubled.campaigns_applied == ("bkk-x1.5",) and doubled.points_start_satang is None
    top = points_for(Purchase(2500, SALE), RULES, factor=10)
    assert (top.points, top.voucher_bonus, top.points_factor) == (10, 9, 10)
    nothing = points_for(Purchase(2499, SALE), RULES, factor=3)  # below one block: nothing, multiplied
    assert (nothing.points, nothing.voucher_bonus, nothing.points_factor, nothing.points_start_satang) == \
        (0, 0, 3, 2500)
    below = points_for(Purchase(9999, SALE), replace(RULES, earn=EarnRules(min_spend_satang=10000)), factor=2)
    assert (below.points, below.points_factor, below.points_start_satang) == (0, 2, 10000)


@pytest.mark.parametrize("factor", [0, -2, 11, True, "2", 2.0])
def test_a_points_multiplier_outside_1_to_10_is_refused(refused, factor: object) -> None:
    with refused(RuleError, "purchase.factor", "A points multiplier is a whole number from 1 to 10."):
        points_for(Purchase(10000, SALE), RULES, factor=factor)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(bundles(), st.integers(0, MAX_AMOUNT_SATANG), instants, st.integers(1, 10), st.data())
def test_a_multiplied_sale_earns_exactly_factor_times_the_plain_sale(
        rules: RulesBundle, amount: int, at: datetime, factor: int, data: st.DataObject) -> None:
    tier = data.draw(st.none() | st.sampled_from([t.code for t in rules.tiers.tiers]))
    plain, multiplied = points_for(Purchase(amount, at), rules, tier), points_for(Purchase(amount, at), rules,
                                                                                    tier, factor=factor)
    assert multiplied.points == plain.points * factor == plain.points + multiplied.voucher_bonus
    assert (multiplied.base_points, multiplied.tier_bonus, multiplied.campaign_bonus) == \
        (plain.base_points, plain.tier_bonus, plain.campaign_bonus)


def test_purchase_validation(refused) -> None:
    with refused(RuleError, "purchase.lines", "The category lines do not add up to the bill amount."):
        Purchase(10000, SALE, lines=(CategoryLine("food", 5000),))
    with refused(RuleError, "purchase.amount", "The bill amount cannot be negative."):
        Purchase(-1, SALE)
    with refused(RuleError, "purchase.amount", "The bill amount is too large."):
        Purchase(MAX_AMOUNT_SATANG + 1, SALE)
    with refused(RuleError, "time.naive", "The sale time must carry a time zone (UTC)"):
        Purchase(100, datetime(2026, 1, 1))
    with refused(RuleError, 'purchase.amount', 'The bill amount must be a whole number of satang.'):
        Purchase(100.0, SALE)  # type: ignore[arg-type]
    with refused(RuleError, 'purchase.amount', 'The bill amount must be a whole number of satang.'):
        Purchase(True, SALE)
    with refused(RuleError, "rules.invalid", "branch_id must be a non-empty text of at most 200 characters."):
        Purchase(100, SALE, branch_id=" ")
    with refused(RuleError, "purchase.lines", "Category lines must be CategoryLine values."):
        Purchase(100, SALE, lines=(("food", 100),))  # type: ignore[arg-type]
    with refused(RuleError, 'rules.invalid', 'line amount_satang must be at least 0.'):
        CategoryLine("food", -100)
    with refused(RuleError, 'rules.invalid', f'line amount_satang must be at most {MAX_AMOUNT_SATANG}.'):
        CategoryLine("food", MAX_AMOUNT_SATANG + 1)
    with refused(RuleError, 'rules.invalid', 'category must be a non-empty text of at most 200 characters.'):
        CategoryLine("x" * 201, 100)
    local = Purchase(100, datetime(2026, 11, 23, 17, 30, tzinfo=timezone(timedelta(hours=7))))
    assert local.sale_at == SALE and local.sale_at.tzinfo == UTC
    # the limits themselves are accepted; lines given as a list are kept as a tuple
    assert Purchase(MAX_AMOUNT_SATANG, SALE).amount_satang == MAX_AMOUNT_SATANG
    assert Purchase(0, SALE, branch_id="BKK01").branch_id == "BKK01"
    assert CategoryLine("x" * 200, MAX_AMOUNT_SATANG).amount_satang == MAX_AMOUNT_SATANG
    lines = [CategoryLine("food", 60), CategoryLine("drink", 40)]
    assert Purchase(100, SALE, lines=lines).lines == tuple(lines)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kw, code, message",
    [
        ({"ends_at": datetime(2026, 11, 1, tzinfo=UTC)}, "rules.invalid", "Campaign nov-x2 must end after it starts."),
        ({"multiplier_permille": 900}, "rules.invalid", "multiplier_permille must be at least 1000."),
        ({"multiplier_permille": 1000, "bonus_points": 0}, "rules.invalid",
         "Campaign nov-x2 gives nothing: set a multiplier above 1000 or bonus points."),
        ({"bonus_points": -1}, "rules.invalid", "bonus_points must be at least 0."),
        ({"branches": frozenset()}, "rules.invalid", "branches must name at least one; leave it unset to mean all."),
        ({"categories": "beverage"}, "rules.invalid", "categories must be a set of names, or empty for all."),
        ({"id": ""}, "rules.invalid", "campaign id must be a non-empty text of at most 200 characters."),
        ({"starts_at": datetime(2026, 11, 1)}, "time.naive", "Campaign start must carry a time zone (UTC)"),
        ({"multiplier_permille": 1.5}, "rules.invalid", "multiplier_permille must be a whole number."),
        ({"multiplier_permille": 100_001}, "rules.invalid", "multiplier_permille must be at most 100000."),
        ({"bonus_points": 10_000_001}, "rules.invalid", "bonus_points must be at most 10000000."),
        ({"min_spend_satang": -1}, "rules.invalid", "min_spend_satang must be at least 0."),
        ({"min_spend_satang": MAX_AMOUNT_SATANG + 1}, "rules.invalid",
         f"min_spend_satang must be at most {MAX_AMOUNT_SATANG}."),
        ({"name": " "}, "rules.invalid", "campaign name must be a non-empty text of at most 200 characters."),
        ({"ends_at": datetime(2026, 12, 1)}, "time.naive", "Campaign end must carry a time zone (UTC)"),
        ({"categories": {"food", ""}}, "rules.invalid",
         "categories must be a non-empty text of at most 200 characters."),
    ],
)
def test_campaign_validation(refused, kw: dict[str, object], code: str, message: str) -> None:
    with refused(RuleError, code, message):
        campaign(**kw)


def test_a_campaign_keeps_its_branches_and_categories_as_sets() -> None:
    c = campaign(branches=["BKK01", "BKK01"], categories=("food",), multiplier_permille=100_000,
                 bonus_points=10_000_000, min_spend_satang=MAX_AMOUNT_SATANG)
    assert c.branches == frozenset({"BKK01"}) and c.categories == frozenset({"food"})
    assert c == campaign(branches=frozenset({"BKK01"}), categories=frozenset({"food"}), multiplier_permille=100_000,
                         bonus_points=10_000_000, min_spend_satang=MAX_AMOUNT_SATANG)


def test_policy_validation(refused) -> None:
    member = Tier("member", "สมาชิก", "Member", 0, 1000)
    with refused(RuleError, 'rules.invalid', 'A tier policy needs at least one tier.'):
        TierPolicy(())
    with refused(RuleError, 'rules.invalid', 'A tier policy needs at least one tier.'):
        TierPolicy((member, "gold"))  # type: ignore[arg-type]
    with refused(RuleError, "rules.invalid", "The first tier must start at 0 points."):
        TierPolicy((Tier("silver", "ซิลเวอร์", "Silver", 10, 1250),))
    with refused(RuleError, "rules.invalid", "Tiers must be listed by strictly rising thresholds."):
        TierPolicy((member, Tier("a", "a", "A", 10, 1000), Tier("b", "b", "B", 10, 1000)))
    with refused(RuleError, "rules.invalid", "Tiers must be listed by strictly rising thresholds."):
        TierPolicy((member, Tier("a", "a", "A", 20, 1000), Tier("b", "b", "B", 10, 1000)))
    with refused(RuleError, "rules.invalid", "Two tiers share the same code."):
        TierPolicy((member, Tier("member", "a", "A", 10, 1000)))
    with refused(RuleError, "rules.invalid", "period_days must be at least 1."):
        TierPolicy((member,), 0)
    with refused(RuleError, "rules.invalid", "period_days must be at most 36600."):
        TierPolicy((member,), 36_601)
    assert TierPolicy([member], 1).tiers == (member,) and TierPolicy((member,), 36_600).period_days == 36_600  # type: ignore[arg-type]
    with refused(RuleError, 'rules.invalid', 'tier multiplier_permille must be at least 1000.'):
        Tier("x", "x", "X", 0, 999)
    with refused(RuleError, 'rules.invalid', 'tier multiplier_permille must be at most 100000.'):
        Tier("x", "x", "X", 0, 100_001)
    with refused(RuleError, 'rules.invalid', 'threshold_points must be at least 0.'):
        Tier("x", "x", "X", -1, 1000)
    for i, field in enumerate(("tier code", "tier name_th", "tier name_en")):
        texts = ["x", "x", "X"]
        texts[i] = ""
        with refused(RuleError, 'rules.invalid', f'{field} must be a non-empty text of at most 200 characters.'):
            Tier(texts[0], texts[1], texts[2], 0, 1000)
    assert Tier("x", "x", "X", 0, 100_000).multiplier_permille == 100_000
    with refused(RuleError, 'rules.invalid', 'satang_per_point must be at least 1.'):
        EarnRules(satang_per_point=0)
    with refused(RuleError, 'rules.invalid', f'min_spend_satang must be at most {MAX_AMOUNT_SATANG}.'):
        EarnRules(min_spend_satang=MAX_AMOUNT_SATANG + 1)
    with refused(RuleError, 'rules.invalid', 'min_spend_satang must be at least 0.'):
        EarnRules(min_spend_satang=-1)
    with refused(RuleError, 'rules.invalid', f'satang_per_point must be at most {MAX_AMOUNT_SATANG}.'):
        EarnRules(satang_per_point=MAX_AMOUNT_SATANG + 1)
    assert EarnRules(campaigns=[campaign()]).campaigns == (campaign(),)  # type: ignore[arg-type]
    with refused(RuleError, "rules.invalid", "Two campaigns share the same id."):
        EarnRules(campaigns=(campaign(), campaign()))
    with refused(RuleError, "rules.invalid", "campaigns must hold Campaign values."):
        EarnRules(campaigns=("nov-x2",))  # type: ignore[arg-type]
    with refused(RuleError, 'rules.invalid', 'version must be at least 1.'):
        replace(RULES, version=0)
    with refused(RuleError, "tier.unknown", "Unknown tier “platinum”."):
        RULES.tiers.get("platinum")


@pytest.mark.parametrize(("make", "message"), [
    (lambda: DiscountPolicy(satang_per_point=0), "discount satang_per_point must be at least 1."),
    (lambda: DiscountPolicy(satang_per_point=MAX_AMOUNT_SATANG + 1),
     f"discount satang_per_point must be at most {MAX_AMOUNT_SATANG}."),
    (lambda: DiscountPolicy(min_points=0), "min_points must be at least 1."),
    (lambda: DiscountPolicy(max_bill_fraction_permille=-1), "max_bill_fraction_permille must be at least 0."),
    (lambda: DiscountPolicy(max_bill_fraction_permille=1001), "max_bill_fraction_permille must be at most 1000."),
    (lambda: DiscountPolicy(satang_per_point="25"), "discount satang_per_point must be a whole number."),
    (lambda: ExpiryPolicy(0), "expiry months must be at least 1."),
    (lambda: ExpiryPolicy(1201), "expiry months must be at most 1200."),
    (lambda: ReturnPolicy("yes"), "restore_redeemed_points must be true or false."),
    (lambda: replace(RULES, expiry=24), "expiry has the wrong type."),
])
def test_discount_expiry_and_return_policies_are_checked(refused, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with refused(RuleError, "rules.invalid", message):
        make()


def test_the_limits_of_each_policy_are_accepted() -> None:
    assert DiscountPolicy(1, 1, 0) == DiscountPolicy(satang_per_point=1, min_points=1, max_bill_fraction_permille=0)
    assert DiscountPolicy(MAX_AMOUNT_SATANG, 1, 1000).max_bill_fraction_permille == 1000
    assert ExpiryPolicy(1).months == 1 and ExpiryPolicy(1200).months == 1200 and ExpiryPolicy(None).months is None
    assert ReturnPolicy(False).restore_redeemed_points is False


def test_why_a_sale_earned_nothing_in_words() -> None:
    assert zero_points_text(2500) == "0 points: points start at ฿25"
    assert points_start_text(2550) == "points start at ฿25.50"
    assert zero_points_text(None) == "0 points: no points under the current rules"


# ------------------------------------------------------------------------------------- JSON


def test_json_is_canonical_and_round_trips() -> None:
    rules = with_campaigns(
        campaign(categories=frozenset({"food", "beverage"}), branches=frozenset({"BKK02", "BKK01"})),
        campaign(id="b", starts_at=datetime(2026, 11, 1, 7, tzinfo=timezone(timedelta(hours=7))), bonus_points=5),
    )
    text = rules.to_json()
    assert json.loads(text)["format"] == "pos-loyalty-rules/1"
    assert " " not in text.replace("Double points November", "")
    assert '"2026-11-01T00:00:00Z"' in text and '["BKK01","BKK02"]' in text and "สมาชิก" in text
    again = RulesBundle.from_json(text)
    assert again == rules and again.to_json() == text and again.digest() == rules.digest()
    assert RulesBundle.from_json(text.encode("utf-8")) == rules
    assert json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False) == text


def _mutated(path: list[str | int], value: object) -> str:
    obj = json.loads(with_campaigns(campaign()).to_json())
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(obj)


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", 'rules.json', 'The rules are not valid JSON.'),
        ("not json", 'rules.json', 'The rules are not valid JSON.'),
        ("[]", 'rules.json', 'In the rules, “rules” must be an object.'),
        ("null", 'rules.json', 'In the rules, “rules” must be an object.'),
        ("{}", 'rules.json', 'In the rules, “rules” lacks: discount, earn, expiry, format, returns, tiers, version.'),
        ('{"version": 1, "version": 2}', 'rules.json', 'The rules repeat the field “version”.'),
        ("[" * 5000, 'rules.json', 'The rules are not valid JSON.'),
        (_mutated(["version"], 1.0), 'rules.json', 'The rules contain a fractional number (1.0); use whole numbers.'),
        (_mutated(["version"], True), 'rules.invalid', 'version must be a whole number.'),
        (_mutated(["version"], "1"), 'rules.invalid', 'version must be a whole number.'),
        (_mutated(["version"], 0), 'rules.invalid', 'version must be at least 1.'),
        (_mutated(["format"], "pos-loyalty-rules/9"), 'rules.format', 'These rules are in a format this terminal does not know (pos-loyalty-rules/9); update the software.'),
        (_mutated(["earn", "satang_per_point"], 0), 'rules.invalid', 'satang_per_point must be at least 1.'),
        (_mutated(["earn", "campaigns"], {}), 'rules.json', 'In the rules, “earn.campaigns” must be a list.'),
        (_mutated(["earn", "campaigns", 0, "starts_at"], "yesterday"), 'rules.json', 'In the rules, “starts_at” must be an ISO-8601 time.'),
        (_mutated(["earn", "campaigns", 0, "starts_at"], "2026-11-01T00:00:00"), 'time.naive', 'starts_at must carry a time zone (UTC); a local time without a zone is ambiguous.'),
        (_mutated(["earn", "campaigns", 0, "branches"], "BKK01"), 'rules.json', 'In the rules, “branches” must be a list.'),
        (_mutated(["earn", "campaigns", 0, "branches"], [1]), 'rules.invalid', 'branches must be a non-empty text of at most 200 characters.'),
        (_mutated(["earn", "campaigns", 0, "extra"], 1), 'rules.json', 'In the rules, “campaign” has unknown fields: extra.'),
        (_mutated(["tiers", "tiers"], []), 'rules.invalid', 'A tier policy needs at least one tier.'),
        (_mutated(["tiers", "tiers", 0, "threshold_points"], 5), 'rules.invalid', 'The first tier must start at 0 points.'),
        (_mutated(["expiry", "months"], "24"), 'rules.invalid', 'expiry months must be a whole number.'),
        (_mutated(["expiry", "months"], float("nan")), 'rules.json', 'The rules contain a fractional number (NaN); use whole numbers.'),
        (_mutated(["returns", "restore_redeemed_points"], 1), 'rules.invalid', 'restore_redeemed_points must be true or false.'),
        (_mutated(["discount"], None), 'rules.json', 'In the rules, “discount” must be an object.'),
        (_mutated(["earn"], []), 'rules.json', 'In the rules, “earn” must be an object.'),
        (_mutated(["tiers"], 3), 'rules.json', 'In the rules, “tiers” must be an object.'),
        (_mutated(["tiers", "tiers"], {}), 'rules.json', 'In the rules, “tiers.tiers” must be a list.'),
        (_mutated(["tiers", "tiers", 0], {"code": "member"}), 'rules.json',
         'In the rules, “tier” lacks: multiplier_permille, name_en, name_th, threshold_points.'),
        (_mutated(["expiry"], "24"), 'rules.json', 'In the rules, “expiry” must be an object.'),
        (_mutated(["returns"], True), 'rules.json', 'In the rules, “returns” must be an object.'),
        (_mutated(["earn", "campaigns", 0, "ends_at"], "soon"), 'rules.json',
         'In the rules, “ends_at” must be an ISO-8601 time.'),
        (_mutated(["earn", "campaigns", 0, "starts_at"], 20261101), 'rules.json',
         'In the rules, “starts_at” must be an ISO-8601 time.'),
        (_mutated(["earn", "campaigns", 0, "categories"], "food"), 'rules.json',
         'In the rules, “categories” must be a list.'),
        (_mutated(["format"], "pos-loyalty-rules/2-" + "x" * 40), 'rules.format',
         'These rules are in a format this terminal does not know (pos-loyalty-rules/2-' + "x" * 20 + ');'),
    ],
)
def test_malformed_json_is_refused_with_rule_error(refused, text: str, code: str, message: str) -> None:
    with refused(RuleError, code, message):
        RulesBundle.from_json(text)


@settings(max_examples=100, deadline=None)
@given(bundles())
def test_any_bundle_round_trips_exactly(rules: RulesBundle) -> None:
    text = rules.to_json()
    again = RulesBundle.from_json(text)
    assert again == rules
    assert again.to_json() == text


# ------------------------------------------------------------------------------- properties


@st.composite
def purchases_and_splits(draw: st.DrawFn) -> tuple[RulesBundle, Purchase, list[Purchase]]:
    """A bill with category lines and the same lines spread over several receipts of the same visit."""
    rules = draw(bundles(with_bonus=False))
    lines = draw(category_lines(max_lines=6))
    at = draw(instants)
    branch = draw(st.none() | st.sampled_from(BRANCHES))
    whole = Purchase(sum(line.amount_satang for line in lines), at, branch, lines)
    parts = draw(st.integers(2, 4))
    buckets: list[list[CategoryLine]] = [[] for _ in range(parts)]
    for line in lines:
        # a line may itself be split across receipts
        cut = draw(st.integers(0, line.amount_satang))
        buckets[draw(st.integers(0, parts - 1))].append(CategoryLine(line.category, cut))
        buckets[draw(st.integers(0, parts - 1))].append(CategoryLine(line.category, line.amount_satang - cut))
    split = [Purchase(sum(x.amount_satang for x in b), at, branch, tuple(b)) for b in buckets if b]
    return rules, whole, split


@settings(max_examples=200, deadline=None)
@given(purchases_and_splits(), st.data())
def test_splitting_a_bill_never_earns_more(case: tuple[RulesBundle, Purchase, list[Purchase]], data: st.DataObject) -> None:
    rules, whole, split = case
    tier = data.draw(st.none() | st.sampled_from([t.code for t in rules.tiers.tiers]))
    assert sum(points_for(p, rules, tier).points for p in split) <= points_for(whole, rules, tier).points


@settings(max_examples=100, deadline=None)
@given(purchases_and_splits(), st.data())
def test_with_fixed_bonuses_a_split_gains_at_most_the_extra_receipts_bonuses(
    case: tuple[RulesBundle, Purchase, list[Purchase]], data: st.DataObject
) -> None:
    """Fixed per-receipt bonuses are the one thing a split can collect more than once."""
    rules, whole, split = case
    bonus_campaigns = data.draw(st.lists(st.integers(1, 300), max_size=3))
    extra = tuple(
        Campaign(f"bonus{i}", "Bonus", whole.sale_at, whole.sale_at + timedelta(days=1), 1000, b)
        for i, b in enumerate(bonus_campaigns)
    )
    rules = replace(rules, earn=replace(rules.earn, campaigns=rules.earn.campaigns + extra))

    def without_fixed(p: Purchase) -> int:
        got = points_for(p, rules)
        fixed = sum(c.bonus_points for c in rules.earn.campaigns if c.id in got.campaigns_applied)
        return got.points - fixed

    assert sum(without_fixed(p) for p in split) <= without_fixed(whole)
    gained = sum(points_for(p, rules).points for p in split) - points_for(whole, rules).points
    assert gained <= (len(split) - 1) * sum(bonus_campaigns)


@settings(max_examples=150, deadline=None)
@given(bundles(), category_lines(), st.integers(0, 200_000), instants, st.sampled_from((None, *BRANCHES)), st.data())
def test_monotonic_never_negative_deterministic(
    rules: RulesBundle,
    lines: tuple[CategoryLine, ...],
    more: int,
    at: datetime,
    branch: str | None,
    data: st.DataObject,
) -> None:
    tier = data.draw(st.none() | st.sampled_from([t.code for t in rules.tiers.tiers]))
    small = Purchase(sum(x.amount_satang for x in lines), at, branch, lines)
    grown_line = CategoryLine(data.draw(st.sampled_from(CATEGORIES)), more)
    big = Purchase(small.amount_satang + more, at, branch, (*lines, grown_line))
    a, b = points_for(small, rules, tier), points_for(big, rules, tier)
    assert 0 <= a.points <= b.points
    assert a.points == a.base_points + a.tier_bonus + a.campaign_bonus
    assert min(a.base_points, a.tier_bonus, a.campaign_bonus) >= 0
    assert points_for(small, rules, tier) == a
    assert points_for(small, RulesBundle.from_json(rules.to_json()), tier) == a
    # without lines, the bill earns the same apart from category campaigns
    plain_small, plain_big = Purchase(small.amount_satang, at, branch), Purchase(big.amount_satang, at, branch)
    assert points_for(plain_small, rules, tier).points <= points_for(plain_big, rules, tier).points


@settings(max_examples=100, deadline=None)
@given(bundles(), st.integers(0, MAX_AMOUNT_SATANG), instants, st.data())
def test_higher_tier_never_earns_less(rules: RulesBundle, amount: int, at: datetime, data: st.DataObject) -> None:
    codes = [t.code for t in rules.tiers.tiers]
    i = data.draw(st.integers(0, len(codes) - 1))
    j = data.draw(st.integers(i, len(codes) - 1))
    p = Purchase(amount, at)
    assert points_for(p, rules, codes[i]).points <= points_for(p, rules, codes[j]).points


# ------------------------------------------------------------------ why a sale earned nothing


def test_one_point_per_satang_and_single_point_campaigns() -> None:
    per_satang = replace(RULES, earn=EarnRules(satang_per_point=1))
    assert points_for(Purchase(1, SALE), per_satang).points == 1
    nothing = points_for(Purchase(0, SALE), per_satang)
    assert (nothing.points, nothing.points_start_satang, nothing.rules_version) == (0, 1, 1)
    # a campaign whose extra rounds down to 0 is not listed on the slip; one worth a single point is
    x15 = with_campaigns(campaign(multiplier_permille=1500))
    small = points_for(Purchase(2500, SALE), x15)
    assert (small.points, small.campaigns_applied) == (1, ())
    plus_one = points_for(Purchase(2500, SALE), with_campaigns(campaign(multiplier_permille=1000, bonus_points=1)))
    assert (plus_one.points, plus_one.campaign_bonus, plus_one.campaigns_applied) == (2, 1, ("nov-x2",))


def test_points_are_whole_numbers_with_campaigns_too() -> None:
    got = points_for(Purchase(parse_amount("1,234.50"), SALE), with_campaigns(campaign(multiplier_permille=1333)),
                     "gold")
    assert (got.points, got.base_points, got.tier_bonus, got.campaign_bonus) == (89, 49, 24, 16)
    assert all(type(v) is int for v in (got.points, got.base_points, got.tier_bonus, got.campaign_bonus))


def test_a_campaign_that_does_not_apply_does_not_hide_the_next_one() -> None:
    late = campaign(id="dec", starts_at=datetime(2026, 12, 1, tzinfo=UTC), ends_at=datetime(2027, 1, 1, tzinfo=UTC))
    other_branch = campaign(id="bkk02", branches=frozenset({"BKK02"}))
    food = campaign(id="food", categories=frozenset({"food"}), bonus_points=7)
    bonus = campaign(id="bonus", multiplier_permille=1000, bonus_points=5, min_spend_satang=1000)
    rules = with_campaigns(late, other_branch, food, bonus)
    got = points_for(Purchase(5000, SALE, "BKK01"), rules)
    assert (got.points, got.campaigns_applied) == (7, ("bonus",))
    # where points start: the fixed bonus lowers it to its own minimum, whatever comes before it in the list
    assert points_for(Purchase(999, SALE, "BKK01"), rules).points_start_satang == 1000


def test_where_points_start_counts_only_fixed_bonuses_that_apply_here() -> None:
    x2_low = with_campaigns(campaign(min_spend_satang=100))  # a multiplier alone: ฿1 still earns nothing
    assert points_for(Purchase(99, SALE), x2_low).points_start_satang == 2500
    one_point = with_campaigns(campaign(multiplier_permille=1000, bonus_points=1, min_spend_satang=1000))
    assert points_for(Purchase(999, SALE), one_point).points_start_satang == 1000
    bkk01 = with_campaigns(campaign(multiplier_permille=1000, bonus_points=5, min_spend_satang=1000,
                                    branches=frozenset({"BKK01"})))
    assert points_for(Purchase(999, SALE, "BKK01"), bkk01).points_start_satang == 1000
    assert points_for(Purchase(999, SALE, "BKK02"), bkk01).points_start_satang == 2500
    # fixed bonuses that are over, or for another branch, are passed over, not the end of the search
    over = campaign(id="oct", multiplier_permille=1000, bonus_points=5, min_spend_satang=500,
                    starts_at=datetime(2026, 10, 1, tzinfo=UTC), ends_at=datetime(2026, 11, 1, tzinfo=UTC))
    elsewhere = campaign(id="bkk02", multiplier_permille=1000, bonus_points=5, min_spend_satang=500,
                         branches=frozenset({"BKK02"}))
    here = campaign(id="here", multiplier_permille=1000, bonus_points=5, min_spend_satang=1000)
    assert points_for(Purchase(999, SALE, "BKK01"), with_campaigns(over, elsewhere, here)).points_start_satang == 1000


def test_a_sale_below_one_block_earns_0_and_says_where_points_start() -> None:
    small = points_for(Purchase(2499, SALE), RULES, "member")
    assert (small.points, small.points_start_satang) == (0, 2500)
    assert points_for(Purchase(2500, SALE), RULES, "member").points_start_satang is None


def test_a_fixed_bonus_campaign_with_a_lower_minimum_lowers_where_points_start() -> None:
    rules = with_campaigns(campaign(multiplier_permille=1000, bonus_points=5, min_spend_satang=1000))
    assert points_for(Purchase(999, SALE), rules, "member").points_start_satang == 1000
    assert points_for(Purchase(1000, SALE), rules, "member").points == 5
    minimum = replace(rules, earn=replace(rules.earn, min_spend_satang=20_000))
    assert points_for(Purchase(15_000, SALE), minimum, "member").points_start_satang == 20_000


@settings(max_examples=300, deadline=None)
@given(bundle=bundles(), at=instants, branch=st.sampled_from([None, *BRANCHES]),
       amount=st.integers(min_value=1, max_value=2_000_000))
def test_a_sale_earns_nothing_exactly_below_where_points_start(bundle: RulesBundle, at: datetime,
                                                               branch: str | None, amount: int) -> None:
    from pos_app.core.rules import points_start_satang

    purchase = Purchase(amount, at, branch)
    start = points_start_satang(purchase, bundle)
    earned = points_for(purchase, bundle, bundle.tiers.tiers[-1].code)
    assert (earned.points == 0) == (amount < start)
    assert earned.points_start_satang == (start if earned.points == 0 else None)


def test_the_out_of_the_box_rules() -> None:
    """What a new terminal runs with (docs/loyalty-rules.md): read when the test runs, not at import."""
    from pos_app.core.rules import DiscountPolicy, ExpiryPolicy, ReturnPolicy

    rules = default_rules()
    assert rules.version == 1 and default_rules(7).version == 7
    assert rules.tiers == TierPolicy(
        tiers=(Tier("member", "สมาชิก", "Member", 0, 1000), Tier("silver", "ซิลเวอร์", "Silver", 1000, 1250),
               Tier("gold", "โกลด์", "Gold", 5000, 1500)),
        period_days=365,
    )
    assert (rules.earn, rules.discount, rules.expiry, rules.returns) == (
        EarnRules(), DiscountPolicy(), ExpiryPolicy(), ReturnPolicy())
    assert rules.earn.satang_per_point == 2500 and rules.earn.campaigns == ()
    assert RulesBundle.from_json(rules.to_json()) == rules


# ------------------------------------------------------------------------------- currencies

JAN = datetime(2026, 1, 1, tzinfo=UTC)
FEB = datetime(2026, 2, 1, tzinfo=UTC)
BAHT_ONLY_DIGEST = "c397a8d8a8f57d0af0cde4246f5c31ed0312e267bbabdac31c8965191d26a800"
"""default_rules().digest() before currencies existed (commit da3353e): terminals and the server compare it."""


def with_currencies(currencies: Currencies) -> RulesBundle:
    return replace(RULES, version=RULES.version + 1, currencies=currencies)


def hq_currencies() -> Currencies:
    """USD from January, a new USD rate from February, JPY from January; BKK01 takes both, BKK02 dollars only
    (given out of order and spelled loosely, as a hand-written rules file might)."""
    return Currencies(
        rates=(
            FxRate(" usd ", "35.5", FEB),
            FxRate("JPY", "0.2251", JAN),
            FxRate("USD", "35.8125", datetime(2026, 1, 1, 7, tzinfo=timezone(timedelta(hours=7)))),
        ),
        branches={"BKK02": ["usd"], "BKK01": ("JPY", "USD")},
    )


def test_rates_are_kept_in_order_with_normalised_codes_and_utc_times() -> None:
    c = hq_currencies()
    assert [(r.currency, r.rate_thb, r.valid_from) for r in c.rates] == [
        ("JPY", "0.2251", JAN), ("USD", "35.8125", JAN), ("USD", "35.5", FEB)]
    assert all(r.valid_from.tzinfo is UTC for r in c.rates)
    assert c.branches == {"BKK01": frozenset({"JPY", "USD"}), "BKK02": frozenset({"USD"})}


def test_a_bundle_with_currencies_round_trips_through_json() -> None:
    rules = with_currencies(hq_currencies())
    text = rules.to_json()
    assert json.loads(text)["currencies"] == {
        "rates": [
            {"currency": "JPY", "rate_thb": "0.2251", "valid_from": "2026-01-01T00:00:00Z"},
            {"currency": "USD", "rate_thb": "35.8125", "valid_from": "2026-01-01T00:00:00Z"},
            {"currency": "USD", "rate_thb": "35.5", "valid_from": "2026-02-01T00:00:00Z"},
        ],
        "branches": {"BKK01": ["JPY", "USD"], "BKK02": ["USD"]},
    }
    again = RulesBundle.from_json(text)
    assert again == rules and again.currencies.rates == rules.currencies.rates
    assert again.currencies.accepted("BKK01") == ("JPY", "USD") and again.currencies.accepted("BKK02") == ("USD",)
    assert again.to_json() == text and again.digest() == rules.digest() != RULES.digest()


def test_rates_that_every_branch_takes_round_trip_too() -> None:
    rules = with_currencies(Currencies(rates=(FxRate("EUR", "38.25", JAN),)))
    text = rules.to_json()
    assert json.loads(text)["currencies"] == {
        "rates": [{"currency": "EUR", "rate_thb": "38.25", "valid_from": "2026-01-01T00:00:00Z"}], "branches": None}
    again = RulesBundle.from_json(text)
    assert again == rules and again.currencies.branches is None and again.currencies.accepted("ANY") == ("EUR",)


def test_branches_that_take_baht_only_are_kept_even_without_rates() -> None:
    rules = with_currencies(Currencies(branches={}))
    assert json.loads(rules.to_json())["currencies"] == {"rates": [], "branches": {}}
    assert RulesBundle.from_json(rules.to_json()) == rules


def test_rules_without_currencies_keep_their_json_and_digest() -> None:
    assert not Currencies() and Currencies(branches={}) and Currencies(rates=(FxRate("USD", "35", JAN),))
    assert "currencies" not in json.loads(RULES.to_json())
    assert RULES.digest() == BAHT_ONLY_DIGEST
    empty_section = json.loads(RULES.to_json()) | {"currencies": {"rates": [], "branches": None}}
    again = RulesBundle.from_json(json.dumps(empty_section))
    assert again == RULES and again.digest() == BAHT_ONLY_DIGEST


def test_which_currencies_a_branch_takes() -> None:
    c = hq_currencies()
    assert c.accepted("BKK01") == ("JPY", "USD")
    assert c.accepted("BKK02") == ("USD",)
    assert c.accepted("CNX01") == ()  # a branch not listed takes baht only
    assert c.accepted(None) == ()
    everywhere = Currencies(rates=c.rates)
    assert everywhere.accepted("CNX01") == everywhere.accepted(None) == ("JPY", "USD")
    assert Currencies().accepted("BKK01") == ()


def test_the_rate_in_force_at_the_sale_time() -> None:
    c = hq_currencies()
    assert c.rate_for("USD", JAN - timedelta(seconds=1)) is None  # before HQ published any
    assert c.rate_for("USD", JAN).rate_thb == "35.8125"  # type: ignore[union-attr]
    assert c.rate_for("USD", FEB - timedelta(seconds=1)).rate_thb == "35.8125"  # type: ignore[union-attr]
    assert c.rate_for("USD", FEB).rate_thb == "35.5"  # type: ignore[union-attr]
    assert c.rate_for("USD", datetime(2027, 1, 1, tzinfo=UTC)).rate_thb == "35.5"  # type: ignore[union-attr]
    assert c.rate_for("JPY", FEB) == FxRate("JPY", "0.2251", JAN)
    assert c.rate_for("EUR", FEB) is None


@pytest.mark.parametrize(("make", "code", "message"), [
    (lambda: FxRate("US", "35", JAN), "currency.unknown", "“US” is not a currency code (ISO 4217, for example USD)."),
    (lambda: FxRate("dollar", "35", JAN), "currency.unknown",
     "“dollar” is not a currency code (ISO 4217, for example USD)."),
    (lambda: FxRate(" thb", "1", JAN), "rules.invalid", "THB needs no rate: it is the home currency."),
    (lambda: FxRate("USD", "0", JAN), "rules.invalid",
     "A rate to THB is a positive decimal such as 35.8125 (written as text)."),
    (lambda: FxRate("USD", "0.000", JAN), "rules.invalid",
     "A rate to THB is a positive decimal such as 35.8125 (written as text)."),
    (lambda: FxRate("USD", "-35", JAN), "rules.invalid",
     "A rate to THB is a positive decimal such as 35.8125 (written as text)."),
    (lambda: FxRate("USD", "3.5e1", JAN), "rules.invalid",
     "A rate to THB is a positive decimal such as 35.8125 (written as text)."),
    (lambda: FxRate("USD", 35, JAN), "rules.invalid",
     "A rate to THB is a positive decimal such as 35.8125 (written as text)."),
    (lambda: FxRate("USD", "35", datetime(2026, 1, 1)), "time.naive",
     "A rate's valid_from must carry a time zone (UTC); a local time without a zone is ambiguous."),
    (lambda: FxRate("USD", "35", "2026-01-01"), "time.invalid", "A rate's valid_from must be a date and time."),
    (lambda: Currencies(rates=("USD",)), "rules.invalid", "currencies.rates must hold FxRate values."),
    (lambda: Currencies(rates=(FxRate("USD", "35", JAN), FxRate("usd", "36", JAN))), "rules.invalid",
     "Two rates of one currency start at the same time."),
    (lambda: Currencies(rates=(FxRate("USD", "35", JAN), FxRate("EUR", "38", JAN)), branches=["USD"]),
     "rules.invalid", "currencies.branches must map branch ids to currency codes."),
    (lambda: Currencies(rates=(FxRate("USD", "35", JAN),), branches={"BKK01": "USD"}),
     "rules.invalid", "currencies.branches must map branch ids to currency codes."),
    (lambda: Currencies(rates=(FxRate("USD", "35", JAN),), branches={"BKK01": 840}),
     "rules.invalid", "currencies.branches must map branch ids to currency codes."),
    (lambda: Currencies(rates=(FxRate("USD", "35", JAN),), branches={"": ["USD"]}),
     "rules.invalid", "branch must be a non-empty text of at most 200 characters."),
    (lambda: Currencies(rates=(FxRate("USD", "35", JAN),), branches={"BKK01": ["usd", "EUR", "jpy"]}),
     "rules.invalid", "Branch BKK01 takes EUR, JPY but the rules have no rate for it."),
    (lambda: Currencies(branches={"BKK01": ["USD"]}),
     "rules.invalid", "Branch BKK01 takes USD but the rules have no rate for it."),
    (lambda: Currencies(rates=(FxRate("USD", "35", JAN),), branches={"BKK01": ["US$"]}),
     "currency.unknown", "“US$” is not a currency code (ISO 4217, for example USD)."),
    (lambda: replace(RULES, currencies={"rates": []}), "rules.invalid", "currencies has the wrong type."),
])
def test_currency_rules_are_checked(refused, make, code: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with refused(RuleError, code, message) as caught:
        make()
    assert str(caught.value) == message


def _with_section(section: object, path: list[str | int] | None = None, value: object = None) -> str:
    obj = json.loads(with_currencies(hq_currencies()).to_json())
    if path is None:
        obj["currencies"] = section
        return json.dumps(obj)
    target = obj["currencies"]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(obj)


@pytest.mark.parametrize(("text", "code", "message"), [
    (_with_section([]), "rules.json", "In the rules, “currencies” must be an object."),
    (_with_section({"rates": []}), "rules.json", "In the rules, “currencies” lacks: branches."),
    (_with_section({"branches": None}), "rules.json", "In the rules, “currencies” lacks: rates."),
    (_with_section({"rates": [], "branches": None, "fees": 0}), "rules.json",
     "In the rules, “currencies” has unknown fields: fees."),
    (_with_section({"rates": {}, "branches": None}), "rules.json", "In the rules, “currencies.rates” must be a list."),
    (_with_section({"rates": ["USD"], "branches": None}), "rules.json", "In the rules, “rate” must be an object."),
    (_with_section({"rates": [{"currency": "USD"}], "branches": None}), "rules.json",
     "In the rules, “rate” lacks: rate_thb, valid_from."),
    (_with_section(None, ["rates", 0, "source"], "BoT"), "rules.json", "In the rules, “rate” has unknown fields: source."),
    (_with_section(None, ["rates", 0, "valid_from"], "January"), "rules.json",
     "In the rules, “valid_from” must be an ISO-8601 time."),
    (_with_section(None, ["rates", 0, "valid_from"], "2026-01-01T00:00:00"), "time.naive",
     "valid_from must carry a time zone (UTC); a local time without a zone is ambiguous."),
    (_with_section(None, ["rates", 0, "rate_thb"], 0.2251), "rules.json",
     "The rules contain a fractional number (0.2251); use whole numbers."),
    (_with_section(None, ["rates", 0, "rate_thb"], 35), "rules.invalid",
     "A rate to THB is a positive decimal such as 35.8125 (written as text)."),
    (_with_section(None, ["rates", 0, "currency"], "THB"), "rules.invalid", "THB needs no rate: it is the home currency."),
    (_with_section(None, ["rates", 0, "currency"], "yen"), "currency.unknown",
     "“yen” is not a currency code (ISO 4217, for example USD)."),
    (_with_section(None, ["rates", 2, "valid_from"], "2026-01-01T07:00:00+07:00"), "rules.invalid",
     "Two rates of one currency start at the same time."),
    (_with_section(None, ["branches"], ["USD"]), "rules.json", "In the rules, “currencies.branches” must be an object."),
    (_with_section(None, ["branches"], 5), "rules.json", "In the rules, “currencies.branches” must be an object."),
    (_with_section(None, ["branches", "BKK02"], "USD"), "rules.json",
     "In the rules, “currencies.branches” must be a list."),
    (_with_section(None, ["branches", "BKK03"], ["EUR"]), "rules.invalid",
     "Branch BKK03 takes EUR but the rules have no rate for it."),
])
def test_a_malformed_currencies_section_is_refused(refused, text: str, code: str, message: str) -> None:
    with refused(RuleError, code, message) as caught:
        RulesBundle.from_json(text)
    assert str(caught.value) == message
