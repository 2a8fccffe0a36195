"""The tenancy kernel: tenants, domains, provinces, clusters; resolution and scoping."""


def init_app(app) -> None:
    from app.extensions import db
    from tenants import cli, resolver, scoping

    scoping.install()
    with app.app_context():
        scoping.install_engine(db.engine)
    resolver.init_app(app)
    cli.init_app(app)
