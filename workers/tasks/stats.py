"""Visitor statistics: copy Redis counters into the daily table."""

from celery import shared_task

from app.stats.services import flush


@shared_task
def flush_visit_counters() -> int:
    """Write every tenant's Redis day counters into VisitDaily (idempotent); returns rows written."""
    return flush()
