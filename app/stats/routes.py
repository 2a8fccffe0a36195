"""The public statistics page of the national portal, and the widget for every public page's footer."""

import logging

import redis
import sqlalchemy as sa
from flask import Blueprint, abort, g, render_template, request

from app.extensions import db
from app.stats import services, tracking
from app.stats.clock import local_day, now_utc

log = logging.getLogger("lhhn.stats")
bp = Blueprint("stats", __name__, template_folder="templates")
bp.after_app_request(tracking.count_public_view)


@bp.app_template_global()
def visitor_stats() -> dict[str, int] | None:
    """The footer widget's numbers on a tenant's public pages; None on the consoles and sign-in."""
    tenant = g.get("tenant")
    if tenant is None or g.get("console_slug") or request.blueprint not in tracking.PUBLIC_BLUEPRINTS:
        return None
    try:
        return services.cached_visitor_widget(tenant.id)
    except (sa.exc.SQLAlchemyError, redis.RedisError):  # the footer must never turn a page into an error
        log.warning("visitor widget unavailable for tenant %s", tenant.id, exc_info=True)
        db.session.rollback()
        return None


@bp.route("/thong-ke")
def ranking():
    """The national portal's ranking of provincial sites by visits this month."""
    if not g.tenant.is_national:
        abort(404)
    return render_template("stats/ranking.html", ranking=services.cached_national_ranking(),
                           month=local_day(now_utc()))
