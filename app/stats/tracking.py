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
PUBLIC_BLUEPRINTS = frozenset({"site", "stats", "news", "members", "documents", "search", "aid_site"})
_NOT_PAGES = re.compile(r"(feed|atom|rss|sitemap|robots)", re.IGNORECASE)


def is_countable(response) -> bool:
    if not current_app.config.get("STATS_COUNTING", True):
        return False
    # 304: the browser revalidated its copy of the page (ETag) and showed it again: still a view.
    if request.method != "GET" or response.status_code not in (200, 304) or response.mimetype != "text/html":
        return False
    if request.blueprint not in PUBLIC_BLUEPRINTS or _NOT_PAGES.search(request.endpoint or ""):
        return False
    if g.get("tenant") is None or g.get("console_slug"):
        return False
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    if "prefetch" in purpose.lower():
        return False
    return not is_bot(request.user_agent.string)


def count_public_view(response):
    """after_request: count the view and give a new visitor its cookie (valid until midnight in Viet Nam)."""
    if not is_countable(response):
        return response
    now = now_utc()
    visitor = request.cookies.get(COOKIE, "")
    if not _VISITOR_ID.fullmatch(visitor):
        visitor = secrets.token_urlsafe(16)
        response.set_cookie(COOKIE, visitor, max_age=seconds_until_midnight(now), httponly=True, samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), path="/")
    record_view(g.tenant.id, visitor, now)
    return response
