"""Record format versioning: fields added to entries never change the hash of an entry written before them.

``fixtures/entries_format1.json`` holds entries hashed by the record code of commit 6845f44 (before any optional
field existed), committed with their hashes and canonical text. Terminals hold millions of such hashed, chained
entries and the server stores their hashes: today's code must hash them to the same bytes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from sync import protocol as p
from sync import records as rec

GOLDEN = json.loads((Path(__file__).parent / "fixtures" / "entries_format1.json").read_text(encoding="utf-8"))
OLD = [row["record"] for row in GOLDEN["entries"]]


@pytest.mark.parametrize("old", OLD, ids=[r["kind"] for r in OLD])
def test_an_entry_hashed_by_the_old_code_hashes_the_same_today(old: dict[str, Any]) -> None:
    row = next(r for r in GOLDEN["entries"] if r["record"] is old)
    values = {k: v for k, v in old.items() if k != "content_hash"}
    again = rec.entry_record(**values)
    assert again == old  # same keys (no optional field appears), same values
    assert rec.canonical_json({k: v for k, v in again.items() if k != "content_hash"}) == row["canonical_json"]
    assert rec.content_hash(again) == old["content_hash"]
    wire = p.Entry.model_validate(old)
    assert wire.hash_ok()
    dumped = wire.model_dump(mode="json")
    assert set(dumped) == set(old)  # the wire model does not add "currency": null
    outbox = p.OutboxRecord(seq=old["seq"], type="entry", entry=wire)
    assert json.loads(outbox.model_dump_json())["entry"] == old
    assert rec.check_entry(old, rec.TERMINAL) is None


def test_optional_fields_are_absent_when_empty_and_hashed_when_present() -> None:
    base = {k: v for k, v in OLD[0].items() if k not in ("content_hash", "lines")}
    assert rec.entry_record(**base, currency=None, amount_minor=None, fx_rate=None)["content_hash"] == \
        rec.entry_record(**base)["content_hash"]
    foreign = rec.entry_record(**base, currency="USD", amount_minor=4_000, fx_rate="35.5")
    assert list(foreign)[-4:] == ["currency", "amount_minor", "fx_rate", "content_hash"]
    assert foreign["content_hash"] != rec.entry_record(**base)["content_hash"]
    wire = p.Entry.model_validate(foreign)
    assert wire.hash_ok() and wire.model_dump(mode="json") == foreign
    # a written-out null is not the record's form: its hash is another one, and the server refuses it at the door
    assert rec.content_hash({**rec.entry_record(**base), "currency": None}) != rec.entry_record(**base)["content_hash"]


@pytest.mark.parametrize(("fields", "code"), [
    ({"currency": "USD"}, "currency_incomplete"),
    ({"currency": "USD", "amount_minor": 4000}, "currency_incomplete"),
    ({"currency": "THB", "amount_minor": 4000, "fx_rate": "1"}, "bad_currency"),
    ({"currency": "usd", "amount_minor": 4000, "fx_rate": "35"}, "bad_currency"),
    ({"currency": "USD", "amount_minor": -1, "fx_rate": "35"}, "amount_out_of_range"),
    ({"currency": "USD", "amount_minor": 4000, "fx_rate": "0"}, "bad_fx_rate"),
    ({"currency": "USD", "amount_minor": 4000, "fx_rate": "35.1e2"}, "bad_fx_rate"),
    ({"currency": "USD", "amount_minor": 4000, "fx_rate": "035.1"}, "bad_fx_rate"),
    ({"currency": "USD", "amount_minor": 4000, "fx_rate": "-35"}, "bad_fx_rate"),
])
def test_currency_fields_that_a_counter_cannot_write_are_named(fields: dict[str, Any], code: str) -> None:
    values = {"id": str(uuid.uuid4()), "terminal_id": "T", "seq": 1, "member_id": str(uuid.uuid4()),
              "kind": "earn", "points": 1, "amount_satang": 142_000, "sale_at": "2026-11-23T08:15:00.123Z"}
    problem = rec.check_entry(rec.entry_record(**values, **fields), rec.TERMINAL)
    assert problem is not None and problem.code == code


def test_only_a_sale_or_its_return_carries_a_currency() -> None:
    values = {"id": str(uuid.uuid4()), "terminal_id": "T", "seq": 1, "member_id": str(uuid.uuid4()),
              "kind": "redeem", "points": -5, "sale_at": "2026-11-23T08:15:00.123Z",
              "currency": "USD", "amount_minor": 100, "fx_rate": "35"}
    problem = rec.check_entry(rec.entry_record(**values), rec.TERMINAL)
    assert problem is not None and problem.code == "currency_not_allowed"


_SALE = {"terminal_id": "T", "seq": 1, "member_id": "0190a0b0-0000-7000-8000-000000000001", "kind": "earn",
         "points": 98, "amount_satang": 123_450, "sale_at": "2026-11-23T08:15:00.123Z"}


def test_a_multiplier_voucher_on_a_sale_is_hashed_and_travels_with_it() -> None:
    plain = rec.entry_record(id=str(uuid.uuid4()), **_SALE)
    assert not set(rec.VOUCHER_FIELDS) & set(plain)
    values = {k: v for k, v in plain.items() if k != "content_hash"}
    doubled = rec.entry_record(**values, voucher_id="7QJ2M4KXA9PZ", points_factor=2)
    assert list(doubled)[-3:] == ["voucher_id", "points_factor", "content_hash"]
    assert doubled["content_hash"] != plain["content_hash"]
    assert rec.check_entry(doubled, rec.TERMINAL) is None
    wire = p.Entry.model_validate(doubled)
    assert wire.hash_ok() and wire.model_dump(mode="json") == doubled
    both = rec.entry_record(**values, voucher_id="A1", points_factor=10, currency="USD", amount_minor=4000,
                            fx_rate="30.8625")
    assert rec.check_entry(both, rec.TERMINAL) is None  # a dollar sale may carry a multiplier too


@pytest.mark.parametrize(("fields", "code", "message"), [
    ({"voucher_id": "7QJ2M4KXA9PZ"}, "voucher_incomplete", "voucher_id and points_factor come together"),
    ({"points_factor": 2}, "voucher_incomplete", "voucher_id and points_factor come together"),
    ({"voucher_id": "7qj2", "points_factor": 2}, "bad_voucher_id", "voucher_id is 1 to 24 capital letters and digits"),
    ({"voucher_id": "A" * 25, "points_factor": 2}, "bad_voucher_id",
     "voucher_id is 1 to 24 capital letters and digits"),
    ({"voucher_id": 7, "points_factor": 2}, "bad_voucher_id", "voucher_id is 1 to 24 capital letters and digits"),
    ({"voucher_id": "A", "points_factor": 1}, "bad_points_factor", "points_factor is a whole number from 2 to 10"),
    ({"voucher_id": "A", "points_factor": 11}, "bad_points_factor", "points_factor is a whole number from 2 to 10"),
    ({"voucher_id": "A", "points_factor": True}, "bad_points_factor", "points_factor is a whole number from 2 to 10"),
    ({"voucher_id": "A", "points_factor": "2"}, "bad_points_factor", "points_factor is a whole number from 2 to 10"),
])
def test_voucher_fields_that_a_counter_cannot_write_are_named(fields: dict[str, Any], code: str,
                                                              message: str) -> None:
    problem = rec.check_entry(rec.entry_record(id=str(uuid.uuid4()), **_SALE, **fields), rec.TERMINAL)
    assert problem is not None and (problem.code, problem.detail) == (code, message)


def test_only_a_sale_carries_a_multiplier_voucher() -> None:
    values = {**_SALE, "kind": "reverse", "points": -98, "corrects_id": str(uuid.uuid4())}
    problem = rec.check_entry(rec.entry_record(id=str(uuid.uuid4()), **values, voucher_id="A", points_factor=2),
                              rec.TERMINAL)
    assert problem is not None and (problem.code, problem.detail) == \
        ("voucher_not_allowed", "only a sale (earn) carries a points-multiplier voucher")
