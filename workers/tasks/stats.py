"""Visitor statistics: copy Redis counters into the daily table, then renew the widget's kept bases."""

from celery import shared_task

from app.stats.services import flush, renew_widget_bases


@shared_task
def flush_visit_counters() -> int:
    """Write every tenant's Redis day counters into VisitDaily (idempotent); returns rows written."""
    written = flush()
    renew_widget_bases()
    return written
