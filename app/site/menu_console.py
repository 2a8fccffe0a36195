"""The menu editors: a union's own menu (/manage/<tenant-slug>/menu/…) and the national default menu
(/national/menu/…), both two levels deep and per language."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, ValidationError

from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.extensions import db
from app.national.routes import bp as national_parent
from app.news.forms import LOCALES, ActionForm, _max, int_or_none
from app.site import menu_editor, menus
from app.site.models import MENU_KINDS, TEMPLATE_MENU_KINDS, MenuItem, MenuTemplateItem

bp = Blueprint("menus", __name__, template_folder="templates", url_prefix="/<tenant_slug>/menu")
national_bp = Blueprint("menus", __name__, template_folder="templates", url_prefix="/menu")
console_parent.register_blueprint(bp)
national_parent.register_blueprint(national_bp)


@bp.app_context_processor
def _menu_context():
    return {"site_menu": menus.current_menu}


KIND_LABELS = {"page": _l("Page"), "category": _l("News category"), "document": _l("Document"),
               "member": _l("Member organisation"), "section": _l("Section of the site"), "url": _l("Web address")}


def _in_kinds(form, field):
    if field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Choose one of the listed options."))


class MenuItemForm(FlaskForm):
    label = StringField(_l("Label"), validators=[DataRequired(_l("Enter a label.")), _max(120)])
    kind = SelectField(_l("Links to"), validate_choice=False, validators=[_in_kinds])
    target = SelectField(_l("Target (page, category, document, member organisation or section)"),
                         validate_choice=False)
    url = StringField(_l("Web address (for a link to another site)"), validators=[_max(500)],
                      description=_l("Starting with https:// or http://"))
    parent_id = SelectField(_l("Place"), coerce=int_or_none, validate_choice=False)


@dataclass(frozen=True)
class Scope:
    """One of the two editors: the union's own menu, or the national default."""

    model: type
    endpoint: str  # "console.menus" or "national.menus"
    kinds: tuple[str, ...]

    @property
    def national(self) -> bool:
        return self.model is MenuTemplateItem


OWN = Scope(MenuItem, "console.menus", MENU_KINDS)
DEFAULT = Scope(MenuTemplateItem, "national.menus", TEMPLATE_MENU_KINDS)


def _locale() -> str:
    locale = request.args.get("locale", "vi")
    return locale if locale in dict(LOCALES) else "vi"


# --- what an item can point at --------------------------------------------------------------------------

def _target_groups(scope: Scope) -> dict[str, list[tuple[str, str]]]:
    """kind -> [(value "kind:id-or-name", label)], for the target select (grouped by kind)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    if scope.national:
        groups["page"] = [(f"page:{key}", title) for key, title in _template_pages()]
    else:
        from app.documents.models import Document
        from app.members.models import MemberOrganization
        from app.news.models import Category
        from app.pages.models import Page

        hidden = _(" (not published)")
        groups["page"] = [(f"page:{p.id}", p.title + ("" if p.published else hidden)) for p in db.session.execute(
            sa.select(Page.id, Page.title, Page.published).where(Page.translation_of_id.is_(None))  # one per page
            .order_by(Page.title, Page.id))]
        groups["category"] = [(f"category:{c.id}", c.name_vi) for c in db.session.execute(
            sa.select(Category.id, Category.name_vi).order_by(Category.position, Category.id))]
        groups["document"] = [(f"document:{d.id}", _short(d.title) + ("" if d.published else hidden))
                              for d in db.session.execute(sa.select(Document.id, Document.title, Document.published)
                                                          .order_by(Document.id.desc()))]
        groups["member"] = [(f"member:{m.id}", m.name_vi + ("" if m.published else hidden))
                            for m in db.session.execute(sa.select(MemberOrganization.id, MemberOrganization.name_vi,
                                                                  MemberOrganization.published)
                                                        .order_by(MemberOrganization.name_vi))]
    groups["section"] = [(f"section:{name}", label) for name, label in menus.section_choices()]
    return groups


def _short(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _template_pages() -> list[tuple[str, str]]:
    """The national template's pages (key, title): the PageTemplate rows, else the built-in template."""
    from app.pages.models import PageTemplate

    rows = db.session.execute(sa.select(PageTemplate.key, PageTemplate.title_vi)
                              .order_by(PageTemplate.parent_key.nullsfirst(), PageTemplate.position)).all()
    if rows:
        return [(key, title) for key, title in rows]
    from app.pages.template_sync import DEFAULTS  # while the table is still empty

    return [(row[0], row[3]) for row in DEFAULTS]


NOT_FOUND = {"page": _l("The chosen page was not found."), "category": _l("The chosen category was not found."),
             "document": _l("The chosen document was not found."),
             "member": _l("The chosen member organisation was not found."),
             "section": _l("The chosen section was not found.")}


def _fields(scope: Scope, form: MenuItemForm, groups) -> dict | None:
    """The checked fields, or None with the errors set on the form."""
    kind = form.kind.data
    fields = {"label": form.label.data or "", "kind": kind, "target": None, "target_id": None,
              "parent_id": form.parent_id.data or None}
    if kind == "url":
        address = menus.web_address(form.url.data)
        if address is None:
            form.url.errors = [*form.url.errors, _("Enter a web address starting with https:// or http://.")]
            return None
        fields["target"] = address
        return fields
    value = (form.target.data or "").strip()
    if not value:
        form.target.errors = [*form.target.errors, _("Choose what the item links to.")]
        return None
    chosen_kind, _sep, name = value.partition(":")
    if chosen_kind != kind:
        form.target.errors = [*form.target.errors, _("Choose a target of the kind chosen above.")]
        return None
    if value not in {v for v, _label in groups.get(kind, [])}:
        form.target.errors = [*form.target.errors, str(NOT_FOUND[kind])]
        return None
    if kind in ("section",) or scope.national:
        fields["target"] = name
    else:
        fields["target_id"] = int(name)
    return fields


def _form(scope: Scope, item, locale: str) -> tuple[MenuItemForm, dict]:
    form = MenuItemForm()
    groups = _target_groups(scope)
    form.kind.choices = [(kind, str(KIND_LABELS[kind])) for kind in scope.kinds]
    form.target.choices = {"—": [("", _("— choose —"))],
                           **{str(KIND_LABELS[kind]): options for kind, options in groups.items()}}
    tops = [row for row in menu_editor.items(scope.model, locale) if item is None or row.id != item.id]
    form.parent_id.choices = [(0, _("Top level"))] + [(row.id, _("Below “%(label)s”", label=row.label))
                                                      for row in tops]
    if request.method == "GET":
        if item is not None:
            form.label.data, form.kind.data = item.label, item.kind
            form.parent_id.data = item.parent_id or 0
            if item.kind == "url":
                form.url.data = item.target
            else:
                ident = getattr(item, "target_id", None)
                form.target.data = f"{item.kind}:{item.target if ident is None else ident}"
        else:
            form.parent_id.data = request.args.get("parent", 0, type=int)
    return form, groups


def _describe(item, targets: dict[str, str]) -> str:
    if item.kind == "url":
        return item.target or ""
    ident = getattr(item, "target_id", None)
    found = targets.get(f"{item.kind}:{item.target if ident is None else ident}")
    return found if found is not None else _("(no longer exists: not shown on the site)")


# --- shared views --------------------------------------------------------------------------------------

def _index(scope: Scope):
    locale = _locale()
    rows = menu_editor.items(scope.model, locale)
    targets = {value: label for options in _target_groups(scope).values() for value, label in options}
    default_count = None
    if not scope.national:
        default_count = db.session.scalar(sa.select(sa.func.count(MenuTemplateItem.id))
                                          .where(MenuTemplateItem.locale == locale))
    return render_template("site/menus/index.html", scope=scope, locale=locale, locales=LOCALES, rows=rows,
                           describe=lambda item: _describe(item, targets), kind_labels=KIND_LABELS,
                           default_count=default_count, action=ActionForm())


def _edit(scope: Scope, item):
    locale = item.locale if item is not None else _locale()
    form, groups = _form(scope, item, locale)
    if form.validate_on_submit():
        fields = _fields(scope, form, groups)
        if fields is not None:
            try:
                saved = menu_editor.save(scope.model, item, fields, locale)
            except menu_editor.MenuError as error:
                db.session.rollback()
                getattr(form, error.field).errors = [*getattr(form, error.field).errors, str(error)]
            else:
                flash(_("The menu item “%(label)s” is saved.", label=saved.label), "success")
                return redirect(url_for(f"{scope.endpoint}.index", locale=locale) + f"#item-{saved.id}")
    status = 400 if request.method == "POST" else 200
    return render_template("site/menus/edit.html", scope=scope, form=form, item=item, locale=locale), status


def _get(scope: Scope, item_id: int):
    return db.get_or_404(scope.model, item_id)


def _shift(scope: Scope, item_id: int, step: int):
    item = _get(scope, item_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    menu_editor.shift(item, step)
    return redirect(url_for(f"{scope.endpoint}.index", locale=item.locale) + f"#item-{item.id}")


def _delete(scope: Scope, item_id: int):
    item = _get(scope, item_id)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        locale, label = item.locale, item.label
        menu_editor.delete(item)
        flash(_("The menu item “%(label)s” is deleted.", label=label), "success")
        return redirect(url_for(f"{scope.endpoint}.index", locale=locale))
    return render_template("site/menus/delete.html", scope=scope, item=item, form=form)


# --- a union's own menu ----------------------------------------------------------------------------------

@bp.route("/")
@permission_required("content.publish")
def index():
    return _index(OWN)


@bp.route("/new", methods=["GET", "POST"])
@permission_required("content.publish")
def new():
    return _edit(OWN, None)


@bp.route("/<id:item_id>/edit", methods=["GET", "POST"])
@permission_required("content.publish")
def edit(item_id: int):
    return _edit(OWN, _get(OWN, item_id))


@bp.route("/<id:item_id>/up", methods=["POST"])
@permission_required("content.publish")
def up(item_id: int):
    return _shift(OWN, item_id, -1)


@bp.route("/<id:item_id>/down", methods=["POST"])
@permission_required("content.publish")
def down(item_id: int):
    return _shift(OWN, item_id, +1)


@bp.route("/<id:item_id>/delete", methods=["GET", "POST"])
@permission_required("content.publish")
def delete(item_id: int):
    return _delete(OWN, item_id)


@bp.route("/copy-default", methods=["POST"])
@permission_required("content.publish")
def copy_default():
    locale = _locale()
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = menu_editor.copy_default(locale)
    except menu_editor.MenuError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("The national default menu is copied (%(n)d items): change it as you wish.", n=count), "success")
    return redirect(url_for(".index", locale=locale))


@bp.route("/reset", methods=["GET", "POST"])
@permission_required("content.publish")
def reset():
    locale = _locale()
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        menu_editor.reset(locale)
        flash(_("The union's own menu is deleted: the site shows the national default menu again."), "success")
        return redirect(url_for(".index", locale=locale))
    count = db.session.scalar(sa.select(sa.func.count(MenuItem.id)).where(MenuItem.locale == locale))
    return render_template("site/menus/reset.html", scope=OWN, locale=locale, count=count, form=form)


# --- the national default menu ---------------------------------------------------------------------------

@national_bp.route("/", endpoint="index")
@permission_required("national.manage")
def national_index():
    return _index(DEFAULT)


@national_bp.route("/new", methods=["GET", "POST"], endpoint="new")
@permission_required("national.manage")
def national_new():
    return _edit(DEFAULT, None)


@national_bp.route("/<id:item_id>/edit", methods=["GET", "POST"], endpoint="edit")
@permission_required("national.manage")
def national_edit(item_id: int):
    return _edit(DEFAULT, _get(DEFAULT, item_id))


@national_bp.route("/<id:item_id>/up", methods=["POST"], endpoint="up")
@permission_required("national.manage")
def national_up(item_id: int):
    return _shift(DEFAULT, item_id, -1)


@national_bp.route("/<id:item_id>/down", methods=["POST"], endpoint="down")
@permission_required("national.manage")
def national_down(item_id: int):
    return _shift(DEFAULT, item_id, +1)


@national_bp.route("/<id:item_id>/delete", methods=["GET", "POST"], endpoint="delete")
@permission_required("national.manage")
def national_delete(item_id: int):
    return _delete(DEFAULT, item_id)
