"""`flask demo load`: the demo tenants, cluster, users and pages (idempotent)."""

import click
from flask.cli import AppGroup

from app.demo.loader import DEMO_PASSWORD, load_demo

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load():
    """Load (or refresh) the demo: VUFO, provincial unions, Cluster 01, one user per role, aid projects."""
    summary = load_demo()
    click.echo(f"demo loaded: {summary['tenants']} tenants, {summary['users']} users, {summary['pages']} pages, "
               f"{summary['articles']} articles, {summary['aid_projects']} aid projects; "
               f"every demo password is {DEMO_PASSWORD!r}")
