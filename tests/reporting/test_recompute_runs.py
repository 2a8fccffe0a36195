"""The "recompute" button: a RollupRun with its progress, one at a time, idempotent, by a live worker too."""

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.timeutil import utcnow
from app.extensions import db
from app.reporting import rollups, runs
from app.reporting.models import ClusterRollup, NationalRollup, RollupRun
from tests.reporting.test_rollups import _world_reports

RUNS = "/national/reports/runs/"


def _rows() -> dict:
    """Every stored rollup row with its id and values (as_of aside)."""
    db.session.expire_all()
    rows = {}
    for model in (ClusterRollup, NationalRollup):
        for row in db.session.scalars(sa.select(model)):
            rows[(model.__tablename__, row.id)] = (getattr(row, "cluster_id", None), row.period_id,
                                                   row.indicator_code, row.accepted_only, row.aggregate,
                                                   row.contributing_count, tuple(row.contributing_tenant_ids),
                                                   row.previous_aggregate, row.growth_bp)
    db.session.rollback()
    return rows


def _run(run_id: int) -> tuple:
    db.session.expire_all()
    run = db.session.get(RollupRun, run_id)
    return run.status, run.done, run.total, run.rows_changed, run.error


@pytest.fixture
def admin(browser, cluster_world):
    browser.login("admin@vufo.vn")
    return browser


def _start(browser) -> int:
    response = browser.post(RUNS, token_from="/national/reports/")
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_the_button_recomputes_in_the_request_when_eager_and_twice_gives_the_same_rows(app, admin, cluster_world,
                                                                                      make_period, make_report):
    if not app.config["CELERY"].get("task_always_eager"):
        pytest.skip("the live worker variant below covers the services mode")
    _world_reports(cluster_world, make_period, make_report)
    listing = admin.get("/national/reports/").get_data(as_text=True)
    assert "Tính lại toàn bộ số liệu tổng hợp ngay" in listing
    first = _start(admin)
    status, done, total, changed, error = _run(first)
    assert (status, done, total, error) == ("done", 3, 3, None) and changed > 0
    stored = _rows()
    rollups.compute_full()  # the nightly task's path gives the very same rows
    assert _rows() == stored
    page = admin.get(f"{RUNS}{first}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<progress max="3" value="3"' in html and "Đã xong" in html
    assert "http-equiv=\"refresh\"" not in html and "run-progress.js" not in html  # finished: nothing polls
    second = _start(admin)
    assert second != first and _run(second)[:4] == ("done", 3, 3, 0) and _rows() == stored
    assert admin.get(f"{RUNS}{second}.json").get_json() == {
        "id": second, "status": "done", "status_label": "Đã xong", "done": 3, "total": 3, "rows_changed": 0,
        "error": None, "finished": True}


def test_a_second_click_shows_the_run_under_way(admin, make_period):
    make_period(2023)
    running = RollupRun(status="running", total=1, started_at=utcnow())
    db.session.add(running)
    db.session.commit()
    assert _start(admin) == running.id
    assert db.session.scalar(sa.select(sa.func.count(RollupRun.id))) == 1
    listing = admin.get("/national/reports/").get_data(as_text=True)
    assert f"{RUNS}{running.id}" in listing and "Tính lại toàn bộ" not in listing
    page = admin.get(f"{RUNS}{running.id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "js/run-progress.js" in page and f'data-progress-url="{RUNS}{running.id}.json"' in page
    assert admin.get(f"{RUNS}{running.id}.json").get_json()["finished"] is False
    assert admin.get("/static/js/run-progress.js").status_code == 200


def test_an_abandoned_run_gives_way(app, admin, make_period):
    if not app.config["CELERY"].get("task_always_eager"):
        pytest.skip("eager: the new run completes in the request")
    make_period(2023)
    stale = RollupRun(status="running", total=1, started_at=utcnow() - timedelta(hours=2))
    db.session.add(stale)
    db.session.commit()
    fresh = _start(admin)
    assert fresh != stale.id and _run(fresh)[0] == "done"
    assert _run(stale.id)[0] == "failed" and "bỏ dở" in _run(stale.id)[4]


def test_a_failure_is_recorded_and_shown(app, admin, cluster_world, make_period, make_report, monkeypatch):
    if not app.config["CELERY"].get("task_always_eager"):
        pytest.skip("the failure is injected in this process")
    _world_reports(cluster_world, make_period, make_report)
    real, calls = rollups.compute_full, []

    def flaky(period_ids=None):
        calls.append(period_ids)
        if len(calls) == 2:
            raise RuntimeError("ổ đĩa đầy")
        return real(period_ids)

    monkeypatch.setattr(rollups, "compute_full", flaky)
    run_id = _start(admin)
    status, done, total, _, error = _run(run_id)
    assert (status, done, total) == ("failed", 1, 3) and error == "RuntimeError: ổ đĩa đầy"
    html = admin.get(f"{RUNS}{run_id}").get_data(as_text=True)
    assert "Tính lại thất bại: RuntimeError: ổ đĩa đầy" in html and '<progress max="3" value="1"' in html


def test_a_broker_that_is_down_fails_the_run_at_once(admin, make_period, monkeypatch):
    from workers.tasks import reporting as tasks

    def refuse(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.recompute_rollups_run, "apply_async", refuse)
    make_period(2023)
    run_id = _start(admin)
    status, *_, error = _run(run_id)
    assert status == "failed" and "broker unreachable" in error


def test_unknown_runs_are_404(admin):
    assert admin.get(f"{RUNS}99999").status_code == 404
    assert admin.get(f"{RUNS}99999.json").status_code == 404


@pytest.mark.services
def test_live_worker_runs_the_recompute_with_its_progress(app, live_worker, admin, cluster_world, make_period,
                                                         make_report):
    _world_reports(cluster_world, make_period, make_report)
    run_id = _start(admin)
    deadline = time.time() + 60
    while _run(run_id)[0] in runs.ACTIVE:
        if time.time() > deadline:
            pytest.fail("recompute run not finished by the worker:\n" + live_worker.log_path.read_text()[-3000:])
        time.sleep(0.3)
    status, done, total, changed, error = _run(run_id)
    assert (status, done, total, error) == ("done", 3, 3, None) and changed > 0
    stored = _rows()
    second = _start(admin)
    while _run(second)[0] in runs.ACTIVE:
        time.sleep(0.3)
    assert _run(second)[:4] == ("done", 3, 3, 0) and _rows() == stored
    assert admin.get(f"{RUNS}{second}.json").get_json()["finished"] is True
