"""The rules editor's form: a draft of the rules as typed (strings, stored as JSON), turned into a
``RulesBundle`` by the core's own constructors, with each refusal put beside the field it is about.

What the form edits: the earn rate and minimum spend, the tiers and their period, the campaigns (dates in
Bangkok time, branches, categories, multiplier, fixed bonus, minimum spend). Discount, expiry, returns and
currencies are carried over unchanged from the version the draft started from.

There is no second validation here. The form only turns text into the types the core takes (a baht amount by
``money.parse_amount``, a multiplier such as ``1.5`` into permille, a Bangkok date and time into a UTC instant);
whether the values make valid rules is decided by ``Campaign``, ``Tier``, ``TierPolicy``, ``EarnRules`` and
``RulesBundle``. To say *which* field a refusal is about, a failing object is rebuilt with one field at a time
from the form and the others from a known-good object: the field whose value alone is refused gets the core's
message; a refusal that no single field explains (an end before the start, a campaign that gives nothing,
two campaigns with one id) goes beside the row or the section.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _
from pos_app.core.money import format_amount, parse_amount
from pos_app.core.rules import (
    PERMILLE,
    Campaign,
    CategoryLine,
    EarnBreakdown,
    EarnRules,
    Purchase,
    RulesBundle,
    Tier,
    TierPolicy,
    points_for,
)

BANGKOK = timedelta(hours=7)
MAX_ROWS = 50
TIER_FIELDS = ("code", "name_th", "name_en", "threshold", "multiplier")
CAMPAIGN_FIELDS = ("id", "name", "starts", "ends", "multiplier", "bonus", "branches", "categories", "min_spend")

_GOOD_START = datetime(2000, 1, 1, tzinfo=UTC)
_GOOD_END = datetime(2999, 1, 1, tzinfo=UTC)
_GOOD_CAMPAIGN: dict[str, Any] = {"id": "x", "name": "x", "starts_at": _GOOD_START, "ends_at": _GOOD_END,
                                  "multiplier_permille": 2000, "bonus_points": 0, "branches": None,
                                  "categories": None, "min_spend_satang": 0}
_GOOD_TIER: dict[str, Any] = {"code": "x", "name_th": "x", "name_en": "x", "threshold_points": 0,
                              "multiplier_permille": PERMILLE}
# core argument -> form field
_CAMPAIGN_ARGS = {"id": "id", "name": "name", "starts_at": "starts", "ends_at": "ends",
                  "multiplier_permille": "multiplier", "bonus_points": "bonus", "branches": "branches",
                  "categories": "categories", "min_spend_satang": "min_spend"}
_TIER_ARGS = {"code": "code", "name_th": "name_th", "name_en": "name_en", "threshold_points": "threshold",
              "multiplier_permille": "multiplier"}


class _Bad(Exception):
    """A field's text is not of the kind asked for (not a number, not a date)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ------------------------------------------------------------------------------------------ text -> types

def _baht(text: str) -> int:
    try:
        return parse_amount(text)
    except RuleError as exc:
        raise _Bad(exc.message) from exc


def _whole(text: str) -> int:
    cleaned = text.strip().replace(",", "")
    if not re.fullmatch(r"-?\d{1,12}", cleaned):
        raise _Bad(_("Write a whole number, for example 1,000."))
    return int(cleaned)


def _multiplier(text: str) -> int:
    """``2``, ``x2``, ``×1.5``, ``1.25`` -> permille (2000, 1500, 1250); no floats."""
    cleaned = text.strip().lower().lstrip("x×").strip()
    found = re.fullmatch(r"(\d{1,3})(?:\.(\d{1,3}))?", cleaned)
    if not found:
        raise _Bad(_("Write a multiplier such as 2 or 1.5."))
    return int(found.group(1)) * PERMILLE + int((found.group(2) or "").ljust(3, "0"))


def _show_multiplier(permille: int) -> str:
    whole, part = divmod(permille, PERMILLE)
    return f"{whole}.{part:03d}".rstrip("0").rstrip(".")


def _bangkok(text: str) -> datetime:
    """A date and time in Bangkok as typed (``2026-12-01 09:00``, ``2026-12-01T09:00``, ``2026-12-01``)."""
    cleaned = text.strip().replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            local = datetime.strptime(cleaned, pattern)
        except ValueError:
            continue
        return (local - BANGKOK).replace(tzinfo=UTC)
    raise _Bad(_("Write a date and time such as 2026-12-01 09:00 (Bangkok time)."))


def show_bangkok(at: datetime) -> str:
    return (at.astimezone(UTC) + BANGKOK).strftime("%Y-%m-%dT%H:%M")


def _names(text: str) -> frozenset[str] | None:
    names = [n.strip() for n in re.split(r"[,\n]", text) if n.strip()]
    return frozenset(names) if names else None


# ------------------------------------------------------------------------------------------ the draft

def draft_from_bundle(bundle: RulesBundle) -> dict[str, Any]:
    """The form's text for an existing version (a new draft starts from the active rules)."""
    earn = bundle.earn
    return {
        "earn_baht": format_amount(earn.satang_per_point),
        "min_spend": format_amount(earn.min_spend_satang),
        "period_days": str(bundle.tiers.period_days),
        "tiers": [{"code": t.code, "name_th": t.name_th, "name_en": t.name_en, "threshold": str(t.threshold_points),
                   "multiplier": _show_multiplier(t.multiplier_permille)} for t in bundle.tiers.tiers],
        "campaigns": [{"id": c.id, "name": c.name, "starts": show_bangkok(c.starts_at), "ends": show_bangkok(c.ends_at),
                       "multiplier": _show_multiplier(c.multiplier_permille), "bonus": str(c.bonus_points),
                       "branches": ", ".join(sorted(c.branches or ())),
                       "categories": ", ".join(sorted(c.categories or ())),
                       "min_spend": format_amount(c.min_spend_satang)} for c in earn.campaigns],
    }


def draft_from_post(form: Mapping[str, str]) -> dict[str, Any]:
    """The form as posted: rows left wholly empty or ticked "remove" are dropped."""
    def rows(prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
        out = []
        for i in range(MAX_ROWS):
            row = {f: form.get(f"{prefix}-{i}-{f}", "").strip()[:500] for f in fields}
            if form.get(f"{prefix}-{i}-remove") or not any(row.values()):
                continue
            out.append(row)
        return out

    return {"earn_baht": form.get("earn_baht", "").strip()[:40], "min_spend": form.get("min_spend", "").strip()[:40],
            "period_days": form.get("period_days", "").strip()[:12],
            "tiers": rows("tier", TIER_FIELDS), "campaigns": rows("campaign", CAMPAIGN_FIELDS)}


@dataclass
class Checked:
    bundle: RulesBundle | None
    errors: dict[str, str]


def _isolate(make: Callable[..., Any], good: dict[str, Any], values: dict[str, Any], fields: dict[str, str],
             whole_key: str, errors: dict[str, str]) -> Any:
    """Build with the core constructor; on a refusal, find the fields whose value alone is refused
    (``fields``: constructor argument -> the form field's error key); else the refusal goes to ``whole_key``."""
    try:
        return make(**values)
    except RuleError as whole:
        found = False
        for arg, field_key in fields.items():
            try:
                make(**{**good, arg: values[arg]})
            except RuleError as alone:
                errors[field_key] = alone.message
                found = True
        if not found:
            errors[whole_key] = whole.message
        return None


def check(draft: Mapping[str, Any], base: RulesBundle, version: int,
          known_branches: frozenset[str] | None = None) -> Checked:
    """The draft as rules ``version`` (discount, expiry, returns and currencies from ``base``), or the
    refusals by field: ``earn_baht``, ``tier-2-multiplier``, ``campaign-0`` (the row), ``campaigns`` ..."""
    errors: dict[str, str] = {}

    def typed(key: str, text: str, parse: Callable[[str], Any], default: Any) -> Any:
        try:
            return parse(text)
        except _Bad as exc:
            errors[key] = exc.message
            return default

    campaigns = []
    for i, row in enumerate(draft.get("campaigns", [])):
        key = f"campaign-{i}"
        values = {
            "id": row.get("id", ""), "name": row.get("name", ""),
            "starts_at": typed(f"{key}-starts", row.get("starts", ""), _bangkok, None),
            "ends_at": typed(f"{key}-ends", row.get("ends", ""), _bangkok, None),
            "multiplier_permille": typed(f"{key}-multiplier", row.get("multiplier") or "1", _multiplier, None),
            "bonus_points": typed(f"{key}-bonus", row.get("bonus") or "0", _whole, None),
            "branches": _names(row.get("branches", "")), "categories": _names(row.get("categories", "")),
            "min_spend_satang": typed(f"{key}-min_spend", row.get("min_spend") or "0", _baht, None),
        }
        untyped = {k for k, v in values.items() if v is None and k not in ("branches", "categories")}
        good = dict(_GOOD_CAMPAIGN)
        try:  # messages about one field name the campaign by its own id when that id is itself valid
            Campaign(**{**good, "id": values["id"]})
            good["id"] = values["id"]
        except RuleError:
            pass
        # a field whose text is not even of the right kind (said beside it already) is checked as a good one
        campaign = _isolate(Campaign, good, {k: good[k] if k in untyped else v for k, v in values.items()},
                            {arg: f"{key}-{field}" for arg, field in _CAMPAIGN_ARGS.items() if arg not in untyped},
                            key, errors)
        unknown = sorted((values["branches"] or frozenset()) - known_branches) if known_branches is not None else []
        if unknown and f"{key}-branches" not in errors:  # the server knows its branches; the core does not
            errors[f"{key}-branches"] = _("No such branch: {codes}.").format(codes=", ".join(unknown))
        if campaign is not None and not untyped:
            campaigns.append(campaign)
    tiers = []
    for i, row in enumerate(draft.get("tiers", [])):
        key = f"tier-{i}"
        values = {"code": row.get("code", ""), "name_th": row.get("name_th", ""), "name_en": row.get("name_en", ""),
                  "threshold_points": typed(f"{key}-threshold", row.get("threshold", ""), _whole, None),
                  "multiplier_permille": typed(f"{key}-multiplier", row.get("multiplier") or "1", _multiplier, None)}
        untyped = {k for k, v in values.items() if v is None}
        tier = _isolate(Tier, _GOOD_TIER, {k: _GOOD_TIER[k] if k in untyped else v for k, v in values.items()},
                        {arg: f"{key}-{field}" for arg, field in _TIER_ARGS.items() if arg not in untyped}, key, errors)
        if tier is not None and not untyped:
            tiers.append(tier)
    satang_per_point = typed("earn_baht", draft.get("earn_baht", ""), _baht, None)
    min_spend = typed("min_spend", draft.get("min_spend") or "0", _baht, None)
    period = typed("period_days", draft.get("period_days", ""), _whole, None)
    earn = policy = None
    if satang_per_point is not None and min_spend is not None:
        earn = _isolate(EarnRules, {"satang_per_point": 2500, "min_spend_satang": 0, "campaigns": ()},
                        {"satang_per_point": satang_per_point, "min_spend_satang": min_spend,
                         "campaigns": tuple(campaigns)},
                        {"satang_per_point": "earn_baht", "min_spend_satang": "min_spend"}, "campaigns", errors)
    if period is not None:
        policy = _isolate(TierPolicy, {"tiers": (Tier(**_GOOD_TIER),), "period_days": 365},
                          {"tiers": tuple(tiers), "period_days": period}, {"period_days": "period_days"}, "tiers",
                          errors)
    for key in [k for k in errors if k.endswith("-multiplier")]:
        if "permille" in errors[key]:  # the core counts in permille; the form in times (1.5)
            errors[key] += " " + _("(In thousandths: 1000 means ×1, so the multiplier is at least 1.)")
    if errors or earn is None or policy is None:
        return Checked(None, errors)
    try:
        bundle = RulesBundle(version=version, earn=earn, tiers=policy, discount=base.discount, expiry=base.expiry,
                             returns=base.returns, currencies=base.currencies)
        bundle = RulesBundle.from_json(bundle.to_json())  # exactly what terminals will parse
    except RuleError as exc:
        return Checked(None, {"rules": exc.message})
    return Checked(bundle, {})


# ------------------------------------------------------------------------------------------ the preview

@dataclass
class Preview:
    draft: EarnBreakdown | None
    current: EarnBreakdown | None
    errors: dict[str, str]


def preview(params: Mapping[str, str], draft: RulesBundle | None, current: RulesBundle | None,
            now: datetime) -> Preview:
    """What one sample sale (amount, branch, category, tier, time) earns under the draft and under the active
    rules, by the same ``points_for`` the terminals and the server use."""
    errors: dict[str, str] = {}
    try:
        amount = parse_amount(params.get("amount", ""))
    except RuleError as exc:
        errors["amount"] = exc.message
        amount = 0
    at = now
    if params.get("at", "").strip():
        try:
            at = _bangkok(params["at"])
        except _Bad as exc:
            errors["at"] = exc.message
    branch = params.get("branch", "").strip()[:64] or None
    category = params.get("category", "").strip()[:200]
    tier = params.get("tier", "").strip()[:64] or None
    if errors:
        return Preview(None, None, errors)
    try:
        purchase = Purchase(amount_satang=amount, sale_at=at, branch_id=branch,
                            lines=(CategoryLine(category, amount),) if category else ())
    except RuleError as exc:
        return Preview(None, None, {"amount": exc.message})

    def earn(rules: RulesBundle | None) -> EarnBreakdown | None:
        if rules is None:
            return None
        try:
            return points_for(purchase, rules, tier)
        except RuleError as exc:  # a tier these rules do not have
            errors["tier"] = exc.message
            return None

    return Preview(earn(draft), earn(current), errors)
