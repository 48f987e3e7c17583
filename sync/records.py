"""The one definition of a sync record: its fields, its kinds and who may create them, its limits, its canonical
JSON, its content hash and its time format. Standard library only.

Every party that makes, stores, hashes or checks a record uses this module and nothing else for those things:
the terminal's ledger (``pos_app.ledger``), the sync client, the wire types (``sync.protocol`` builds its
pydantic models from :data:`ENTRY_FIELDS` and :data:`MEMBER_FIELDS`) and the central server. It imports nothing
of ours, so the ledger can use it without pulling in the sync client or the server (see the import contracts in
``pyproject.toml``). ``docs/sync-protocol.md`` reproduces the kinds table and the limits.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

# --------------------------------------------------------------------------------------------- limits

MAX_ENTRY_POINTS = 100_000_000
"""No entry moves more points than this, in either direction (one hundred million)."""
MAX_BALANCE_POINTS = 100_000_000
"""No member's balance goes above this or below its negative; an entry that would take it there is refused."""
MAX_SATANG = 100_000_000_000
"""The largest amount one entry or line may carry: ฿1,000,000,000.00."""
MIN_YEAR, MAX_YEAR = 2000, 2199
"""Sale times outside these years are refused (a counter whose clock was reset to 1970 says so at once)."""
INT64_MAX = 2**63 - 1
"""What both databases can store: the wire accepts any 64-bit integer so that an out-of-limit record from an
old or hostile terminal can be received and quarantined instead of blocking that terminal's queue."""

SERVER_TERMINAL_ID = "server"
"""``terminal_id`` of entries the server itself creates (overdrafts, compensations, merges, adjustments)."""

# --------------------------------------------------------------------------------------------- time

_TIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$")
TIME_EXAMPLE = "2026-11-23T08:15:00.123Z"


def format_utc(value: datetime) -> str:
    """The one time format of records and of the protocol: UTC, milliseconds, ``Z`` (:data:`TIME_EXAMPLE`)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def parse_utc(text: str) -> datetime:
    """Parse a timestamp in exactly the form :func:`format_utc` writes; ValueError for anything else (another
    offset, missing milliseconds, microseconds, a year outside MIN_YEAR..MAX_YEAR). Canonical on the way in,
    so a record's hash never depends on how a timestamp was spelled."""
    if not isinstance(text, str):
        raise ValueError("a timestamp is a string")
    match = _TIME_RE.match(text)
    if match is None:
        raise ValueError(f"timestamps are written like {TIME_EXAMPLE} (UTC, milliseconds)")
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"the year {year} is outside {MIN_YEAR}..{MAX_YEAR}")
    try:
        return datetime(year, int(match.group(2)), int(match.group(3)), int(match.group(4)), int(match.group(5)),
                        int(match.group(6)), int(match.group(7)) * 1000, tzinfo=UTC)
    except ValueError as exc:
        raise ValueError(f"not a date: {text}") from exc


def ms_to_iso(ms: int) -> str:
    """Milliseconds since the epoch -> the record time format."""
    return datetime.fromtimestamp(ms // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def iso_to_ms(text: str) -> int:
    """A record time (canonical, see :func:`parse_utc`) -> milliseconds since the epoch."""
    return dt_to_ms(parse_utc(text))


def dt_to_ms(value: datetime) -> int:
    if value.tzinfo is None:
        raise ValueError("timestamp without a time zone")
    return int(value.replace(microsecond=0).timestamp()) * 1000 + value.microsecond // 1000


def ms_to_dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms // 1000, UTC).replace(microsecond=(ms % 1000) * 1000)


# --------------------------------------------------------------------------------------------- canonical JSON


def canonical_json(data: Any) -> str:
    """The canonical text that is hashed and stored: sorted keys, compact separators, no ASCII escaping."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_RECORD = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def record_json(record: Any) -> str:
    """:func:`canonical_json` of a record, about seven times faster: CPU the server spends on each record of an
    upload. A record holds the protocol's values only (text, integers, booleans, null, and lists and objects of
    them: the wire models are strict and have no floats), and for those orjson writes the text the standard library
    writes, every character included (tests hold it to that). What orjson refuses (an integer past 64 bits, a lone
    surrogate, a key that is not text, a date) goes to :func:`canonical_json`, which writes it or fails as before.
    Not for values outside a record's kinds: orjson writes some floats, NaN, UUIDs and enums differently."""
    try:
        return orjson.dumps(record, option=_RECORD).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return canonical_json(record)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(record: dict[str, Any]) -> str:
    """Hex SHA-256 of the canonical JSON of ``record`` without its own ``content_hash`` key."""
    return sha256_hex(record_json({k: v for k, v in record.items() if k != "content_hash"}))


# --------------------------------------------------------------------------------------------- fields

ENTRY_FIELDS: dict[str, str] = {
    # name: value type (protocol.py maps each type to its wire validation)
    "id": "uuid",
    "terminal_id": "terminal_id",
    "seq": "seq",
    "member_id": "uuid",
    "kind": "kind",
    "points": "int64",
    "amount_satang": "int64?",
    "receipt_ref": "text200?",
    "reward_code": "code64?",
    "corrects_id": "uuid?",
    "rules_version": "version?",
    "tier_code": "code32?",
    "lines": "lines",
    "sale_at": "time",
    "clock_offset_ms": "offset_ms",
    "operator_id": "code64?",
    "approved_by": "code64?",
    "reason": "text500?",
    "offline": "bool",
    "reservation_id": "uuid?",
}
"""The fields of a points entry, in wire order (a record also carries ``content_hash``). Every one of them is
present in every entry (null when empty): record format 1, as the first terminals wrote it."""

ENTRY_OPTIONAL_FIELDS: dict[str, str] = {
    "currency": "currency",
    "amount_minor": "int64",
    "fx_rate": "decimal",
    "voucher_id": "voucher_id",
    "points_factor": "factor",
}
"""Fields added to entries after format 1 (record format 2). An optional field is **absent** from a record that
has no value for it, never null: it is left out of the record, of its canonical JSON and so of its content
hash. So an entry without them hashes exactly as format-1 code hashed it (the millions of hashed, chained
entries already on terminals and on the server stay valid, and a terminal that never writes them keeps
working), and a new field is added the same way: optional, omitted when absent.

The three belong together (all present or all absent): a sale paid in another currency than THB keeps
``currency`` (ISO 4217, never ``THB``), ``amount_minor`` (the amount in that currency's minor units) and
``fx_rate`` (THB per one unit, the exact decimal text of the rules); ``amount_satang`` is then the THB
equivalent (``pos_app.core.currency``), from which points are computed as for any sale.

``voucher_id`` and ``points_factor`` also belong together, on an ``earn`` only: a points-multiplier voucher used
with the sale (``pos_app.core.vouchers``, benefit ``X2``..``X10``); ``points`` is the sale's points times the
factor (``pos_app.core.rules.points_for(..., factor=)``), and the server checks the factor against the voucher
it issued."""
CURRENCY_FIELDS = ("currency", "amount_minor", "fx_rate")
VOUCHER_FIELDS = ("voucher_id", "points_factor")
VOUCHER_ID_RE = re.compile(r"^[A-Z0-9]{1,24}$")
MAX_POINTS_FACTOR = 10

HOME_CURRENCY = "THB"
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
FX_RATE_RE = re.compile(r"^(?:0|[1-9][0-9]{0,8})(?:\.[0-9]{1,12})?$")
"""The text of a rate to THB: a plain decimal, at most 9 digits before the point and 12 after (no sign, no
exponent, no leading zeros), so that equal rates are spelled alike."""

MEMBER_FIELDS: dict[str, str] = {
    "id": "uuid",
    "card_no": "card_no",
    "name": "text200",
    "phone": "phone?",
    "tier": "code32",
    "consent": "bool",
    "created_at": "time",
    "terminal_id": "terminal_id",
}
"""The fields of a member enrolled on a terminal."""

AUDIT_FIELDS: dict[str, str] = {
    "id": "uuid",
    "terminal_id": "terminal_id",
    "staff_id": "code64?",
    "event": "audit_event",
    "purpose": "audit_purpose?",
    "at": "time",
    "details": "details",
}
"""The fields of a security event on a terminal (a wrong PIN, a lockout, an approval, ...)."""
CONSENT_FIELDS: dict[str, str] = {
    "id": "uuid",
    "terminal_id": "terminal_id",
    "member_id": "uuid",
    "purpose": "consent_purpose",
    "granted": "bool",
    "text_version": "code32",
    "at": "time",
    "branch_id": "code64?",
    "staff_id": "code64?",
}
"""A member's consent for one purpose, as given or withdrawn at a counter (PDPA, docs/privacy.md): the consent
text version the member was shown, when, and where (terminal, branch, cashier). Records are appended, never
changed: the newest record of a purpose is the member's current choice."""
CONSENT_PURPOSES = ("loyalty", "marketing")

AUDIT_EVENTS = ("pin_failed", "pin_lockout", "pin_unlocked", "pin_changed", "pin_reset", "approval",
                "self_approval_refused")
AUDIT_PURPOSES = ("sign_in", "approval")

_ENTRY_DEFAULTS: dict[str, Any] = {name: ([] if kind == "lines" else False if kind == "bool"
                                          else 0 if kind == "offset_ms" else None)
                                   for name, kind in ENTRY_FIELDS.items()}


def entry_record(**values: Any) -> dict[str, Any]:
    """An entry record with every field (missing nullable ones at their empty value), the optional fields that
    have a value (:data:`ENTRY_OPTIONAL_FIELDS`: absent when None) and its content hash. The one place an
    entry's wire form is assembled, on the terminal and on the server."""
    unknown = set(values) - set(ENTRY_FIELDS) - set(ENTRY_OPTIONAL_FIELDS)
    if unknown:
        raise TypeError(f"not entry fields: {sorted(unknown)}")
    record = {name: values.get(name, _ENTRY_DEFAULTS[name]) for name in ENTRY_FIELDS}
    for name in ENTRY_OPTIONAL_FIELDS:
        if values.get(name) is not None:
            record[name] = values[name]
    for name in ("id", "terminal_id", "seq", "member_id", "kind", "points", "sale_at"):
        if record[name] is None:
            raise TypeError(f"an entry needs {name}")
    record["lines"] = [{"category": c, "amount_satang": a} for c, a in map(_line_pair, record["lines"])]
    record["content_hash"] = content_hash(record)
    return record


def omit_absent(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` without the optional fields whose value is None (how a wire model with every field declared
    turns back into the record that was hashed)."""
    if all(record.get(name, 0) is not None for name in ENTRY_OPTIONAL_FIELDS):
        return record
    return {k: v for k, v in record.items() if not (k in ENTRY_OPTIONAL_FIELDS and v is None)}


def _line_pair(line: Any) -> tuple[str, int]:
    if isinstance(line, dict):
        return line["category"], line["amount_satang"]
    category, amount = line
    return category, amount


def _full_record(fields: dict[str, str], what: str, values: dict[str, Any]) -> dict[str, Any]:
    missing = set(fields) - set(values)
    unknown = set(values) - set(fields)
    if missing or unknown:
        raise TypeError(f"{what} fields missing {sorted(missing)} / unknown {sorted(unknown)}")
    record = {name: values[name] for name in fields}
    record["content_hash"] = content_hash(record)
    return record


def member_record(**values: Any) -> dict[str, Any]:
    """A member record with every field and its content hash."""
    return _full_record(MEMBER_FIELDS, "member", values)


ERASED_NAME = ""
"""The name of a member whose personal data was erased (PDPA erasure, docs/privacy.md): the empty name and no
phone. The member record keeps its pseudonymous id, card number, tier, consent flag, creation time and terminal
(what balances, reports and the refusal of an erased card need) and gets a new content hash."""


def erased_member_record(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` (a member record) with its personal data erased and its content hash recomputed. Every party
    that erases (terminal, server) derives the same record from the same original."""
    return member_record(**{name: record[name] for name in MEMBER_FIELDS} | {"name": ERASED_NAME, "phone": None})


def is_erased_member_record(record: dict[str, Any]) -> bool:
    """Whether a member record is in the erased form (:func:`erased_member_record`)."""
    return record.get("name") == ERASED_NAME and record.get("phone") is None


def consent_record(**values: Any) -> dict[str, Any]:
    """A consent record with every field and its content hash."""
    return _full_record(CONSENT_FIELDS, "consent", values)


def audit_record(**values: Any) -> dict[str, Any]:
    """An audit record with every field and its content hash."""
    return _full_record(AUDIT_FIELDS, "audit", values)


# --------------------------------------------------------------------------------------------- kinds

TERMINAL, SERVER, ADMIN = "terminal", "server", "admin"
TAKEOVER = "takeover"
"""A standalone terminal's records made before it joined the chain (the server takes them over as recorded)."""


@dataclass(frozen=True)
class KindRule:
    kind: str
    creators: frozenset[str]
    sign: str
    """``+`` (> 0), ``-`` (< 0), ``>=0``, ``any`` (non-zero), ``opposite`` (of the entry it corrects)."""
    corrects: str
    """``required``, ``optional`` or ``none``: whether ``corrects_id`` names an earlier entry."""
    server_checks: str
    """What the server recomputes or verifies before a terminal's record of this kind moves a balance."""


KINDS: dict[str, KindRule] = {rule.kind: rule for rule in (
    KindRule("earn", frozenset({TERMINAL, TAKEOVER}), ">=0", "none",
             "points recomputed from amount, lines, rules version, branch and the tier the server knows for the "
             "member at sale time; points above that are taken back by a compensating reverse and flagged "
             "points_mismatch (fewer points are only flagged)"),
    KindRule("redeem", frozenset({TERMINAL, TAKEOVER}), "-", "none",
             "a reward's cost is the reward's price on the server: a redemption charged below it is charged the "
             "difference by a compensating adjust and flagged reward_price_mismatch; offline redemptions are "
             "checked against the offline policy (allowance_exceeded) and a shortfall becomes an overdraft"),
    KindRule("reverse", frozenset({TERMINAL, SERVER, TAKEOVER}), "opposite", "required",
             "the corrected entry must be held for the same member; all reverses of one entry together never "
             "exceed it; a return's clawback is recomputed from the original receipt (returns rule) and a "
             "clawback below it is completed by a compensating reverse"),
    KindRule("adjust", frozenset({TERMINAL, SERVER, ADMIN, TAKEOVER}), "any", "optional",
             "the approver (approved_by) must be an active manager the server knows for the terminal's branch"),
    KindRule("expire", frozenset({SERVER, TAKEOVER}), "-", "required",
             "server only (enrolled terminals receive the server's expiry); a standalone terminal's own expiries "
             "made before it joined the chain are taken over when they take at most what is left of the grant"),
    KindRule("overdraft", frozenset({SERVER}), "+", "required",
             "server only: written when an offline redemption the counter honoured exceeds the balance"),
)}
ENTRY_KINDS: tuple[str, ...] = tuple(KINDS)


@dataclass(frozen=True)
class Problem:
    """Why a record cannot move a balance: a stable ``code`` and an English ``detail``."""

    code: str
    detail: str


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_points(points: Any, *, what: str = "points") -> Problem | None:
    """The entry limit, for every place a points value enters (CLI, window, admin CLI and API, the protocol)."""
    if not _is_int(points):
        return Problem("bad_points", f"{what} must be a whole number")
    if abs(points) > MAX_ENTRY_POINTS:
        return Problem("points_out_of_range", f"{what} must be between -{MAX_ENTRY_POINTS:,} and "
                                              f"{MAX_ENTRY_POINTS:,}")
    return None


def check_balance(balance: int) -> Problem | None:
    if abs(balance) > MAX_BALANCE_POINTS:
        return Problem("balance_out_of_range", f"the balance would be {balance:,} points; a balance stays within "
                                               f"-{MAX_BALANCE_POINTS:,}..{MAX_BALANCE_POINTS:,}")
    return None


def check_currency_fields(record: dict[str, Any]) -> Problem | None:
    """The foreign-currency fields of an entry (:data:`ENTRY_OPTIONAL_FIELDS`): all or none; a currency code
    other than THB, a whole non-negative amount in minor units, a rate in the canonical decimal form, and the
    THB equivalent beside them (only on ``earn`` and ``reverse`` entries, which carry a sale's amount)."""
    present = [name for name in CURRENCY_FIELDS if record.get(name) is not None]
    if not present:
        return None
    if len(present) != len(CURRENCY_FIELDS):
        return Problem("currency_incomplete", "currency, amount_minor and fx_rate come together")
    if record.get("kind") not in ("earn", "reverse") or record.get("amount_satang") is None:
        return Problem("currency_not_allowed", "only a sale (earn) or its return (reverse) with an amount "
                                               "carries a currency")
    code, minor, rate = record["currency"], record["amount_minor"], record["fx_rate"]
    if not isinstance(code, str) or not _CURRENCY_RE.match(code) or code == HOME_CURRENCY:
        return Problem("bad_currency", f"currency is an ISO 4217 code other than {HOME_CURRENCY}")
    if not _is_int(minor) or not 0 <= minor <= INT64_MAX:
        return Problem("amount_out_of_range", "amount_minor is a whole number of minor units, 0 or more")
    if not isinstance(rate, str) or not FX_RATE_RE.match(rate) or not rate.strip("0."):
        return Problem("bad_fx_rate", "fx_rate is a positive decimal such as 35.12")
    return None


def check_voucher_fields(record: dict[str, Any]) -> Problem | None:
    """A points-multiplier voucher on an entry (:data:`VOUCHER_FIELDS`): both or neither, only on an ``earn``, a
    voucher id as the chain issues them and a whole factor from 2 to 10."""
    present = [name for name in VOUCHER_FIELDS if record.get(name) is not None]
    if not present:
        return None
    if len(present) != len(VOUCHER_FIELDS):
        return Problem("voucher_incomplete", "voucher_id and points_factor come together")
    if record.get("kind") != "earn":
        return Problem("voucher_not_allowed", "only a sale (earn) carries a points-multiplier voucher")
    voucher_id, factor = record["voucher_id"], record["points_factor"]
    if not isinstance(voucher_id, str) or not VOUCHER_ID_RE.match(voucher_id):
        return Problem("bad_voucher_id", "voucher_id is 1 to 24 capital letters and digits")
    if not _is_int(factor) or not 2 <= factor <= MAX_POINTS_FACTOR:
        return Problem("bad_points_factor", f"points_factor is a whole number from 2 to {MAX_POINTS_FACTOR}")
    return None


def check_entry(record: dict[str, Any], creator: str, *, time_checked: bool = False) -> Problem | None:
    """The first problem of ``record`` as an entry made by ``creator`` (``terminal``, ``server``, ``admin``)
    judged on its own (kind, creator, sign, limits, time); None when it passes. What needs the database (the
    corrected entry, the rules, the reward's price, the approver) is checked by the server. ``time_checked``:
    ``sale_at`` was already parsed by :func:`parse_utc` (the server's wire models do it at the door)."""
    rule = KINDS.get(record.get("kind"))  # type: ignore[arg-type]
    if rule is None:
        return Problem("unknown_kind", f"unknown entry kind {record.get('kind')!r}")
    if creator not in rule.creators:
        return Problem("kind_not_allowed", f"a {creator} may not create {rule.kind} entries "
                                           f"(created by: {', '.join(sorted(rule.creators))})")
    points = record.get("points")
    problem = check_points(points)
    if problem:
        return problem
    assert isinstance(points, int)
    if (rule.sign == ">=0" and points < 0) or (rule.sign == "-" and points >= 0) \
            or (rule.sign == "+" and points <= 0) or (rule.sign in ("any", "opposite") and points == 0):
        return Problem("wrong_sign", f"{rule.kind} entries have points {rule.sign}, not {points}")
    if rule.corrects == "required" and not record.get("corrects_id"):
        return Problem("corrects_missing", f"a {rule.kind} entry names the entry it corrects")
    if rule.corrects == "none" and record.get("corrects_id"):
        return Problem("corrects_not_allowed", f"a {rule.kind} entry corrects no other entry")
    amounts = [record.get("amount_satang")] + [line["amount_satang"] if isinstance(line, dict) else line.amount_satang
                                               for line in record.get("lines") or ()]
    for amount in amounts:
        if amount is not None and (not _is_int(amount) or not 0 <= amount <= MAX_SATANG):
            return Problem("amount_out_of_range", f"amounts are 0..{MAX_SATANG:,} satang")
    if rule.kind == "earn" and amounts[0] is None:
        return Problem("amount_missing", "an earn entry carries the sale amount")
    problem = check_currency_fields(record) or check_voucher_fields(record)
    if problem is not None:
        return problem
    if not time_checked:
        try:
            parse_utc(record.get("sale_at"))  # type: ignore[arg-type]
        except ValueError as exc:
            return Problem("bad_time", f"sale_at: {exc}")
    return None
