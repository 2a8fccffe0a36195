"""Scheduled publication: the beat task announces each article once, at its time, in its own tenant."""

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.core.timeutil import utcnow
from app.extensions import db
from app.news.models import Article
from tenants.context import tenant_context
from workers.beat import BEAT_SCHEDULE
from workers.tasks.news import publish_scheduled_articles


def _schedule(make_article, tenant, title, when):
    article = make_article(tenant, title, status="published", published_at=when)
    with tenant_context(tenant.id):  # as the console leaves it: approved for later, not yet announced
        db.session.execute(sa.update(Article).where(Article.id == article.id).values(announced_at=None))
        db.session.commit()
    return article.id


def test_beat_runs_the_task_every_minute(app):
    entry = BEAT_SCHEDULE["publish-scheduled-articles"]
    assert entry["task"] == "workers.tasks.news.publish_scheduled_articles"
    assert entry["schedule"] == timedelta(minutes=1)
    assert entry["task"] in app.extensions["celery"].tasks


def test_due_articles_are_announced_once(app, make_article, tenant_a, tenant_b, sent, browser):
    due_a = _schedule(make_article, tenant_a, "Đến giờ đăng A", utcnow() - timedelta(seconds=30))
    due_b = _schedule(make_article, tenant_b, "Đến giờ đăng B", utcnow() - timedelta(minutes=3))
    later = _schedule(make_article, tenant_a, "Chưa đến giờ", utcnow() + timedelta(hours=2))
    old = make_article(tenant_a, "Đã đăng từ trước").id  # stored public: never announced again

    assert "Chưa đến giờ" not in browser.get("/feed.atom", host="tinh-a.localhost").get_data(as_text=True)
    assert publish_scheduled_articles.apply().get() == 2
    assert sorted((e[0], e[1], e[2]) for e in sent) == sorted([("article_published", due_a, None),
                                                                ("article_published", due_b, None)])
    assert publish_scheduled_articles.apply().get() == 0  # idempotent
    assert len(sent) == 2
    with tenant_context(tenant_a.id):
        assert db.session.get(Article, later).announced_at is None
        assert db.session.get(Article, old).announced_at is not None
        entries = db.session.scalars(sa.select(AuditEntry.target).where(
            AuditEntry.action == "article.publish", AuditEntry.tenant_id == tenant_a.id)).all()
    assert entries == [f"article:{due_a}"]
    feed = browser.get("/feed.atom", host="tinh-a.localhost").get_data(as_text=True)
    assert "Đến giờ đăng A" in feed and "Chưa đến giờ" not in feed and "Đến giờ đăng B" not in feed


@pytest.mark.services
def test_live_worker_announces_a_due_article(app, live_worker, make_article, tenant_a):
    due = _schedule(make_article, tenant_a, "Đăng qua worker", utcnow() - timedelta(seconds=5))
    publish_scheduled_articles.delay()
    deadline = time.time() + 30
    announced = None
    while announced is None and time.time() < deadline:
        time.sleep(0.3)
        with tenant_context(tenant_a.id):
            db.session.expire_all()
            announced = db.session.get(Article, due).announced_at
            db.session.rollback()
    assert announced is not None, live_worker.log_path.read_text()[-3000:]
