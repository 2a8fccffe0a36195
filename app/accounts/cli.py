"""Operators' commands: `flask users create|set-password|list`."""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.accounts import services
from app.accounts.roles import NationalRole, TenantRole
from app.extensions import db
from tenants.models import Tenant

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default=None, help="Display name (defaults to the e-mail's local part).")
@click.option("--tenant", "tenant_slug", default=None, help="Tenant slug for a tenant role.")
@click.option("--role", required=True, type=click.Choice([r.value for r in (*TenantRole, *NationalRole)]))
@click.option("--national", is_flag=True, help="Give a national role (platform_admin, national_viewer).")
@click.option("--locale", default="vi", type=click.Choice(["vi", "en"]))
def create_user(email, password, name, tenant_slug, role, national, locale):
    """Create a user with a tenant role, or with --national a national role."""
    if national == bool(tenant_slug):
        raise click.UsageError("Give either --tenant SLUG or --national.")
    if national and role not in set(NationalRole):
        raise click.UsageError(f"--national takes one of: {', '.join(NationalRole)}")
    if not national and role not in set(TenantRole):
        raise click.UsageError(f"--tenant takes one of: {', '.join(TenantRole)}")
    tenant = None
    if tenant_slug:
        tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == tenant_slug)).first()
        if tenant is None:
            raise click.BadParameter(f"no tenant with slug {tenant_slug!r} (see `flask tenants list`)",
                                     param_hint="--tenant")
    existing = services.find_user(email) is not None
    try:
        user = services.create_user(email, name or email.split("@")[0], password, tenant=tenant,
                                    role=None if national else role, national_role=role if national else None,
                                    locale=locale)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{user.email}: {role}" + (f" in {tenant.slug}" if tenant else " (national)"))
    if existing:
        click.echo("The account already existed: its role was set, its password left unchanged "
                   "(use `flask users set-password` to change it).")


@users_cli.command("set-password")
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(email, password):
    """Set a user's password and lift any lockout."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"no user {email}")
    try:
        services.set_password(user, password)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"password set for {user.email}")
