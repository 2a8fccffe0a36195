"""Errors of the API as RFC 9457 problem details (`application/problem+json`), titled in Vietnamese or English
by the request's Accept-Language (Vietnamese when it names neither)."""

import json

from flask import Response, request
from flask_babel import force_locale
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM = "application/problem+json"
LOCALES = ("vi", "en")


def api_locale() -> str:
    return request.accept_languages.best_match(LOCALES) or LOCALES[0]


def problem(status: int, detail: str | None = None, *, errors: dict | None = None,
            headers: dict | None = None) -> Response:
    """The problem document for `status`: its type (about:blank), title, status and, when known, a detail and the
    fields that were refused."""
    from app.core.errors import _messages

    with force_locale(api_locale()):
        title, message = _messages().get(status, (HTTP_STATUS_CODES.get(status, "Error"), ""))
        title, message = str(title), str(message)
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail or message}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM)
    response.headers["Content-Language"] = api_locale()
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_exception(error) -> Response:
    """A Werkzeug HTTPException (webargs' 422 with its messages included) as a problem."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    if isinstance(errors, dict) and set(errors) <= {"json", "query", "form", "files", "headers", "view_args"}:
        flat = {}
        for where, fields in errors.items():  # {"json": {"title": [...]}} → {"title": [...]}; a whole body refused:
            if not isinstance(fields, dict):  # {"json": ["Invalid input type."]} → {"json": [...]}
                flat[where] = fields
                continue
            for field, what in fields.items():
                flat[field if where in ("json", "form", "files") else f"{where}.{field}"] = what  # the body's
        errors = flat
    detail = data.get("message") or (error.description if error.description != type(error).description else None)
    headers = dict(data.get("headers") or {})
    if error.code == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem(error.code, detail, errors=errors if isinstance(errors, dict) else None, headers=headers)
