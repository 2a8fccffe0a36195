"""Scheduled publishing: every minute, announce the articles whose publication time has come."""

import sqlalchemy as sa
from celery import shared_task

from app.extensions import db
from tenants.context import tenant_context
from tenants.models import Tenant


@shared_task
def publish_scheduled_articles() -> int:
    """Send article_published once for each article that became public, tenant by tenant (idempotent)."""
    from app.news.workflow import publish_due

    count = 0
    for tenant_id in db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all():
        with tenant_context(tenant_id):
            count += len(publish_due())
    return count
