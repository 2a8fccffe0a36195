"""The tenancy kernel: tenants, domains, provinces, clusters; resolution and scoping."""


def init_app(app) -> None:
    from tenants import cli, resolver, scoping

    scoping.install()
    resolver.init_app(app)
    cli.init_app(app)
