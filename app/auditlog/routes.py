"""The audit log, readable: a union's own entries (/manage/<slug>/audit/), every union's (/national/audit/)."""

from datetime import date, datetime

import sqlalchemy as sa
from flask import Blueprint, g, render_template, request
from flask_babel import gettext as _

from app.accounts.models import User
from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.core.audit import AuditEntry
from app.core.pagination import paginate
from app.core.timeutil import vn_day_start
from app.extensions import db
from app.national.routes import bp as national_parent
from tenants.models import Tenant

console_bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/<tenant_slug>/audit")
national_bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/audit")
console_parent.register_blueprint(console_bp)
national_parent.register_blueprint(national_bp)
PER_PAGE = 50


class Filters:
    """?action=&actor=&since=&until=[&tenant=]: validated, with messages instead of errors."""

    def __init__(self, national: bool):
        args = request.args
        self.action = args.get("action", "").strip()[:64]
        self.actor = args.get("actor", "").strip()[:255]
        self.tenant = args.get("tenant", "").strip()[:64] if national else ""
        self.errors: list[str] = []
        self.since = self._date("since", _("From"))
        self.until = self._date("until", _("To"))
        if self.since and self.until and self.since > self.until:
            self.errors.append(_("The start date is after the end date."))

    def _date(self, name: str, label: str) -> date | None:
        raw = request.args.get(name, "").strip()
        if not raw:
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(raw[:10], fmt).date()
            except ValueError:
                continue
        self.errors.append(_("%(field)s: “%(value)s” is not a date (dd/mm/yyyy).", field=label, value=raw[:20]))
        return None

    def apply(self, stmt: sa.Select) -> sa.Select:
        if self.action:
            stmt = stmt.where(AuditEntry.action.startswith(self.action, autoescape=True))
        if self.actor:
            stmt = stmt.where(User.email.contains(self.actor.lower(), autoescape=True))
        if self.since:
            stmt = stmt.where(AuditEntry.at >= vn_day_start(self.since))
        if self.until:
            stmt = stmt.where(AuditEntry.at < vn_day_start(self.until, plus_days=1))
        if self.tenant:
            stmt = stmt.where(Tenant.slug == self.tenant)
        return stmt


def _entries(filters: Filters, tenant_id: int | None) -> sa.Select:
    stmt = (sa.select(AuditEntry, User.email, Tenant.name_vi)
            .outerjoin(User, User.id == AuditEntry.actor_id).outerjoin(Tenant, Tenant.id == AuditEntry.tenant_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    if tenant_id is not None:
        stmt = stmt.where(AuditEntry.tenant_id == tenant_id)
    return filters.apply(stmt)


def _page(filters: Filters, tenant_id: int | None):
    return paginate(_entries(filters, tenant_id), per_page=PER_PAGE,
                    load=lambda limited: db.session.execute(limited).all())


def _actions(tenant_id: int | None) -> list[str]:
    stmt = sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    if tenant_id is not None:
        stmt = stmt.where(AuditEntry.tenant_id == tenant_id)
    return list(db.session.scalars(stmt.limit(200)))


@console_bp.route("/")
@permission_required("audit.view")
def index():
    filters = Filters(national=False)
    page = _page(filters, g.tenant.id)
    return render_template("auditlog/index.html", page=page, filters=filters, actions=_actions(g.tenant.id),
                           national=False, tenants=[]), 400 if filters.errors else 200


@national_bp.route("/")
@permission_required("national.manage")
def national_index():
    filters = Filters(national=True)
    page = _page(filters, None)
    tenants = db.session.execute(sa.select(Tenant.slug, Tenant.name_vi).order_by(Tenant.name_vi)).all()
    return render_template("auditlog/index.html", page=page, filters=filters, actions=_actions(None), national=True,
                           tenants=tenants), 400 if filters.errors else 200
