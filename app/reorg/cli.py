"""`flask tenants merge SRC [SRC…] --into DST --effective YYYY-MM-DD [--dry-run]`."""

from datetime import date

import click
import sqlalchemy as sa

from app.extensions import db
from app.reorg.services import MergeError, merge_unions, preview_merge
from tenants.models import Tenant


def _tenant(slug: str) -> Tenant:
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None:
        raise click.BadParameter(f"no union with the slug {slug!r} (see `flask tenants list`)")
    return tenant


def _day(ctx, param, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("a day as YYYY-MM-DD, e.g. 2025-07-01") from None


@click.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", "into", required=True, help="The successor's slug.")
@click.option("--effective", required=True, callback=_day, help="The day the merge takes effect (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Only show what would move and every conflict; write nothing.")
def merge_command(sources: tuple[str, ...], into: str, effective: date, dry_run: bool):
    """Merge unions into a successor: their content moves, their history stays, their URLs redirect."""
    target = _tenant(into)
    predecessors = [_tenant(slug) for slug in sources]
    try:
        for source in predecessors:
            preview = preview_merge(source, target, effective)
            state = " (already merged: nothing to do)" if preview.done else ""
            click.echo(f"{source.slug} → {target.slug} from {effective.isoformat()}{state}")
            for table, n in sorted(preview.moves.items()):
                click.echo(f"  moves   {table:<24} {n}")
            for table, n in sorted(preview.stays.items()):
                click.echo(f"  stays   {table:<24} {n}")
            for conflict in preview.conflicts:
                click.echo(f"  conflict {conflict.table}: {conflict.key} — {conflict.resolution}")
            for email, role, there in preview.staff:
                click.echo(f"  staff   {email}: {role}" + (f" (already {there} there, kept)" if there else ""))
        if dry_run:
            click.echo("dry run: nothing was written")
            return
        operations = merge_unions(predecessors, target, effective,
                                  progress=lambda done, total, slug: click.echo(f"[{done}/{total}] {slug}")
                                  if slug else None)
    except MergeError as error:
        raise click.ClickException(str(error)) from None
    for operation in operations:
        moved = sum(c["moved"] for c in operation.counts.get("rows", {}).values())
        click.echo(f"merge #{operation.id} done: {moved} rows moved")
