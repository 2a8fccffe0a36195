"""The national template of pages in the national console (/national/templates/…): the national union edits the
pages every union's site holds; each union's copy follows until the union edits it (app/pages/template_sync.py)."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.accounts.permissions import permission_required
from app.extensions import db
from app.national.routes import bp as national_parent
from app.pages import template_sync
from app.pages.models import PageTemplate
from tenants.models import Tenant

bp = Blueprint("page_templates", __name__, template_folder="templates", url_prefix="/templates")
national_parent.register_blueprint(bp)


class TemplateForm(FlaskForm):
    title_vi = StringField(_l("Title in Vietnamese"), validators=[DataRequired(_l("Enter a title.")), Length(max=255)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=255)],
                           description=_l("Leave empty if the page has no English version."))
    body_vi = TextAreaField(_l("Content in Vietnamese"), render_kw={"rows": 14, "data-editor": "rich"})
    body_en = TextAreaField(_l("Content in English"), render_kw={"rows": 14, "data-editor": "rich"})


class NewTemplateForm(TemplateForm):
    slug = StringField(_l("Address (leave empty to make it from the title)"), validators=[
        Length(max=120), Regexp(r"^[a-z0-9-]*$", message=_l("Use lower-case letters without accents, digits and -."))])
    parent_key = SelectField(_l("Place in the tree (parent page)"), choices=[], validate_choice=True)


def _fields(form: TemplateForm) -> dict:
    return {"title_vi": form.title_vi.data.strip(), "title_en": (form.title_en.data or "").strip(),
            "body_vi": form.body_vi.data or "", "body_en": form.body_en.data or ""}


def _template_or_404(template_id: int) -> PageTemplate:
    return db.get_or_404(PageTemplate, template_id)


@bp.route("/")
@permission_required("national.view")
def index():
    template_sync.ensure_defaults()
    db.session.commit()
    rows = []
    for template in template_sync.templates():
        following = template_sync.followers(template.key)
        rows.append((template, sum(1 for o, _en in following.values() if not o),
                     sum(1 for o, _en in following.values() if o)))
    return render_template("national/page_templates/index.html", rows=rows)


def _result_message(result: template_sync.SyncResult) -> str:
    return _("Saved. %(updated)d unions' pages were updated, %(created)d made; %(kept)d unions that wrote their own "
             "page keep it.", updated=result.updated, created=result.created, kept=result.kept)


@bp.route("/<int:template_id>", methods=["GET", "POST"])
@permission_required("national.manage")
def edit(template_id: int):
    template = _template_or_404(template_id)
    form = TemplateForm(obj=template)
    if form.validate_on_submit():
        result = template_sync.save_template(template, _fields(form), current_user.id)
        if result == template_sync.SyncResult():
            flash(_("Nothing changed."), "info")
        else:
            flash(_result_message(result), "success")
        return redirect(url_for(".edit", template_id=template.id))
    following = template_sync.followers(template.key)
    names = dict(db.session.execute(sa.select(Tenant.id, Tenant.name_vi)).all())
    unions = sorted(((names.get(tid, str(tid)), overridden) for tid, (overridden, _en) in following.items()),
                    key=lambda row: (not row[1], row[0]))
    return render_template("national/page_templates/edit.html", form=form, template=template, unions=unions,
                           tokens=template_sync.TOKENS), 400 if form.errors else 200


@bp.route("/new", methods=["GET", "POST"])
@permission_required("national.manage")
def new():
    form = NewTemplateForm()
    form.parent_key.choices = [("", _("(top level)"))] + [
        (t.key, t.title_vi) for t in template_sync.templates() if "/" not in t.key]
    if form.validate_on_submit():
        fields = _fields(form) | {"slug": (form.slug.data or "").strip(), "parent_key": form.parent_key.data or None}
        try:
            template = PageTemplate()
            result = template_sync.save_template(template, fields, current_user.id)
        except template_sync.TemplateError as error:
            db.session.rollback()
            form.slug.errors = [*form.slug.errors, str(error)]
        else:
            flash(_result_message(result), "success")
            return redirect(url_for(".edit", template_id=template.id))
    return render_template("national/page_templates/edit.html", form=form, template=None, unions=[],
                           tokens=template_sync.TOKENS), 400 if form.errors else 200


@bp.errorhandler(template_sync.TemplateError)
def _refused(error):
    flash(str(error), "error")
    return redirect(url_for(".index"))


