"""Days in Asia/Ho_Chi_Minh and the widget's periods (weeks start on Monday)."""

from datetime import UTC, date, datetime, timedelta

from app.core.timeutil import VN_TZ as VN


def now_utc() -> datetime:
    return datetime.now(UTC)


def local_day(moment: datetime) -> date:
    """The calendar day in Viet Nam at `moment` (an aware datetime)."""
    return moment.astimezone(VN).date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month_start(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


def periods(today: date) -> dict[str, tuple[date, date]]:
    """Inclusive (first, last) days of each widget period that ends on or before `today`."""
    week = today - timedelta(days=today.weekday())
    this_month = month_start(today)
    return {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "this_week": (week, today),
        "last_week": (week - timedelta(days=7), week - timedelta(days=1)),
        "this_month": (this_month, today),
        "last_month": (previous_month_start(today), this_month - timedelta(days=1)),
    }


def seconds_until_midnight(moment: datetime) -> int:
    """Seconds from `moment` to the next midnight in Viet Nam (at least one minute)."""
    local = moment.astimezone(VN)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), VN)
    return max(60, int((midnight - local).total_seconds()))
