"""The national console (/national/…): every tenant and cluster, for VUFO's staff."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.accounts.permissions import permission_required
from app.core.pagination import paginate
from app.extensions import db
from tenants import lifecycle
from tenants.models import Cluster, Tenant

bp = Blueprint("national", __name__, template_folder="templates", url_prefix="/national")


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.route("/")
@permission_required("national.view")
def index():
    stmt = sa.select(Tenant).order_by(Tenant.kind, Tenant.name_vi)
    clusters = db.session.scalars(sa.select(Cluster).order_by(Cluster.code)).all()
    return render_template("national/index.html", page=paginate(stmt, per_page=50), clusters=clusters)


@bp.route("/tenants/<slug>/status", methods=["POST"])
@permission_required("national.manage")
def set_status(slug: str):
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None:
        abort(404)
    status = request.form.get("status", "")
    if status == "suspended" and not request.form.get("confirm"):
        flash(_("Tick the confirmation box to suspend %(name)s.", name=tenant.name_vi), "error")
        return redirect(url_for("national.index"))
    try:
        lifecycle.set_status(tenant, status)
    except lifecycle.LifecycleError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s is now %(status)s.", name=tenant.name_vi, status=lifecycle.status_label(tenant.status)),
              "success")
    return redirect(url_for("national.index"))
