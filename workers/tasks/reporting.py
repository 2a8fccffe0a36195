"""Rollup recomputation: incremental after a report changes state, full every night. Both idempotent."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def recompute_rollups_for_report(union_id: int, period_id: int) -> int:
    """Recompute the cluster and national rows one union's report in one period can change."""
    from app.reporting.rollups import compute_incremental

    return compute_incremental(tenant_id=union_id, period_id=period_id)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def recompute_rollups_full(period_ids: list[int] | None = None) -> int:
    """Recompute every rollup row (of the given periods, or of all)."""
    from app.reporting.rollups import compute_full

    return compute_full(period_ids)


@shared_task(acks_late=True)
def recompute_rollups_run(run_id: int) -> int:
    """The national console's "recompute" button: every period in turn, with the progress on the RollupRun."""
    from app.reporting.runs import execute

    return execute(run_id)
