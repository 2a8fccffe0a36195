"""The REST API at /api/v1/: public content of every union (read-only, CORS), staff work with personal access
tokens, described by an OpenAPI 3.1 document generated from the code (flask-smorest, marshmallow) and served at
/api/v1/openapi.json, with a readable page at /api/v1/docs (Swagger UI, vendored).

Conventions: JSON; ISO 8601 dates; pages of `per_page` (at most 100) with `Link` (first, prev, next, last) and
`X-Total-Count`; an `ETag` on every read (`If-None-Match` → 304); errors as RFC 9457 problem details titled by
Accept-Language; 401 without a valid token, 403 when its scopes or its owner's role do not allow, 404 for what
is not the union's (another union's row is 404); JSON bodies of at most 1 MB.
"""

import http

from flask import g, render_template, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from app.api.problems import PROBLEM
from app.api.schemas import ProblemSchema

BODY_LIMIT = 1024 * 1024


class PlatformApi(Api):
    """flask-smorest's Api with this platform's errors: app/core/errors.py answers every /api/ error with a problem
    document (so the site's HTML error pages stay as they are), and the spec says so."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        return None

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def init_app(app) -> None:
    from app.api import manage, public
    from app.api import national as _national  # noqa: F401 -- its operations join manage's blueprint
    from app.api import reports as _reports  # noqa: F401 -- the same
    from app.api import uploads as _uploads  # noqa: F401 -- the same
    from app.extensions import csrf

    app.config.setdefault("API_TITLE", "Nền tảng Liên hiệp các tổ chức hữu nghị — API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": (
            "Public content of every provincial friendship union (read-only, no token) and staff work with a "
            "personal access token (created in the console: Bearer lhhn_…). On a union's own host the paths "
            "without /tenants/{slug} are that union's; on the platform host /tenants/{slug}/… names it.")},
        "components": {"securitySchemes": {"token": {
            "type": "http", "scheme": "bearer",
            "description": "A personal access token from the console (Tài khoản → Token API)."}}},
    })
    api = PlatformApi(app)
    from app import IdConverter
    from app.core.urls import MAX_ID

    api.register_converter(IdConverter, lambda converter: {"type": "integer", "minimum": 1, "maximum": MAX_ID})
    api.register_blueprint(public.blp)
    api.register_blueprint(manage.blp)
    csrf.exempt(manage.blp)  # tokens, not cookies: nothing for a forged form to ride on
    app.extensions["lhhn_api"] = api
    from app.api import webhooks

    webhooks.init_app(app)

    @app.route("/api/v1/docs")
    def api_docs():
        return render_template("api/docs.html")

    @app.before_request
    def _api_body_limit():
        """JSON bodies: 1 MB; uploads (multipart): the site's own limit (MAX_CONTENT_LENGTH)."""
        if not is_api_request() or request.mimetype == "multipart/form-data":
            return
        request.max_content_length = BODY_LIMIT  # read with this limit, a chunked body included
        if (request.content_length or 0) > BODY_LIMIT:
            from flask import abort

            abort(413, description=f"A JSON body holds at most {BODY_LIMIT // 1024} KB.")

    @app.after_request
    def _api_conditional(response):
        if not is_api_request() or request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.mimetype == "application/json" and not response.direct_passthrough:
            response.add_etag()
            response.headers.setdefault("Cache-Control", "no-cache" if g.get("api_token") is None else "private, "
                                                                                                         "no-cache")
            response.headers["Vary"] = "Accept-Language, Authorization"
            return response.make_conditional(request)
        return response
