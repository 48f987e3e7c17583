"""Record validation shared by both ends of sync: canonical JSON, content hash, UTC timestamps, the protocol
header and the outbox record's one payload. Pure functions and pydantic models, no server.

The functions are imported through ``sync.protocol``, which defines them today and re-exports them once they
live in ``sync/records.py``; the assertions hold for both (one time format with milliseconds and ``Z``).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from sync import protocol as p
from sync import protocol as rec

HASH = "a" * 64


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert _text(rec.canonical_json({"b": 1, "a": ["ไทย", None, True]})) == '{"a":["ไทย",null,true],"b":1}'


def test_content_hash_leaves_out_its_own_field() -> None:
    body = {"id": "x", "points": 5}
    expected = hashlib.sha256(b'{"id":"x","points":5}').hexdigest()
    assert rec.content_hash(body) == expected
    assert rec.content_hash({**body, "content_hash": "anything"}) == expected
    assert rec.content_hash({**body, "points": 6}) != expected


def test_parse_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Bangkok")  # the machine's own zone never leaks in
    time.tzset()
    try:
        got = rec.parse_utc("2026-11-23T08:15:00.123Z")
        assert got == datetime(2026, 11, 23, 8, 15, 0, 123_000, tzinfo=UTC) and got.utcoffset() == timedelta(0)
        assert rec.parse_utc(rec.format_utc(got)) == got
        assert rec.format_utc(got) == "2026-11-23T08:15:00.123Z"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", r"^(timestamp must be an ISO-8601 string|timestamps are written like .*)$"),
        (None, r"string"),
        (20261123, r"string"),
        ("23/11/2026", r"ISO-8601|written like"),
        ("2026-11-23T08:15:00.123", r"UTC"),  # no zone
        ("2026-11-23T15:15:00.123+07:00", r"UTC"),  # Bangkok time, not UTC
        ("Z", r"ISO-8601|written like"),
    ],
)
def test_parse_utc_refuses(text: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        rec.parse_utc(text)


def test_format_utc_writes_milliseconds_and_z() -> None:
    bangkok = timezone(timedelta(hours=7))
    assert rec.format_utc(datetime(2026, 11, 23, 15, 15, 0, 123_999, tzinfo=bangkok)) == "2026-11-23T08:15:00.123Z"
    assert rec.format_utc(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05.000Z"
    with pytest.raises(ValueError, match="^naive datetime$"):
        rec.format_utc(datetime(2026, 1, 1))


@pytest.mark.parametrize(("value", "major"), [(None, 1), ("", 1), ("  ", 1), ("1", 1), ("2.7", 2), (" 12 ", 12)])
def test_protocol_header(value: str | None, major: int) -> None:
    assert p.parse_protocol_header(value) == major


@pytest.mark.parametrize("value", ["v1", "1.", "1.2.3", "12345", "-1", "one"])
def test_malformed_protocol_header(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        p.parse_protocol_header(value)
    assert str(caught.value) == f"malformed protocol version {value!r}"


def member(**changes: Any) -> dict[str, Any]:
    body = {"id": str(uuid.uuid4()), "card_no": "8123456789012345", "name": "สมหญิง", "phone": "0812345678",
            "tier": "member", "consent": True, "created_at": "2026-11-23T08:15:00.000Z", "terminal_id": "T1"}
    body = {**body, **changes}
    return {**body, "content_hash": rec.content_hash(body)}


def entry(seq: int = 1, **changes: Any) -> dict[str, Any]:
    body = {"id": str(uuid.uuid4()), "terminal_id": "T1", "seq": seq, "member_id": str(uuid.uuid4()), "kind": "earn",
            "points": 49, "amount_satang": 123450, "receipt_ref": "R1", "reward_code": None, "corrects_id": None,
            "rules_version": 1, "tier_code": "member", "lines": [], "sale_at": "2026-11-23T08:15:00.000Z",
            "clock_offset_ms": 0, "operator_id": "c", "approved_by": None, "reason": None, "offline": False,
            "reservation_id": None}
    body = {**body, **changes}
    return {**body, "content_hash": rec.content_hash(body)}


def test_hashes_check_the_content() -> None:
    good = p.Member.model_validate(member())
    assert good.hash_ok()
    assert not p.Member.model_validate({**member(), "name": "Someone else"}).hash_ok()
    e = p.Entry.model_validate(entry())
    assert e.hash_ok()
    assert not p.Entry.model_validate({**entry(), "points": 50}).hash_ok()


def test_bad_timestamp_and_hash_are_refused() -> None:
    with pytest.raises(ValidationError, match="created_at"):
        p.Member.model_validate(member(created_at="2026-11-23T15:15:00.000+07:00"))
    with pytest.raises(ValidationError, match="content_hash"):
        p.Member.model_validate({**member(), "content_hash": "A" * 64})


def test_an_outbox_record_carries_exactly_its_payload() -> None:
    e, m = entry(seq=3), member()
    record = p.OutboxRecord.model_validate({"seq": 3, "type": "entry", "entry": e})
    assert (record.record_id, record.record_hash, record.terminal_id) == (e["id"], e["content_hash"], "T1")
    mrec = p.OutboxRecord.model_validate({"seq": 4, "type": "member", "member": member(terminal_id="T2")})
    assert mrec.terminal_id == "T2" and mrec.record_id == mrec.member.id  # type: ignore[union-attr]
    assert mrec.record_hash == mrec.member.content_hash  # type: ignore[union-attr]
    refusals = [
        ({"seq": 3, "type": "entry"}, "a record of type 'entry' carries exactly an entry"),
        ({"seq": 3, "type": "entry", "entry": e, "member": m}, "a record of type 'entry' carries exactly an entry"),
        ({"seq": 4, "type": "entry", "entry": e}, "entry.seq must equal the record's seq"),
        ({"seq": 3, "type": "member"}, "a record of type 'member' carries exactly a member"),
        ({"seq": 3, "type": "member", "member": m, "entry": e}, "a record of type 'member' carries exactly a member"),
    ]
    for body, message in refusals:
        with pytest.raises(ValidationError, match=message):
            p.OutboxRecord.model_validate(body)
