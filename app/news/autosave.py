"""Drafts saved as staff write: the article form posts here every ~30 s when it changed
(app/static/js/report-autosave.js, the same script the report form uses). Only the text fields are taken;
consecutive autosaves by one person refresh one revision instead of piling up."""

from datetime import timedelta

import sqlalchemy as sa
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import permission_required
from app.core import audit
from app.core.timeutil import VN_TZ, as_utc, utcnow
from app.core.vntext import slugify
from app.editorial import revisions
from app.extensions import db
from app.news import workflow
from app.news.console import _article_or_404, bp
from app.news.models import ArticleRevision, ArticleStatus

AUTOSAVE_NOTE = "autosave"
LIMITS = {"title": 300, "summary": 2000, "body_html": 500_000}
REFRESH_WITHIN = timedelta(hours=2)  # a later autosave by the same person refreshes the same revision


def _answer(message: str, status: int = 200):
    return jsonify({"saved": status == 200, "message": message}), status


@bp.route("/<id:article_id>/autosave", methods=["POST"])
@permission_required("content.write")
def autosave(article_id: int):
    article = _article_or_404(article_id)
    if article.status not in (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW):
        return _answer(_("Published articles are saved with the Save button only."), 409)
    if not workflow.may_edit(article, current_user):
        return _answer(_("You may not edit this article now."), 403)
    fields = {name: (request.form.get(name) or "") for name in LIMITS}
    if not fields["title"].strip():
        return _answer(_("Not saved automatically: the article needs a title."), 422)
    too_long = [name for name, limit in LIMITS.items() if len(fields[name]) > limit]
    if too_long:
        return _answer(_("Not saved automatically: a field is too long."), 422)
    article.title, article.summary, article.body_html = fields["title"], fields["summary"].strip(), fields["body_html"]
    article.slug = slugify(article.title, 160) or "bai-viet"
    last = db.session.scalars(sa.select(ArticleRevision).where(ArticleRevision.article_id == article.id)
                              .order_by(ArticleRevision.number.desc()).limit(1)).first()
    if last is not None and last.note == AUTOSAVE_NOTE and last.author_id == current_user.id \
            and utcnow() - as_utc(last.created_at) < REFRESH_WITHIN:
        for name in workflow.REVISION_FIELDS:
            setattr(last, name, getattr(article, name))
        last.created_at = utcnow()
    else:
        revisions.snapshot(ArticleRevision, "article_id", article, current_user.id, AUTOSAVE_NOTE,
                           workflow.REVISION_FIELDS)
        audit.record("article.autosave", target=f"article:{article.id}", detail=article.title)
    db.session.commit()
    return _answer(_("Draft saved automatically at %(time)s.", time=utcnow().astimezone(VN_TZ).strftime("%H:%M")))
