"""Which responses count as a public page view, and the visitor cookie.

Counted: GET, status 200, an HTML page served by a public-site blueprint for a resolved tenant, to a
client that is not a known robot and is not prefetching. Not counted: HEAD, errors, redirects, static
files, /healthz, feeds, sitemaps, robots.txt, the consoles and sign-in. No IP address is read or kept:
a visitor is a random first-party cookie id.
"""

import re
import secrets

from flask import current_app, g, request

from app.stats.bots import is_bot
from app.stats.clock import now_utc, seconds_until_midnight
from app.stats.services import record_view

COOKIE = "lhhn_vid"
_VISITOR_ID = re.compile(r"[A-Za-z0-9_-]{22}")
# Blueprints of the public sites (those that do not exist yet simply never match).
PUBLIC_BLUEPRINTS = frozenset({"site", "stats", "news", "members", "documents", "search", "aid_site",
                               "albums"})
_NOT_PAGES = re.compile(r"(feed|atom|rss|sitemap|robots)", re.IGNORECASE)


def is_page(response) -> bool:
    """An HTML page, not a feed, sitemap or robots.txt (the page cache stores those too, uncounted)."""
    return response.mimetype == "text/html" and not _NOT_PAGES.search(request.endpoint or "")


def is_countable(response) -> bool:
    if not current_app.config.get("STATS_COUNTING", True):
        return False
    # 304: the browser revalidated its copy of the page (ETag) and showed it again: still a view.
    if request.method != "GET" or response.status_code not in (200, 304) or not is_page(response):
        return False
    if request.blueprint not in PUBLIC_BLUEPRINTS:
        return False
    if g.get("tenant") is None or g.get("console_slug"):
        return False
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    if "prefetch" in purpose.lower():
        return False
    return not is_bot(request.user_agent.string)


def _visitor(create: bool) -> tuple[str | None, bool]:
    """The visitor's id from its cookie, or a new one (the same for the whole request); (id, is new)."""
    visitor = request.cookies.get(COOKIE, "")
    if _VISITOR_ID.fullmatch(visitor):
        return visitor, False
    if "new_visitor" not in g and create:
        g.new_visitor = secrets.token_urlsafe(16)
    return g.get("new_visitor"), True


def visitor_to_count(response) -> str | None:
    """The visitor whose view `response` counts, or None; the caller counts it (with the widget's numbers)."""
    if not is_countable(response):
        return None
    g.visit_counted = True
    return _visitor(create=True)[0]


def count_public_view(response):
    """after_request: count the view (unless the widget's read counted it) and give a new visitor its cookie
    (valid until midnight in Viet Nam). A page answered from the cache was counted by the cache's lookup."""
    if g.get("page_cache") == "hit" or not is_countable(response):
        return response
    now = now_utc()
    visitor, new = _visitor(create=True)
    if new:
        response.set_cookie(COOKIE, visitor, max_age=seconds_until_midnight(now), httponly=True, samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), path="/")
    if not g.get("visit_counted"):
        record_view(g.tenant.id, visitor, now)
    return response
