"""`flask tenants list|load-provinces`."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.extensions import db
from tenants.models import Tenant
from tenants.registry import load_provinces

tenants_cli = AppGroup("tenants", help="Tenants and the province registry.")


@tenants_cli.command("list")
def list_tenants():
    """Every tenant with its kind, status and domains."""
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.kind, Tenant.slug)):
        hosts = ", ".join(("*" if d.is_primary else "") + d.host for d in tenant.domains)
        click.echo(f"{tenant.slug:<16} {tenant.kind:<11} {tenant.status:<10} {tenant.name_vi}  [{hosts}]")


@tenants_cli.command("load-provinces")
def load_provinces_command():
    """Load the province registry (63 units before 1 July 2025, 34 after) from tenants/data/."""
    counts = load_provinces()
    click.echo(f"province registry: {counts['before']} units before, {counts['after']} after the reorganisation")


def init_app(app) -> None:
    from app.reorg.cli import merge_command, split_command

    for command in (merge_command, split_command):
        if command.name not in tenants_cli.commands:
            tenants_cli.add_command(command)
    app.cli.add_command(tenants_cli)
