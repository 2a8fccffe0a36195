"""Merges and splits asked for in the national console run as a Celery task, their progress written as they go.

`start_run` records what was asked (a ReorgRun) and queues the task; `execute` carries it out. Each union's move
is one transaction (all or nothing), so the progress is written through a connection of its own on PostgreSQL,
seen by the console's progress bar while the move is still uncommitted (SQLite runs the task in the request:
there is nobody to watch). A failed run can be run again: a merge already done is skipped, a split moves only
what still matches.

params of a merge: {"sources": [slug…], "into": slug | None, "province_id": id | None, "host": str | None,
                    "effective": "YYYY-MM-DD", "staff_roles": {"<user id>": role | "none"}}
params of a split: {"source": slug, "into": slug, "selection": Selection.as_dict(), "effective": "YYYY-MM-DD"}
"""

import logging
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from app.reorg import services, split
from app.reorg.models import ReorgRun
from tenants.models import Province, Tenant

log = logging.getLogger("lhhn.reorg")
ACTIVE = ("queued", "running")
ABANDONED_AFTER = timedelta(hours=1)  # running this long: its worker died (the move itself rolled back)
STATUS_LABELS = {"queued": _l("Waiting for the worker"), "running": _l("Running"), "done": _l("Done"),
                 "failed": _l("Failed")}


def start_run(kind: str, params: dict, user_id: int | None) -> ReorgRun:
    """Record the run and queue its task (in embedded mode the task runs at once, inside this call)."""
    run = ReorgRun(kind=kind, params=params, status="queued", requested_by_id=user_id)
    db.session.add(run)
    db.session.flush()
    audit.record(f"tenant.{kind}_asked", tenant_id=None, actor_id=user_id, target=f"reorg_run:{run.id}",
                 detail=str(params)[:1000])
    db.session.commit()
    queue(run)
    return run


def task():
    """The run task as registered on this Flask app's Celery app (not whichever Celery app was made last)."""
    from flask import current_app

    import workers.tasks.reorg  # noqa: F401  (registers the task)

    return current_app.extensions["celery"].tasks["workers.tasks.reorg.run_reorg"]


def queue(run: ReorgRun) -> None:
    run_id = run.id
    try:
        task().apply_async(args=[run_id], retry=False)
    except Exception as error:  # noqa: BLE001 - the broker is down: the run's page says so, and offers a retry
        log.warning("reorg run %s not queued: %s", run_id, error)
        db.session.rollback()
        run = db.session.get(ReorgRun, run_id)
        _finish(run, "failed", gettext("The work could not be queued (%(error)s). Try again later.", error=error))
        db.session.commit()


def abandoned(run: ReorgRun) -> bool:
    started = run.started_at
    return run.status == "running" and started is not None and utcnow() - as_utc(started) > ABANDONED_AFTER


def retry(run: ReorgRun) -> None:
    """Run a failed (or abandoned) run again (what it did already is skipped)."""
    run.status, run.error, run.done, run.step, run.finished_at = "queued", None, 0, None, None
    db.session.commit()
    queue(run)


def _finish(run: ReorgRun, status: str, error: str | None = None) -> None:
    run.status, run.error, run.finished_at = status, error, utcnow()


def _write_progress(run_id: int, done: int, total: int, step: str) -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    with db.engine.begin() as conn:  # its own transaction: visible while the move's is still open
        conn.execute(sa.update(ReorgRun.__table__).where(ReorgRun.__table__.c.id == run_id)
                     .values(done=done, total=total, step=step[:200]))


def execute(run_id: int) -> list[int]:
    """Carry out the run; returns the ids of the operations done."""
    claimed = db.session.execute(sa.update(ReorgRun).where(ReorgRun.id == run_id, ReorgRun.status == "queued")
                                 .values(status="running", started_at=utcnow())
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if not claimed:  # done, failed, or another worker has it (a redelivered task): nothing to do twice
        return []
    run = db.session.get(ReorgRun, run_id)
    kind, params = run.kind, dict(run.params)

    def progress(done: int, total: int, step: str) -> None:
        _write_progress(run_id, done, total, step)

    try:
        operations = _merge(params, run.requested_by_id, progress) if kind == "merge" else \
            _split(params, run.requested_by_id, progress)
        run = db.session.get(ReorgRun, run_id)
        run.operation_ids = [op.id for op in operations]
        run.done = run.total = max(run.total, 1)
        run.step = None
        _finish(run, "done")
    except services.MergeError as refusal:
        db.session.rollback()
        run = db.session.get(ReorgRun, run_id)
        _finish(run, "failed", str(refusal))
    except Exception as error:  # noqa: BLE001 - shown on the run's page; nothing of the failed union moved
        log.exception("reorg run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(ReorgRun, run_id)
        _finish(run, "failed", f"{type(error).__name__}: {error}"[:2000])
    db.session.commit()
    return list(run.operation_ids or [])


def _tenant(slug: str) -> Tenant:
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None:
        raise services.MergeError(gettext("No union has the short name %(slug)s.", slug=slug))
    return tenant


def successor_of(params: dict, actor_id: int | None) -> Tenant:
    """The existing successor, or the one created now from the province registry."""
    if params.get("into"):
        return _tenant(params["into"])
    province = db.session.get(Province, params.get("province_id") or 0)
    if province is None or province.valid_to is not None:
        raise services.MergeError(gettext("Choose a current provincial unit for the new union."))
    return services.create_successor(province, params.get("host"), actor_id=actor_id)


def _merge(params: dict, actor_id: int | None, progress) -> list:
    target = successor_of(params, actor_id)
    sources = [_tenant(slug) for slug in params["sources"]]
    roles = {int(user_id): role for user_id, role in (params.get("staff_roles") or {}).items()}
    return services.merge_unions(sources, target, date.fromisoformat(params["effective"]), actor_id=actor_id,
                                 staff_roles=roles, progress=progress)


def _split(params: dict, actor_id: int | None, progress) -> list:
    operation = split.split_union(_tenant(params["source"]), _tenant(params["into"]),
                                  split.Selection.from_dict(params["selection"]),
                                  date.fromisoformat(params["effective"]), actor_id=actor_id, progress=progress)
    return [operation] if operation is not None else []


def as_json(run: ReorgRun) -> dict:
    return {"id": run.id, "kind": run.kind, "status": run.status, "status_label": str(STATUS_LABELS[run.status]),
            "done": run.done, "total": run.total, "step": run.step or "", "error": run.error,
            "finished": run.status not in ACTIVE, "may_retry": run.status == "failed" or abandoned(run)}
