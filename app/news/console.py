"""News in the staff console (/manage/<tenant-slug>/news/…): list, write, review, history, preview links."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Membership, User
from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.core.pagination import paginate
from app.editorial import revisions
from app.extensions import db
from app.news import cover, preview, workflow
from app.news.forms import ActionForm, ApproveForm, ArticleForm, ReturnForm
from app.news.models import Article, ArticleRevision, ArticleStatus, Category

bp = Blueprint("news", __name__, template_folder="templates", url_prefix="/<tenant_slug>/news")
console_parent.register_blueprint(bp)  # once per process, at import (like the aid views)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PER_PAGE = 20


def status_labels() -> dict[str, str]:
    return {ArticleStatus.DRAFT: _("draft"), ArticleStatus.IN_REVIEW: _("in review"),
            ArticleStatus.PUBLISHED: _("published"), ArticleStatus.ARCHIVED: _("archived")}


def editor_labels() -> dict[str, str]:
    """Names of the editor's toolbar buttons, for screen readers and tooltips, in the user's language."""
    return {"header": _("Heading level"), "bold": _("Bold"), "italic": _("Italic"), "underline": _("Underline"),
            "strike": _("Strikethrough"), "link": _("Link"), "blockquote": _("Quotation"),
            "list-ordered": _("Numbered list"), "list-bullet": _("Bulleted list"), "clean": _("Remove formatting"),
            "editor": _("Body text editor"), "link-prompt": _("Link address (https://…)"),
            "image": _("Insert an image from the media library"), "image-dialog": _("Choose an image"),
            "image-none": _("The media library has no image yet."), "image-library": _("Open the media library"),
            "close": _("Close"), "video": _("Embed a video (YouTube or Vimeo)"),
            "video-dialog": _("Embed a video"), "video-address": _("Address of the video on YouTube or Vimeo"),
            "video-insert": _("Embed"),
            "video-invalid": _("Only YouTube and Vimeo videos can be embedded. Paste the video's address.")}


@bp.app_context_processor
def _labels():
    return {"editor_labels": editor_labels, "article_status_label": article_status_label,
            "editorial_summary": editorial_summary}


def editorial_summary(limit: int = 5) -> dict[str, list[Article]]:
    """For the dashboard: the signed-in user's drafts, and (for editors) the articles awaiting review."""
    mine = sa.select(Article).where(Article.author_id == current_user.id, Article.status == ArticleStatus.DRAFT) \
        .order_by(Article.updated_at.desc()).limit(limit)
    summary = {"drafts": list(db.session.scalars(mine)), "review": []}
    if workflow.is_editor(current_user):
        waiting = sa.select(Article).where(Article.status == ArticleStatus.IN_REVIEW) \
            .order_by(Article.updated_at.asc()).limit(limit)
        summary["review"] = list(db.session.scalars(waiting))
    return summary


def article_status_label(article: Article) -> str:
    if article.status == ArticleStatus.PUBLISHED and not article.is_public:
        return _("scheduled")
    return status_labels().get(article.status, article.status)


def _article_or_404(article_id: int) -> Article:
    return db.get_or_404(Article, article_id)


def _staff() -> list[User]:
    return list(db.session.scalars(sa.select(User).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.tenant_id == g.tenant.id).order_by(User.name)))


def _filters() -> dict:
    args = request.args
    return {"status": args.get("status", "") if args.get("status") in set(status_labels()) else "",
            "category": args.get("category", type=int), "author": args.get("author", type=int),
            "locale": args.get("locale", "") if args.get("locale") in ("vi", "en") else "",
            "q": (args.get("q") or "").strip()[:100]}


@bp.route("/")
@permission_required("content.view")
def index():
    f = _filters()
    stmt = sa.select(Article).order_by(Article.updated_at.desc(), Article.id.desc())
    if f["status"]:
        stmt = stmt.where(Article.status == f["status"])
    if f["category"]:
        stmt = stmt.where(Article.category_id == f["category"])
    if f["author"]:
        stmt = stmt.where(Article.author_id == f["author"])
    if f["locale"]:
        stmt = stmt.where(Article.locale == f["locale"])
    if f["q"]:
        from app.core.vntext import fold

        stmt = stmt.where(Article.search_text.contains(fold(f["q"])))
    page = paginate(stmt, per_page=PER_PAGE)
    authors = {u.id: u for u in _staff()}
    return render_template("news/console/index.html", page=page, filters=f, categories=_categories(),
                           authors=authors, statuses=status_labels())


def _categories() -> list[Category]:
    return list(db.session.scalars(sa.select(Category).order_by(Category.position, Category.name_vi)))


def _form(article: Article | None = None) -> ArticleForm:
    form = ArticleForm(obj=article) if request.method == "GET" and article else ArticleForm()
    form.category_id.choices = [(c.id, c.name_vi) for c in _categories()]
    originals = sa.select(Article).where(Article.locale == "vi", Article.translation_of_id.is_(None)) \
        .order_by(Article.updated_at.desc()).limit(200)
    form.translation_of_id.choices = [(0, "—")] + [(a.id, a.title) for a in db.session.scalars(originals)
                                                  if article is None or a.id != article.id]
    if request.method == "GET" and article:
        form.tags.data = ", ".join(t.name for t in article.tags)
        form.translation_of_id.data = article.translation_of_id or 0
    cover.prepare(form, article)
    return form


def _fields(form: ArticleForm) -> dict:
    cover_url, cover_alt = cover.chosen(form)
    return {"title": form.title.data, "summary": (form.summary.data or "").strip(),
            "body_html": form.body_html.data or "", "category_id": form.category_id.data,
            "source_line": (form.source_line.data or "").strip() or None, "cover_url": cover_url,
            "cover_alt": cover_alt,
            "featured": form.featured.data, "locale": form.locale.data,
            "translation_of_id": form.translation_of_id.data or None}


def _tags(form: ArticleForm) -> list[str]:
    return [t for t in (form.tags.data or "").split(",") if t.strip()][:20]


@bp.route("/new", methods=["GET", "POST"])
@permission_required("content.write")
def new():
    form = _form()
    if not form.category_id.choices:
        flash(_("Create a category first."), "error")
    if form.validate_on_submit():
        article = workflow.create(_fields(form), _tags(form), current_user)
        flash(_("The draft is saved."), "success")
        return redirect(url_for(".edit", article_id=article.id))
    return render_template("news/console/edit.html", form=form, article=None), 400 if form.errors else 200


@bp.route("/<id:article_id>", methods=["GET", "POST"])
@permission_required("content.view")
def edit(article_id: int):
    article = _article_or_404(article_id)
    editable = workflow.may_edit(article, current_user)
    form = _form(article)
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            workflow.update(article, _fields(form), _tags(form), current_user)
            flash(_("The article is saved."), "success")
            return redirect(url_for(".edit", article_id=article.id))
    return render_template("news/console/edit.html", form=form, article=article, editable=editable,
                           is_editor=workflow.is_editor(current_user), approve_form=ApproveForm(prefix="approve"),
                           return_form=ReturnForm(prefix="return"), action=ActionForm(),
                           preview_url=preview.url_for_article(article) if not article.is_public else None), \
        400 if form.errors else 200


def _transition(article_id: int, run, done: str, permission_ok: bool = True):
    article = _article_or_404(article_id)
    if not ActionForm().validate_on_submit() or not permission_ok:
        abort(400)
    try:
        run(article)
    except workflow.WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".edit", article_id=article_id))
    flash(done, "success")
    return redirect(url_for(".edit", article_id=article_id))


@bp.route("/<id:article_id>/submit", methods=["POST"])
@permission_required("content.write")
def submit(article_id: int):
    return _transition(article_id, lambda a: workflow.submit(a, current_user), _("Sent to the editors for review."))


@bp.route("/<id:article_id>/approve", methods=["POST"])
@permission_required("content.publish")
def approve(article_id: int):
    article = _article_or_404(article_id)
    form = ApproveForm(prefix="approve")
    if not form.validate_on_submit():
        flash(_("Enter the publication time as day, month, year, hour and minute."), "error")
        return redirect(url_for(".edit", article_id=article.id))
    when = form.publish_at.data.replace(tzinfo=LOCAL_TZ) if form.publish_at.data else None
    try:
        now = workflow.approve(article, current_user, when)
    except workflow.WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".edit", article_id=article.id))
    flash(_("The article is published.") if now else _("The article is scheduled for publication."), "success")
    return redirect(url_for(".edit", article_id=article.id))


@bp.route("/<id:article_id>/return", methods=["POST"])
@permission_required("content.publish")
def return_(article_id: int):
    article = _article_or_404(article_id)
    form = ReturnForm(prefix="return")
    if not form.validate_on_submit():
        flash(_("Say what should change before returning the article."), "error")
        return redirect(url_for(".edit", article_id=article.id))
    return _transition(article_id, lambda a: workflow.return_to_author(a, current_user, form.comment.data),
                       _("The article is returned to its author."))


@bp.route("/<id:article_id>/unpublish", methods=["POST"])
@permission_required("content.publish")
def unpublish(article_id: int):
    return _transition(article_id, lambda a: workflow.unpublish(a, current_user),
                       _("The article is unpublished; it is a draft again."))


@bp.route("/<id:article_id>/archive", methods=["POST"])
@permission_required("content.publish")
def archive(article_id: int):
    return _transition(article_id, lambda a: workflow.archive(a, current_user), _("The article is archived."))


@bp.route("/<id:article_id>/delete", methods=["GET", "POST"])
@permission_required("content.publish")
def delete(article_id: int):
    article = _article_or_404(article_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        workflow.delete(article, current_user)
        flash(_("The article is deleted."), "success")
        return redirect(url_for(".index"))
    return render_template("news/console/delete.html", article=article, form=form)


# --- revisions ---------------------------------------------------------------------------------

def _labels_for_diff() -> dict[str, str]:
    return {"title": _("Title"), "summary": _("Summary"), "body_html": _("Body")}


@bp.route("/<id:article_id>/revisions")
@permission_required("content.view")
def history(article_id: int):
    article = _article_or_404(article_id)
    items = revisions.history(ArticleRevision, "article_id", article.id)
    return render_template("news/console/history.html", article=article, revisions=items, action=ActionForm(),
                           editable=workflow.may_edit(article, current_user))


def _revision_or_404(article: Article, number) -> ArticleRevision:
    if not isinstance(number, int):
        abort(404)
    revision = db.session.scalars(sa.select(ArticleRevision).where(
        ArticleRevision.article_id == article.id, ArticleRevision.number == number)).first()
    if revision is None:
        abort(404)
    return revision


@bp.route("/<id:article_id>/revisions/diff")
@permission_required("content.view")
def diff(article_id: int):
    article = _article_or_404(article_id)
    old = _revision_or_404(article, request.args.get("from", type=int))
    new = _revision_or_404(article, request.args.get("to", type=int))
    return render_template("news/console/diff.html", article=article, old=old, new=new,
                           rows=revisions.diff(old, new, _labels_for_diff()))


@bp.route("/<id:article_id>/revisions/<int:number>/restore", methods=["POST"])
@permission_required("content.write")
def restore(article_id: int, number: int):
    article = _article_or_404(article_id)
    revision = _revision_or_404(article, number)
    return _transition(article_id, lambda a: workflow.restore(a, revision, current_user),
                       _("Revision %(n)d is restored as a new revision.", n=number))
