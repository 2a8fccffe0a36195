"""Rendered public pages, cached per host, language choice and URL; revalidated with ETags.

What is cached: the body of a 200 response to an anonymous GET/HEAD on a public-site blueprint (HTML pages,
feeds, sitemaps, robots.txt), in the page store (app/site/page_store.py: Redis in production, this process in the
embedded mode), for PAGE_CACHE_SECONDS. Not cached: signed-in visitors, a request that changes or carries session
state (a language switch, flashed messages, a form with a CSRF token), file downloads, errors and redirects.

Hits are answered in front of Flask (app/site/fast_path.py) for visitors without a session cookie; visitors with
one (an English reader, say) are answered here, after Flask has read their session.

Invalidation: a commit that inserts, changes or deletes a tenant's rows forgets that tenant's pages and moves its
*generation*; the portal's pages go on every change (it lists every province's shared news and directory), and
everything on a change to shared, non-tenant data (donors, provinces, rates…). Models that never show on public
pages opt out with `__page_cache__ = False` (visit counters, the audit log, users…). The generations also tell
each process when what it keeps of a tenant (tenants.resolver, the page tree, the categories) is out of date.

The visitor widget in the footer changes with every visit, so it is never part of a stored body: every public
page is rendered with a slot, filled with the current numbers per response (the visit counted in the same Redis
round trip). Every public response carries an ETag (the page's digest and the numbers) and `Cache-Control:
no-cache`, so a browser revalidates and gets a 304 when nothing changed.
"""

import hashlib
import time

import redis
import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_babel import get_locale
from markupsafe import Markup

from app.core.templating import PUBLIC_BLUEPRINTS
from app.site import fast_path
from app.site.page_store import GLOBAL, PORTAL, LocalPageStore, RedisPageStore
from app.stats import tracking
from tenants import resolver
from tenants.context import current_tenant_id
from tenants.hosts import normalise_host

WIDGET_SLOT = fast_path.WIDGET_SLOT.decode()
UNCACHED_ENDPOINTS = frozenset({"site.search"})  # free text: every query would be its own entry
_CACHEABLE_TYPES = {"text/html", "application/xml", "application/atom+xml", "application/rss+xml", "text/plain"}


def store():
    return current_app.extensions["page_store"]


# --- generations --------------------------------------------------------------------------------------------

def scopes_of(tenant) -> list:
    return [GLOBAL, tenant.id] + ([PORTAL] if tenant.is_national else [])


def generations(tenant) -> tuple | None:
    """The tenant's generations now (None when the store cannot be reached)."""
    try:
        return store().generations(scopes_of(tenant))
    except redis.RedisError:
        current_app.logger.warning("page cache: generations unavailable", exc_info=True)
        return None


def invalidate(*scopes) -> None:
    """Forget the cached pages of these scopes (tenant ids, PORTAL, GLOBAL); the portal always goes too."""
    scopes = set(scopes) | {PORTAL}
    store().invalidate(sorted(scopes, key=str), [s for s in scopes if s != GLOBAL])


def invalidate_tenant(tenant_id: int) -> None:
    invalidate(tenant_id)


def clear() -> None:
    """Forget every cached page (tests, a deployment that changes the templates)."""
    store().clear()
    fast_path.forget_parsed()
    resolver.forget_snapshots()
    per_generation.cache_clear()


def per_generation(name: str, load):
    """`load()`'s result for the current tenant, kept in this process while the tenant's generations stay the same
    (the published page tree, the categories). Only for plain, read-only values or detached rows."""
    stamp = g.get("tenant_generations")
    if stamp is None:
        return load()
    key = (name, current_tenant_id(), stamp)
    found = _kept.get(key)
    if found is None:
        if len(_kept) > 2000:
            _kept.clear()
        found = _kept[key] = load()
    return found


_kept: dict = {}
per_generation.cache_clear = _kept.clear


# --- what a commit changed ----------------------------------------------------------------------------------

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


# --- the request side ---------------------------------------------------------------------------------------

def _public_request() -> bool:
    return g.get("tenant") is not None and not g.get("console_slug") and request.blueprint in PUBLIC_BLUEPRINTS


def _cacheable_request() -> bool:
    if request.method not in ("GET", "HEAD") or not current_app.config.get("PAGE_CACHE_SECONDS"):
        return False
    if not _public_request() or g.get("tenant_generations") is None:
        return False
    # Only the query strings our own links make: arbitrary ?q=… or ?page=… values must not fill the cache.
    if request.endpoint in UNCACHED_ENDPOINTS or not fast_path.cacheable_query(request.query_string.decode()):
        return False
    # Signed-in visitors, pending flash messages and a session just changed (?lang=) see their own page.
    return not (session.modified or "_user_id" in session or "_flashes" in session)


def _variant() -> str:
    """The part of the key that the request's session decides: the visitor's language choice."""
    return session.get("lang") or ""


def serve_from_cache():
    """before_request: answer from the cache when this exact page is there (visitors with a session cookie;
    the others were looked up in front of Flask already)."""
    g.page_cache = None
    if not _cacheable_request():
        return None
    key = request.environ.get(fast_path.KEY)
    if key is None:  # not asked in front of Flask (a session cookie): ask now, with the session's language
        key = store().key(normalise_host(request.host), _variant(), fast_path.page_path(request.environ))
        visit = fast_path.Visit(request.environ, current_app.config, request.cookies.get(fast_path.VISITOR_COOKIE))
        try:
            hit = fast_path.lookup(current_app, key, visit)
        except redis.RedisError:
            current_app.logger.warning("page cache: lookup failed; rendering", exc_info=True)
            hit = None
        if hit is not None:
            g.page_cache = "hit"
            status, headers, body = fast_path.respond(current_app, *hit, request.environ, visit)
            return current_app.response_class(body, status=status, headers=headers)
    g.page_cache, g.page_cache_key, g.page_cache_session = "miss", key, _session_state()
    return None


# Flask-Login's own bookkeeping (session protection writes these on every render): not page state.
_LOGIN_KEYS = frozenset({"_remember", "_id", "_fresh", "_remember_seconds"})


def _session_state() -> dict:
    return {k: v for k, v in session.items() if k not in _LOGIN_KEYS}


def _storable(response) -> bool:
    """Only a page that did not depend on, or change, this visitor's session (a CSRF token, a flash…)."""
    return (response.status_code == 200 and response.mimetype in _CACHEABLE_TYPES and "csrf_token" not in g
            and _session_state() == g.get("page_cache_session") and not g.get("locale_from_headers"))


def finish(response):
    """after_request: fill the visitor widget (counting the visit), offer a miss for storing, add the ETag and
    answer 304 when it matches."""
    state = g.get("page_cache")
    if state == "hit" or response.direct_passthrough or response.is_streamed:
        return response
    public = _public_request()
    if not public and state is None:
        return response
    body = response.get_data()
    widget_html, has_slot = "", fast_path.WIDGET_SLOT in body
    if has_slot:
        widget_html = _widget_html(response)
        response.set_data(body.replace(fast_path.WIDGET_SLOT, widget_html.encode(), 1))
    if response.status_code != 200:
        return response
    seed = hashlib.blake2b(body, digest_size=8).hexdigest()
    if state == "miss" and _storable(response):
        tenant = g.tenant
        request.environ[fast_path.PENDING] = {
            "key": g.page_cache_key, "tenant_id": tenant.id, "now": time.time(),
            "ttl": current_app.config["PAGE_CACHE_SECONDS"], "counted": tracking.is_page(response),
            "widget": has_slot, "body": body, "set_scope": PORTAL if tenant.is_national else tenant.id,
            "generations": dict(zip(scopes_of(tenant), g.tenant_generations, strict=True)),
            "meta": {"seed": seed, "loc": str(get_locale()),
                     "w": list(_widget_parts(tenant)) if has_slot else None}}
    if state is not None:
        response.headers["X-Page-Cache"] = state
    response.vary.add("Cookie")  # the language is remembered in the session cookie
    response.cache_control.no_cache = True
    response.set_etag(fast_path.etag_of(seed, widget_html).strip('"'))
    return response.make_conditional(request)


def _widget_parts(tenant):
    from app.stats.widget import template_parts

    return template_parts(str(get_locale()), tenant.is_national)


def _widget_html(response) -> str:
    """The footer's numbers for this response, the visit counted with them; '' if they are unavailable."""
    from app.stats import services
    from app.stats.widget import fill

    tenant = g.get("tenant")
    if tenant is None or g.get("console_slug"):
        return ""
    visitor = tracking.visitor_to_count(response)
    try:
        numbers = services.cached_visitor_widget(tenant.id, visitor)
    except (sa.exc.SQLAlchemyError, redis.RedisError):  # the footer must never turn a page into an error
        current_app.logger.warning("visitor widget unavailable for tenant %s", tenant.id, exc_info=True)
        from app.extensions import db

        db.session.rollback()
        if visitor is not None:
            g.pop("visit_counted", None)  # the store failed: the counter will try once more on its own
        return ""
    return fill(_widget_parts(tenant), numbers, str(get_locale()))


def visitor_widget() -> Markup:
    """The footer's visitor numbers: a slot on public pages, filled per response by finish()."""
    if g.get("tenant") is None or g.get("console_slug") or request.blueprint not in PUBLIC_BLUEPRINTS:
        return Markup("")
    return Markup(WIDGET_SLOT)  # noqa: S704 -- a constant comment


def init_app(app) -> None:
    app.config.setdefault("PAGE_CACHE_SECONDS", 300)
    if app.config.get("REDIS_URL"):
        client = redis.Redis.from_url(app.config["REDIS_URL"], socket_timeout=1, socket_connect_timeout=1)
        app.extensions["page_store"] = RedisPageStore(client, app.config.get("CACHE_KEY_PREFIX", ""))
    else:
        app.extensions["page_store"] = LocalPageStore(on_hit=lambda *args: _local_hit(app, *args))
    resolver.freshness = generations
    install_session_events()
    app.wsgi_app = fast_path.FastPages(app.wsgi_app, app)
    app.before_request(serve_from_cache)
    app.after_request(finish)
    app.jinja_env.globals["visitor_widget"] = visitor_widget

    from app.news import signals

    # The scheduler publishes without changing a row's content: forget that tenant's pages all the same.
    signals.article_published.connect(_on_published, weak=False)


def _local_hit(app, tenant_id: int, counted: bool, visit_args: list) -> dict | None:
    """The local store's hit: count the visit in the database and read the numbers (embedded mode)."""
    from app.stats import services

    visitor = visit_args[3] if counted and visit_args[0] == "1" else None
    try:
        with app.app_context():
            return services.cached_visitor_widget(tenant_id, visitor)
    except Exception:
        app.logger.exception("visitor widget unavailable for tenant %s", tenant_id)
        return None


def _on_published(article, **_):
    invalidate_tenant(article.tenant_id)
