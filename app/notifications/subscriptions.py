"""Public news subscriptions: double opt-in, signed one-click unsubscribe, new articles sent in batches.

New articles are found by a per-tenant watermark (published_at, id) of the last article handed out, so
console publishing and scheduled publishing are both covered without either knowing about this; the
idempotency key (subscriber, article) means nothing is sent twice. The watermark starts at the first
subscription, so articles published before (demo data, history) never flood anyone.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from app.news.models import Article, ArticleStatus
from app.notifications import outbox
from app.notifications.emails import external_url, recipient_locale, render_pair
from app.notifications.models import NewsletterWatermark, OutboxMessage, Subscriber, SubscriberStatus
from tenants.context import current_tenant_id, tenant_context
from tenants.models import Tenant, TenantStatus

CONFIRM_DAYS = 7
RESEND_AFTER = timedelta(minutes=10)  # a second request within this time sends no second confirmation
SETTLE = timedelta(minutes=1)  # articles this fresh wait for the next run (their transaction may be open)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"news-subscription-{purpose}")


def _host(tenant: Tenant) -> str:
    domain = tenant.primary_domain
    return domain.host if domain is not None else current_app.config["PLATFORM_HOST"]


def ensure_watermark(now: datetime | None = None) -> NewsletterWatermark:
    """The current tenant's watermark, started now if it has none (history is never sent)."""
    mark = db.session.scalar(sa.select(NewsletterWatermark))
    if mark is None:
        mark = NewsletterWatermark(last_published_at=now or utcnow(), last_article_id=0)
        db.session.add(mark)
        db.session.flush()
    return mark


def subscribe(tenant: Tenant, email: str, locale: str) -> None:
    """Record the request and send a confirmation link; the answer to the visitor never says more."""
    email = email.strip().lower()
    now = utcnow()
    ensure_watermark(now)
    sub = db.session.scalar(sa.select(Subscriber).where(Subscriber.email == email))
    if sub is None:
        sub = Subscriber(email=email, locale=recipient_locale(locale), status=SubscriberStatus.PENDING)
        db.session.add(sub)
        db.session.flush()
    elif sub.status == SubscriberStatus.CONFIRMED:
        db.session.commit()
        return
    elif sub.status == SubscriberStatus.UNSUBSCRIBED:
        sub.status, sub.locale = SubscriberStatus.PENDING, recipient_locale(locale)
    if sub.confirmation_sent_at and as_utc(sub.confirmation_sent_at) > now - RESEND_AFTER:
        db.session.commit()
        return
    sub.confirmation_sent_at = now
    _queue_confirmation(tenant, sub, now)
    db.session.commit()


def _queue_confirmation(tenant: Tenant, sub: Subscriber, now: datetime) -> None:
    token = _serializer("confirm").dumps({"t": tenant.id, "s": sub.id, "e": sub.email})
    link = external_url("subscriptions.confirm", host=_host(tenant), token=token)
    with force_locale(sub.locale):
        union = tenant.name(sub.locale)
        subject = _("Confirm your subscription to the news of %(union)s", union=union)
    text, html = render_pair("notifications/email/confirm", sub.locale, union=union, link=link, days=CONFIRM_DAYS)
    outbox.queue_email(to=sub.email, subject=subject, text=text, html=html, event_type="subscription.confirm",
                       key=f"confirm:{sub.id}:{now.timestamp():.0f}")


def _load(purpose: str, token: str, max_age: int | None) -> Subscriber | None:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return None
    if data.get("t") != current_tenant_id() and not _moved_here(data.get("t"), data["s"]):
        return None
    sub = db.session.get(Subscriber, data["s"])  # the current tenant's only
    return sub if sub is not None and sub.email == data.get("e") else None


def _moved_here(from_tenant_id, sub_id: int) -> bool:
    """A link from a union that was merged into this one: the subscription moved with the merge."""
    from app.reorg.models import MovedRow

    return db.session.scalar(sa.select(MovedRow.id).where(
        MovedRow.table_name == "news_subscriber", MovedRow.row_id == sub_id, MovedRow.from_tenant_id == from_tenant_id,
        MovedRow.merged_into_id.is_(None))) is not None


def confirm(token: str) -> Subscriber | None:
    """The double opt-in's second step; None for a bad or expired link."""
    sub = _load("confirm", token, CONFIRM_DAYS * 86400)
    if sub is None:
        return None
    if sub.status != SubscriberStatus.CONFIRMED:
        sub.status, sub.confirmed_at = SubscriberStatus.CONFIRMED, utcnow()
        db.session.commit()
    return sub


def unsubscribe_token(sub: Subscriber) -> str:
    return _serializer("unsubscribe").dumps({"t": sub.tenant_id, "s": sub.id, "e": sub.email})


def subscriber_for_unsubscribe(token: str) -> Subscriber | None:
    return _load("unsubscribe", token, None)  # old messages' links keep working


def unsubscribe(sub: Subscriber) -> None:
    if sub.status != SubscriberStatus.UNSUBSCRIBED:
        sub.status, sub.unsubscribed_at = SubscriberStatus.UNSUBSCRIBED, utcnow()
    db.session.commit()


# --- sending new articles --------------------------------------------------------------------------

def send_new_articles(batch_size: int = 500, now: datetime | None = None) -> int:
    """Queue e-mails for articles published since each tenant's watermark; at most `batch_size` per tenant
    and run (the rest follow next run). Returns the number of messages queued."""
    now = now or utcnow()
    queued = 0
    for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.status == TenantStatus.ACTIVE)
                                     .order_by(Tenant.id)).all():
        with tenant_context(tenant.id):
            queued += _send_for_tenant(tenant, batch_size, now)
            db.session.commit()
    return queued


def _new_articles(mark: NewsletterWatermark, now: datetime) -> list[Article]:
    after = sa.or_(Article.published_at > mark.last_published_at,
                   sa.and_(Article.published_at == mark.last_published_at, Article.id > mark.last_article_id))
    return list(db.session.scalars(
        sa.select(Article).where(Article.status == ArticleStatus.PUBLISHED, Article.translation_of_id.is_(None),
                                 Article.published_at <= now - SETTLE, after)
        .order_by(Article.published_at, Article.id).limit(50)))


def _send_for_tenant(tenant: Tenant, budget: int, now: datetime) -> int:
    mark = db.session.scalar(sa.select(NewsletterWatermark))
    if mark is None:
        return 0
    queued = 0
    for article in _new_articles(mark, now):
        subs = db.session.scalars(sa.select(Subscriber).where(
            Subscriber.status == SubscriberStatus.CONFIRMED, Subscriber.confirmed_at <= article.published_at)
            .order_by(Subscriber.id)).all()
        keys = {s.id: f"news:{s.id}:{article.id}" for s in subs}
        done = set(db.session.scalars(sa.select(OutboxMessage.idempotency_key)
                                      .where(OutboxMessage.idempotency_key.in_(list(keys.values())))))
        todo = [s for s in subs if keys[s.id] not in done]
        room = budget - queued
        for sub in todo[:room]:
            _queue_article(tenant, sub, article, keys[sub.id])
            queued += 1
        if len(todo) > room:  # not every subscriber has this article yet: the watermark stays before it
            break
        mark.last_published_at, mark.last_article_id = article.published_at, article.id
        if queued >= budget:
            break
    return queued


def _queue_article(tenant: Tenant, sub: Subscriber, article: Article, key: str) -> None:
    host = _host(tenant)
    article_url = external_url("news.article", host=host, article_id=article.id, slug=article.slug)
    unsubscribe_url = external_url("subscriptions.unsubscribe", host=host, token=unsubscribe_token(sub))
    with force_locale(sub.locale):
        union = tenant.name(sub.locale)
    text, html = render_pair("notifications/email/newsletter", sub.locale, union=union, article=article,
                             article_url=article_url, unsubscribe_url=unsubscribe_url)
    outbox.queue_email(to=sub.email, subject=article.title, text=text, html=html, event_type="subscription.news",
                       key=key, headers={"List-Unsubscribe": f"<{unsubscribe_url}>",
                                         "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
