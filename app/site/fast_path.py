"""Cached public pages answered in front of Flask: a WSGI middleware around `app.wsgi_app`.

A GET or HEAD without a session or remember-me cookie, on a public path with no query string but the ones our
own links make, is looked up by its host, path and query — one Redis round trip that also counts the visit and
reads the visitor widget's live numbers. A hit is answered here: no request context, no tenant lookup, no SQL, no
template. Everything else, and every miss, goes to Flask; a miss that Flask marks as storable (page_cache.finish)
is stored here afterwards, with the headers Flask actually sent.
"""

import json
import logging
import re
import secrets
import zlib
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import parse_qsl

import redis
from werkzeug.http import dump_cookie

from app.core.timeutil import VN_TZ
from app.stats.bots import is_bot
from app.stats.clock import seconds_until_midnight
from app.stats.counters import visit_args
from app.stats.widget import Base, fill
from tenants.hosts import is_valid_host, normalise_host

log = logging.getLogger("lhhn.page_cache")

WIDGET_SLOT = b"<!--lhhn:visitor-widget-->"
CACHEABLE_ARGS = frozenset({"page", "type", "issuer", "year"})  # pagination and the documents' filters
PENDING, KEY = "lhhn.page_cache.pending", "lhhn.page_cache.key"
VISITOR_COOKIE = "lhhn_vid"
_VISITOR_ID = re.compile(r"[A-Za-z0-9_-]{22}")
_SKIP_PREFIXES = ("/static/", "/media/", "/manage", "/national", "/auth", "/healthz", "/xem-truoc/")
# Headers that belong to one response, not to the stored page.
PER_RESPONSE = frozenset({"set-cookie", "etag", "content-length", "x-page-cache", "date", "server"})


def cacheable_query(query: str) -> bool:
    return all(name in CACHEABLE_ARGS and len(value) <= 40 for name, value in parse_qsl(query, keep_blank_values=True))


def page_path(environ) -> str:
    query = environ.get("QUERY_STRING", "")
    return environ.get("PATH_INFO", "") + ("?" + query if query else "")


def etag_of(seed: str, widget_html: str) -> str:
    """The body's ETag: the stored page's digest and the widget's numbers (the rest of the body is the page)."""
    return f'"{seed}-{zlib.crc32(widget_html.encode()):08x}"' if widget_html else f'"{seed}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


class Visit:
    """Who is asking and whether the view counts (the request's half; the page's half is in the entry)."""

    def __init__(self, environ, config, visitor_cookie: str | None):
        self.counts = (config.get("STATS_COUNTING", True) and environ["REQUEST_METHOD"] == "GET"
                       and "prefetch" not in (environ.get("HTTP_SEC_PURPOSE", "") + environ.get("HTTP_PURPOSE", ""))
                       .lower() and not is_bot(environ.get("HTTP_USER_AGENT")))
        self.new = not (visitor_cookie and _VISITOR_ID.fullmatch(visitor_cookie))
        self.visitor = (secrets.token_urlsafe(16) if self.new else visitor_cookie) if self.counts else None
        self.now = datetime.now(UTC)

    def cookie(self, config) -> str:
        return dump_cookie(VISITOR_COOKIE, self.visitor, max_age=seconds_until_midnight(self.now), httponly=True,
                           samesite="Lax", secure=bool(config.get("SESSION_COOKIE_SECURE")), path="/")


class Parsed(NamedTuple):
    """An entry, ready to answer from: the body cut at the widget's slot, the stored headers as a list."""

    tenant_id: int
    counted: bool
    widget: bool
    stamp: bytes
    meta: dict
    headers: list
    before: bytes
    after: bytes


def parse_entry(entry: bytes) -> Parsed:
    tenant_id, counted, _, widget, stamp, rest = entry.split(b"|", 5)
    meta_raw, body = rest.split(b"\n", 1)
    meta = json.loads(meta_raw)
    before, _, after = body.partition(WIDGET_SLOT) if widget == b"1" else (body, b"", b"")
    return Parsed(int(tenant_id), counted == b"1", widget == b"1", stamp, meta,
                  [(name, value) for name, value in meta["h"]], before, after)


# What this process already parsed, by key: a hit on an entry it holds gets only the stamp back from Redis.
# Bounded (a few MB); every hit still asks the store, so a changed or forgotten entry is never answered from here.
_parsed: dict[str, Parsed] = {}
PARSED_MAX = 256


def lookup(app, key: str, visit: "Visit") -> tuple[Parsed, object] | None:
    """The entry for `key` and the widget's live numbers, counting the visit: one store round trip."""
    known = _parsed.get(key)
    hit = app.extensions["page_store"].hit(key, visit_args(0, visit.visitor, visit.now, base_prefix(app)),
                                           known.stamp.decode() if known is not None else "")
    if hit is None:
        _parsed.pop(key, None)
        return None
    if known is None or hit.entry != known.stamp:
        known = parse_entry(hit.entry)
        if len(_parsed) >= PARSED_MAX:
            _parsed.clear()
        _parsed[key] = known
    return known, hit.live


def forget_parsed() -> None:
    _parsed.clear()


def respond(app, parsed: Parsed, live, environ, visit: Visit) -> tuple[str, list, bytes]:
    """Status, headers and body for a hit, as Flask would have sent them."""
    widget_html = ""
    if parsed.widget:
        numbers = widget_numbers(app, parsed.tenant_id, live, visit.now)
        if numbers is not None:
            widget_html = fill(tuple(parsed.meta["w"]), numbers, parsed.meta["loc"])
    etag = etag_of(parsed.meta["seed"], widget_html)
    headers = [*parsed.headers, ("ETag", etag), ("X-Page-Cache", "hit")]
    if parsed.counted and visit.counts and visit.new:
        headers.append(("Set-Cookie", visit.cookie(app.config)))
    if matches(environ.get("HTTP_IF_NONE_MATCH"), etag):
        return "304 NOT MODIFIED", [(n, v) for n, v in headers if n.lower() != "content-type"], b""
    body = b"".join((parsed.before, widget_html.encode(), parsed.after)) if parsed.widget else parsed.before
    headers.append(("Content-Length", str(len(body))))
    return "200 OK", headers, b"" if environ["REQUEST_METHOD"] == "HEAD" else body


def widget_numbers(app, tenant_id: int, live, now) -> dict | None:
    """Live numbers read with the hit (or given by the local store); the base is computed only when missing."""
    if live is None:
        return None
    if isinstance(live, dict):  # the local store's callback already did the whole thing
        return live
    raw, today, online = live
    base = Base.decode(raw)
    if base is None or base.day != now.astimezone(VN_TZ).date():
        from app.stats.services import widget_base

        try:
            with app.app_context():
                base = widget_base(tenant_id, now)
        except Exception:  # the numbers are a nicety: a failure never breaks a page
            log.exception("visitor widget base failed for tenant %s", tenant_id)
            return None
    return base.numbers(int(today), int(online))


class FastPages:
    def __init__(self, wsgi_app, app):
        self.wsgi_app, self.app = wsgi_app, app
        self.session_cookies = {app.config.get("SESSION_COOKIE_NAME", "session"),
                                app.config.get("REMEMBER_COOKIE_NAME", "remember_token")}
        names = "|".join(re.escape(n) for n in (*self.session_cookies, VISITOR_COOKIE))
        self._cookies = re.compile(rf"(?:^|;)\s*({names})=([^;]*)")

    def store(self):
        return self.app.extensions["page_store"]

    def candidate(self, environ) -> tuple[str, dict] | None:
        """(host, cookies) when the request may be answered from the cache, else None."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or not self.app.config.get("PAGE_CACHE_SECONDS"):
            return None
        path = environ.get("PATH_INFO", "")
        if path.startswith(_SKIP_PREFIXES) or "\x00" in path:
            return None
        cookies = dict(self._cookies.findall(environ.get("HTTP_COOKIE", "")))
        if self.session_cookies.intersection(cookies):
            return None  # Flask decides (a signed-in visitor, a language choice…), and may still use the cache
        query = environ.get("QUERY_STRING", "")
        if query and not cacheable_query(query):
            return None
        host = normalise_host(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))
        return (host, cookies) if is_valid_host(host) else None

    def __call__(self, environ, start_response):
        found = self.candidate(environ)
        if found is not None:
            host, cookies = found
            key = self.store().key(host, "", page_path(environ))
            visit = Visit(environ, self.app.config, cookies.get(VISITOR_COOKIE))
            try:
                hit = lookup(self.app, key, visit)
            except redis.RedisError:
                log.warning("page cache unreachable: rendering", exc_info=True)
                hit = None
            if hit is not None:
                status, headers, body = respond(self.app, *hit, environ, visit)
                start_response(status, headers)
                return [body]
            environ[KEY] = key
        return self._render(environ, start_response)

    def _render(self, environ, start_response):
        sent = {}

        def capture(status, headers, exc_info=None):
            sent["status"], sent["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        pending = environ.pop(PENDING, None)
        if pending is not None and sent.get("status", "").startswith("200"):
            self._keep(pending, sent["headers"])
        return body

    def _keep(self, pending: dict, headers) -> None:
        meta = dict(pending["meta"], h=[(n, v) for n, v in headers if n.lower() not in PER_RESPONSE])
        expires = int(pending["now"] + pending["ttl"])
        entry = (f"{pending['tenant_id']}|{int(pending['counted'])}|{expires}|{int(pending['widget'])}|"
                 f"{secrets.token_hex(6)}|"
                 .encode() + json.dumps(meta, separators=(",", ":")).encode() + b"\n" + pending["body"])
        try:
            self.store().store(pending["key"], entry, pending["set_scope"], pending["ttl"], pending["generations"])
        except redis.RedisError:
            log.warning("page cache: store failed", exc_info=True)


def base_prefix(app) -> str:
    """The widget base's Redis key without its tenant id (app.stats.services.base_key)."""
    return f"{app.config.get('CACHE_KEY_PREFIX', '')}stats:base:"

