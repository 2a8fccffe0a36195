"""Locale: an explicit choice (?lang=, remembered), then the user's, then the tenant's default,
then Accept-Language; always one of the tenant's enabled languages."""

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

from app.extensions import babel


def _allowed() -> list[str]:
    tenant = g.get("tenant") if has_request_context() else None
    languages = list(current_app.config["LANGUAGES"])
    return [loc for loc in tenant.locales if loc in languages] or languages if tenant else languages


def select_locale() -> str:
    allowed = _allowed()
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):  # machines say what they want in Accept-Language, never in a session
        return request.accept_languages.best_match(allowed) or current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in allowed:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in allowed:
        return current_user.locale
    tenant = g.get("tenant")
    if tenant is not None and tenant.default_locale in allowed:
        return tenant.default_locale
    g.locale_from_headers = True  # the page depends on Accept-Language: the page cache does not keep it
    return request.accept_languages.best_match(allowed) or allowed[0]


def remember_language_choice() -> None:
    """`?lang=en` on any page switches the language and keeps it for the session."""
    lang = request.args.get("lang")
    if lang and lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Asia/Ho_Chi_Minh")
    app.before_request(remember_language_choice)

    @app.context_processor
    def _language_context():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale()), "enabled_locales": _allowed() if has_request_context() else []}
