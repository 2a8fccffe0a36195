"""The widget's periods in Viet Nam's calendar, with an injected clock: days, Monday weeks, months, years."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.stats.clock import VN, periods, seconds_until_midnight
from app.stats.services import record_view, visitor_widget

VISITOR, OTHER = "v" * 22, "w" * 22


def vn(*args) -> datetime:
    """A moment given in Viet Nam's local time, as the aware UTC datetime the services take."""
    return datetime(*args, tzinfo=VN).astimezone(UTC)


def seed(make_visit_daily, tenant, counts: dict[date, int]) -> None:
    for day, visitors in counts.items():
        make_visit_daily(tenant, day, page_views=visitors * 3, visitors=visitors)


def test_periods_start_on_monday_and_on_the_first_of_the_month():
    spans = periods(date(2026, 12, 2))  # a Wednesday; its week began in November
    assert spans["this_week"] == (date(2026, 11, 30), date(2026, 12, 2))
    assert spans["last_week"] == (date(2026, 11, 23), date(2026, 11, 29))
    assert spans["this_month"] == (date(2026, 12, 1), date(2026, 12, 2))
    assert spans["last_month"] == (date(2026, 11, 1), date(2026, 11, 30))
    assert periods(date(2027, 1, 1))["last_month"] == (date(2026, 12, 1), date(2026, 12, 31))
    assert periods(date(2024, 3, 10))["last_month"] == (date(2024, 2, 1), date(2024, 2, 29))
    assert periods(date(2026, 11, 30))["this_week"] == (date(2026, 11, 30), date(2026, 11, 30))


def test_widget_numbers_across_week_and_month_boundaries(make_visit_daily, tenant_a):
    seed(make_visit_daily, tenant_a, {
        date(2026, 10, 15): 1000,  # two months ago: only in "all time"
        date(2026, 11, 23): 7,  # Monday of last week
        date(2026, 11, 29): 11,  # Sunday of last week
        date(2026, 11, 30): 13,  # Monday of this week, last day of November
        date(2026, 12, 1): 17,  # yesterday, first day of this month
        date(2026, 12, 2): 19,  # today
        date(2025, 6, 1): 100_000,  # long ago: only in "all time"
    })
    numbers = visitor_widget(tenant_a.id, now=vn(2026, 12, 2, 9, 0))
    assert numbers == {"online": 0, "today": 19, "yesterday": 17, "this_week": 13 + 17 + 19, "last_week": 7 + 11,
                       "this_month": 17 + 19, "last_month": 7 + 11 + 13,
                       "total": 100_000 + 1000 + 7 + 11 + 13 + 17 + 19}


def test_the_day_turns_at_midnight_in_viet_nam_not_utc(tenant_a):
    record_view(tenant_a.id, VISITOR, now=vn(2026, 11, 1, 23, 59))
    record_view(tenant_a.id, VISITOR, now=vn(2026, 11, 2, 0, 1))  # 17:01 UTC on 1 November
    numbers = visitor_widget(tenant_a.id, now=vn(2026, 11, 2, 0, 2))
    assert (numbers["today"], numbers["yesterday"]) == (1, 1)  # one visitor, one visit each day
    assert numbers["this_week"] == 1  # 2 November 2026 is a Monday: Sunday was last week
    assert numbers["last_week"] == 1
    assert (numbers["this_month"], numbers["last_month"], numbers["total"]) == (2, 0, 2)
    assert numbers["online"] == 1  # the same visitor, seen on both sides of midnight


def test_online_means_seen_in_the_last_five_minutes(tenant_a):
    start = vn(2026, 11, 5, 10, 0)
    record_view(tenant_a.id, VISITOR, now=start)
    record_view(tenant_a.id, OTHER, now=start + timedelta(minutes=3))
    assert visitor_widget(tenant_a.id, now=start + timedelta(minutes=4))["online"] == 2
    assert visitor_widget(tenant_a.id, now=start + timedelta(minutes=6))["online"] == 1
    assert visitor_widget(tenant_a.id, now=start + timedelta(minutes=9))["online"] == 0
    assert visitor_widget(tenant_a.id, now=start + timedelta(minutes=9))["today"] == 2


def test_counting_adds_to_stored_days(make_visit_daily, tenant_a):
    seed(make_visit_daily, tenant_a, {date(2026, 11, 4): 40})
    now = vn(2026, 11, 5, 8, 0)
    for visitor in (VISITOR, OTHER, VISITOR):
        record_view(tenant_a.id, visitor, now=now)
    numbers = visitor_widget(tenant_a.id, now=now)
    assert (numbers["today"], numbers["yesterday"], numbers["this_month"], numbers["total"]) == (2, 40, 42, 42)


def test_a_tenant_without_visits_shows_zeros(tenant_a):
    assert set(visitor_widget(tenant_a.id).values()) == {0}


@pytest.mark.parametrize(("moment", "seconds"), [((2026, 11, 5, 23, 0), 3600), ((2026, 11, 5, 23, 59, 30), 60)])
def test_the_visitor_cookie_lasts_until_midnight(moment, seconds):
    assert seconds_until_midnight(vn(*moment)) == seconds
