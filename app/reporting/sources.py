"""Auto-sources: figures a report can pre-fill from the platform's own data.

A source is `fn(tenant_id, start, end) -> int` over the period's window (dates inclusive), registered
under a key that an Indicator names in `auto_source`. Sources run inside the union's tenant context.

Aid figures (``aid.committed_vnd``, ``aid.disbursed_vnd``) come from the aid registry: once
``app.aid.services.report_figures(tenant_id, start, end)`` exists, call ``register_aid_sources(report_figures)``
(see AID_SOURCE_KEYS); until then those indicators are simply not pre-filled.
"""

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from app.core.timeutil import vn_day_start
from app.extensions import db
from tenants.context import tenant_context

AutoSource = Callable[[int, date, date], int]
AUTO_SOURCES: dict[str, AutoSource] = {}
AID_SOURCE_KEYS = {"aid.committed_vnd": "committed_vnd", "aid.disbursed_vnd": "disbursed_vnd",
                   "aid.committed_usd_cents": "committed_usd_cents", "aid.disbursed_usd_cents": "disbursed_usd_cents"}


def register_auto_source(key: str, fn: AutoSource) -> AutoSource:
    AUTO_SOURCES[key] = fn
    return fn


def register_aid_sources(report_figures: Callable[[int, date, date], dict]) -> None:
    """The hook for the aid registry: each aid key reads one entry of report_figures(tenant_id, start, end)."""
    for key, field in AID_SOURCE_KEYS.items():
        register_auto_source(key, lambda t, s, e, field=field: int(report_figures(t, s, e).get(field) or 0))


def figure(key: str | None, tenant_id: int, start: date, end: date) -> int | None:
    """The source's figure for the window, or None if there is no such source (yet)."""
    fn = AUTO_SOURCES.get(key or "")
    if fn is None:
        return None
    with tenant_context(tenant_id):
        return int(fn(tenant_id, start, end))


def news_published(tenant_id: int, start: date, end: date) -> int:
    """Articles that went public in the window (Viet Nam days, both ends included)."""
    from app.news.models import Article, ArticleStatus

    return db.session.scalar(sa.select(sa.func.count(Article.id)).where(
        Article.status == ArticleStatus.PUBLISHED, Article.published_at >= vn_day_start(start),
        Article.published_at < vn_day_start(end, plus_days=1))) or 0


def member_organisations(tenant_id: int, start: date, end: date) -> int:
    """The union's member organisations (associations and the centre) as of the window's last day: founded by then
    (or with no founding date on record) and not yet dissolved (no dissolution date, or one after `end`)."""
    from app.members.models import MemberOrganization as M

    return db.session.scalar(sa.select(sa.func.count(M.id)).where(
        sa.or_(M.founded_on.is_(None), M.founded_on <= end),
        sa.or_(M.dissolved_on.is_(None), M.dissolved_on > end))) or 0


def events_held(tenant_id: int, start: date, end: date) -> int:
    """Published events (conferences, delegation visits, festivals, exchanges) that began in the window."""
    from app.events.models import Event

    return db.session.scalar(sa.select(sa.func.count(Event.id)).where(
        Event.published, Event.starts_at >= vn_day_start(start),
        Event.starts_at < vn_day_start(end, plus_days=1))) or 0


register_auto_source("news.published", news_published)
register_auto_source("events.held", events_held)
register_auto_source("members.organisations", member_organisations)
