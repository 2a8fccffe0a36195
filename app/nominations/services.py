"""Sharing with the national portal: an editor nominates a published article; a national administrator
approves (it then appears among the portal's news from the provinces) or declines it with a reason.
Only approved nominations reach the portal (`app.news.services.shared_with_portal`)."""

import sqlalchemy as sa
from flask_babel import gettext

from app.core import audit
from app.core.timeutil import utcnow
from app.extensions import db
from app.news import signals
from app.news.models import Article
from app.nominations.models import Nomination
from tenants.context import tenant_context
from tenants.models import Tenant
from tenants.scoping import all_tenants


class NominationError(ValueError):
    """A refused nomination or decision, with the reason to show."""


def nominate(article: Article, user_id: int | None) -> Nomination:
    """Offer `article` (current tenant) to the portal; a declined one may be offered again."""
    if not article.is_public or article.translation_of_id is not None:
        raise NominationError(gettext("Only a published article in its original language can be offered."))
    nomination = db.session.scalars(sa.select(Nomination).where(Nomination.article_id == article.id)).first()
    if nomination is not None and nomination.status in ("pending", "approved"):
        raise NominationError(gettext("This article is already offered to the national portal."))
    if nomination is None:
        nomination = Nomination(article_id=article.id)
        db.session.add(nomination)
    nomination.status, nomination.reason, nomination.nominated_by_id = "pending", "", user_id
    nomination.created_at, nomination.decided_at, nomination.decided_by_id = utcnow(), None, None
    db.session.flush()
    audit.record("nomination.create", target=f"article:{article.id}", detail=article.title)
    db.session.commit()
    return nomination


def status_by_article(article_ids) -> dict[int, str]:
    rows = db.session.execute(sa.select(Nomination.article_id, Nomination.status)
                              .where(Nomination.article_id.in_(list(article_ids)))).all()
    return dict(rows)


def pending() -> list[tuple[Nomination, Article, Tenant]]:
    """Every union's nominations awaiting a decision, oldest first (national work)."""
    with all_tenants("national: nominations to the portal"):
        rows = db.session.execute(
            sa.select(Nomination, Article, Tenant)
            .join(Article, sa.and_(Article.id == Nomination.article_id, Article.tenant_id == Nomination.tenant_id))
            .join(Tenant, Tenant.id == Nomination.tenant_id)
            .where(Nomination.status == "pending").order_by(Nomination.created_at)).all()
        for nomination, article, _tenant in rows:
            db.session.expunge(nomination)
            db.session.expunge(article)
        return [tuple(r) for r in rows]


def decide(tenant: Tenant, nomination_id: int, *, approve: bool, reason: str, actor) -> str:
    """Approve or decline (a reason is required); returns the article's title. Raises LookupError."""
    if not approve and not (reason or "").strip():
        raise NominationError(gettext("Give a reason for declining."))
    with tenant_context(tenant.id):
        nomination = db.session.get(Nomination, nomination_id)
        if nomination is None or nomination.status != "pending":
            raise LookupError(nomination_id)
        article = db.session.get(Article, nomination.article_id)
        nomination.status = "approved" if approve else "declined"
        nomination.reason = (reason or "").strip()[:500]
        nomination.decided_by_id, nomination.decided_at = actor.id, utcnow()
        article.share_national = approve
        audit.record("nomination.approve" if approve else "nomination.decline", tenant_id=tenant.id,
                     target=f"article:{article.id}", detail=nomination.reason or article.title)
        signals.nomination_decided.send(article, actor=actor, approved=approve, comment=nomination.reason)
        title = article.title
        db.session.commit()
        return title
