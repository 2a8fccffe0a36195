"""The Celery path: a transition queues the incremental recompute after commit; beat has the nightly run."""

import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reporting import workflow
from app.reporting.models import ClusterRollup, NationalRollup
from tenants.context import tenant_context
from workers.beat import BEAT_SCHEDULE


def _submit(world, period, figure):
    user = world["users"]["b"]
    with tenant_context(world["b"].id):
        report = workflow.open_report(period, user)
        workflow.save(report, user, values={"aid_vnd": figure})
        workflow.submit(report, user)
        db.session.commit()
        return report.id


def _national(period_id, accepted_only=False):
    db.session.expire_all()
    row = db.session.scalar(sa.select(NationalRollup).where(
        NationalRollup.period_id == period_id, NationalRollup.indicator_code == "aid_vnd",
        NationalRollup.accepted_only.is_(accepted_only)))
    db.session.rollback()
    return row and (row.aggregate, row.contributing_tenant_ids)


def test_nightly_full_recompute_is_scheduled():
    assert BEAT_SCHEDULE["recompute-report-rollups"]["task"] == "workers.tasks.reporting.recompute_rollups_full"


def test_transitions_recompute_after_commit(app, cluster_world, make_period):
    if not app.config["CELERY"].get("task_always_eager"):
        pytest.skip("the live worker variant below covers the services mode")
    period = make_period(2023)
    report_id = _submit(cluster_world, period, 4200)
    b = cluster_world["b"].id
    assert _national(period.id) == (4200, [b]) and _national(period.id, True) is None
    workflow.accept(report_id, cluster_world["users"]["a"])
    assert _national(period.id, True) == (4200, [b])
    cluster_row = db.session.scalar(sa.select(ClusterRollup).where(ClusterRollup.accepted_only.is_(True)))
    assert (cluster_row.cluster_id, cluster_row.aggregate) == (cluster_world["c01"].id, 4200)


@pytest.mark.services
def test_live_worker_recomputes_after_submit_and_accept(app, live_worker, cluster_world, make_period):
    period = make_period(2023)
    report_id = _submit(cluster_world, period, 777)
    b = cluster_world["b"].id
    _wait(lambda: _national(period.id) == (777, [b]), live_worker)
    workflow.accept(report_id, cluster_world["users"]["a"])
    _wait(lambda: _national(period.id, True) == (777, [b]), live_worker)
    time.sleep(1)  # let the worker finish before the tables are emptied


def _wait(check, worker, timeout=30):
    deadline = time.time() + timeout
    while not check():
        if time.time() > deadline:
            pytest.fail("rollup not recomputed by the worker:\n" + worker.log_path.read_text()[-3000:])
        time.sleep(0.3)
