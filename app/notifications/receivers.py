"""Subscribers to the editorial and lifecycle signals: each writes notifications into the event's transaction."""

from werkzeug.routing import BuildError

from app.news import signals as news
from app.notifications.emails import external_url
from app.notifications.events import notify, tenant_staff
from tenants import signals as lifecycle
from tenants.models import Tenant

REVIEWERS = ("editor", "admin")


def _actor(actor) -> tuple[str | None, int | None]:
    return (actor.name, actor.id) if actor is not None else (None, None)


def _slug(tenant_id: int) -> str | None:
    from app.extensions import db

    tenant = db.session.get(Tenant, tenant_id)
    return tenant.slug if tenant is not None else None


def article_link(article) -> str | None:
    """The article in the console (the editor's page once the console has one, else the dashboard)."""
    slug = _slug(article.tenant_id)
    if slug is None:
        return None
    for endpoint, values in (("console.news.edit", {"article_id": article.id}),
                             ("console.news.detail", {"article_id": article.id}),
                             ("console.dashboard", {})):
        try:
            return external_url(endpoint, tenant_slug=slug, **values)
        except BuildError:
            continue
    return None


def _article_event(event_type: str, recipients, article, actor, comment=None, key=None) -> None:
    name, actor_id = _actor(actor)
    notify(event_type, recipients, {"title": article.title, "actor": name, "comment": comment},
           tenant_id=article.tenant_id, link=article_link(article), key=key, exclude_user_id=actor_id)


@news.article_submitted.connect
def on_submitted(article, actor=None, **_):
    _article_event("article.submitted", tenant_staff(article.tenant_id, REVIEWERS), article, actor)


@news.article_returned.connect
def on_returned(article, actor=None, comment=None, **_):
    if article.author_id:
        _article_event("article.returned", [article.author_id], article, actor, comment)


@news.article_approved.connect
def on_approved(article, actor=None, **_):
    if article.author_id:
        _article_event("article.approved", [article.author_id], article, actor)


@news.article_published.connect
def on_published(article, actor=None, **_):
    if article.author_id:  # once per article: re-publishing after an unpublish says nothing new
        _article_event("article.published", [article.author_id], article, actor,
                       key=f"article-published:{article.id}")


@news.nomination_decided.connect
def on_nomination(article, actor=None, approved=False, comment=None, **_):
    recipients = tenant_staff(article.tenant_id, REVIEWERS)
    if article.author_id:
        recipients.insert(0, article.author_id)
    _article_event("nomination.approved" if approved else "nomination.declined", recipients, article, actor,
                   comment)


@lifecycle.tenant_status_changed.connect
def on_tenant_status(tenant, previous=None, status=None, **_):
    if status == "suspended" and previous != "suspended":
        notify("tenant.suspended", tenant_staff(tenant.id, ("admin",)), {"union": tenant.name_vi},
               tenant_id=tenant.id)
