"""Instants are aware UTC datetimes; Thai calendar days end at 23:59:59.999999 in UTC+7."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

import pytest

from pos_app.core.errors import RuleError
from pos_app.core.timeutil import BANGKOK, add_months, end_of_local_day, iso_utc, local_date, require_utc


def test_require_utc_converts_aware_times(refused) -> None:
    bangkok_noon = datetime(2026, 11, 23, 12, tzinfo=timezone(timedelta(hours=7)))
    got = require_utc(bangkok_noon, "The sale time")
    assert got == datetime(2026, 11, 23, 5, tzinfo=UTC) and got.tzinfo is UTC
    with refused(RuleError, "time.naive",
                 "The sale time must carry a time zone (UTC); a local time without a zone is ambiguous."):
        require_utc(datetime(2026, 11, 23, 12), "The sale time")
    with refused(RuleError, "time.invalid", "The sale time must be a date and time."):
        require_utc("2026-11-23T12:00:00Z", "The sale time")
    with refused(RuleError, "time.invalid", "The sale time must be a date and time."):
        require_utc(date(2026, 11, 23), "The sale time")


class _NoOffset(tzinfo):
    """A tzinfo that does not know its offset: as ambiguous as no zone at all."""

    def utcoffset(self, dt: datetime | None) -> None:
        return None


def test_a_zone_without_an_offset_is_refused(refused) -> None:
    with refused(RuleError, "time.naive", "The entry time must carry a time zone (UTC)"):
        require_utc(datetime(2026, 1, 1, tzinfo=_NoOffset()), "The entry time")


def test_local_date_turns_at_midnight_in_bangkok() -> None:
    assert local_date(datetime(2026, 11, 23, 16, 59, 59, tzinfo=UTC)) == date(2026, 11, 23)
    assert local_date(datetime(2026, 11, 23, 17, 0, tzinfo=UTC)) == date(2026, 11, 24)
    assert BANGKOK.utcoffset(None) == timedelta(hours=7)


def test_end_of_local_day() -> None:
    end = end_of_local_day(date(2026, 11, 23))
    assert end == datetime(2026, 11, 23, 16, 59, 59, 999_999, tzinfo=UTC)
    assert end.tzinfo is UTC
    assert local_date(end) == date(2026, 11, 23) and local_date(end + timedelta(microseconds=1)) == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 23), 1, date(2026, 12, 23)),  # into December
        (date(2026, 12, 31), 1, date(2027, 1, 31)),  # out of December
        (date(2026, 11, 30), 24, date(2028, 11, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 12, 15), 0, date(2026, 12, 15)),
        (date(2026, 10, 31), 2, date(2026, 12, 31)),  # a 31-day December is not clamped
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_iso_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Bangkok")  # the machine's own zone never leaks into the text
    time.tzset()
    try:
        assert iso_utc(datetime(2026, 11, 23, 12, 5, tzinfo=UTC)) == "2026-11-23T12:05:00Z"
    finally:
        monkeypatch.undo()
        time.tzset()
    assert iso_utc(datetime(2026, 11, 23, 19, 5, tzinfo=BANGKOK)) == "2026-11-23T12:05:00Z"
    assert iso_utc(datetime(2026, 11, 23, 12, 5, 0, 250_000, tzinfo=UTC)) == "2026-11-23T12:05:00.250000Z"
