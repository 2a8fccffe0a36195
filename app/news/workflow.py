"""The editorial workflow of an article: draft → in review → published (now or at a time) → archived.

Authors write and submit; editors and admins approve, return, unpublish, archive and delete. Every
transition sends its signal (app/news/signals.py) inside the transaction and writes the audit log.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.permissions import can
from app.core import audit
from app.core.timeutil import as_utc, utcnow
from app.core.vntext import slugify
from app.editorial import revisions
from app.extensions import db
from app.news import signals
from app.news.models import Article, ArticleRevision, ArticleStatus
from app.news.services import set_tags
from tenants.context import current_tenant_id
from tenants.models import Tenant

EDITABLE_FIELDS = ("title", "summary", "body_html", "category_id", "source_line", "cover_url", "cover_alt",
                   "featured", "locale", "translation_of_id")
REVISION_FIELDS = ("title", "summary", "body_html")


class WorkflowError(Exception):
    """A transition the article's state or the user's role does not allow (the message is for the user)."""


def _tenant() -> Tenant:
    return db.session.get(Tenant, current_tenant_id())


def is_editor(user) -> bool:
    return can("content.publish", user, _tenant())


def may_edit(article: Article, user) -> bool:
    """Editors edit anything; an author edits their own article while it is a draft."""
    if is_editor(user):
        return True
    return can("content.write", user, _tenant()) and article.author_id == user.id \
        and article.status == ArticleStatus.DRAFT


def _require(allowed: bool, message) -> None:
    if not allowed:
        raise WorkflowError(str(message))


def _apply(article: Article, fields: dict) -> None:
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(article, name, fields[name])
    article.slug = slugify(article.title, 160) or "bai-viet"


def create(fields: dict, tags: list[str], actor) -> Article:
    """A new draft by `actor`, with its first revision."""
    _require(can("content.write", actor, _tenant()), _l("You may not write news in this union."))
    article = Article(status=ArticleStatus.DRAFT, author_id=actor.id)
    _apply(article, fields)
    db.session.add(article)
    db.session.flush()
    set_tags(article, tags)
    revisions.snapshot(ArticleRevision, "article_id", article, actor.id, "created", REVISION_FIELDS)
    audit.record("article.create", target=f"article:{article.id}", detail=article.title)
    db.session.commit()
    return article


def update(article: Article, fields: dict, tags: list[str], actor, note: str | None = None) -> Article:
    """Save the form's fields; every save keeps a revision."""
    _require(may_edit(article, actor), _l("You may not edit this article now."))
    _apply(article, fields)
    set_tags(article, tags)
    revisions.snapshot(ArticleRevision, "article_id", article, actor.id, note, REVISION_FIELDS)
    audit.record("article.edit", target=f"article:{article.id}", detail=article.title)
    db.session.commit()
    return article


def restore(article: Article, revision: ArticleRevision, actor) -> None:
    """Bring back an old revision's text, as a new revision."""
    _require(may_edit(article, actor), _l("You may not edit this article now."))
    for name in REVISION_FIELDS:
        setattr(article, name, getattr(revision, name))
    article.slug = slugify(article.title, 160) or "bai-viet"
    revisions.snapshot(ArticleRevision, "article_id", article, actor.id, f"restored from {revision.number}",
                       REVISION_FIELDS)
    audit.record("article.edit", target=f"article:{article.id}", detail=f"restored revision {revision.number}")
    db.session.commit()


def submit(article: Article, actor) -> None:
    """Draft → in review, for the editors."""
    _require(article.status == ArticleStatus.DRAFT, _l("Only a draft can be submitted for review."))
    _require(may_edit(article, actor), _l("You may not submit this article."))
    article.status = ArticleStatus.IN_REVIEW
    audit.record("article.submit", target=f"article:{article.id}", detail=article.title)
    signals.article_submitted.send(article, actor=actor)
    db.session.commit()


def return_to_author(article: Article, actor, comment: str) -> None:
    """In review → draft, with the editor's comment."""
    _require(is_editor(actor), _l("Only an editor can return an article."))
    _require(article.status == ArticleStatus.IN_REVIEW, _l("Only an article in review can be returned."))
    comment = (comment or "").strip()
    _require(comment, _l("Say what should change before returning the article."))
    article.status, article.review_comment = ArticleStatus.DRAFT, comment
    audit.record("article.return", target=f"article:{article.id}", detail=comment[:500])
    signals.article_returned.send(article, actor=actor, comment=comment)
    db.session.commit()


def approve(article: Article, actor, publish_at: datetime | None = None) -> bool:
    """Publish now, or at `publish_at` (scheduled); True when the article is public at once."""
    _require(is_editor(actor), _l("Only an editor can publish."))
    _require(article.status in (ArticleStatus.IN_REVIEW, ArticleStatus.DRAFT),
             _l("Only a draft or an article in review can be approved."))
    now = utcnow()
    when = as_utc(publish_at).astimezone(UTC) if publish_at else now
    article.status, article.published_at, article.review_comment = ArticleStatus.PUBLISHED, when, None
    article.announced_at = None
    public_now = when <= now
    audit.record("article.publish", target=f"article:{article.id}",
                 detail=article.title if public_now else f"{article.title} (scheduled {when.isoformat()})")
    signals.article_approved.send(article, actor=actor)
    if public_now:
        _announce(article, actor)
    db.session.commit()
    return public_now


def _announce(article: Article, actor) -> None:
    article.announced_at = utcnow()
    signals.article_published.send(article, actor=actor)


def unpublish(article: Article, actor) -> None:
    """Published (or scheduled) → draft."""
    _require(is_editor(actor), _l("Only an editor can unpublish."))
    _require(article.status == ArticleStatus.PUBLISHED, _l("The article is not published."))
    article.status, article.announced_at = ArticleStatus.DRAFT, None
    audit.record("article.unpublish", target=f"article:{article.id}", detail=article.title)
    signals.article_unpublished.send(article, actor=actor)
    db.session.commit()


def archive(article: Article, actor) -> None:
    """Any state → archived (out of the public site, kept in the console)."""
    _require(is_editor(actor), _l("Only an editor can archive."))
    _require(article.status != ArticleStatus.ARCHIVED, _l("The article is already archived."))
    was_published = article.status == ArticleStatus.PUBLISHED
    article.status, article.announced_at = ArticleStatus.ARCHIVED, None
    audit.record("article.archive", target=f"article:{article.id}", detail=article.title)
    if was_published:
        signals.article_unpublished.send(article, actor=actor)
    db.session.commit()


def delete(article: Article, actor) -> None:
    """Remove the article, its revisions and tag links (its other-language versions are unlinked)."""
    _require(is_editor(actor), _l("Only an editor can delete an article."))
    if article.status == ArticleStatus.PUBLISHED:
        signals.article_unpublished.send(article, actor=actor)
    for version in article.translations:
        version.translation_of_id = None
    db.session.flush()
    audit.record("article.delete", target=f"article:{article.id}", detail=article.title)
    db.session.delete(article)
    db.session.commit()


def publish_due(now: datetime | None = None) -> list[int]:
    """Announce the current tenant's scheduled articles whose time has come (each once); their ids."""
    now = now or utcnow()
    due = list(db.session.scalars(sa.select(Article).where(
        Article.status == ArticleStatus.PUBLISHED, Article.published_at <= now, Article.announced_at.is_(None))
        .order_by(Article.published_at, Article.id).with_for_update(skip_locked=True)))
    for article in due:
        audit.record("article.publish", target=f"article:{article.id}", detail=f"{article.title} (scheduler)")
        _announce(article, None)
    db.session.commit()
    return [a.id for a in due]
