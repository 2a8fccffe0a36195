"""The events calendar on the union's site: /su-kien/ (upcoming), /su-kien/thang/<yyyy>-<mm> (a month),
/su-kien/<id> (an event, with its .ics), /su-kien.ics (the iCalendar feed). On the national portal /su-kien/ lists
the upcoming events of every union."""

from datetime import date

from flask import Blueprint, abort, g, render_template, url_for

from app.core.pagination import paginate
from app.core.templating import canonical_url
from app.core.timeutil import VN_TZ, as_utc, utcnow, vn_today
from app.events import services
from app.events.forms import KIND_LABELS, LAST_YEAR
from app.site import sitemap
from app.site.sitemap import Url

bp = Blueprint("events", __name__, template_folder="templates")
PER_PAGE = 15
FEED_LIMIT = 500
FIRST_MONTH_YEAR = 2000


@bp.app_template_filter("as_utc")
def _as_utc(value):
    return as_utc(value)


@bp.app_template_filter("time_vn")
def _time_vn(value) -> str:
    return as_utc(value).astimezone(VN_TZ).strftime("%H:%M") if value else ""


@bp.app_context_processor
def _helpers():
    return {"event_days": services.days_of, "event_kinds": KIND_LABELS, "next_events": services.next_events}


def _month_link(day: date) -> str:
    return url_for("events.month", year=day.year, month=day.month)


@bp.route("/su-kien/")
def index():
    today = vn_today()
    if g.tenant.is_national:
        page = services.portal_upcoming(per_page=PER_PAGE)
        return render_template("events/site/index.html", page=page, portal=True, month_url=_month_link(today))
    page = paginate(services.upcoming(), per_page=PER_PAGE)
    return render_template("events/site/index.html", page=page, portal=False, month_url=_month_link(today))


@bp.route("/su-kien/thang/<int(fixed_digits=4):year>-<int(fixed_digits=2):month>")
def month(year: int, month: int):
    if not 1 <= month <= 12 or not FIRST_MONTH_YEAR <= year <= LAST_YEAR:
        abort(404)
    events = services.in_month(year, month)
    first = date(year, month, 1)
    previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return render_template(
        "events/site/month.html", first=first, weeks=services.month_grid(year, month, events), events=events,
        today=vn_today(), previous_url=_month_link(previous) if previous.year >= FIRST_MONTH_YEAR else None,
        next_url=_month_link(following) if following.year <= LAST_YEAR else None)


@bp.route("/su-kien/<id:event_id>")
def event(event_id: int):
    found = services.public_event(event_id)
    if found is None:
        abort(404)
    return render_template("events/site/event.html", event=found, articles=services.related_articles(found),
                           month_url=_month_link(services.days_of(found)[0]))


def _host() -> str:
    domain = g.tenant.primary_domain
    return domain.host if domain else "localhost"


def _ical_response(events, filename: str):
    body = services.ical(events, host=_host(), name=g.tenant.name_vi,
                         url_for_event=lambda e: canonical_url(url_for("events.event", event_id=e.id)))
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8",
                       "Content-Disposition": f'inline; filename="{filename}"'}


@bp.route("/su-kien.ics")
def feed():
    """Every published event of the union (recent and upcoming), as an iCalendar any calendar can subscribe to."""
    import sqlalchemy as sa

    from app.events.models import Event
    from app.extensions import db

    events = db.session.scalars(sa.select(Event).where(Event.published)
                                .order_by(Event.starts_at.desc(), Event.id.desc()).limit(FEED_LIMIT)).all()
    return _ical_response(events, "su-kien.ics")


@bp.route("/su-kien/<id:event_id>.ics")
def event_ics(event_id: int):
    found = services.public_event(event_id)
    if found is None:
        abort(404)
    return _ical_response([found], f"su-kien-{found.id}.ics")


@sitemap.source
def sitemap_urls() -> list[Url]:
    if g.tenant.is_national:
        return []
    events = services.upcoming(utcnow())
    from app.extensions import db

    rows = db.session.scalars(events.limit(200)).all()
    urls = [Url(canonical_url(url_for("events.index")))] if rows else []
    return urls + [Url(canonical_url(url_for("events.event", event_id=e.id)), e.updated_at) for e in rows]
