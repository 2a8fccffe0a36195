"""Merging and splitting unions (app/reorg): a long move runs here, its progress on the ReorgRun."""

from celery import shared_task


@shared_task(acks_late=True)
def run_reorg(run_id: int) -> list[int]:
    """Carry out a merge or split asked for in the national console; running it again is safe."""
    from app.reorg.runs import execute

    return execute(run_id)
