"""Pages in the staff console (/manage/<tenant-slug>/pages/…): create, edit, reorder, move, menu, history."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.editorial import revisions
from app.extensions import db
from app.news.forms import ActionForm
from app.pages import services, template_sync
from app.pages.forms import PageForm, TranslationForm
from app.pages.models import Page, PageRevision

bp = Blueprint("pages", __name__, template_folder="templates", url_prefix="/<tenant_slug>/pages")
console_parent.register_blueprint(bp)


@bp.app_context_processor
def _action_form():
    return {"action_form": ActionForm}


def _parent_choices(page: Page | None) -> list[tuple[int, str]]:
    excluded = ({page.id} | services.descendants(page)) if page is not None and page.id else set()
    choices = [(0, _("(top level)"))]

    def walk(nodes, depth):
        for node in nodes:
            if node.id not in excluded:
                choices.append((node.id, "— " * depth + node.title))
                walk(node.children, depth + 1)

    walk(services.page_tree(), 0)
    return choices


def _form(page: Page | None) -> PageForm:
    form = PageForm(obj=page) if request.method == "GET" and page else PageForm()
    form.parent_id.choices = _parent_choices(page)
    if request.method == "GET":
        if page:
            form.parent_id.data = page.parent_id or 0
        else:
            form.parent_id.data = request.args.get("parent", 0, type=int)
    return form


def _fields(form: PageForm) -> dict:
    return {"title": form.title.data, "slug": (form.slug.data or "").strip(), "parent_id": form.parent_id.data or None,
            "body_html": form.body_html.data or "", "show_in_menu": form.show_in_menu.data,
            "published": form.published.data}


def _edit(page: Page | None):
    form = _form(page)
    if form.validate_on_submit():
        try:
            saved = services.save_page(page or Page(locale="vi"), _fields(form), current_user.id)
        except services.PageError as error:
            db.session.rollback()
            form.slug.errors = [*form.slug.errors, str(error)]
        else:
            flash(_("The page is saved."), "success")
            return redirect(url_for(".edit", page_id=saved.id))
    status = _template_status(page) if page is not None and page.id else None
    versions = {v.locale: v for v in page.translations} if page is not None and page.id else {}
    return render_template("pages/console/edit.html", form=form, page=page, template_status=status,
                           versions=versions, other_locales=OTHER_LOCALES), 400 if form.errors else 200


OTHER_LOCALES = ("en",)  # the languages a page can have a version in besides Vietnamese


def _template_status(page: Page) -> dict | None:
    """What the console says about a copy of a national template page (None for the union's own pages)."""
    template = template_sync.template_of(page)
    if template is None:
        return None
    return {"template": template, "overridden": page.template_overridden, "at": page.overridden_at,
            "by": db.session.get(User, page.overridden_by_id) if page.overridden_by_id else None}


@bp.route("/new", methods=["GET", "POST"])
@permission_required("content.publish")
def new():
    return _edit(None)


@bp.route("/<id:page_id>/edit", methods=["GET", "POST"])
@permission_required("content.publish")
def edit(page_id: int):
    return _edit(db.get_or_404(Page, page_id))


def _action(page_id: int) -> Page:
    page = db.get_or_404(Page, page_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return page


@bp.route("/<id:page_id>/up", methods=["POST"])
@permission_required("content.publish")
def up(page_id: int):
    services.shift(_action(page_id), -1)
    return redirect(url_for("console.pages_index") + f"#page-{page_id}")


@bp.route("/<id:page_id>/down", methods=["POST"])
@permission_required("content.publish")
def down(page_id: int):
    services.shift(_action(page_id), +1)
    return redirect(url_for("console.pages_index") + f"#page-{page_id}")


@bp.route("/<id:page_id>/menu", methods=["POST"])
@permission_required("content.publish")
def menu(page_id: int):
    page = _action(page_id)
    shown = request.form.get("show") == "1"
    services.set_in_menu(page, shown)
    flash(_("The page is shown in the menu.") if shown else _("The page is hidden from the menu."), "success")
    return redirect(url_for("console.pages_index") + f"#page-{page_id}")


@bp.route("/<id:page_id>/delete", methods=["GET", "POST"])
@permission_required("content.publish")
def delete(page_id: int):
    page = db.get_or_404(Page, page_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        services.delete_page(page)
        flash(_("The page is deleted."), "success")
        return redirect(url_for("console.pages_index"))
    return render_template("pages/console/delete.html", page=page, form=form,
                           sub_pages=len(services.descendants(page)))


@bp.route("/<id:page_id>/revisions")
@permission_required("content.view")
def history(page_id: int):
    page = db.get_or_404(Page, page_id)
    return render_template("pages/console/history.html", page=page, action=ActionForm(),
                           revisions=revisions.history(PageRevision, "page_id", page.id))


def _revision_or_404(page: Page, number) -> PageRevision:
    revision = None if not isinstance(number, int) else db.session.scalars(sa.select(PageRevision).where(
        PageRevision.page_id == page.id, PageRevision.number == number)).first()
    if revision is None:
        abort(404)
    return revision


@bp.route("/<id:page_id>/revisions/diff")
@permission_required("content.view")
def diff(page_id: int):
    page = db.get_or_404(Page, page_id)
    old = _revision_or_404(page, request.args.get("from", type=int))
    new = _revision_or_404(page, request.args.get("to", type=int))
    rows = revisions.diff(old, new, {"title": _("Title"), "body_html": _("Content")})
    return render_template("pages/console/diff.html", page=page, old=old, new=new, rows=rows)


@bp.route("/<id:page_id>/revisions/<int:number>/restore", methods=["POST"])
@permission_required("content.publish")
def restore(page_id: int, number: int):
    page = _action(page_id)
    services.restore_page(page, _revision_or_404(page, number), current_user.id)
    flash(_("Revision %(n)d is restored as a new revision.", n=number), "success")
    return redirect(url_for(".edit", page_id=page.id))


# --- the national template: how a copy differs, reset -----------------------------------------------------

def _copy_or_404(page_id: int) -> tuple[Page, object]:
    page = db.get_or_404(Page, page_id)
    template = template_sync.template_of(page)
    if template is None:
        abort(404)
    return page, template


@bp.route("/<id:page_id>/template")
@permission_required("content.view")
def template_diff(page_id: int):
    page, template = _copy_or_404(page_id)
    rows = revisions.diff(template_sync.template_for_page(page, template), page,
                          {"title": _("Title"), "body_html": _("Content")})
    return render_template("pages/console/template_diff.html", page=page, template=template, rows=rows,
                           form=ActionForm())


@bp.route("/<id:page_id>/template/reset", methods=["POST"])
@permission_required("content.publish")
def template_reset(page_id: int):
    page, _template = _copy_or_404(page_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "1":
        flash(_("Tick the box to confirm that this page's own text is replaced by the template's."), "error")
        return redirect(url_for(".template_diff", page_id=page.id))
    template_sync.reset(page, current_user.id)
    flash(_("The page has the national template's text again and follows the template from now on."), "success")
    return redirect(url_for(".edit", page_id=page.id))


# --- versions in other languages ----------------------------------------------------------------------------

@bp.route("/<id:page_id>/translation/<locale>", methods=["GET", "POST"])
@permission_required("content.publish")
def translation(page_id: int, locale: str):
    original = db.get_or_404(Page, page_id)
    if locale not in OTHER_LOCALES or original.translation_of_id is not None:
        abort(404)
    version = services.translation(original, locale)
    form = TranslationForm(obj=version) if request.method == "GET" and version else TranslationForm()
    if form.validate_on_submit():
        services.save_translation(original, locale, {"title": form.title.data, "body_html": form.body_html.data or "",
                                                     "published": form.published.data}, current_user.id)
        flash(_("The English version is saved."), "success")
        return redirect(url_for(".translation", page_id=original.id, locale=locale))
    return render_template("pages/console/translation.html", form=form, original=original, version=version,
                           locale=locale), 400 if form.errors else 200
