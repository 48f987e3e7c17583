"""The one record definition (sync/records.py): fields, kinds table, limits, canonical JSON, hash and time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    assert rec.format_utc(datetime(2026, 11, 23, 8, 15, 0, 123_999, tzinfo=UTC)) == "2026-11-23T08:15:00.123Z"
