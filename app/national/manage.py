"""National console basics: create a tenant (from the template), clusters per year, national users."""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from app.accounts.models import User
from app.accounts.permissions import permission_required
from app.accounts.roles import NationalRole
from app.core import audit
from app.core.templating import role_label
from app.extensions import db
from app.national.routes import bp as national_parent
from tenants import provision
from tenants.models import Cluster, ClusterLeadership, ClusterMembership, Province, Tenant, TenantKind, TenantStatus

tenants_bp = Blueprint("tenants", __name__, template_folder="templates", url_prefix="/tenants")
clusters_bp = Blueprint("clusters", __name__, template_folder="templates", url_prefix="/clusters")
users_bp = Blueprint("users", __name__, template_folder="templates", url_prefix="/users")
for _bp in (tenants_bp, clusters_bp, users_bp):
    national_parent.register_blueprint(_bp)


# --- tenants ----------------------------------------------------------------------------------------------

class TenantForm(FlaskForm):
    slug = StringField(_l("Short name (used in addresses)"), validators=[DataRequired(), Length(max=63)],
                       description=_l("Lower-case letters without accents, digits and hyphens, e.g. vinh-phuc."))
    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(), Length(max=255)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=255)])
    province = SelectField(_l("Provincial unit"), choices=[])
    host = StringField(_l("Main domain name"), validators=[DataRequired(), Length(max=253)])
    submit = SubmitField(_l("Create the union"))


@tenants_bp.route("/new", methods=["GET", "POST"])
@permission_required("national.manage")
def create():
    form = TenantForm()
    provinces = db.session.scalars(sa.select(Province).where(Province.valid_to.is_(None)).order_by(Province.name))
    form.province.choices = [("", _("— none —"))] + [(str(p.id), p.name) for p in provinces]
    if form.validate_on_submit():
        try:
            tenant = provision.create_tenant(slug=form.slug.data, name_vi=form.name_vi.data, name_en=form.name_en.data,
                                             host=form.host.data, actor_id=current_user.id,
                                             province_id=int(form.province.data) if form.province.data else None)
        except provision.ProvisionError as refusal:
            db.session.rollback()
            form.slug.errors = [*form.slug.errors, str(refusal)]
        else:
            flash(_("%(name)s was created with its standard pages and categories.", name=tenant.name_vi), "success")
            return redirect(url_for("national.index"))
    return render_template("national/tenant_new.html", form=form), 400 if form.errors else 200


# --- clusters ---------------------------------------------------------------------------------------------

def _year() -> int:
    year = request.args.get("year", type=int) or request.form.get("year", type=int) or date.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


@clusters_bp.route("/<id:cluster_id>", methods=["GET", "POST"])
@permission_required("national.view")
def detail(cluster_id: int):
    cluster = db.get_or_404(Cluster, cluster_id)
    year = _year()
    unions = db.session.scalars(sa.select(Tenant).where(Tenant.kind == TenantKind.PROVINCIAL,
                                                        Tenant.status != TenantStatus.MERGED)
                                .order_by(Tenant.name_vi)).all()
    placed = dict(db.session.execute(sa.select(ClusterMembership.tenant_id, Cluster.name_vi)
                                     .join(Cluster).where(ClusterMembership.year == year,
                                                          ClusterMembership.cluster_id != cluster.id)).all())
    errors = []
    if request.method == "POST":
        from app.accounts.permissions import can

        if not can("national.manage"):
            abort(403)
        if not FlaskForm().validate_on_submit():
            abort(400)
        errors = _save_cluster(cluster, year, unions, placed)
        if not errors:
            flash(_("%(cluster)s for %(year)d was saved.", cluster=cluster.name_vi, year=year), "success")
            return redirect(url_for("national.clusters.detail", cluster_id=cluster.id, year=year))
    return render_template("national/cluster.html", cluster=cluster, year=year, unions=unions, placed=placed,
                           members={t.id for t in cluster.members_in(year)}, lead=cluster.leadership_in(year),
                           errors=errors), 400 if errors else 200


def _save_cluster(cluster: Cluster, year: int, unions, placed) -> list[str]:
    valid = {t.id for t in unions}
    try:
        chosen = {int(v) for v in request.form.getlist("member")}
        leader = int(request.form["leader"]) if request.form.get("leader") else None
        deputy = int(request.form["deputy"]) if request.form.get("deputy") else None
    except ValueError:
        return [_("The form was not filled in correctly.")]
    errors = []
    if not chosen <= valid:
        errors.append(_("Choose member unions from the list."))
    if moved := chosen & set(placed):
        names = ", ".join(t.name_vi for t in unions if t.id in moved)
        errors.append(_("In %(year)d these unions already belong to another cluster: %(names)s. Remove them there "
                        "first.", year=year, names=names))
    if leader is not None and leader not in chosen:
        errors.append(_("The leader must be one of the cluster's members."))
    if deputy is not None and (deputy not in chosen or deputy == leader):
        errors.append(_("The deputy must be another of the cluster's members."))
    if errors:
        return errors
    for membership in [m for m in cluster.memberships if m.year == year]:
        if membership.tenant_id not in chosen:
            db.session.delete(membership)
    existing = {m.tenant_id for m in cluster.memberships if m.year == year}
    for tenant_id in chosen - existing:
        db.session.add(ClusterMembership(cluster_id=cluster.id, tenant_id=tenant_id, year=year))
    lead = cluster.leadership_in(year)
    if leader is None:
        if lead is not None:
            db.session.delete(lead)
    elif lead is None:
        db.session.add(ClusterLeadership(cluster_id=cluster.id, year=year, leader_tenant_id=leader,
                                         deputy_tenant_id=deputy))
    else:
        lead.leader_tenant_id, lead.deputy_tenant_id = leader, deputy
    audit.record("cluster.change", tenant_id=None, target=f"cluster:{cluster.code}:{year}",
                 detail=f"members={sorted(chosen)} leader={leader} deputy={deputy}")
    db.session.commit()
    return []


# --- national users ---------------------------------------------------------------------------------------

class GrantForm(FlaskForm):
    email = EmailField(_l("E-mail of an existing account"), validators=[DataRequired(), Email()])
    role = SelectField(_l("National role"), choices=[])
    submit = SubmitField(_l("Grant"))


def _platform_admins() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)).where(User.national_role == NationalRole.PLATFORM_ADMIN,
                                                                     User.active.is_(True)))


@users_bp.route("/", methods=["GET", "POST"])
@permission_required("national.manage")
def index():
    form = GrantForm()
    form.role.choices = [(r.value, role_label(r.value)) for r in NationalRole]
    if form.validate_on_submit():
        user = db.session.scalars(sa.select(User).where(User.email == form.email.data.strip().lower())).first()
        if user is None:
            form.email.errors = [*form.email.errors, _("No account uses this address: invite the person to a union "
                                                       "first, or create the account with `flask users create`.")]
        elif user.national_role == NationalRole.PLATFORM_ADMIN and form.role.data != NationalRole.PLATFORM_ADMIN \
                and _platform_admins() <= 1:
            form.email.errors = [*form.email.errors, _("This is the last platform administrator.")]
        else:
            previous = user.national_role
            user.national_role = form.role.data
            audit.record("people.national_role", tenant_id=None, target=f"user:{user.id}",
                         detail=f"{previous} -> {form.role.data}")
            db.session.commit()
            flash(_("%(name)s is now %(role)s.", name=user.name, role=role_label(form.role.data)), "success")
            return redirect(url_for("national.users.index"))
    people = db.session.scalars(sa.select(User).where(User.national_role.is_not(None)).order_by(User.name)).all()
    return render_template("national/users.html", form=form, people=people), 400 if form.errors else 200


@users_bp.route("/<id:user_id>/revoke", methods=["POST"])
@permission_required("national.manage")
def revoke(user_id: int):
    user = db.get_or_404(User, user_id)
    if not FlaskForm().validate_on_submit() or user.national_role is None:
        abort(400)
    if user.national_role == NationalRole.PLATFORM_ADMIN and _platform_admins() <= 1:
        flash(_("This is the last platform administrator."), "error")
        return redirect(url_for("national.users.index"))
    audit.record("people.national_role", tenant_id=None, target=f"user:{user.id}", detail=f"{user.national_role} -> -")
    user.national_role = None
    db.session.commit()
    flash(_("%(name)s no longer has a national role.", name=user.name), "success")
    return redirect(url_for("national.users.index"))
