"""A merge asked for in the console runs as a task (a ReorgRun): its page shows the progress, a failure is shown and
can be run again; on PostgreSQL the progress is visible while the move's transaction is still open; a live
Celery worker carries a merge out."""

import time
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.reorg import runs, services
from app.reorg.models import ReorgRun
from tenants.models import TenantStatus
from tests.reorg.conftest import EFFECTIVE, counts, fresh

URL = "/national/tenants/tinh-a/merge"


@pytest.fixture
def admin(browser, make_user, unions):
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    return browser


def _merge(admin, **fields):
    return admin.post(URL, {"into": "tinh-b", "effective": EFFECTIVE.isoformat(), "submit": "1", "confirm": "y",
                            **fields}, token_from=URL)


def _run(run_id: int) -> ReorgRun:
    db.session.expire_all()
    return db.session.get(ReorgRun, run_id)


def test_a_confirmed_merge_runs_and_its_page_shows_what_moved(admin, browser_factory, unions, make_user, eager_tasks):
    done = _merge(admin)
    assert done.status_code == 302
    path = urlsplit(done.headers["Location"]).path
    run_id = int(path.rsplit("/", 1)[1])
    run = _run(run_id)
    assert (run.kind, run.status, run.error) == ("merge", "done", None) and run.operation_ids
    assert run.params["sources"] == ["tinh-a"] and run.params["into"] == "tinh-b"
    page = admin.get(path).get_data(as_text=True)
    assert "Xong" in page and "news_article" in page and "run-progress.js" not in page  # finished: nothing polls
    state = admin.get(f"{path}.json").get_json()
    assert state["finished"] is True and state["status"] == "done" and state["done"] == state["total"]
    assert fresh(unions["a"]).status == TenantStatus.MERGED
    make_user("admin@tinh-b.vn", tenant=unions["b"], role="admin")
    union_admin = browser_factory()
    union_admin.login("admin@tinh-b.vn")
    assert union_admin.get(path).status_code in (403, 404)  # national staff only
    assert union_admin.get(f"{path}.json").status_code in (403, 404)
    assert admin.get("/national/tenants/runs/99999").status_code == 404


def test_a_failed_run_says_why_changes_nothing_and_can_be_run_again(admin, unions, monkeypatch, eager_tasks):
    before = counts(unions["a"].id), counts(unions["b"].id)
    real = services._give_staff_roles

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_give_staff_roles", broken)
    path = urlsplit(_merge(admin).headers["Location"]).path
    run_id = int(path.rsplit("/", 1)[1])
    run = _run(run_id)
    assert run.status == "failed" and "disk full" in run.error
    assert (counts(unions["a"].id), counts(unions["b"].id)) == before
    page = admin.get(path).get_data(as_text=True)
    assert "disk full" in page and "/retry" in page
    monkeypatch.setattr(services, "_give_staff_roles", real)
    again = admin.post(f"{path}/retry", {}, token_from=path)
    assert again.status_code == 302
    assert _run(run_id).status == "done" and fresh(unions["a"]).status == TenantStatus.MERGED
    refused = admin.post(f"{path}/retry", {}, token_from=path)  # a finished run is not run again
    assert refused.status_code == 302 and _run(run_id).status == "done"


def test_a_broker_that_is_down_fails_the_run_with_a_message(app, admin, unions, monkeypatch, eager_tasks):
    def refuse(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    with app.app_context():
        monkeypatch.setattr(runs.task(), "apply_async", refuse)
    path = urlsplit(_merge(admin).headers["Location"]).path
    run = _run(int(path.rsplit("/", 1)[1]))
    assert run.status == "failed" and "broker unreachable" in run.error
    assert fresh(unions["a"]).status == TenantStatus.ACTIVE


def test_progress_counts_every_step_of_each_union(unions):
    seen = []
    services.merge_unions([unions["a"]], unions["b"], EFFECTIVE, progress=lambda d, t, s: seen.append((d, t, s)))
    assert seen[-1] == (services.STEPS_PER_UNION, services.STEPS_PER_UNION, "")
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)  # never backwards
    assert any("news_article" in s for _, _, s in seen) and any("files" in s for _, _, s in seen)


@pytest.mark.services
def test_on_postgresql_the_progress_shows_while_the_move_is_still_open(app, unions):
    run = ReorgRun(kind="merge", params={}, status="running")
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    db.session.execute(sa.text("UPDATE tenant SET name_en = name_en WHERE id = :id"), {"id": unions["a"].id})
    runs._write_progress(run_id, 7, 40, "tinh-a: news_article")  # the session's transaction is still open
    with db.engine.connect() as other:
        seen = other.execute(sa.text("SELECT done, total, step FROM reorg_run WHERE id = :id"),
                             {"id": run_id}).one()
    db.session.rollback()
    assert tuple(seen) == (7, 40, "tinh-a: news_article")


@pytest.mark.services
def test_a_live_worker_carries_out_a_merge(app, live_worker, admin, unions):
    path = urlsplit(_merge(admin).headers["Location"]).path
    run_id = int(path.rsplit("/", 1)[1])
    deadline = time.time() + 60
    while _run(run_id).status in runs.ACTIVE:
        if time.time() > deadline:
            pytest.fail("merge run not finished by the worker:\n" + live_worker.log_path.read_text()[-3000:])
        time.sleep(0.3)
    run = _run(run_id)
    assert (run.status, run.error, run.done, run.total) == ("done", None, services.STEPS_PER_UNION,
                                                            services.STEPS_PER_UNION)
    assert fresh(unions["a"]).status == TenantStatus.MERGED


def test_a_run_is_carried_out_once_even_if_its_task_comes_twice(admin, unions, eager_tasks):
    path = urlsplit(_merge(admin).headers["Location"]).path
    run_id = int(path.rsplit("/", 1)[1])
    done = _run(run_id)
    assert done.status == "done"
    assert runs.execute(run_id) == []  # a redelivered task: claimed by nobody, nothing redone
    assert _run(run_id).status == "done" and _run(run_id).operation_ids == done.operation_ids


def test_a_run_whose_worker_died_can_be_run_again(admin, unions, eager_tasks):
    from datetime import timedelta

    from app.core.timeutil import utcnow

    run = ReorgRun(kind="merge", status="running", started_at=utcnow() - timedelta(hours=2),
                   params={"sources": ["tinh-a"], "into": "tinh-b", "effective": EFFECTIVE.isoformat(),
                           "staff_roles": {}})
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    path = f"/national/tenants/runs/{run_id}"
    assert "/retry" in admin.get(path).get_data(as_text=True)
    assert admin.post(f"{path}/retry", {}, token_from=path).status_code == 302
    assert _run(run_id).status == "done" and fresh(unions["a"]).status == TenantStatus.MERGED
