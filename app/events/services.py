"""The events calendar's rules: listing, the month grid (Viet Nam days), saving with related articles, the portal,
the iCalendar feed."""

from calendar import Calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from app.core import audit
from app.core.timeutil import VN_TZ, as_utc, utcnow, vn_date, vn_day_start, vn_today
from app.events.models import Event, EventArticle
from app.extensions import db
from app.news.models import Article


class EventError(ValueError):
    """A rule the console reports as a form error (never a 500)."""


# --- times ---------------------------------------------------------------------------------------------------

def vn_moment(day: date, at: time | None) -> datetime:
    """`day` at `at` (midnight if None) typed in Viet Nam time, as aware UTC."""
    return datetime.combine(day, at or time.min, VN_TZ).astimezone(UTC)


def span(starts_on: date, start_time: time | None, ends_on: date | None, end_time: time | None,
         all_day: bool) -> tuple[datetime, datetime]:
    """Stored (starts_at, ends_at) from what staff typed. An all-day event ends at the midnight after its last day
    (exclusive, as in iCalendar); a timed one without an end time ends when it starts (on its end day: at the same
    time of day)."""
    ends_on = ends_on or starts_on
    if all_day:
        return vn_day_start(starts_on), vn_day_start(ends_on, 1)
    starts_at = vn_moment(starts_on, start_time)
    return starts_at, vn_moment(ends_on, end_time or start_time)


def days_of(event) -> tuple[date, date]:
    """The first and last Viet Nam days an event covers (an end at midnight is not a day of its own)."""
    starts_at, ends_at = as_utc(event.starts_at), as_utc(event.ends_at)
    last = max(starts_at, ends_at - timedelta(seconds=1))
    return vn_date(starts_at), vn_date(last)


# --- reading -------------------------------------------------------------------------------------------------

def console_listing(now: datetime | None = None) -> sa.Select:
    """Every event of the union: upcoming (not yet over) soonest first, then past ones, latest first."""
    now = now or utcnow()
    past = Event.ends_at < now
    return sa.select(Event).order_by(sa.case((past, 1), else_=0), sa.case((past, None), else_=Event.starts_at),
                                     Event.starts_at.desc(), Event.id.desc())


def upcoming(now: datetime | None = None) -> sa.Select:
    """Published events not yet over, soonest first."""
    return sa.select(Event).where(Event.published, Event.ends_at >= (now or utcnow())) \
        .order_by(Event.starts_at, Event.id)


def public_event(event_id: int) -> Event | None:
    return db.session.scalar(sa.select(Event).where(Event.id == event_id, Event.published))


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's first, Viet Nam time, as aware UTC."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return vn_day_start(first), vn_day_start(following)


def in_month(year: int, month: int) -> list[Event]:
    """Published events that touch the month (in Viet Nam days), by start."""
    start, end = month_bounds(year, month)
    return list(db.session.scalars(sa.select(Event).where(
        Event.published, Event.starts_at < end, Event.ends_at > start).order_by(Event.starts_at, Event.id)))


@dataclass
class Day:
    day: date
    in_month: bool
    events: list = field(default_factory=list)


def month_grid(year: int, month: int, events) -> list[list[Day]]:
    """Weeks (Monday first) of the month, each day with the events it covers (an event spanning days is on each)."""
    weeks = []
    for week in Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = [Day(d, d.month == month) for d in week]
        for cell in row:
            if cell.in_month:
                cell.events = [e for e in events if days_of(e)[0] <= cell.day <= days_of(e)[1]]
        weeks.append(row)
    return weeks


def related_articles(event: Event) -> list[Article]:
    """The event's related articles the public may see (the union's own, published)."""
    from app.news.services import public_filter

    ids = sa.select(EventArticle.article_id).where(EventArticle.event_id == event.id)
    return list(db.session.scalars(sa.select(Article).where(Article.id.in_(ids), public_filter())
                                   .order_by(Article.published_at.desc())))


def article_choices(event: Event | None, limit: int = 60) -> list[tuple[int, str]]:
    """The union's recent published articles (and those already linked) for the related-articles select."""
    from app.news.models import ArticleStatus

    linked = [link.article_id for link in event.links] if event is not None else []
    recent = sa.select(Article.id).where(Article.status == ArticleStatus.PUBLISHED,
                                         Article.translation_of_id.is_(None)) \
        .order_by(Article.published_at.desc(), Article.id.desc()).limit(limit)
    wanted = set(db.session.scalars(recent)) | set(linked)
    if not wanted:
        return []
    rows = db.session.execute(sa.select(Article.id, Article.title, Article.published_at)
                              .where(Article.id.in_(wanted)).order_by(Article.published_at.desc(), Article.id.desc()))
    return [(row.id, f"{row.title} ({vn_date(row.published_at):%d/%m/%Y})" if row.published_at else row.title)
            for row in rows]


# --- writing -------------------------------------------------------------------------------------------------

def _check(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at < starts_at:
        raise EventError("end before start")


def _set_articles(event: Event, article_ids: list[int]) -> None:
    """Link exactly these articles; each must be one of the union's own published articles."""
    from app.news.models import ArticleStatus

    wanted = list(dict.fromkeys(article_ids))
    found = set(db.session.scalars(sa.select(Article.id).where(Article.id.in_(wanted),
                                                               Article.status == ArticleStatus.PUBLISHED))) \
        if wanted else set()
    if set(wanted) - found:
        raise EventError("unknown article")
    keep = [link for link in event.links if link.article_id in found]
    have = {link.article_id for link in keep}
    event.links[:] = keep + [EventArticle(article_id=a) for a in wanted if a not in have]


def create(*, title: str, kind: str, starts_at: datetime, ends_at: datetime, all_day: bool = False,
           place: str = "", partners: str = "", description_html: str = "", published: bool = False,
           article_ids: list[int] = ()) -> Event:
    """A new event of the current tenant (commits)."""
    _check(starts_at, ends_at)
    event = Event(title=title.strip()[:255], kind=kind, starts_at=starts_at, ends_at=ends_at, all_day=all_day,
                  place=place.strip()[:255], partners=partners.strip(), description_html=description_html,
                  published=published)
    db.session.add(event)
    _set_articles(event, list(article_ids))
    db.session.flush()
    audit.record("event.create", target=f"event:{event.id}", detail=event.title)
    db.session.commit()
    return event


def update(event: Event, *, title: str, kind: str, starts_at: datetime, ends_at: datetime, all_day: bool,
           place: str, partners: str, description_html: str, published: bool, article_ids: list[int]) -> None:
    _check(starts_at, ends_at)
    _set_articles(event, list(article_ids))
    event.title, event.kind, event.all_day = title.strip()[:255], kind, all_day
    event.starts_at, event.ends_at = starts_at, ends_at
    event.place, event.partners = place.strip()[:255], partners.strip()
    event.description_html, event.published = description_html, published
    audit.record("event.edit", target=f"event:{event.id}", detail=event.title)
    db.session.commit()


def delete(event: Event) -> None:
    audit.record("event.delete", target=f"event:{event.id}", detail=event.title)
    db.session.delete(event)
    db.session.commit()


# --- the home page's block and the portal ---------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    """An event as lists show it (plain values: kept in the process between requests)."""

    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    place: str
    tenant_name: str | None = None  # the portal: whose event
    host: str | None = None  # the portal: the union's host


def _card(event: Event, tenant=None) -> Card:
    domain = tenant.primary_domain if tenant is not None else None
    return Card(event.id, event.title, event.kind, as_utc(event.starts_at), as_utc(event.ends_at), event.all_day,
                event.place, tenant.name_vi if tenant is not None else None, domain.host if domain else None)


def next_events(limit: int = 3) -> list[Card]:
    """The next published events of the current union, for the home page: the few of today onwards are kept in the
    process while the union's content stays the same (and for the day), the ones over by now dropped on each view."""
    from app.site.page_cache import per_generation

    today = vn_today()

    def load() -> list[Card]:
        stmt = upcoming(vn_day_start(today)).limit(limit + 9)
        return [_card(e) for e in db.session.scalars(stmt)]

    now = utcnow()
    return [c for c in per_generation(f"next_events:{today.isoformat()}", load) if c.ends_at >= now][:limit]


def portal_upcoming(page_number_total=None, per_page: int = 20):
    """Upcoming published events of every active union (the portal's list), soonest first, one page."""
    from app.core.pagination import paginate
    from tenants.models import Tenant, TenantStatus
    from tenants.scoping import all_tenants

    with all_tenants("portal: upcoming events of the unions", public_read=True):
        active = sa.select(Tenant.id).where(Tenant.status == TenantStatus.ACTIVE)
        page = paginate(upcoming().where(Event.tenant_id.in_(active)), per_page=per_page)
        tenants = {t.id: t for t in db.session.scalars(
            sa.select(Tenant).where(Tenant.id.in_({e.tenant_id for e in page.items}))
            .options(sa.orm.selectinload(Tenant.domains)))} if page.items else {}
        page.items = [_card(e, tenants[e.tenant_id]) for e in page.items]
    return page


# --- iCalendar ------------------------------------------------------------------------------------------------

def ical(events, *, host: str, url_for_event, name: str) -> bytes:
    """An iCalendar (RFC 5545) of these events: UTC times (all-day ones as dates), a stable UID per event."""
    from icalendar import Calendar as ICalendar
    from icalendar import Event as IEvent

    from app.core.vntext import plain_text

    calendar = ICalendar()
    calendar.add("prodid", "-//LHHN//Events calendar//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = utcnow().replace(microsecond=0)
    for event in events:
        item = IEvent()
        item.add("uid", f"event-{event.id}@{host}")
        item.add("dtstamp", stamp)
        if event.all_day:
            first, last = days_of(event)
            item.add("dtstart", first)
            item.add("dtend", last + timedelta(days=1))
        else:
            item.add("dtstart", as_utc(event.starts_at))
            item.add("dtend", as_utc(event.ends_at))
        item.add("summary", event.title)
        if event.place:
            item.add("location", event.place)
        description = "\n\n".join(p for p in (plain_text(event.description_html), event.partners) if p)
        if description:
            item.add("description", description)
        item.add("url", url_for_event(event))
        item.add("last-modified", as_utc(event.updated_at).replace(microsecond=0))
        calendar.add_component(item)
    return calendar.to_ical()
