"""The loyalty rules as data (a versioned, JSON-serialisable bundle) and the earning function.

Everything is integers: money in satang, points as ``int``, multipliers in permille (``1000`` = x1,
``1500`` = x1.5). Instants are timezone-aware UTC datetimes (naive ones are refused).

How a receipt earns (:func:`points_for`) — see ``docs/loyalty-rules.md`` for worked examples:

1. Below the minimum spend (``EarnRules.min_spend_satang``), or for a zero bill, nothing is earned.
2. **Base points** (block earning): ``amount // satang_per_point``, per receipt; the remainder is dropped.
3. **Tier bonus**: ``base * tier.multiplier_permille // 1000 - base`` (floor), so gold x1.5 on 49 base
   points gives 73 points in all (24 bonus).
4. **Campaigns**: every campaign active at the sale time (window ``[starts_at, ends_at)``) that matches the
   branch (when ``branches`` is set) and whose qualifying spend reaches its ``min_spend_satang`` adds
   ``qualifying_base * (multiplier_permille - 1000) // 1000 + bonus_points``, where the qualifying spend is
   the whole bill, or only the category lines named by ``categories`` (a sale without category lines never
   qualifies for a category campaign). Several campaigns **add** their extra parts: x2 and x1.5 together
   give base + 1.0 x base + 0.5 x base, not x3; each campaign's extra is floored on its own. Campaign
   multipliers apply to the base points, never to the tier bonus or to each other (nothing compounds).

Total = base + tier bonus + campaign bonus. Because every step is a floor of a non-negative multiple of
the amount, splitting a bill into several receipts never earns more than paying it whole, **except** for
fixed per-receipt ``bonus_points``, which by definition are paid once per qualifying receipt (guard
such campaigns with a ``min_spend_satang``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.money import MAX_AMOUNT_SATANG, format_baht_short
from pos_app.core.timeutil import iso_utc, require_utc

RULES_FORMAT = "pos-loyalty-rules/1"
PERMILLE = 1000
MAX_MULTIPLIER_PERMILLE = 100_000
MAX_BONUS_POINTS = 10_000_000
MAX_TEXT = 200


def _invalid(message: str) -> RuleError:
    return RuleError(message, "rules.invalid")


def _check_int(value: object, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid(_("{name} must be a whole number.").format(name=name))
    if minimum is not None and value < minimum:
        raise _invalid(_("{name} must be at least {minimum}.").format(name=name, minimum=minimum))
    if maximum is not None and value > maximum:
        raise _invalid(_("{name} must be at most {maximum}.").format(name=name, maximum=maximum))
    return value


def _check_text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise _invalid(_("{name} must be a non-empty text of at most {n} characters.").format(name=name, n=MAX_TEXT))
    return value


def _check_names(value: object, name: str) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise _invalid(_("{name} must be a set of names, or empty for all.").format(name=name))
    names = frozenset(_check_text(item, name) for item in value)
    if not names:
        raise _invalid(_("{name} must name at least one; leave it unset to mean all.").format(name=name))
    return names


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


# --------------------------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Campaign:
    """A time-boxed earning boost: a multiplier on base points and/or a fixed bonus per qualifying receipt."""

    id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    multiplier_permille: int = 1000
    bonus_points: int = 0
    branches: frozenset[str] | None = None
    categories: frozenset[str] | None = None
    min_spend_satang: int = 0

    def __post_init__(self) -> None:
        _check_text(self.id, "campaign id")
        _check_text(self.name, "campaign name")
        _set(self, "starts_at", require_utc(self.starts_at, _("Campaign start")))
        _set(self, "ends_at", require_utc(self.ends_at, _("Campaign end")))
        if self.ends_at <= self.starts_at:
            raise _invalid(_("Campaign {id} must end after it starts.").format(id=self.id))
        _check_int(self.multiplier_permille, "multiplier_permille", PERMILLE, MAX_MULTIPLIER_PERMILLE)
        _check_int(self.bonus_points, "bonus_points", 0, MAX_BONUS_POINTS)
        _check_int(self.min_spend_satang, "min_spend_satang", 0, MAX_AMOUNT_SATANG)
        _set(self, "branches", _check_names(self.branches, "branches"))
        _set(self, "categories", _check_names(self.categories, "categories"))
        if self.multiplier_permille == PERMILLE and self.bonus_points == 0:
            raise _invalid(_("Campaign {id} gives nothing: set a multiplier above 1000 or bonus points.").format(id=self.id))

    def active_at(self, at: datetime) -> bool:
        """True when ``at`` lies in ``[starts_at, ends_at)``."""
        return self.starts_at <= at < self.ends_at


@dataclass(frozen=True)
class EarnRules:
    """Block earning: one point per ``satang_per_point`` of the bill (default ฿25), remainder dropped."""

    satang_per_point: int = 2500
    min_spend_satang: int = 0
    campaigns: tuple[Campaign, ...] = ()

    def __post_init__(self) -> None:
        _check_int(self.satang_per_point, "satang_per_point", 1, MAX_AMOUNT_SATANG)
        _check_int(self.min_spend_satang, "min_spend_satang", 0, MAX_AMOUNT_SATANG)
        campaigns = tuple(self.campaigns)
        for campaign in campaigns:
            if not isinstance(campaign, Campaign):
                raise _invalid(_("campaigns must hold Campaign values."))
        ids = [c.id for c in campaigns]
        if len(set(ids)) != len(ids):
            raise _invalid(_("Two campaigns share the same id."))
        _set(self, "campaigns", campaigns)


@dataclass(frozen=True)
class Tier:
    """A membership level reached by points earned in the rolling period; its multiplier boosts base points."""

    code: str
    name_th: str
    name_en: str
    threshold_points: int
    multiplier_permille: int

    def __post_init__(self) -> None:
        _check_text(self.code, "tier code")
        _check_text(self.name_th, "tier name_th")
        _check_text(self.name_en, "tier name_en")
        _check_int(self.threshold_points, "threshold_points", 0)
        _check_int(self.multiplier_permille, "tier multiplier_permille", PERMILLE, MAX_MULTIPLIER_PERMILLE)


@dataclass(frozen=True)
class TierPolicy:
    """Tiers sorted by threshold (the first at 0 points), judged on points earned in ``period_days``."""

    tiers: tuple[Tier, ...]
    period_days: int = 365

    def __post_init__(self) -> None:
        tiers = tuple(self.tiers)
        if not tiers or any(not isinstance(t, Tier) for t in tiers):
            raise _invalid(_("A tier policy needs at least one tier."))
        if tiers[0].threshold_points != 0:
            raise _invalid(_("The first tier must start at 0 points."))
        for lower, higher in zip(tiers, tiers[1:], strict=False):
            if higher.threshold_points <= lower.threshold_points:
                raise _invalid(_("Tiers must be listed by strictly rising thresholds."))
        if len({t.code for t in tiers}) != len(tiers):
            raise _invalid(_("Two tiers share the same code."))
        _check_int(self.period_days, "period_days", 1, 36_600)
        _set(self, "tiers", tiers)

    def get(self, code: str) -> Tier:
        """The tier with ``code``; an unknown code is refused (``tier.unknown``)."""
        for tier in self.tiers:
            if tier.code == code:
                return tier
        raise RuleError(_("Unknown tier “{code}”.").format(code=code), "tier.unknown")


@dataclass(frozen=True)
class DiscountPolicy:
    """Points as a discount on the bill: 1 point = ``satang_per_point`` satang (default ฿0.25)."""

    satang_per_point: int = 25
    min_points: int = 1
    max_bill_fraction_permille: int = 1000

    def __post_init__(self) -> None:
        _check_int(self.satang_per_point, "discount satang_per_point", 1, MAX_AMOUNT_SATANG)
        _check_int(self.min_points, "min_points", 1)
        _check_int(self.max_bill_fraction_permille, "max_bill_fraction_permille", 0, PERMILLE)


@dataclass(frozen=True)
class ExpiryPolicy:
    """Each grant expires ``months`` after its sale date, at the end of that day in Thailand; None = never."""

    months: int | None = 24

    def __post_init__(self) -> None:
        if self.months is not None:
            _check_int(self.months, "expiry months", 1, 1200)


@dataclass(frozen=True)
class ReturnPolicy:
    """What a return does to points redeemed on the returned receipt."""

    restore_redeemed_points: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.restore_redeemed_points, bool):
            raise _invalid(_("restore_redeemed_points must be true or false."))


@dataclass(frozen=True)
class FxRate:
    """HQ's rate for one currency from ``valid_from`` on (until the next rate of that currency): ``rate_thb``
    baht per one unit, as exact decimal text (``"35.8125"``)."""

    currency: str
    rate_thb: str
    valid_from: datetime

    def __post_init__(self) -> None:
        from pos_app.core.currency import HOME_CURRENCY, check_rate, normalize_code

        code = normalize_code(self.currency)
        if code == HOME_CURRENCY:
            raise _invalid(_("THB needs no rate: it is the home currency."))
        _set(self, "currency", code)
        check_rate(self.rate_thb)
        _set(self, "valid_from", require_utc(self.valid_from, _("A rate's valid_from")))


@dataclass(frozen=True)
class Currencies:
    """Sales in other currencies: the rates, and which currencies each branch takes.

    ``branches`` None: every branch takes every currency that has a rate. Otherwise a branch takes the
    currencies listed for it, and a branch not listed takes baht only."""

    rates: tuple[FxRate, ...] = ()
    branches: Mapping[str, frozenset[str]] | None = None

    def __post_init__(self) -> None:
        from pos_app.core.currency import normalize_code

        rates = tuple(sorted(self.rates, key=lambda r: (r.currency, r.valid_from))) \
            if all(isinstance(r, FxRate) for r in self.rates) else None
        if rates is None:
            raise _invalid(_("currencies.rates must hold FxRate values."))
        if len({(r.currency, r.valid_from) for r in rates}) != len(rates):
            raise _invalid(_("Two rates of one currency start at the same time."))
        _set(self, "rates", rates)
        if self.branches is not None:
            if not isinstance(self.branches, Mapping):
                raise _invalid(_("currencies.branches must map branch ids to currency codes."))
            known = {r.currency for r in rates}
            branches: dict[str, frozenset[str]] = {}
            for branch, codes in self.branches.items():
                _check_text(branch, "branch")
                if isinstance(codes, str) or not isinstance(codes, Iterable):
                    raise _invalid(_("currencies.branches must map branch ids to currency codes."))
                normal = frozenset(normalize_code(c) for c in codes)
                missing = sorted(normal - known)
                if missing:
                    raise _invalid(_("Branch {branch} takes {codes} but the rules have no rate for it.").format(
                        branch=branch, codes=", ".join(missing)))
                branches[branch] = normal
            _set(self, "branches", branches)

    def __bool__(self) -> bool:
        return bool(self.rates) or self.branches is not None

    def accepted(self, branch_id: str | None) -> tuple[str, ...]:
        """The currencies other than THB that ``branch_id`` takes (sorted)."""
        codes = {r.currency for r in self.rates}
        if self.branches is not None:
            codes &= self.branches.get(branch_id or "", frozenset())
        return tuple(sorted(codes))

    def rate_for(self, currency: str, at: datetime) -> FxRate | None:
        """The rate of ``currency`` in force at ``at`` (the latest ``valid_from`` not after it), or None."""
        found = None
        for rate in self.rates:
            if rate.currency == currency and rate.valid_from <= at:
                found = rate
        return found


@dataclass(frozen=True)
class RulesBundle:
    """One version of all the rules; every ledger entry records the ``version`` that computed it."""

    version: int
    earn: EarnRules
    tiers: TierPolicy
    discount: DiscountPolicy
    expiry: ExpiryPolicy
    returns: ReturnPolicy
    currencies: Currencies = Currencies()
    """Rates and accepted currencies; empty rules leave ``currencies`` out of the JSON (same text and digest as
    before currencies existed)."""

    def __post_init__(self) -> None:
        _check_int(self.version, "version", 1)
        for name, kind in (
            ("earn", EarnRules),
            ("tiers", TierPolicy),
            ("discount", DiscountPolicy),
            ("expiry", ExpiryPolicy),
            ("returns", ReturnPolicy),
            ("currencies", Currencies),
        ):
            if not isinstance(getattr(self, name), kind):
                raise _invalid(_("{name} has the wrong type.").format(name=name))

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, compact separators, UTF-8 text, instants as ISO-8601 UTC ``Z``."""
        return json.dumps(_bundle_to_obj(self), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def digest(self) -> str:
        """SHA-256 (hex) of :meth:`to_json` encoded as UTF-8: equal rules, equal digest."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, s: str | bytes) -> RulesBundle:
        """Parse :meth:`to_json` output (or equivalent JSON); anything malformed raises RuleError."""
        try:
            text = s.decode("utf-8") if isinstance(s, bytes | bytearray) else s
            if not isinstance(text, str):
                raise TypeError
            obj = json.loads(
                text,
                object_pairs_hook=_no_duplicate_keys,
                parse_float=_refuse_float,
                parse_constant=_refuse_float,
            )
        except RuleError:
            raise
        except (ValueError, TypeError, RecursionError) as exc:
            raise RuleError(_("The rules are not valid JSON."), "rules.json") from exc
        return _bundle_from_obj(obj)


def default_rules(version: int = 1) -> RulesBundle:
    """The out-of-the-box rules: ฿25 = 1 point, member/silver/gold, 1 point = ฿0.25, 24-month expiry."""
    return RulesBundle(
        version=version,
        earn=EarnRules(),
        tiers=TierPolicy(
            tiers=(
                Tier("member", "สมาชิก", "Member", 0, 1000),
                Tier("silver", "ซิลเวอร์", "Silver", 1000, 1250),
                Tier("gold", "โกลด์", "Gold", 5000, 1500),
            ),
            period_days=365,
        ),
        discount=DiscountPolicy(),
        expiry=ExpiryPolicy(),
        returns=ReturnPolicy(),
    )


# ------------------------------------------------------------------------------------------- earning


@dataclass(frozen=True)
class CategoryLine:
    """Part of a bill that belongs to one product category (used by category campaigns)."""

    category: str
    amount_satang: int

    def __post_init__(self) -> None:
        _check_text(self.category, "category")
        _check_int(self.amount_satang, "line amount_satang", 0, MAX_AMOUNT_SATANG)


@dataclass(frozen=True)
class Purchase:
    """A receipt as the rules see it; when ``lines`` are given they must add up to the amount."""

    amount_satang: int
    sale_at: datetime
    branch_id: str | None = None
    lines: tuple[CategoryLine, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.amount_satang, int) or isinstance(self.amount_satang, bool):
            raise RuleError(_("The bill amount must be a whole number of satang."), "purchase.amount")
        if self.amount_satang < 0:
            raise RuleError(_("The bill amount cannot be negative."), "purchase.amount")
        if self.amount_satang > MAX_AMOUNT_SATANG:
            raise RuleError(_("The bill amount is too large."), "purchase.amount")
        _set(self, "sale_at", require_utc(self.sale_at, _("The sale time")))
        if self.branch_id is not None:
            _check_text(self.branch_id, "branch_id")
        lines = tuple(self.lines)
        if any(not isinstance(line, CategoryLine) for line in lines):
            raise RuleError(_("Category lines must be CategoryLine values."), "purchase.lines")
        if lines and sum(line.amount_satang for line in lines) != self.amount_satang:
            raise RuleError(
                _("The category lines do not add up to the bill amount."), "purchase.lines"
            )
        _set(self, "lines", lines)


@dataclass(frozen=True)
class EarnBreakdown:
    """Points for one receipt and where they came from: ``points = base + tier_bonus + campaign_bonus``."""

    points: int
    base_points: int
    tier_bonus: int
    campaign_bonus: int
    campaigns_applied: tuple[str, ...]
    rules_version: int
    points_start_satang: int | None = None
    """Set when ``points`` is 0: the smallest whole bill that would have earned at that time and branch
    (one block, the minimum spend, or a bonus campaign's minimum), to say why this sale earned nothing."""
    voucher_bonus: int = 0
    """What a points-multiplier voucher used on the sale adds: ``(base + tier_bonus + campaign_bonus) x
    (factor - 1)``, so ``points = (base + tier_bonus + campaign_bonus) x factor`` (integers: no rounding)."""
    points_factor: int = 1
    """The voucher's factor (1: no multiplier voucher)."""


def _qualifying_satang(campaign: Campaign, purchase: Purchase) -> int:
    if campaign.categories is None:
        return purchase.amount_satang
    return sum(line.amount_satang for line in purchase.lines if line.category in campaign.categories)


MAX_POINTS_FACTOR = 10
"""The largest factor of a points-multiplier voucher (``pos_app.core.vouchers``: ``X2`` .. ``X10``)."""


def points_for(purchase: Purchase, rules: RulesBundle, tier_code: str | None = None, *,
               factor: int = 1) -> EarnBreakdown:
    """Points earned by ``purchase`` under ``rules`` for a member in tier ``tier_code`` (None = no tier bonus).

    ``factor``: a points-multiplier voucher used on this sale (1..10): the sale's points (base, tier bonus and
    campaigns, each rounded down as always) are multiplied by it, whole numbers times a whole number, so there
    is nothing more to round; a sale that earns nothing earns nothing multiplied.

    Pure and deterministic: the server recomputes with the same function to check a terminal's figures.
    An unknown ``tier_code`` raises RuleError (``tier.unknown``); a factor outside 1..10 ``purchase.factor``.
    """
    if not isinstance(factor, int) or isinstance(factor, bool) or not 1 <= factor <= MAX_POINTS_FACTOR:
        raise RuleError(_("A points multiplier is a whole number from 1 to {most}.").format(
            most=MAX_POINTS_FACTOR), "purchase.factor")
    earn = rules.earn
    tier = rules.tiers.get(tier_code) if tier_code is not None else None
    amount = purchase.amount_satang
    if amount == 0 or amount < earn.min_spend_satang:
        return EarnBreakdown(0, 0, 0, 0, (), rules.version, points_start_satang(purchase, rules),
                             points_factor=factor)
    base = amount // earn.satang_per_point
    tier_bonus = base * tier.multiplier_permille // PERMILLE - base if tier is not None else 0
    campaign_bonus = 0
    applied: list[str] = []
    for campaign in earn.campaigns:
        if not campaign.active_at(purchase.sale_at):
            continue
        if campaign.branches is not None and purchase.branch_id not in campaign.branches:
            continue
        qualifying = _qualifying_satang(campaign, purchase)
        if qualifying == 0 or qualifying < campaign.min_spend_satang:
            continue
        qualifying_base = qualifying // earn.satang_per_point
        extra = qualifying_base * (campaign.multiplier_permille - PERMILLE) // PERMILLE + campaign.bonus_points
        if extra > 0:
            campaign_bonus += extra
            applied.append(campaign.id)
    points = base + tier_bonus + campaign_bonus
    return EarnBreakdown(
        points=points * factor,
        base_points=base,
        tier_bonus=tier_bonus,
        campaign_bonus=campaign_bonus,
        campaigns_applied=tuple(applied),
        rules_version=rules.version,
        points_start_satang=points_start_satang(purchase, rules) if points == 0 else None,
        voucher_bonus=points * (factor - 1),
        points_factor=factor,
    )


def points_start_satang(purchase: Purchase, rules: RulesBundle) -> int:
    """The smallest whole bill (no category lines) that earns at least one point at ``purchase``'s time and
    branch: one block at or above the minimum spend, or a fixed-bonus campaign's own minimum when that is lower.

    A bill below this earns 0 points (it is still recorded as a sale); one at or above it always earns.
    """
    earn = rules.earn
    floor = max(earn.min_spend_satang, 1)
    start = max(floor, earn.satang_per_point)
    for campaign in earn.campaigns:
        if campaign.bonus_points <= 0 or campaign.categories is not None:
            continue
        if not campaign.active_at(purchase.sale_at):
            continue
        if campaign.branches is not None and purchase.branch_id not in campaign.branches:
            continue
        start = min(start, max(floor, campaign.min_spend_satang))
    return start


def points_start_text(start_satang: int | None) -> str:
    """"points start at ฿25" (from :attr:`EarnBreakdown.points_start_satang`)."""
    if start_satang is None:
        return _("no points under the current rules")
    return _("points start at {amount}").format(amount=format_baht_short(start_satang))


def zero_points_text(start_satang: int | None) -> str:
    """Why a recorded sale earned nothing: "0 points: points start at ฿25"."""
    return _("0 points: {why}").format(why=points_start_text(start_satang))


# ------------------------------------------------------------------------------------------ JSON form


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise RuleError(_("The rules repeat the field “{key}”.").format(key=key), "rules.json")
        result[key] = value
    return result


def _refuse_float(text: str) -> Any:
    raise RuleError(_("The rules contain a fractional number ({text}); use whole numbers.").format(text=text), "rules.json")


def _campaign_to_obj(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "starts_at": iso_utc(c.starts_at),
        "ends_at": iso_utc(c.ends_at),
        "multiplier_permille": c.multiplier_permille,
        "bonus_points": c.bonus_points,
        "branches": None if c.branches is None else sorted(c.branches),
        "categories": None if c.categories is None else sorted(c.categories),
        "min_spend_satang": c.min_spend_satang,
    }


def _bundle_to_obj(b: RulesBundle) -> dict[str, Any]:
    return {
        "format": RULES_FORMAT,
        "version": b.version,
        "earn": {
            "satang_per_point": b.earn.satang_per_point,
            "min_spend_satang": b.earn.min_spend_satang,
            "campaigns": [_campaign_to_obj(c) for c in b.earn.campaigns],
        },
        "tiers": {
            "period_days": b.tiers.period_days,
            "tiers": [
                {
                    "code": t.code,
                    "name_th": t.name_th,
                    "name_en": t.name_en,
                    "threshold_points": t.threshold_points,
                    "multiplier_permille": t.multiplier_permille,
                }
                for t in b.tiers.tiers
            ],
        },
        "discount": {
            "satang_per_point": b.discount.satang_per_point,
            "min_points": b.discount.min_points,
            "max_bill_fraction_permille": b.discount.max_bill_fraction_permille,
        },
        "expiry": {"months": b.expiry.months},
        "returns": {"restore_redeemed_points": b.returns.restore_redeemed_points},
        **({"currencies": _currencies_to_obj(b.currencies)} if b.currencies else {}),
    }


def _currencies_to_obj(c: Currencies) -> dict[str, Any]:
    return {
        "rates": [{"currency": r.currency, "rate_thb": r.rate_thb, "valid_from": iso_utc(r.valid_from)}
                  for r in c.rates],
        "branches": None if c.branches is None else {b: sorted(codes) for b, codes in sorted(c.branches.items())},
    }


def _currencies_from_obj(obj: object) -> Currencies:
    top = _fields(obj, "currencies", {"rates", "branches"})
    rates = []
    for item in _list(top["rates"], "currencies.rates"):
        r = _fields(item, "rate", {"currency", "rate_thb", "valid_from"})
        rates.append(FxRate(r["currency"], r["rate_thb"], _instant(r["valid_from"], "valid_from")))
    branches = top["branches"]
    if branches is not None:
        branches = _fields(branches, "currencies.branches", set(branches) if isinstance(branches, dict) else set())
        branches = {b: _list(codes, "currencies.branches") for b, codes in branches.items()}
    return Currencies(tuple(rates), branches)


def _fields(obj: object, where: str, keys: set[str]) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        raise RuleError(_("In the rules, “{where}” must be an object.").format(where=where), "rules.json")
    missing = sorted(keys - obj.keys())
    unknown = sorted(obj.keys() - keys)
    if missing:
        raise RuleError(
            _("In the rules, “{where}” lacks: {fields}.").format(where=where, fields=", ".join(missing)),
            "rules.json",
        )
    if unknown:
        raise RuleError(
            _("In the rules, “{where}” has unknown fields: {fields}.").format(where=where, fields=", ".join(unknown)),
            "rules.json",
        )
    return obj


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise RuleError(_("In the rules, “{where}” must be a list.").format(where=where), "rules.json")
    return value


def _instant(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise RuleError(_("In the rules, “{where}” must be an ISO-8601 time.").format(where=where), "rules.json")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise RuleError(
            _("In the rules, “{where}” must be an ISO-8601 time.").format(where=where), "rules.json"
        ) from exc
    return require_utc(parsed, where)


def _optional_names(value: object, where: str) -> frozenset[str] | None:
    if value is None:
        return None
    items = _list(value, where)
    return frozenset(_check_text(item, where) for item in items)


_CAMPAIGN_KEYS = {
    "id", "name", "starts_at", "ends_at", "multiplier_permille", "bonus_points", "branches", "categories",
    "min_spend_satang",
}


def _bundle_from_obj(obj: object) -> RulesBundle:
    keys = {"format", "version", "earn", "tiers", "discount", "expiry", "returns"}
    if isinstance(obj, dict) and "currencies" in obj:  # optional: absent in rules without other currencies
        keys.add("currencies")
    top = _fields(obj, "rules", keys)
    if top["format"] != RULES_FORMAT:
        raise RuleError(
            _("These rules are in a format this terminal does not know ({format}); update the software.").format(
                format=str(top["format"])[:40]
            ),
            "rules.format",
        )
    earn = _fields(top["earn"], "earn", {"satang_per_point", "min_spend_satang", "campaigns"})
    campaigns = []
    for item in _list(earn["campaigns"], "earn.campaigns"):
        c = _fields(item, "campaign", _CAMPAIGN_KEYS)
        campaigns.append(
            Campaign(
                id=c["id"],
                name=c["name"],
                starts_at=_instant(c["starts_at"], "starts_at"),
                ends_at=_instant(c["ends_at"], "ends_at"),
                multiplier_permille=c["multiplier_permille"],
                bonus_points=c["bonus_points"],
                branches=_optional_names(c["branches"], "branches"),
                categories=_optional_names(c["categories"], "categories"),
                min_spend_satang=c["min_spend_satang"],
            )
        )
    tiers_obj = _fields(top["tiers"], "tiers", {"period_days", "tiers"})
    tiers = []
    for item in _list(tiers_obj["tiers"], "tiers.tiers"):
        t = _fields(item, "tier", {"code", "name_th", "name_en", "threshold_points", "multiplier_permille"})
        tiers.append(Tier(t["code"], t["name_th"], t["name_en"], t["threshold_points"], t["multiplier_permille"]))
    discount = _fields(top["discount"], "discount", {"satang_per_point", "min_points", "max_bill_fraction_permille"})
    expiry = _fields(top["expiry"], "expiry", {"months"})
    returns = _fields(top["returns"], "returns", {"restore_redeemed_points"})
    return RulesBundle(
        version=top["version"],
        earn=EarnRules(earn["satang_per_point"], earn["min_spend_satang"], tuple(campaigns)),
        tiers=TierPolicy(tuple(tiers), tiers_obj["period_days"]),
        discount=DiscountPolicy(
            discount["satang_per_point"], discount["min_points"], discount["max_bill_fraction_permille"]
        ),
        expiry=ExpiryPolicy(expiry["months"]),
        returns=ReturnPolicy(returns["restore_redeemed_points"]),
        currencies=_currencies_from_obj(top["currencies"]) if "currencies" in top else Currencies(),
    )
