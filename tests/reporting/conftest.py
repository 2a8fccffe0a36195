import pytest


@pytest.fixture
def cluster_world(make_tenant, national, make_cluster, make_user):
    """Three unions: A and B in cluster 01 in 2023 (A leads), B moves to cluster 02 in 2024 (C leads it);
    leaders of 2024 in cluster 01: B was not a member any more, so A leads again."""
    a, b, c = (make_tenant(s, name_vi=f"Liên hiệp {s}") for s in ("tinh-a", "tinh-b", "tinh-c"))
    c01 = make_cluster("01", {2022: [a, b], 2023: [a, b], 2024: [a]}, {2023: a, 2024: a})
    c02 = make_cluster("02", {2022: [c], 2023: [c], 2024: [b, c]}, {2023: c, 2024: c})
    users = {
        "a": make_user("reporter@a.vn", tenant=a, role="reporter"),
        "b": make_user("reporter@b.vn", tenant=b, role="reporter"),
        "c": make_user("reporter@c.vn", tenant=c, role="reporter"),
        "b_editor": make_user("editor@b.vn", tenant=b, role="editor"),
        "national": make_user("admin@vufo.vn", tenant=national, role="admin", national_role="platform_admin"),
    }
    return {"a": a, "b": b, "c": c, "c01": c01, "c02": c02, "users": users}


@pytest.fixture(autouse=True)
def _no_stray_rollup_tasks(request, app, monkeypatch):
    """With a live worker, only the Celery tests queue recomputes: a task still running when a test's tables
    are emptied would deadlock with the TRUNCATE (eager mode runs them inline, so they stay on there)."""
    if not app.config["CELERY"].get("task_always_eager") and request.module.__name__ != "tests.reporting.test_tasks":
        monkeypatch.setitem(app.config, "REPORTING_ROLLUPS_ON_COMMIT", False)
