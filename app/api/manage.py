"""Staff API, with a personal access token: the token's union, the owner's role, the token's scopes.

Drafts are written and submitted to review through the very editorial workflow of the console (app/news/
workflow.py): nothing here publishes. Another union's article is 404, as if it did not exist.
"""

import logging

import sqlalchemy as sa
from flask import abort, current_app, g, request
from flask_babel import gettext
from flask_smorest import Blueprint
from flask_smorest import abort as smorest_abort  # keeps `errors` for the problem document

from app.api import paging, tokens
from app.api.schemas import DraftArgs, DraftInSchema, DraftListSchema, DraftPatchSchema, DraftSchema, TokenInfoSchema
from app.core import audit
from app.core.timeutil import utcnow
from app.extensions import db, limiter

blp = Blueprint("api_manage", __name__, url_prefix="/api/v1/manage",
                description="Staff work with a personal access token (Authorization: Bearer lhhn_…).")
SECURITY = [{"token": []}]
log = logging.getLogger("lhhn.api")


def _token_key() -> str:
    """Each token its own budget, per address it is used from (the limiter runs before the token is checked: the
    prefix presented alone would let anyone who saw it in the console spend another system's budget, and random
    prefixes would each get a fresh one)."""
    text = request.headers.get("Authorization", "").partition(" ")[2]
    prefix = text[len(tokens.PREFIX):].partition("_")[0][:12] if text.startswith(tokens.PREFIX) else "-"
    return f"api-token:{prefix}:{request.remote_addr}"


limiter.limit(lambda: current_app.config.get("API_TOKEN_RATE_LIMIT", "300/minute"), key_func=_token_key)(blp)


@blp.before_request
def _authenticate():
    from app.accounts.models import User
    from tenants.models import Tenant, TenantStatus
    from tenants.resolver import enter_tenant

    token = tokens.authenticate()
    tenant = db.session.get(Tenant, token.tenant_id)
    if tenant is None or (not g.get("platform_host") and g.get("tenant") is not None and g.tenant.id != tenant.id):
        abort(404)  # a union's host answers for that union only
    user = db.session.get(User, token.user_id)
    if user is None or not user.active:
        abort(401, description=gettext("The token's owner can no longer sign in."))
    g._login_user = user  # flask-login's current user for this request only: nothing is put in a session
    g.api_token, g.api_user = token, user
    g.tenant_generations = None
    enter_tenant(tenant)
    if tenant.status in (TenantStatus.ARCHIVED, TenantStatus.MERGED) and request.method not in ("GET", "HEAD"):
        abort(403, description=gettext("This union is archived: its console can be read but not changed."))


@blp.after_request
def _audit(response):
    """Every use of a token is written to the audit log (who, what, the answer)."""
    token = g.get("api_token")
    if token is None:
        return response
    try:
        db.session.rollback()  # whatever the view left uncommitted is not this entry's business
        audit.record("api.request", tenant_id=token.tenant_id, actor_id=token.user_id, target=f"api_token:{token.id}",
                     detail=f"{request.method} {request.path} → {response.status_code}")
        db.session.execute(sa.update(tokens.ApiToken).where(tokens.ApiToken.id == token.id)
                           .values(last_used_at=utcnow()))
        db.session.commit()
    except Exception:  # noqa: BLE001 - the answer is already decided; the log says the entry is missing
        db.session.rollback()
        log.exception("audit entry for token %s not written", token.id)
    return paging.add_headers(response)


@blp.route("/me")
@blp.response(200, TokenInfoSchema)
@blp.doc(security=SECURITY)
def me():
    """The token itself: its union, owner, scopes and expiry."""
    token = g.api_token
    return {"name": token.name, "union": g.tenant.slug, "user": g.api_user.email, "scopes": token.scopes,
            "expires_at": token.expires_at}


def _draft(a) -> dict:
    return {"id": a.id, "status": a.status, "locale": a.locale, "title": a.title, "summary": a.summary or "",
            "body_html": a.body_html or "", "category": a.category.slug, "tags": [t.slug for t in a.tags],
            "source_line": a.source_line, "review_comment": a.review_comment, "updated_at": a.updated_at}


def _fields(data: dict) -> tuple[dict, list[str] | None]:
    """The workflow's fields from a request body: the category by slug, the body sanitised."""
    from app.core.sanitize import clean_html
    from app.news.models import Category

    fields = {name: data[name] for name in ("title", "summary", "source_line", "locale") if name in data}
    if "body_html" in data:
        fields["body_html"] = clean_html(data["body_html"])
    if "category" in data:
        category = db.session.scalars(sa.select(Category).where(Category.slug == data["category"])).first()
        if category is None:
            smorest_abort(422, message=gettext("The union has no category with this slug."),
                          errors={"category": [gettext("Unknown category.")]})
        fields["category_id"] = category.id
    return fields, data.get("tags")


def _article_or_404(article_id: int):
    from app.news.models import Article

    article = db.session.get(Article, article_id)  # the token's union only (tenant scoping, RLS)
    if article is None:
        abort(404)
    return article


def _workflow(call, *args):
    from app.news.workflow import WorkflowError

    try:
        return call(*args)
    except WorkflowError as refusal:
        db.session.rollback()
        abort(403, description=str(refusal))


@blp.route("/articles")
@blp.arguments(DraftArgs, location="query")
@blp.response(200, DraftListSchema)
@blp.doc(security=SECURITY)
def list_articles(args):
    """The union's articles in every state, newest change first (scope content:read)."""
    from app.news.models import Article

    tokens.require("content:read")
    stmt = sa.select(Article).where(Article.translation_of_id.is_(None) | (Article.locale == "en"))
    if "status" in args:
        stmt = stmt.where(Article.status == args["status"])
    page = paging.page_of(stmt.order_by(Article.updated_at.desc(), Article.id.desc()), args)
    return paging.listed(page, [_draft(a) for a in page.items])


@blp.route("/articles", methods=["POST"])
@blp.arguments(DraftInSchema)
@blp.response(201, DraftSchema)
@blp.doc(security=SECURITY)
def create_article(data):
    """A new draft (scope content:write); its editors publish it from the console."""
    from app.news import workflow

    tokens.require("content:write")
    fields, tags = _fields(data)
    article = _workflow(workflow.create, fields, tags or [], g.api_user)
    return _draft(article)


@blp.route("/articles/<id:article_id>")
@blp.response(200, DraftSchema)
@blp.doc(security=SECURITY)
def get_article(article_id: int):
    """One of the union's articles, in whatever state (scope content:read)."""
    tokens.require("content:read")
    return _draft(_article_or_404(article_id))


@blp.route("/articles/<id:article_id>", methods=["PATCH"])
@blp.arguments(DraftPatchSchema(partial=True))
@blp.response(200, DraftSchema)
@blp.doc(security=SECURITY)
def update_article(data, article_id: int):
    """Change a draft's fields (scope content:write); the workflow decides who may edit it now."""
    from app.news import workflow

    tokens.require("content:write")
    article = _article_or_404(article_id)
    fields, tags = _fields(data)
    updated = _workflow(workflow.update, article, fields, tags if tags is not None else [t.name for t in article.tags],
                        g.api_user)
    return _draft(updated)


@blp.route("/articles/<id:article_id>/submit", methods=["POST"])
@blp.response(200, DraftSchema)
@blp.doc(security=SECURITY)
def submit_article(article_id: int):
    """Send a draft to the union's editors for review (scope content:write)."""
    from app.news import workflow

    tokens.require("content:write")
    article = _article_or_404(article_id)
    _workflow(workflow.submit, article, g.api_user)
    return _draft(article)
