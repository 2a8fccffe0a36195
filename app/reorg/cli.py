"""`flask tenants merge SRC [SRC…] --into DST --effective YYYY-MM-DD [--host H] [--dry-run]` and
`flask tenants split SRC --into DST [--category SLUG…] [--tag SLUG…] [--since D] [--until D] --effective D
[--dry-run]`. A successor that has no union yet (e.g. hai-phong) is created from the province registry."""

from datetime import date

import click
import sqlalchemy as sa

from app.extensions import db
from app.reorg import split as splitting
from app.reorg.services import MergeError, create_successor, merge_unions, planned_successor, preview_merge
from tenants.models import Province, Tenant


def _tenant(slug: str) -> Tenant:
    tenant = db.session.scalars(sa.select(Tenant).where(Tenant.slug == slug)).first()
    if tenant is None:
        raise click.BadParameter(f"no union with the slug {slug!r} (see `flask tenants list`)")
    return tenant


def _day(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("a day as YYYY-MM-DD, e.g. 2025-07-01") from None


def _unit(slug: str) -> Province | None:
    """The current provincial unit of that slug or code, for a successor that has no union yet."""
    return db.session.scalars(sa.select(Province).where(Province.valid_to.is_(None),
                                                        sa.or_(Province.slug == slug, Province.code == slug))).first()


def _progress(done: int, total: int, step: str) -> None:
    if step:
        click.echo(f"[{done}/{total}] {step}")


@click.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", "into", required=True, help="The successor's slug (a current unit's slug creates its union).")
@click.option("--effective", required=True, callback=_day, help="The day the merge takes effect (YYYY-MM-DD).")
@click.option("--host", default=None, help="Domain of a successor created now (default: <slug>.<platform host>).")
@click.option("--dry-run", is_flag=True, help="Only show what would move and every conflict; write nothing.")
def merge_command(sources: tuple[str, ...], into: str, effective: date, host: str | None, dry_run: bool):
    """Merge unions into a successor: their content moves, their history stays, their URLs redirect."""
    target = db.session.scalars(sa.select(Tenant).where(Tenant.slug == into)).first()
    unit = _unit(into) if target is None else None
    if target is None and unit is None:
        raise click.BadParameter(f"no union and no current provincial unit with the slug {into!r}", param_hint="--into")
    predecessors = [_tenant(slug) for slug in sources]
    try:
        shown = target or planned_successor(unit, host)
        if target is None:
            click.echo(f"{into}: a new union, {shown.name_vi}, at {shown.primary_domain.host}")
        for source in predecessors:
            preview = preview_merge(source, shown, effective)
            state = " (already merged: nothing to do)" if preview.done else ""
            click.echo(f"{source.slug} → {into} from {effective.isoformat()}{state}")
            for table, n in sorted(preview.moves.items()):
                click.echo(f"  moves   {table:<24} {n}")
            for table, n in sorted(preview.stays.items()):
                click.echo(f"  stays   {table:<24} {n}")
            for conflict in preview.conflicts:
                click.echo(f"  conflict {conflict.table}: {conflict.key} — {conflict.resolution}")
            for member in preview.staff:
                kept = f" (already {member.there} there, kept)" if member.there else ""
                click.echo(f"  staff   {member.email}: {member.role}{kept}")
        if dry_run:
            click.echo("dry run: nothing was written")
            return
        if target is None:
            target = create_successor(unit, host)
            click.echo(f"created {target.slug} ({target.primary_domain.host})")
        operations = merge_unions(predecessors, target, effective, progress=_progress)
    except MergeError as error:
        raise click.ClickException(str(error)) from None
    for operation in operations:
        moved = sum(c["moved"] for c in operation.counts.get("rows", {}).values())
        click.echo(f"merge #{operation.id} done: {moved} rows moved")


@click.command("split")
@click.argument("source")
@click.option("--into", "into", required=True, help="The slug of the union that receives the part.")
@click.option("--category", "categories", multiple=True, help="A category's slug (repeat for more).")
@click.option("--tag", "tags", multiple=True, help="A tag's slug (repeat for more).")
@click.option("--since", callback=_day, help="Articles published on or after this day (YYYY-MM-DD).")
@click.option("--until", callback=_day, help="Articles published on or before this day (YYYY-MM-DD).")
@click.option("--effective", required=True, callback=_day, help="The day the move takes effect (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Only show what would move; write nothing.")
def split_command(source: str, into: str, categories, tags, since, until, effective: date, dry_run: bool):
    """Move a part of a union (articles by category, tag or dates) to another union; its URLs redirect."""
    giver, taker = _tenant(source), _tenant(into)
    try:
        selection = splitting.Selection(tuple(categories), tuple(tags), since, until)
        preview = splitting.preview_split(giver, taker, selection, effective)
        click.echo(f"{giver.slug} → {taker.slug} from {effective.isoformat()}")
        for table, n in sorted(preview.moves.items()):
            click.echo(f"  moves   {table:<24} {n}")
        for conflict in preview.conflicts:
            click.echo(f"  {conflict.table} {conflict.key}: {conflict.resolution}")
        if not preview.total:
            click.echo("nothing matches: nothing to move")
            return
        if dry_run:
            click.echo("dry run: nothing was written")
            return
        operation = splitting.split_union(giver, taker, selection, effective, progress=_progress)
    except MergeError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"split #{operation.id} done" if operation else "nothing matched: nothing moved")
