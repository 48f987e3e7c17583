"""Time helpers shared by the rules: every instant is a timezone-aware UTC ``datetime``.

Thailand has used UTC+07:00 all year since 1920 (no daylight saving), so the local zone is a fixed offset
from the standard library rather than ``zoneinfo`` (which needs the tz database, absent on some Windows
installs of a frozen app).
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta, timezone

from pos_app.core.errors import RuleError
from pos_app.core.i18n import _

BANGKOK = timezone(timedelta(hours=7), "Asia/Bangkok")
END_OF_DAY = time(23, 59, 59, 999_999)


def require_utc(value: object, what: str) -> datetime:
    """Return ``value`` as an aware UTC datetime; refuse naive datetimes and non-datetimes."""
    if not isinstance(value, datetime):
        raise RuleError(_("{what} must be a date and time.").format(what=what), "time.invalid")
    if value.tzinfo is None or value.utcoffset() is None:
        raise RuleError(
            _("{what} must carry a time zone (UTC); a local time without a zone is ambiguous.").format(
                what=what
            ),
            "time.naive",
        )
    return value.astimezone(UTC)


def local_date(at: datetime) -> date:
    """The calendar date in Thailand at the instant ``at``."""
    return at.astimezone(BANGKOK).date()


def end_of_local_day(day: date) -> datetime:
    """The last instant (23:59:59.999999 in Thailand) of ``day``, as UTC."""
    return datetime.combine(day, END_OF_DAY, tzinfo=BANGKOK).astimezone(UTC)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the day is clamped to the end of a shorter month
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def iso_utc(value: datetime) -> str:
    """Canonical text of an instant: ISO-8601 in UTC with a ``Z`` suffix."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
