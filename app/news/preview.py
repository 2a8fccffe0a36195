"""Signed, expiring preview links for unpublished articles, valid only on their own tenant's host."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, g, has_request_context, render_template, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.extensions import db
from app.news.models import Article

SALT = "article-preview"
DEFAULT_MAX_AGE = 3 * 24 * 3600  # seconds

bp = Blueprint("news_preview", __name__, template_folder="templates")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(article: Article) -> str:
    return _serializer().dumps({"t": article.tenant_id, "a": article.id})


def load(token: str, tenant_id: int) -> Article | None:
    """The article a token names, if the token is genuine, unexpired and for this tenant."""
    max_age = current_app.config.get("PREVIEW_MAX_AGE", DEFAULT_MAX_AGE)
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or data.get("t") != tenant_id or not isinstance(data.get("a"), int):
        return None
    return db.session.scalars(sa.select(Article).where(Article.id == data["a"])).first()


def url_for_article(article: Article) -> str | None:
    """The absolute preview address on the article's tenant host."""
    from tenants.models import Tenant

    tenant = db.session.get(Tenant, article.tenant_id)
    domain = tenant.primary_domain if tenant else None
    if domain is None:
        return None
    scheme = request.scheme if has_request_context() else "https"
    port = f":{request.host.rsplit(':', 1)[1]}" if has_request_context() and ":" in request.host else ""
    return f"{scheme}://{domain.host}{port}/xem-truoc/{make_token(article)}"


@bp.route("/xem-truoc/<token>")
def show(token: str):
    if g.get("tenant") is None or len(token) > 500:
        abort(404)
    article = load(token, g.tenant.id)
    if article is None:
        abort(404)
    response = current_app.make_response(render_template("news/preview.html", article=article))
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "private, no-store"
    return response
