"""Offering articles to the national portal (/manage/<slug>/nominations/) and deciding (/national/nominations/)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.core.pagination import paginate
from app.extensions import db
from app.national.routes import bp as national_parent
from app.news import services as news
from app.news.models import Article
from app.nominations import services
from tenants.resolver import tenant_by_slug_or_404

console_bp = Blueprint("nominations", __name__, template_folder="templates", url_prefix="/<tenant_slug>/nominations")
national_bp = Blueprint("nominations", __name__, template_folder="templates", url_prefix="/nominations")
console_parent.register_blueprint(console_bp)
national_parent.register_blueprint(national_bp)


@console_bp.route("/")
@permission_required("content.publish")
def index():
    page = paginate(news.originals(), per_page=25)
    return render_template("nominations/index.html", page=page,
                           status=services.status_by_article(a.id for a in page.items))


@console_bp.route("/<id:article_id>", methods=["POST"])
@permission_required("content.publish")
def nominate(article_id: int):
    article = db.get_or_404(Article, article_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.nominate(article, current_user.id)
    except services.NominationError as refusal:
        flash(str(refusal), "error")
    else:
        flash(_("“%(title)s” was offered to the national portal.", title=article.title), "success")
    return redirect(url_for("console.nominations.index"))


@national_bp.route("/")
@permission_required("national.manage")
def pending():
    return render_template("nominations/pending.html", rows=services.pending(), form=FlaskForm())


@national_bp.route("/<slug>/<id:nomination_id>/<any(approve, decline):decision>", methods=["POST"])
@permission_required("national.manage")
def decide(slug: str, nomination_id: int, decision: str):
    from flask import request

    tenant = tenant_by_slug_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        title = services.decide(tenant, nomination_id, approve=decision == "approve",
                                reason=request.form.get("reason", ""), actor=current_user)
    except LookupError:
        abort(404)
    except services.NominationError as refusal:
        flash(str(refusal), "error")
    else:
        flash(_("“%(title)s” now appears on the national portal.", title=title) if decision == "approve"
              else _("“%(title)s” was declined.", title=title), "success")
    return redirect(url_for("national.nominations.pending"))
