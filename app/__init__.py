"""Application factory: config → extensions → tenancy kernel → blueprints (an explicit list)."""

import logging

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.core.urls import MAX_ID
from config import load_config


def create_app(config: object | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config or load_config())
    app.config.update(overrides)
    app.config.from_prefixed_env("LHHN")
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "WARNING"))
    if app.config.get("PROXY_COUNT"):  # behind N reverse proxies: trust their X-Forwarded-For/-Proto only
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])

    _init_extensions(app)
    import tenants

    tenants.init_app(app)
    _register_blueprints(app)
    from app import api

    api.init_app(app)
    _register_cli(app)

    from app.core import errors, i18n, security, templating

    errors.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    from app.core import static_assets
    from app.site import page_cache

    static_assets.init_app(app)
    page_cache.init_app(app)  # after i18n: a ?lang= switch is seen before the cache is asked
    return app


def _init_extensions(app: Flask) -> None:
    import_models()
    from app.extensions import cache, csrf, db, limiter, login_manager, migrate
    from workers import celery_init_app

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), compare_type=True,
                 render_as_batch=True)
    csrf.init_app(app)
    cache.init_app(app)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    login_manager.init_app(app)
    celery_init_app(app)


class IdConverter(IntegerConverter):
    """<id:name>: a database id; values past a 32-bit key are simply 'not found' (never an overflow)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)  # werkzeug sets `max` per instance, so a class attribute is ignored
        super().__init__(map, *args, **kwargs)


def _register_blueprints(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    from app.accounts.routes import bp as accounts_bp
    from app.aid import routes as aid  # also nests its console and national views in those blueprints
    from app.aid.services import report_figures
    from app.albums import console as _albums_console  # noqa: F401 -- nests under /manage/<slug>/albums
    from app.albums.routes import bp as albums_bp
    from app.api import console as _api_console  # noqa: F401 -- the API tokens under /manage/<slug>
    from app.auditlog import routes as auditlog  # noqa: F401 -- nests under the console and /national
    from app.console.routes import bp as console_bp
    from app.core.health import bp as health_bp
    from app.documents.routes import bp as documents_bp
    from app.events import console as _events_console  # noqa: F401 -- nests under /manage/<slug>/events
    from app.events.routes import bp as events_bp
    from app.media import routes as media  # nests its console views under /manage/<slug>/media
    from app.members.routes import bp as members_bp
    from app.national import manage  # noqa: F401 -- tenants, clusters and users under /national
    from app.national import page_templates as _national_templates  # noqa: F401 -- /national/templates
    from app.national import reorg as _national_reorg  # noqa: F401 -- merge, split and their runs
    from app.national.routes import bp as national_bp
    from app.news import autosave as _news_autosave  # noqa: F401  (drafts saved as staff write)
    from app.news import console as _news_console  # noqa: F401  (nests its views in the console blueprint)
    from app.news.preview import bp as news_preview_bp
    from app.news.routes import bp as news_bp
    from app.nominations import routes as nominations  # noqa: F401 -- nests under the console and /national
    from app.notifications import routes as notifications  # also nests its console and national views
    from app.pages import console as _pages_console  # noqa: F401  (nests its views in the console blueprint)
    from app.people import routes as people  # noqa: F401 -- nests under the console and /auth
    from app.registries import routes as registries  # noqa: F401 -- nests under the console
    from app.reporting import config as _reporting_config  # noqa: F401 -- /national/reports/config
    from app.reporting import console as _reporting_console  # noqa: F401 -- nests under /manage/<slug>/reports
    from app.reporting import national as _reporting_national  # noqa: F401 -- nests under /national/reports
    from app.reporting import review as _reporting_review  # noqa: F401 -- nests under /manage/<slug>/cluster
    from app.reporting import runs as _reporting_runs  # noqa: F401 -- /national/reports/runs
    from app.reporting.sources import register_aid_sources
    from app.settings import routes as settings  # noqa: F401 -- nests under the console and /national
    from app.site import console as _site_console  # noqa: F401 -- the theme under /manage/<slug>/theme
    from app.site import menu_console as _menu_console  # noqa: F401 -- /manage/<slug>/menu, /national/menu
    from app.site.routes import bp as site_bp
    from app.stats.routes import bp as stats_bp

    register_aid_sources(report_figures)  # reports pre-fill aid committed/disbursed from the transactions
    for blueprint in (health_bp, accounts_bp, console_bp, national_bp, site_bp, news_bp, members_bp, documents_bp,
                      stats_bp, aid.public_bp, media.public_bp, notifications.public_bp, news_preview_bp, albums_bp,
                      events_bp):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from app.accounts.cli import users_cli
    from app.demo.cli import demo_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)


# Every model module, so that Alembic and the mappers see the whole schema.
def import_models() -> None:
    import app.accounts.models  # noqa: F401
    import app.aid.models  # noqa: F401
    import app.api.models  # noqa: F401
    import app.api.webhooks  # noqa: F401  (the Webhook model)
    import app.core.audit  # noqa: F401
    import app.documents.models  # noqa: F401
    import app.events.models  # noqa: F401
    import app.media.models  # noqa: F401
    import app.members.models  # noqa: F401
    import app.news.models  # noqa: F401
    import app.nominations.models  # noqa: F401
    import app.notifications.models  # noqa: F401
    import app.pages.models  # noqa: F401
    import app.people.models  # noqa: F401
    import app.reorg.models  # noqa: F401
    import app.reporting.models  # noqa: F401
    import app.reporting.reminders  # noqa: F401  (registers the deadline source)
    import app.reporting.workflow  # noqa: F401  (lock guard and rollup hand-off listeners)
    import app.settings.models  # noqa: F401
    import app.site.models  # noqa: F401
    import app.stats.models  # noqa: F401
    import tenants.models  # noqa: F401
    from app.extensions import db
    from tenants.scoping import defer_tenant_keys

    defer_tenant_keys(db.metadata)
