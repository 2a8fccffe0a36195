"""Rendered public pages, cached per tenant, locale and URL; revalidated with ETags.

What is cached: the body of a 200 response to an anonymous GET/HEAD on a public-site blueprint (HTML pages,
feeds, sitemaps, robots.txt), in Flask-Caching (Redis in production, in-process in the embedded mode), for
PAGE_CACHE_SECONDS. Not cached: signed-in visitors, a request that changes or carries session state
(a language switch, flashed messages, a form with a CSRF token), file downloads, errors and redirects.

Invalidation is by generation: every key embeds a token per tenant (and one for the national portal, and one
global). A commit that inserts, changes or deletes a tenant's rows replaces that tenant's token, so its
pages are simply never looked up again — no other tenant's pages are touched. The portal's token is replaced
on every change (it lists every province's shared news and directory), and the global one when shared,
non-tenant data changes (donors, provinces, rates…). Models that never show on public pages opt out with
`__page_cache__ = False` (visit counters, the audit log, users…).

The visitor widget in the footer changes with every visit, so it is not part of the cached body: the page
is stored with a placeholder that is filled with the current numbers on every response.

Every public response carries an ETag (over the body actually sent) and `Cache-Control: no-cache`, so a
browser revalidates and gets a 304 when nothing changed.
"""

import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from markupsafe import Markup

from app.core.templating import PUBLIC_BLUEPRINTS
from app.extensions import cache
from tenants.context import current_tenant_id

WIDGET_SLOT = "<!--lhhn:visitor-widget-->"
GLOBAL, PORTAL = "*", "portal"
UNCACHED_ENDPOINTS = frozenset({"site.search"})  # free text: every query would be its own entry
CACHEABLE_ARGS = frozenset({"page", "type", "issuer", "year"})  # pagination and the documents' filters
_CACHEABLE_TYPES = {"text/html", "application/xml", "application/atom+xml", "application/rss+xml", "text/plain"}


# --- generations ------------------------------------------------------------------------------------------

def _gen_key(scope) -> str:
    return f"pc:gen:{scope}"


def _generations(*scopes) -> list[str]:
    keys = [_gen_key(s) for s in scopes]
    values = cache.get_many(*keys)
    missing = {k: secrets.token_hex(6) for k, v in zip(keys, values, strict=True) if v is None}
    if missing:
        cache.set_many(missing, timeout=0)
    return [v if v is not None else missing[k] for k, v in zip(keys, values, strict=True)]


def invalidate(*scopes) -> None:
    """Forget the cached pages of these scopes (tenant ids, PORTAL, GLOBAL); the portal always goes too."""
    scopes = set(scopes) | {PORTAL}
    cache.set_many({_gen_key(s): secrets.token_hex(6) for s in scopes}, timeout=0)


def invalidate_tenant(tenant_id: int) -> None:
    invalidate(tenant_id)


# --- what a commit changed --------------------------------------------------------------------------------

def _scope_of(obj):
    """The scope whose pages an object can appear on: its tenant, or GLOBAL; None if it never shows."""
    cls = type(obj)
    if not getattr(cls, "__page_cache__", True):
        return None
    tenant_id = getattr(obj, "tenant_id", None)
    if tenant_id is not None:
        return tenant_id
    from tenants.models import Tenant

    if isinstance(obj, Tenant):
        return obj.id
    return GLOBAL


def _collect(session_, flush_context=None, instances=None) -> None:
    dirty = session_.info.setdefault("page_cache_dirty", set())
    for obj in list(session_.new) + list(session_.deleted):
        if (scope := _scope_of(obj)) is not None:
            dirty.add(scope)
    for obj in session_.dirty:
        if session_.is_modified(obj, include_collections=False) and (scope := _scope_of(obj)) is not None:
            dirty.add(scope)


def _collect_bulk(state) -> None:
    """ORM bulk UPDATE/DELETE (session.execute(update(Model)…)) bypass the flush: note their scope too."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    cls = state.bind_mapper.class_
    if not getattr(cls, "__page_cache__", True):
        return
    scope = current_tenant_id() if hasattr(cls, "tenant_id") else GLOBAL
    state.session.info.setdefault("page_cache_dirty", set()).add(scope if scope is not None else GLOBAL)


def _after_commit(session_) -> None:
    dirty = session_.info.pop("page_cache_dirty", None)
    if dirty:
        try:
            invalidate(*dirty)
        except Exception:  # a cache outage must never fail a commit that already happened
            current_app.logger.exception("page cache: invalidation failed for %s", dirty)


def _after_rollback(session_) -> None:
    session_.info.pop("page_cache_dirty", None)


def install_session_events() -> None:
    """Once per process: listen on every ORM session (the app's scoped session and any other)."""
    if getattr(install_session_events, "done", False):
        return
    sa.event.listen(sa.orm.Session, "before_flush", _collect)
    sa.event.listen(sa.orm.Session, "do_orm_execute", _collect_bulk)
    sa.event.listen(sa.orm.Session, "after_commit", _after_commit)
    sa.event.listen(sa.orm.Session, "after_soft_rollback", lambda s, previous: _after_rollback(s))
    install_session_events.done = True


# --- the request side -------------------------------------------------------------------------------------

def _cacheable_request() -> bool:
    if request.method not in ("GET", "HEAD") or not current_app.config.get("PAGE_CACHE_SECONDS"):
        return False
    tenant = g.get("tenant")
    if tenant is None or g.get("console_slug") or request.blueprint not in PUBLIC_BLUEPRINTS:
        return False
    # Only the query strings our own links make: arbitrary ?q=… or ?page=… values must not fill the cache.
    if request.endpoint in UNCACHED_ENDPOINTS or any(
            key not in CACHEABLE_ARGS or len(value) > 40 for key, value in request.args.items(multi=True)):
        return False
    # Signed-in visitors, pending flash messages and a session just changed (?lang=) see their own page.
    return not (session.modified or "_user_id" in session or "_flashes" in session)


def _key() -> str:
    tenant = g.tenant
    scopes = [GLOBAL, tenant.id] + ([PORTAL] if tenant.is_national else [])
    parts = _generations(*scopes) + [str(tenant.id), str(get_locale()), request.url]
    return "pc:page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def serve_from_cache():
    """before_request: answer from the cache when this exact page is there."""
    g.page_cache = None
    if not _cacheable_request():
        return None
    try:
        key = _key()
        entry = cache.get(key)
    except Exception:
        current_app.logger.exception("page cache: lookup failed; rendering")
        return None
    if entry is None:
        g.page_cache, g.page_cache_key, g.page_cache_session = "miss", key, _session_state()
        return None
    g.page_cache = "hit"
    return current_app.response_class(entry["body"], status=200, mimetype=entry["mimetype"])


# Flask-Login's own bookkeeping (session protection writes these on every render): not page state.
_LOGIN_KEYS = frozenset({"_remember", "_id", "_fresh", "_remember_seconds"})


def _session_state() -> dict:
    return {k: v for k, v in session.items() if k not in _LOGIN_KEYS}


def _storable(response) -> bool:
    """Only a page that did not depend on, or change, this visitor's session (a CSRF token, a flash…)."""
    return (response.status_code == 200 and response.mimetype in _CACHEABLE_TYPES and "csrf_token" not in g
            and _session_state() == g.get("page_cache_session"))


def finish(response):
    """after_request: store a miss, fill the visitor widget, add the ETag and answer 304 when it matches."""
    state = g.get("page_cache")
    if state is None:
        return response
    if response.direct_passthrough or response.is_streamed:
        return response
    if state == "miss" and _storable(response):
        try:
            cache.set(g.page_cache_key, {"body": response.get_data(as_text=True), "mimetype": response.mimetype},
                      timeout=current_app.config["PAGE_CACHE_SECONDS"])
        except Exception:
            current_app.logger.exception("page cache: store failed")
    if response.mimetype == "text/html":  # error pages too: their footer has the widget slot as well
        body = response.get_data(as_text=True)
        if WIDGET_SLOT in body:
            response.set_data(body.replace(WIDGET_SLOT, _render_widget(), 1))
    if response.status_code != 200:
        return response
    response.headers["X-Page-Cache"] = state
    response.vary.add("Cookie")  # the language is remembered in the session cookie
    response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)


def _render_widget() -> str:
    try:
        return render_template("stats/_widget.html")
    except Exception:  # the numbers are a nicety: a failure never breaks a page
        current_app.logger.exception("visitor widget failed")
        return ""


def visitor_widget() -> Markup:
    """The footer's visitor numbers: a placeholder in a page being cached (filled per response), else now."""
    if g.get("page_cache") in ("miss", "hit"):
        return Markup(WIDGET_SLOT)  # noqa: S704 -- a constant comment
    return Markup(_render_widget())  # noqa: S704 -- rendered by Jinja with autoescape


def init_app(app) -> None:
    app.config.setdefault("PAGE_CACHE_SECONDS", 300)
    install_session_events()
    app.before_request(serve_from_cache)
    app.after_request(finish)
    app.jinja_env.globals["visitor_widget"] = visitor_widget

    from app.news import signals

    # The scheduler publishes without changing a row's content: forget that tenant's pages all the same.
    signals.article_published.connect(_on_published, weak=False)


def _on_published(article, **_):
    invalidate_tenant(article.tenant_id)
