"""The one record definition (sync/records.py): fields, kinds table, limits, canonical JSON, hash and time."""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from pos_app.ledger.repository import CONTRA_ACCOUNTS
from sync import protocol as p
from sync import records as rec


def _entry(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {"id": str(uuid.uuid4()), "terminal_id": "BKK01-ABC", "seq": 1,
                                 "member_id": str(uuid.uuid4()), "kind": "earn", "points": 4,
                                 "amount_satang": 10_000, "rules_version": 1, "sale_at": "2026-11-23T08:15:00.123Z"}
    values.update(overrides)
    return rec.entry_record(**values)


def test_the_wire_models_are_built_from_the_record_fields() -> None:
    assert list(p.Entry.model_fields) == [*rec.ENTRY_FIELDS, "content_hash", *rec.ENTRY_OPTIONAL_FIELDS]
    assert list(p.Member.model_fields) == [*rec.MEMBER_FIELDS, "content_hash"]
    assert list(p.AuditRecord.model_fields) == [*rec.AUDIT_FIELDS, "content_hash"]
    assert set(CONTRA_ACCOUNTS) == set(rec.KINDS)  # the ledger books every kind


def test_an_entry_record_has_every_field_and_a_hash_the_wire_model_verifies() -> None:
    record = _entry(lines=[("food", 6_000), ("drink", 4_000)])
    assert list(record) == [*rec.ENTRY_FIELDS, "content_hash"]
    assert record["lines"] == [{"category": "food", "amount_satang": 6_000},
                               {"category": "drink", "amount_satang": 4_000}]
    assert record["content_hash"] == rec.content_hash(record)
    assert p.Entry.model_validate(record).hash_ok()
    with pytest.raises(TypeError, match="not entry fields: \\['colour'\\]"):
        rec.entry_record(colour="red")
    with pytest.raises(TypeError, match="an entry needs sale_at"):
        rec.entry_record(id="x", terminal_id="t", seq=1, member_id="m", kind="earn", points=1)


@given(st.integers(min_value=946_684_800_000, max_value=7_258_118_399_999))  # 2000-01-01 .. 2199-12-31
def test_time_round_trips_through_the_one_canonical_form(ms: int) -> None:
    text = rec.ms_to_iso(ms)
    assert rec.iso_to_ms(text) == ms
    assert rec.format_utc(rec.parse_utc(text)) == text
    assert len(text) == len(rec.TIME_EXAMPLE)


@pytest.mark.parametrize("text", ["2026-11-23T08:15:00Z", "2026-11-23T08:15:00.123+00:00",
                                  "2026-11-23T08:15:00.123456Z", "2026-11-23 08:15:00.123Z", "0001-01-01T00:00:00.000Z",
                                  "2026-02-30T00:00:00.000Z", "", "2026-11-23T08:15:00.123z"])
def test_a_non_canonical_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="timestamps are written like|outside|not a date"):
        rec.parse_utc(text)


KIND_SIGNS = {"earn": (0, 5), "redeem": (-5,), "reverse": (-5, 5), "adjust": (-5, 5), "expire": (-5,),
              "overdraft": (5,)}


@pytest.mark.parametrize("kind", list(rec.KINDS))
@given(points=st.integers(min_value=-rec.MAX_ENTRY_POINTS, max_value=rec.MAX_ENTRY_POINTS))
def test_the_sign_of_each_kind(kind: str, points: int) -> None:
    rule = rec.KINDS[kind]
    creator = sorted(rule.creators)[0]
    problem = rec.check_entry(_entry(kind=kind, points=points, corrects_id=str(uuid.uuid4())
                                     if rule.corrects == "required" else None), creator)
    allowed = {">=0": points >= 0, "-": points < 0, "+": points > 0}.get(rule.sign, points != 0)
    assert (problem is None) == allowed, (kind, points, problem)
    if not allowed:
        assert problem is not None and problem.code == "wrong_sign"


@pytest.mark.parametrize(("kind", "creator", "ok"), [
    ("earn", "terminal", True), ("earn", "server", False), ("expire", "terminal", False), ("expire", "server", True),
    ("overdraft", "terminal", False), ("adjust", "admin", True), ("redeem", "admin", False)])
def test_who_may_create_each_kind(kind: str, creator: str, ok: bool) -> None:
    points = {"earn": 4, "expire": -4, "overdraft": 4, "adjust": 4, "redeem": -4}[kind]
    problem = rec.check_entry(_entry(kind=kind, points=points, corrects_id=str(uuid.uuid4())
                                     if rec.KINDS[kind].corrects == "required" else None), creator)
    assert (problem is None) == ok
    if not ok:
        assert problem is not None and problem.code == "kind_not_allowed"


@pytest.mark.parametrize(("overrides", "code"), [
    ({"points": rec.MAX_ENTRY_POINTS + 1}, "points_out_of_range"),
    ({"points": -(2**62), "kind": "adjust"}, "points_out_of_range"),
    ({"points": True}, "bad_points"),
    ({"amount_satang": rec.MAX_SATANG + 1}, "amount_out_of_range"),
    ({"amount_satang": -1}, "amount_out_of_range"),
    ({"amount_satang": None}, "amount_missing"),
    ({"sale_at": "2026-11-23T08:15:00Z"}, "bad_time"),
    ({"kind": "gift"}, "unknown_kind"),
    ({"kind": "reverse", "points": -4}, "corrects_missing"),
    ({"corrects_id": str(uuid.uuid4())}, "corrects_not_allowed"),
])
def test_each_limit_is_refused_by_its_code(overrides: dict[str, object], code: str) -> None:
    problem = rec.check_entry(_entry(**overrides), "terminal")
    assert problem is not None and problem.code == code, problem


def test_balances_are_bounded_both_ways() -> None:
    assert rec.check_balance(rec.MAX_BALANCE_POINTS) is None
    assert rec.check_balance(-rec.MAX_BALANCE_POINTS) is None
    over = rec.check_balance(rec.MAX_BALANCE_POINTS + 1)
    assert over is not None and over.code == "balance_out_of_range" and "100,000,001" in over.detail


def test_canonical_json_is_sorted_compact_and_keeps_thai() -> None:
    assert rec.canonical_json({"b": 1, "a": "สมชาย"}) == '{"a":"สมชาย","b":1}'


def _stdlib_form(data: object) -> str:
    """The form every stored hash was made with (the standard library's encoder, :func:`rec.canonical_json`)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=12)


@given(_json_values)
def test_a_records_text_is_the_standard_librarys_for_any_value_a_record_may_hold(data: object) -> None:
    """A hash made at a counter must match the server's, and every hash stored so far, for any text: control
    characters, quotes, Thai, emoji, and integers of any size (orjson refuses those past 64 bits; the standard
    library writes them). A record holds no floats (the wire models are strict)."""
    assert rec.record_json(data) == _stdlib_form(data)


def test_an_ordinary_record_is_written_without_the_standard_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path serves every record a counter makes (the fallback would give the same text, 7x slower)."""
    record = rec.entry_record(id=str(uuid.uuid4()), terminal_id="T1", seq=1, member_id=str(uuid.uuid4()),
                              kind="earn", points=4, sale_at="2026-01-01T00:00:00.000Z", amount_satang=10_000,
                              rules_version=1, tier_code="member", receipt_ref="R1", lines=[])
    expected = _stdlib_form({k: v for k, v in record.items() if k != "content_hash"})

    def refuse(*_args: object, **_kwargs: object) -> str:
        raise AssertionError("the standard library's encoder was used")

    monkeypatch.setattr(rec.json, "dumps", refuse)
    assert rec.content_hash(record) == record["content_hash"]
    assert rec.record_json({k: v for k, v in record.items() if k != "content_hash"}) == expected


def test_a_records_text_writes_every_character_as_the_standard_library_does() -> None:
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for start in range(0, len(everything), 4096):
        chunk = everything[start:start + 4096]
        assert rec.record_json({chunk: chunk}) == _stdlib_form({chunk: chunk})


def test_what_orjson_refuses_is_written_or_refused_as_before() -> None:
    for data in ({"n": 2**64}, {"n": -(2**63) - 1}, {1: "a"},
                 {"z": [2**64, "ส้ม"], "a": {"y": 1, "b": [2, 3]}}):  # sorted, compact, Thai kept
        assert rec.record_json(data) == _stdlib_form(data)
    for data in ({"t": datetime(2026, 1, 1, tzinfo=UTC)}, {"s": "\ud800"}):
        with pytest.raises((TypeError, UnicodeEncodeError)):
            rec.sha256_hex(rec.record_json(data))
    assert rec.format_utc(datetime(2026, 11, 23, 8, 15, 0, 123_999, tzinfo=UTC)) == "2026-11-23T08:15:00.123Z"


def test_member_and_audit_records_have_every_field_and_a_hash_the_wire_model_verifies() -> None:
    member = rec.member_record(id=str(uuid.uuid4()), card_no="8000000000000009", name="สมศรี ใจดี",
                               phone="0812345678", tier="member", consent=True, created_at=rec.TIME_EXAMPLE,
                               terminal_id="BKK01-ABC")
    assert list(member) == [*rec.MEMBER_FIELDS, "content_hash"] and member["name"] == "สมศรี ใจดี"
    assert member["content_hash"] == rec.content_hash(member) and p.Member.model_validate(member).hash_ok()
    audit = rec.audit_record(id=str(uuid.uuid4()), terminal_id="BKK01-ABC", staff_id="cashier-1",
                             event="pin_failed", purpose="sign_in", at=rec.TIME_EXAMPLE, details={"failures": 3})
    assert list(audit) == [*rec.AUDIT_FIELDS, "content_hash"] and audit["details"] == {"failures": 3}
    assert audit["content_hash"] == rec.content_hash(audit) and p.AuditRecord.model_validate(audit).hash_ok()
    with pytest.raises(TypeError, match=re.escape("member fields missing ['phone', 'tier'] / unknown ['colour']")):
        rec.member_record(**{k: v for k, v in member.items() if k not in ("phone", "tier", "content_hash")},
                          colour="red")
    with pytest.raises(TypeError, match=re.escape("audit fields missing ['details'] / unknown []")):
        rec.audit_record(**{k: v for k, v in audit.items() if k not in ("details", "content_hash")})


def test_lines_given_as_mappings_are_kept() -> None:
    record = _entry(lines=[{"category": "food", "amount_satang": 6_000}, ("drink", 4_000)])
    assert record["lines"] == [{"category": "food", "amount_satang": 6_000},
                               {"category": "drink", "amount_satang": 4_000}]


def test_a_line_amount_out_of_range_is_refused_as_the_terminal_and_the_server_see_it() -> None:
    bad = _entry(lines=[("food", 6_000), ("drink", -1)])
    expected = rec.Problem("amount_out_of_range", f"amounts are 0..{rec.MAX_SATANG:,} satang")
    assert rec.check_entry(bad, "terminal") == expected  # the record as the terminal builds it (lines as dicts)
    wire = p.Entry.model_validate(bad)  # the server checks the wire model's fields (lines as Line objects)
    assert rec.check_entry(wire.__dict__, "terminal", time_checked=True) == expected
    good = p.Entry.model_validate(_entry(lines=[("food", 0), ("drink", rec.MAX_SATANG)]))
    assert rec.check_entry(good.__dict__, "terminal", time_checked=True) is None


@pytest.mark.parametrize(("overrides", "creator", "problem"), [
    ({"points": rec.MAX_ENTRY_POINTS + 1}, "terminal",
     rec.Problem("points_out_of_range", "points must be between -100,000,000 and 100,000,000")),
    ({"points": True}, "terminal", rec.Problem("bad_points", "points must be a whole number")),
    ({"amount_satang": rec.MAX_SATANG + 1}, "terminal",
     rec.Problem("amount_out_of_range", "amounts are 0..100,000,000,000 satang")),
    ({"amount_satang": None}, "terminal", rec.Problem("amount_missing", "an earn entry carries the sale amount")),
    ({"sale_at": "2026-11-23T08:15:00Z"}, "terminal", rec.Problem(
        "bad_time", "sale_at: timestamps are written like 2026-11-23T08:15:00.123Z (UTC, milliseconds)")),
    ({"kind": "gift"}, "terminal", rec.Problem("unknown_kind", "unknown entry kind 'gift'")),
    ({"kind": "expire", "points": -4, "corrects_id": str(uuid.UUID(int=1))}, "terminal",
     rec.Problem("kind_not_allowed", "a terminal may not create expire entries (created by: server, takeover)")),
    ({"kind": "adjust", "points": 4}, "nobody",
     rec.Problem("kind_not_allowed", "a nobody may not create adjust entries (created by: admin, server, takeover, terminal)")),
    ({"kind": "redeem", "points": 0}, "terminal", rec.Problem("wrong_sign", "redeem entries have points -, not 0")),
    ({"kind": "reverse", "points": -4}, "terminal",
     rec.Problem("corrects_missing", "a reverse entry names the entry it corrects")),
    ({"corrects_id": str(uuid.UUID(int=1))}, "terminal",
     rec.Problem("corrects_not_allowed", "a earn entry corrects no other entry")),
])
def test_each_problem_says_why_in_its_detail(overrides: dict[str, object], creator: str,
                                             problem: rec.Problem) -> None:
    assert rec.check_entry(_entry(**overrides), creator) == problem


@pytest.mark.parametrize(("kind", "ok", "refused"), [
    ("earn", 0, -1), ("redeem", -1, 0), ("overdraft", 1, 0), ("expire", -1, 0), ("adjust", 1, 0), ("reverse", -1, 0)])
def test_the_sign_of_each_kind_at_its_boundary(kind: str, ok: int, refused: int) -> None:
    rule = rec.KINDS[kind]
    corrects = str(uuid.UUID(int=1)) if rule.corrects == "required" else None
    creator = sorted(rule.creators)[0]
    assert rec.check_entry(_entry(kind=kind, points=ok, corrects_id=corrects), creator) is None
    assert rec.check_entry(_entry(kind=kind, points=refused, corrects_id=corrects), creator) == rec.Problem(
        "wrong_sign", f"{kind} entries have points {rule.sign}, not {refused}")


def test_the_years_a_sale_time_may_carry() -> None:
    assert rec.parse_utc("2199-12-31T23:59:59.999Z") == datetime(2199, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
    assert rec.parse_utc("2000-01-01T00:00:00.000Z") == datetime(2000, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match=re.escape("the year 2200 is outside 2000..2199")):
        rec.parse_utc("2200-01-01T00:00:00.000Z")
    with pytest.raises(ValueError, match=re.escape("the year 1999 is outside 2000..2199")):
        rec.parse_utc("1999-12-31T23:59:59.999Z")
    with pytest.raises(ValueError, match="^a timestamp is a string$"):
        rec.parse_utc(1_795_000_000_000)  # type: ignore[arg-type]


def test_record_times_are_utc_on_a_counter_in_bangkok(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Bangkok")
    time.tzset()
    try:
        assert rec.ms_to_iso(1_795_000_000_123) == "2026-11-18T11:06:40.123Z"
        assert rec.ms_to_dt(1_795_000_000_123) == datetime(2026, 11, 18, 11, 6, 40, 123000, tzinfo=UTC)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_milliseconds_are_whole_numbers() -> None:
    ms = rec.iso_to_ms("2026-11-18T11:06:40.123Z")
    assert ms == 1_795_000_000_123 and type(ms) is int
    with pytest.raises(ValueError, match="^timestamp without a time zone$"):
        rec.dt_to_ms(datetime(2026, 11, 18, 11, 6, 40))


# ------------------------------------------------------------------------------- privacy: consent and erasure
def _consent(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {"id": str(uuid.uuid4()), "terminal_id": "BKK01-ABC", "member_id": str(uuid.uuid4()),
                                 "purpose": "marketing", "granted": True, "text_version": "2026-11",
                                 "at": "2026-11-23T08:15:00.123Z", "branch_id": "BKK01", "staff_id": "cashier-1"}
    values.update(overrides)
    return rec.consent_record(**values)


def _member(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {"id": str(uuid.uuid4()), "card_no": "8344794814441719", "name": "สมชาย ใจดี",
                                 "phone": "0812345678", "tier": "silver", "consent": True,
                                 "created_at": "2026-11-23T08:15:00.123Z", "terminal_id": "BKK01-ABC"}
    values.update(overrides)
    return rec.member_record(**values)


def test_a_consent_record_has_every_field_and_a_hash_the_wire_model_verifies() -> None:
    record = _consent()
    assert list(record) == [*rec.CONSENT_FIELDS, "content_hash"]
    assert list(p.Consent.model_fields) == [*rec.CONSENT_FIELDS, "content_hash"]
    assert record["content_hash"] == rec.content_hash({k: v for k, v in record.items() if k != "content_hash"})
    assert p.Consent.model_validate(record).model_dump(mode="json") == record
    assert rec.CONSENT_PURPOSES == ("loyalty", "marketing")
    with pytest.raises(TypeError, match="consent fields missing"):
        rec.consent_record(id="x")


@pytest.mark.parametrize(("field", "value"), [
    ("purpose", "sms"), ("id", "not-a-uuid"), ("member_id", "not-a-uuid"), ("terminal_id", ""),
    ("at", "2026-11-23 08:15"), ("text_version", "v" * 33), ("text_version", ""), ("branch_id", "b" * 65),
    ("staff_id", "s" * 65), ("granted", "perhaps"),
])
def test_a_consent_record_with_a_bad_field_is_refused_on_the_wire(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        p.Consent.model_validate({**_consent(), field: value})


def test_a_consent_record_may_leave_out_where_it_was_given() -> None:
    record = _consent(branch_id=None, staff_id=None, granted=False, purpose="loyalty")
    assert p.Consent.model_validate(record).model_dump(mode="json") == record


def test_an_erased_member_record_keeps_everything_but_the_personal_data_and_gets_a_new_hash() -> None:
    member = _member()
    erased = rec.erased_member_record(member)
    assert erased["name"] == rec.ERASED_NAME == "" and erased["phone"] is None
    for name in ("id", "card_no", "tier", "consent", "created_at", "terminal_id"):
        assert erased[name] == member[name]
    assert erased["content_hash"] != member["content_hash"]
    assert erased["content_hash"] == rec.content_hash({k: v for k, v in erased.items() if k != "content_hash"})
    assert rec.erased_member_record(erased) == erased  # erasing twice (terminal and server) gives one record
    assert rec.is_erased_member_record(erased)
    assert not rec.is_erased_member_record(member)
    assert not rec.is_erased_member_record({**erased, "phone": "0812345678"})  # a phone left: not erased
    assert not rec.is_erased_member_record({**erased, "name": "สมชาย"})
    assert rec.is_erased_member_record(_member(name="", phone=None))
