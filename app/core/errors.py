"""Error pages in the tenant's look and language; never a stack trace."""

import logging

from flask import g, redirect, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.exceptions import Forbidden, HTTPException, InternalServerError

from app.extensions import db

log = logging.getLogger("lhhn.errors")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Check the address or the form.")),
        403: (_("Not allowed"), _("Your account does not have permission to do this.")),
        404: (_("Page not found"), _("The page you asked for does not exist or has moved.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        410: (_("Gone"), _("This site is no longer published.")),
        413: (_("Too large"), _("What was sent is larger than this site accepts (25 MB at most). Choose a smaller "
                                 "file.")),
        422: (_("Could not process"), _("Some of what was sent could not be processed.")),
        429: (_("Too many requests"), _("You have sent too many requests. Wait a minute and try again.")),
        500: (_("Something went wrong"), _("An unexpected error occurred. It has been logged; please try "
                                          "again later.")),
        503: (_("Temporarily unavailable"), _("This site is temporarily unavailable. Please come back later.")),
    }


def render_error(code: int, description: str | None = None):
    title, message = _messages().get(code, (_("Error"), description or ""))
    if code == 403 and description and description != Forbidden.description:
        message = description
    if request.accept_mimetypes.best == "application/json":
        return {"error": code, "title": title, "message": message}, code
    if request_ctx.url_adapter is None:
        # The request could not even be routed (a malformed Host): no links can be built, so answer
        # with a page that needs none.
        return (f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>{code} — {escape(title)}</title>'
                f"<h1>{escape(title)}</h1><p>{escape(message)}</p></html>"), code
    return render_template("errors/error.html", code=code, title=title, message=message,
                           tenant=g.get("tenant")), code


def _handle_http(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if request.path.startswith("/api/"):
        from app.api.problems import from_http_exception

        return from_http_exception(error)
    if error.code == 404 and (moved := _moved_elsewhere()) is not None:
        return redirect(moved, 301)
    if error.code == 400 and "CSRF" in (error.description or ""):
        return render_error(400, _("The form expired. Reload the page and try again."))
    return render_error(error.code, error.description)  # a 403 with its own reason shows that reason


def _moved_elsewhere() -> str | None:
    """A public page this union gave to another union in a split (app/reorg): its address there."""
    tenant = g.get("tenant")
    if tenant is None or g.get("console_slug") or request.method not in ("GET", "HEAD"):
        return None
    from app.reorg.services import moved_elsewhere

    try:
        return moved_elsewhere(tenant, request.path)
    except Exception:  # the 404 page must render even when this lookup cannot
        log.exception("redirect lookup failed for %s", request.path)
        db.session.rollback()
        return None


def _handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _handle_http(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    try:
        db.session.rollback()
    except Exception:  # the database itself may be what failed; the error page must still render
        log.exception("rollback failed while handling an error")
    if request.path.startswith("/api/"):
        from app.api.problems import problem

        return problem(500)
    return render_error(500)


def init_app(app) -> None:
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(InternalServerError, lambda e: _handle_unexpected(e.original_exception or e))
    app.register_error_handler(Exception, _handle_unexpected)
