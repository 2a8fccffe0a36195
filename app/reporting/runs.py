"""The "recompute" button: a full rollup recompute as a Celery task, its progress shown while it runs.

One run at a time: asking while one is queued or running shows that one. The task recomputes period after
period (rollups.compute_full is idempotent), writing done/total and the rows changed as it goes.
"""

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from app.accounts.permissions import permission_required
from app.core import audit
from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from app.reporting.models import ReportingPeriod, RollupRun
from app.reporting.national import bp as reports_bp

log = logging.getLogger("lhhn.reporting")
ACTIVE = ("queued", "running")
ABANDONED_AFTER = timedelta(hours=1)  # a run that long without finishing lost its worker: another may start
RUN_STATUS_LABELS = {"queued": _l("Waiting for the worker"), "running": _l("Running"), "done": _l("Done"),
                     "failed": _l("Failed")}

bp = Blueprint("runs", __name__, template_folder="templates", url_prefix="/runs")
reports_bp.register_blueprint(bp)


@bp.app_template_global("active_rollup_run")
def active_run() -> RollupRun | None:
    return db.session.scalar(sa.select(RollupRun).where(RollupRun.status.in_(ACTIVE)).order_by(RollupRun.id.desc()))


def start_run(user_id: int | None) -> tuple[RollupRun, bool]:
    """The run now queued (and True), or the one already queued or running (and False)."""
    if db.session.get_bind().dialect.name == "postgresql":  # two clicks at once: the second waits, then sees it
        db.session.execute(sa.text("select pg_advisory_xact_lock(:key)"), {"key": 0x4C485252})
    run = active_run()
    if run is not None and utcnow() - as_utc(run.started_at or run.created_at) < ABANDONED_AFTER:
        db.session.rollback()
        return run, False
    if run is not None:
        _finish(run, "failed", _("Abandoned: the worker stopped before finishing."))
    run = RollupRun(status="queued", requested_by_id=user_id,
                    total=db.session.scalar(sa.select(sa.func.count(ReportingPeriod.id))))
    db.session.add(run)
    db.session.flush()
    audit.record("reporting.recompute", tenant_id=None, target=f"report_rollup_run:{run.id}")
    db.session.commit()
    try:
        from workers.tasks.reporting import recompute_rollups_run

        recompute_rollups_run.apply_async(args=[run.id], retry=False)
    except Exception as error:  # noqa: BLE001 - the broker is down: say so on the run's page
        log.warning("recompute run %s not queued: %s", run.id, error)
        run = db.session.get(RollupRun, run.id)
        _finish(run, "failed", _("The recompute could not be queued (%(error)s). Try again later.", error=error))
        db.session.commit()
    return run, True


def _finish(run: RollupRun, status: str, error: str | None = None) -> None:
    run.status, run.error, run.finished_at = status, error, utcnow()


def execute(run_id: int) -> int:
    """Recompute every period's rollups, committing the progress after each; returns the rows changed."""
    from app.reporting.rollups import compute_full

    run = db.session.get(RollupRun, run_id)
    if run is None or run.status not in ACTIVE:
        return 0
    period_ids = list(db.session.scalars(sa.select(ReportingPeriod.id).order_by(ReportingPeriod.year,
                                                                               ReportingPeriod.kind)))
    run.status, run.started_at, run.total, run.done, run.rows_changed = "running", utcnow(), len(period_ids), 0, 0
    db.session.commit()
    try:
        for period_id in period_ids:
            changed = compute_full([period_id])
            run.done += 1
            run.rows_changed += changed
            db.session.commit()
        _finish(run, "done")
    except Exception as error:  # noqa: BLE001 - shown on the run's page; the nightly run tries again
        log.exception("recompute run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(RollupRun, run_id)
        _finish(run, "failed", f"{type(error).__name__}: {error}"[:2000])
    db.session.commit()
    return run.rows_changed


# --- routes ---------------------------------------------------------------------------------------------

@bp.route("/", methods=["POST"])
@permission_required("national.manage")
def start():
    if not FlaskForm().validate_on_submit():
        abort(400)
    run, started = start_run(current_user.id)
    if not started:
        flash(_("A recompute is already under way: here is its progress."), "info")
    return redirect(url_for(".show", run_id=run.id))


@bp.route("/<id:run_id>")
@permission_required("national.view")
def show(run_id: int):
    run = db.get_or_404(RollupRun, run_id)
    return render_template("reporting/run.html", run=run, run_status=RUN_STATUS_LABELS[run.status],
                           finished=run.status not in ACTIVE)


@bp.route("/<id:run_id>.json")
@permission_required("national.view")
def progress(run_id: int):
    run = db.get_or_404(RollupRun, run_id)
    return {"id": run.id, "status": run.status, "status_label": str(RUN_STATUS_LABELS[run.status]),
            "done": run.done, "total": run.total, "rows_changed": run.rows_changed, "error": run.error,
            "finished": run.status not in ACTIVE}
