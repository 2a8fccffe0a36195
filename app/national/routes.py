"""The national console (/national/…): every tenant and cluster, for VUFO's staff."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app.accounts.permissions import permission_required
from app.core.pagination import paginate
from app.extensions import db
from tenants import lifecycle
from tenants.models import Cluster, Tenant
from tenants.resolver import tenant_by_slug_or_404

bp = Blueprint("national", __name__, template_folder="templates", url_prefix="/national")


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.route("/")
@permission_required("national.view")
def index():
    stmt = sa.select(Tenant).options(selectinload(Tenant.domains)).order_by(Tenant.kind, Tenant.name_vi)
    clusters = db.session.scalars(sa.select(Cluster).order_by(Cluster.code)).all()
    return render_template("national/index.html", page=paginate(stmt, per_page=50), clusters=clusters)


@bp.route("/tenants/<slug>/status", methods=["POST"])
@permission_required("national.manage")
def set_status(slug: str):
    tenant = tenant_by_slug_or_404(slug)
    status = request.form.get("status", "")
    if status == "suspended" and not request.form.get("confirm"):
        flash(_("Tick the confirmation box to suspend %(name)s.", name=tenant.name_vi), "error")
        return redirect(url_for("national.index"))
    if status == "archived" and not request.form.get("confirm"):
        flash(_("Tick the confirmation box to archive %(name)s.", name=tenant.name_vi), "error")
        return redirect(url_for("national.index"))
    try:
        if status == "archived":
            lifecycle.archive(tenant, actor_id=current_user.id)
        elif status == "active" and tenant.status == "archived":
            lifecycle.restore(tenant, actor_id=current_user.id)
        else:
            lifecycle.set_status(tenant, status, actor_id=current_user.id)
    except lifecycle.LifecycleError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s is now %(status)s.", name=tenant.name_vi, status=lifecycle.status_label(tenant.status)),
              "success")
    return redirect(url_for("national.index"))


@bp.route("/tenants/<slug>/domains/remove", methods=["POST"])
@permission_required("national.manage")
def remove_domain(slug: str):
    tenant = tenant_by_slug_or_404(slug)
    host = request.form.get("host", "")
    if not request.form.get("confirm"):
        flash(_("Tick the confirmation box to remove %(host)s.", host=host), "error")
        return redirect(url_for("national.index"))
    try:
        lifecycle.remove_domain(tenant, host, actor_id=current_user.id)
    except lifecycle.LifecycleError as error:
        flash(str(error), "error")
    else:
        flash(_("%(host)s no longer answers for %(name)s.", host=host, name=tenant.name_vi), "success")
    return redirect(url_for("national.index"))
