"""Time helpers: aware UTC everywhere in code, Asia/Ho_Chi_Minh on screen (via Flask-Babel)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone-aware columns: read them as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def vn_day_start(day: date, plus_days: int = 0) -> datetime:
    """Midnight of `day` (+ `plus_days`) in Viet Nam, as aware UTC (what both databases compare against)."""
    return datetime.combine(day + timedelta(days=plus_days), time.min, VN_TZ).astimezone(UTC)


def vn_today(now: datetime | None = None) -> date:
    """Today (at `now`) in Viet Nam, whatever the server's time zone: deadlines, locks and digests count in
    Vietnamese days."""
    return (now or utcnow()).astimezone(VN_TZ).date()


def vn_date(moment: datetime | None) -> date | None:
    """The calendar day in Viet Nam of a moment (naive read as UTC): what "on time" and "late" compare."""
    return None if moment is None else as_utc(moment).astimezone(VN_TZ).date()
