"""The footer's visitor numbers, cheap enough for every response, cached pages included.

The numbers are a *base* (every day before today: yesterday, last week, last month, and the parts of this week,
this month and all time before today), which changes only when the day turns, plus what is live: today's
visitors and who is online. The base is computed from VisitDaily and the Redis counters of earlier days and kept
for STATS_WIDGET_CACHE_SECONDS (the beat's counter flush renews it); the live part is read with the visit's own
counting, in the same Redis round trip (app/site/page_store.py).

The HTML is the widget template rendered once per tenant and locale with slots, filled per response.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template
from markupsafe import Markup

from app.stats.clock import local_day, periods

ROWS = ("online", "today", "yesterday", "this_week", "last_week", "this_month", "last_month", "total")
BASE_FIELDS = ("yesterday", "last_week", "last_month", "week_before", "month_before", "total_before", "today_floor")
_SLOT = "\x00"


@dataclass(frozen=True)
class Base:
    """Visits before `day` (and the stored floor of `day` itself, in case Redis lost today's counters)."""

    day: date
    yesterday: int
    last_week: int
    last_month: int
    week_before: int  # this week's days before today
    month_before: int
    total_before: int
    today_floor: int

    def encode(self) -> str:
        return ",".join([self.day.strftime("%Y%m%d")] + [str(getattr(self, f)) for f in BASE_FIELDS])

    @classmethod
    def decode(cls, raw: str | bytes | None) -> "Base | None":
        if not raw:
            return None
        parts = (raw.decode() if isinstance(raw, bytes) else raw).split(",")
        try:
            day = date(int(parts[0][:4]), int(parts[0][4:6]), int(parts[0][6:8]))
            return cls(day, *(int(p) for p in parts[1:]))
        except (ValueError, TypeError, IndexError):
            return None

    def numbers(self, today: int, online: int) -> dict[str, int]:
        today = max(today, self.today_floor)
        return {"online": online, "today": today, "yesterday": self.yesterday,
                "this_week": self.week_before + today, "last_week": self.last_week,
                "this_month": self.month_before + today, "last_month": self.last_month,
                "total": self.total_before + today}


def base_from_days(day: date, days: dict[date, tuple[int, int]], older_visitors: int) -> Base:
    """The base of `day` from per-day (views, visitors) since the start of last month, and the older total."""
    spans = periods(day)

    def visits(first: date, last: date) -> int:
        return sum(v for d, (_, v) in days.items() if first <= d <= last)

    before = [d for d in days if d < day]
    week_first, month_first = spans["this_week"][0], spans["this_month"][0]
    return Base(day=day, yesterday=visits(*spans["yesterday"]), last_week=visits(*spans["last_week"]),
                last_month=visits(*spans["last_month"]),
                week_before=sum(days[d][1] for d in before if d >= week_first),
                month_before=sum(days[d][1] for d in before if d >= month_first),
                total_before=older_visitors + sum(days[d][1] for d in before),
                today_floor=days.get(day, (0, 0))[1])


def today_of(now: datetime) -> date:
    return local_day(now)


def group_digits(value: int, locale: str) -> str:
    """1353 → '1.353' (vi) or '1,353' (en): what Babel's format_decimal gives for whole numbers."""
    text = f"{value:,}"
    return text.replace(",", ".") if locale == "vi" else text


# --- the HTML ------------------------------------------------------------------------------------------

_templates: dict[tuple, tuple[str, ...]] = {}


def template_parts(locale: str, national: bool) -> tuple[str, ...]:
    """The widget's HTML split around its numbers: literal, row name, literal, … (rendered once per process
    and locale; the labels come from the catalogs, the numbers per response)."""
    key = (id(current_app._get_current_object()), locale, national)
    parts = _templates.get(key)
    if parts is None:
        slots = {row: Markup(f"{_SLOT}{row}{_SLOT}") for row in ROWS}  # noqa: S704 -- constant names
        html = render_template("stats/_widget.html", numbers=slots, national=national)
        parts = _templates[key] = tuple(html.split(_SLOT))
    return parts


def fill(parts: tuple[str, ...], numbers: dict[str, int], locale: str) -> str:
    return "".join(part if i % 2 == 0 else group_digits(numbers.get(part, 0), locale) for i, part in enumerate(parts))


def forget_templates() -> None:
    _templates.clear()
