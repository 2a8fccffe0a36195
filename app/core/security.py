"""Security headers on every response; no inline scripts anywhere (the CSP forbids them)."""

from app.core.sanitize import EMBED_HOSTS

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
       "frame-src " + " ".join(EMBED_HOSTS))


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app) -> None:
    app.after_request(_headers)
