"""The staff console shell: /manage/ (tenant switcher) and /manage/<tenant-slug>/… (one tenant)."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import Membership, User
from app.accounts.permissions import permission_required
from app.extensions import db
from app.pages import services as pages
from app.pages.models import Page
from tenants.models import Tenant, TenantStatus
from tenants.resolver import resolve_console_tenant

bp = Blueprint("console", __name__, template_folder="templates", url_prefix="/manage")


@bp.url_value_preprocessor
def _pull_tenant_slug(endpoint, values):
    g.console_slug = (values or {}).pop("tenant_slug", None)


@bp.url_defaults
def _add_tenant_slug(endpoint, values):
    if "tenant_slug" not in values and g.get("console_slug") and endpoint != "console.home":
        values["tenant_slug"] = g.console_slug


@bp.before_request
@login_required
def _enter_console_tenant():
    if g.console_slug is not None:
        tenant = resolve_console_tenant(g.console_slug)
        if tenant.status in (TenantStatus.ARCHIVED, TenantStatus.MERGED) and request.method not in ("GET", "HEAD"):
            # An archived or merged union's console stays readable (its history) but nothing changes in it.
            abort(403, description=_("This union is archived: its console can be read but not changed."))


def my_tenants() -> list[Tenant]:
    """Tenants the signed-in user can open in the console (every tenant for a platform admin)."""
    if current_user.is_platform_admin:
        stmt = sa.select(Tenant)
    else:
        stmt = sa.select(Tenant).join(Membership, Membership.tenant_id == Tenant.id).where(
            Membership.user_id == current_user.id)
    return list(db.session.scalars(stmt.order_by(Tenant.kind, Tenant.name_vi)))


@bp.route("/")
def home():
    """The tenant switcher; straight to the tenant when there is only one."""
    tenants = my_tenants()
    if len(tenants) == 1 and not current_user.national_role:
        return redirect(url_for("console.dashboard", tenant_slug=tenants[0].slug))
    return render_template("console/switcher.html", tenants=tenants)


@bp.route("/<tenant_slug>/")
@permission_required("console.view")
def dashboard():
    from app.core.audit import AuditEntry
    from app.notifications.models import Notification

    page_count = db.session.scalar(sa.select(sa.func.count(Page.id)))
    unread = db.session.scalars(sa.select(Notification).where(Notification.user_id == current_user.id,
                                                              Notification.read_at.is_(None))
                                .order_by(Notification.created_at.desc()).limit(5)).all()
    activity = db.session.execute(
        sa.select(AuditEntry, User.name).outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.tenant_id == g.tenant.id, ~AuditEntry.action.startswith("tenancy."))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(10)).all()
    return render_template("console/dashboard.html", page_count=page_count, unread=unread, activity=activity,
                           role=current_user.role_in(g.tenant.id), deadline=_next_deadline())


def _next_deadline():
    """The next reporting period still due, with this union's report status (None: not opened yet)."""
    from app.core.timeutil import vn_today
    from app.reporting.models import Report, ReportingPeriod

    period = db.session.scalars(sa.select(ReportingPeriod).where(ReportingPeriod.due_date >= vn_today())
                                .order_by(ReportingPeriod.due_date, ReportingPeriod.id).limit(1)).first()
    if period is None:
        return None
    status = db.session.scalar(sa.select(Report.status).where(Report.period_id == period.id))
    return {"period": period, "status": status}


@bp.route("/<tenant_slug>/pages/")
@permission_required("content.view")
def pages_index():
    return render_template("console/pages.html", tree=pages.page_tree())


@bp.route("/<tenant_slug>/pages/<id:page_id>")
@permission_required("content.view")
def page_detail(page_id: int):
    return render_template("console/page.html", page=db.get_or_404(Page, page_id))


@bp.route("/<tenant_slug>/pages/<id:page_id>/publish", methods=["POST"])
@permission_required("content.publish")
def page_publish(page_id: int):
    page = db.get_or_404(Page, page_id)
    publish = request.form.get("published") == "1"
    pages.set_published(page, publish)
    flash(_("The page is published.") if publish else _("The page is unpublished."), "success")
    return redirect(url_for("console.page_detail", page_id=page.id))


