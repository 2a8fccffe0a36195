"""Site settings (/manage/<slug>/settings/…) and the national decisions on domains (/national/domains/…)."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.extensions import db
from app.media.models import MediaItem
from app.media.routes import media_url
from app.national.routes import bp as national_parent
from app.settings import services
from app.settings.forms import DecisionForm, DomainRequestForm, SettingsForm
from app.settings.models import DomainRequest
from tenants.resolver import tenant_by_slug_or_404

console_bp = Blueprint("settings", __name__, template_folder="templates", url_prefix="/<tenant_slug>/settings")
national_bp = Blueprint("domains", __name__, template_folder="templates", url_prefix="/domains")
console_parent.register_blueprint(console_bp)
national_parent.register_blueprint(national_bp)


def _logo_choices(current: str | None) -> list[tuple[str, str]]:
    images = db.session.scalars(sa.select(MediaItem).where(MediaItem.kind == "image")
                                .order_by(MediaItem.created_at.desc()).limit(200)).all()
    choices = [("", _("— no logo (the national emblem) —"))]
    if current and all(media_url(i, 320 if 320 in i.widths else None) != current for i in images):
        choices.append((current, _("the current logo")))
    choices += [(media_url(i, 320 if 320 in i.widths else None), i.title or i.original_name) for i in images]
    return choices


@console_bp.route("/", methods=["GET", "POST"])
@permission_required("settings.manage")
def index():
    tenant = g.tenant
    form = SettingsForm(obj=tenant, logo=tenant.logo_url or "", english="en" in tenant.locales)
    form.logo.choices = _logo_choices(tenant.logo_url)
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in ("name_vi", "name_en", "address", "phone", "email",
                                                     "editor_in_chief")}
        values["logo_url"] = form.logo.data
        values["enabled_locales"] = "vi,en" if form.english.data else "vi"  # Vietnamese always
        changed = services.save_settings(tenant, values)
        flash(_("Settings saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("console.settings.index"))
    requests = db.session.scalars(sa.select(DomainRequest).order_by(DomainRequest.created_at.desc()).limit(20)).all()
    return render_template("settings/index.html", form=form, domain_form=DomainRequestForm(prefix="domain"),
                           requests=requests), 400 if form.errors else 200


@console_bp.route("/domains", methods=["POST"])
@permission_required("settings.manage")
def request_domain():
    form = DomainRequestForm(prefix="domain")
    if form.validate_on_submit():
        try:
            services.request_domain(g.tenant, form.host.data, make_primary=form.make_primary.data,
                                    note=form.note.data or "", user_id=current_user.id)
        except services.SettingsError as refusal:
            form.host.errors = [*form.host.errors, str(refusal)]
        else:
            flash(_("Your request was sent to the national union."), "success")
            return redirect(url_for("console.settings.index"))
    settings_form = SettingsForm(obj=g.tenant, logo=g.tenant.logo_url or "", english="en" in g.tenant.locales)
    settings_form.logo.choices = _logo_choices(g.tenant.logo_url)
    requests = db.session.scalars(sa.select(DomainRequest).order_by(DomainRequest.created_at.desc()).limit(20)).all()
    return render_template("settings/index.html", form=settings_form, domain_form=form, requests=requests), 400


@national_bp.route("/")
@permission_required("national.manage")
def pending():
    return render_template("settings/domains.html", rows=services.pending_requests(), form=DecisionForm())


@national_bp.route("/<slug>/<id:request_id>/<any(approve, decline):decision>", methods=["POST"])
@permission_required("national.manage")
def decide(slug: str, request_id: int, decision: str):
    tenant = tenant_by_slug_or_404(slug)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        host = services.decide(tenant, request_id, approve=decision == "approve", reason=form.reason.data or "",
                                  user_id=current_user.id)
    except LookupError:
        abort(404)
    except services.SettingsError as refusal:
        flash(str(refusal), "error")
    else:
        flash(_("%(host)s was approved for %(union)s.", host=host, union=tenant.name_vi)
              if decision == "approve" else _("%(host)s was declined.", host=host), "success")
    return redirect(url_for("national.domains.pending"))
