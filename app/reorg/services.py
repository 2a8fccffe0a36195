"""Merging unions into a successor: preview (nothing written) and the merge itself (one transaction).

A merge moves what the predecessor publishes and works on to the successor (app/reorg/rules.py says what
happens to each table), keeps the rows' ids so that public URLs keep their paths, records every row it moved
or folded (MovedRow) and the paths that did change (TenantRedirect), gives the predecessor's staff the same role
in the successor, and marks the predecessor merged (its console read-only, its host answering 301 to the same
page on the successor). Reports and visit counts stay the predecessor's history.

On PostgreSQL the merge runs with row-level security on: the transaction sees the two unions it works on (the
`tenant_merge` policy and `app.merge_tenants`) and no other; in-tenant foreign keys are checked at its commit.
Re-running a merge that is done changes nothing.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext

from app.core import audit
from app.core.timeutil import utcnow
from app.extensions import db
from app.reorg.models import MovedRow, ReorgOperation, TenantRedirect
from app.reorg.rules import BY_SLUG, DEDUPE, ORDER, PAGES, RULES, STAY
from tenants.models import Tenant, TenantKind, TenantStatus

# Paths of a folded row's pages: (path prefix on the predecessor, the same on the successor).
_PREFIXES = {"news_category": "/chuyen-muc/{id}/", "news_tag": "/the/{id}/"}


class MergeError(Exception):
    """A merge that cannot be done as asked (the message says why, for a person)."""


@dataclass
class Conflict:
    table: str
    key: str
    source_id: int
    target_id: int | None
    resolution: str


@dataclass
class MergePreview:
    source: Tenant
    target: Tenant
    effective_on: date
    moves: dict[str, int] = field(default_factory=dict)  # rows that change tenant, per table
    stays: dict[str, int] = field(default_factory=dict)  # rows that remain the predecessor's history
    conflicts: list[Conflict] = field(default_factory=list)
    staff: list[tuple[str, str, str | None]] = field(default_factory=list)  # (e-mail, role here, role there)
    done: bool = False  # merged into this successor already: running it again changes nothing

    @property
    def total(self) -> int:
        return sum(self.moves.values())


def _check(source: Tenant, target: Tenant) -> None:
    if source.id == target.id:
        raise MergeError(gettext("A union cannot be merged into itself."))
    if source.kind == TenantKind.NATIONAL or target.kind == TenantKind.NATIONAL:
        raise MergeError(gettext("The national union takes part in no merge."))
    if target.status in (TenantStatus.MERGED, TenantStatus.ARCHIVED):
        raise MergeError(gettext("%(name)s is no longer active: choose its successor instead.", name=target.name_vi))
    if source.status == TenantStatus.MERGED and source.successor_id != target.id:
        raise MergeError(gettext("%(name)s was already merged into another union.", name=source.name_vi))


def _open(conn, source_id: int, target_id: int) -> None:
    """This transaction sees both unions (and only them, under RLS) and checks in-tenant keys at its commit."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("select set_config('app.merge_tenants', :pair, true)"),
                     {"pair": f"{source_id},{target_id}"})
        conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
    else:
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def _count(conn, table: str, tenant_id: int) -> int:
    return conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant_id}).scalar_one()


def _pairs(conn, table: str, key: tuple[str, ...], source_id: int, target_id: int) -> list[tuple]:
    """(source row id, key value, the successor's row id with the same key) for every clash."""
    on = " AND ".join(f"d.{column} = s.{column}" for column in key)
    shown = " || '/' || ".join(f"s.{column}" for column in key)
    return [tuple(r) for r in conn.execute(sa.text(
        f"SELECT s.id, {shown}, d.id FROM {table} s JOIN {table} d ON {on} AND d.tenant_id = :dst "
        f"WHERE s.tenant_id = :src ORDER BY s.id"), {"src": source_id, "dst": target_id})]


def _section_slug(conn, source: Tenant, target_id: int) -> str:
    """The successor's root page that will hold the predecessor's pages: the predecessor's slug, or a variant."""
    taken = set(conn.execute(sa.text("SELECT slug FROM page WHERE tenant_id = :t AND parent_id IS NULL"),
                             {"t": target_id}).scalars())
    slug, n = source.slug, 2
    while slug in taken:
        slug, n = f"{source.slug}-{n}", n + 1
    return slug


def _memberships(source: Tenant, target: Tenant) -> list[tuple[int, str, str, str | None]]:
    from app.accounts.models import Membership, User

    rows = db.session.execute(
        sa.select(User.id, User.email, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == source.id).order_by(User.email)).all()
    there = dict(db.session.execute(sa.select(Membership.user_id, Membership.role)
                                    .where(Membership.tenant_id == target.id)).all())
    return [(user_id, email, role, there.get(user_id)) for user_id, email, role in rows]


def preview_merge(source: Tenant, target: Tenant, effective_on: date) -> MergePreview:
    """What merging `source` into `target` would do; nothing is written."""
    _check(source, target)
    preview = MergePreview(source, target, effective_on,
                           done=source.status == TenantStatus.MERGED and source.successor_id == target.id)
    conn = db.session.connection()
    try:
        _open(conn, source.id, target.id)
        for table in ORDER:
            rule, n = RULES[table], _count(conn, table, source.id)
            if rule.action == STAY:
                if n:
                    preview.stays[table] = n
                continue
            clashes = _pairs(conn, table, rule.key, source.id, target.id) if rule.key else []
            for source_id, key, target_id in clashes:
                resolution = (gettext("folded into the successor's (same slug)") if rule.action == BY_SLUG
                              else gettext("the successor's is kept, this one is dropped"))
                preview.conflicts.append(Conflict(table, key, source_id, target_id, resolution))
            if rule.action == PAGES and n:
                slug = _section_slug(conn, source, target.id)
                preview.conflicts.append(Conflict(table, slug, 0, None, gettext(
                    "the pages go under a new section /trang/%(slug)s/ of the successor", slug=slug)))
            if n - len(clashes):
                preview.moves[table] = n - len(clashes)
        preview.staff = [(email, role, there) for _, email, role, there in _memberships(source, target)]
    finally:
        db.session.rollback()  # the settings above end with the transaction; nothing was written
    return preview


def merge_unions(sources: list[Tenant], into: Tenant, effective: date, *, actor_id: int | None = None,
                 progress: Callable[[int, int, str], None] | None = None) -> list[ReorgOperation]:
    """Merge each of `sources` into `into` from `effective` on, each in its own transaction (all or nothing).
    Returns the operations (those already done are returned as they are)."""
    operations = []
    for number, source in enumerate(sources, start=1):
        _check(source, into)
        if progress:
            progress(number - 1, len(sources), source.slug)
        operations.append(_merge_one(source, into, effective, actor_id))
    if progress:
        progress(len(sources), len(sources), "")
    return operations


def _merge_one(source: Tenant, target: Tenant, effective: date, actor_id: int | None) -> ReorgOperation:
    done = db.session.scalars(sa.select(ReorgOperation).filter_by(
        kind="merge", source_tenant_id=source.id, target_tenant_id=target.id)).first()
    if done is not None and source.status == TenantStatus.MERGED:
        return done
    copied: list[tuple[Path, Path]] = []
    try:
        operation = _move(source, target, effective, actor_id, copied)
        db.session.commit()
    except Exception:
        db.session.rollback()
        for _, copy in copied:
            copy.unlink(missing_ok=True)
        raise
    for original, _ in copied:  # the moved rows point at the copies now
        original.unlink(missing_ok=True)
    from app.site import page_cache

    page_cache.invalidate(source.id, target.id)
    return operation


def _move(source: Tenant, target: Tenant, effective: date, actor_id: int | None, copied: list) -> ReorgOperation:
    src, dst = source.id, target.id
    conn = db.session.connection()
    _open(conn, src, dst)
    operation = ReorgOperation(kind="merge", source_tenant_id=src, target_tenant_id=dst, effective_on=effective,
                               actor_id=actor_id, counts={})
    db.session.add(operation)
    db.session.flush()
    op_id, counts, redirects = operation.id, {}, []

    def record(table: str, where: str = "tenant_id = :src", merged_into: str = "NULL", **params) -> None:
        conn.execute(sa.text(
            f"INSERT INTO reorg_moved_row (operation_id, table_name, row_id, from_tenant_id, merged_into_id) "
            f"SELECT :op, :table, id, :src, {merged_into} FROM {table} WHERE {where}"),
            {"op": op_id, "table": table, "src": src, **params})

    for table in ORDER:
        rule = RULES[table]
        if rule.action == STAY:
            continue
        folded = 0
        if rule.action in (BY_SLUG, DEDUPE):
            for source_id, _, target_id in _pairs(conn, table, rule.key, src, dst):
                for ref_table, column in rule.refs:
                    conn.execute(sa.text(f"UPDATE {ref_table} SET {column} = :to WHERE tenant_id = :src "
                                         f"AND {column} = :from"), {"to": target_id, "src": src, "from": source_id})
                record(table, "id = :row", ":into", row=source_id, into=target_id)
                conn.execute(sa.text(f"DELETE FROM {table} WHERE id = :row"), {"row": source_id})
                if table in _PREFIXES:
                    redirects.append((_PREFIXES[table].format(id=source_id), _PREFIXES[table].format(id=target_id)))
                folded += 1
        if rule.action == PAGES and _count(conn, "page", src):
            slug = _section_slug(conn, source, dst)
            section = conn.execute(sa.text(
                "INSERT INTO page (tenant_id, parent_id, slug, title, body_html, locale, position, show_in_menu, "
                "published, updated_at) VALUES (:dst, NULL, :slug, :title, :body, 'vi', 1000, false, true, :now) "
                "RETURNING id"), {"dst": dst, "slug": slug, "title": _archive_title(source, effective),
                                  "body": _archive_body(source, effective), "now": utcnow()}).scalar_one()
            conn.execute(sa.text("UPDATE page SET parent_id = :section WHERE tenant_id = :src AND parent_id IS NULL"),
                         {"section": section, "src": src})
            redirects.append(("/trang/", f"/trang/{slug}/"))
        record(table)
        moved = conn.execute(sa.text(f"UPDATE {table} SET tenant_id = :dst WHERE tenant_id = :src"),
                             {"dst": dst, "src": src}).rowcount
        if moved or folded:
            counts[table] = {"moved": moved, "folded": folded}
    _move_files(conn, op_id, src, dst, copied)
    _rewrite_links(conn, op_id, source, target)
    staff = _give_staff_roles(source, target)
    for old, new in redirects:
        db.session.add(TenantRedirect(tenant_id=src, old_path=old, target_tenant_id=dst, new_path=new,
                                      operation_id=op_id))
    operation.counts = {"rows": counts, "staff": staff}
    source.status, source.successor_id, source.merged_on = TenantStatus.MERGED, dst, effective
    audit.record("tenant.merged", tenant_id=src, actor_id=actor_id, target=f"tenant:{source.slug}",
                 detail=f"into {target.slug} from {effective.isoformat()}: "
                        + ", ".join(f"{t} {c['moved']}+{c['folded']}" for t, c in sorted(counts.items())))
    db.session.flush()
    return operation


def _archive_title(source: Tenant, effective: date) -> str:
    return f"{source.name_vi} (trước {effective.strftime('%d/%m/%Y')})"


def _archive_body(source: Tenant, effective: date) -> str:
    from markupsafe import escape

    return (f"<p>{escape(source.name_vi)} hợp nhất vào Liên hiệp từ ngày {effective.strftime('%d/%m/%Y')}. "
            f"Các trang dưới đây là trang của {escape(source.name_vi)} trước ngày đó.</p>")


def _moved_ids(conn, op_id: int, table: str) -> list[int]:
    return list(conn.execute(sa.text("SELECT row_id FROM reorg_moved_row WHERE operation_id = :op AND "
                                     "table_name = :t AND merged_into_id IS NULL"), {"op": op_id, "t": table})
                .scalars())


def _move_files(conn, op_id: int, src: int, dst: int, copied: list) -> None:
    """Copy the moved media and documents' files into the successor's folders (the originals go after the commit,
    the copies on a failure)."""
    from app.documents.services import documents_root
    from app.media import storage

    media = storage.root()
    for row_id in _moved_ids(conn, op_id, "media_item"):
        key = conn.execute(sa.text("SELECT storage_key FROM media_item WHERE id = :id"), {"id": row_id}).scalar_one()
        for original in (media / str(src)).glob(f"{key}*"):
            _copy(original, media / str(dst) / original.name, copied)
    root = documents_root()
    for row_id, file_path in conn.execute(sa.text(
            "SELECT id, file_path FROM document WHERE file_path IS NOT NULL AND id IN "
            "(SELECT row_id FROM reorg_moved_row WHERE operation_id = :op AND table_name = 'document')"),
            {"op": op_id}):
        relative = Path(file_path)
        if relative.parts and relative.parts[0] == str(src):
            moved = Path(str(dst), *relative.parts[1:])
            if (root / relative).is_file():
                _copy(root / relative, root / moved, copied)
            conn.execute(sa.text("UPDATE document SET file_path = :p WHERE id = :id"),
                         {"p": moved.as_posix(), "id": row_id})


def _copy(original: Path, copy: Path, copied: list) -> None:
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(original, copy)
    copied.append((original, copy))


def _rewrite_links(conn, op_id: int, source: Tenant, target: Tenant) -> None:
    """Links inside the moved articles and pages that pointed at the predecessor's hosts point at the successor."""
    if target.primary_domain is None:
        return
    new = target.primary_domain.host
    for domain in source.domains:
        for table in ("news_article", "page"):
            conn.execute(sa.text(
                f"UPDATE {table} SET body_html = replace(replace(body_html, :old1, :new1), :old2, :new2) "
                f"WHERE tenant_id = :dst AND body_html LIKE :like"),
                {"old1": f"//{domain.host}/", "new1": f"//{new}/", "old2": f"//{domain.host}\"",
                 "new2": f"//{new}\"", "dst": target.id, "like": f"%//{domain.host}%"})


def _give_staff_roles(source: Tenant, target: Tenant) -> dict[str, int]:
    """The predecessor's staff get the same role in the successor; who is there already keeps their role."""
    from app.accounts.models import Membership

    added = kept = 0
    for user_id, _, role, there in _memberships(source, target):
        if there is None:
            db.session.add(Membership(user_id=user_id, tenant_id=target.id, role=role))
            added += 1
        else:
            kept += 1
    return {"added": added, "kept": kept}


def redirect_path(tenant_id: int, path: str) -> str:
    """The successor's path for a merged union's `path`: a recorded prefix replaced, or the same path."""
    rows = db.session.execute(sa.select(TenantRedirect.old_path, TenantRedirect.new_path)
                              .where(TenantRedirect.tenant_id == tenant_id)).all()
    best = max((r for r in rows if path == r[0] or (r[0].endswith("/") and path.startswith(r[0]))),
               key=lambda r: len(r[0]), default=None)
    return path if best is None else best[1] + path[len(best[0]):]



def moved_from(article_id: int):
    """The union a moved article was first published by (an Origin: its names and the merge's day), or None.
    The current tenant's moved articles are read once per process while its content stays the same."""
    from app.site.page_cache import per_generation

    return per_generation("reorg_origins", _origins).get(article_id)


def _origins() -> dict:
    from tenants.context import current_tenant_id

    rows = db.session.execute(
        sa.select(MovedRow.row_id, Tenant.name_vi, Tenant.name_en, ReorgOperation.effective_on)
        .join(ReorgOperation, ReorgOperation.id == MovedRow.operation_id)
        .join(Tenant, Tenant.id == MovedRow.from_tenant_id)
        .where(ReorgOperation.target_tenant_id == current_tenant_id(), MovedRow.table_name == "news_article",
               MovedRow.merged_into_id.is_(None))).all()
    return {row_id: Origin(name_vi, name_en, effective_on) for row_id, name_vi, name_en, effective_on in rows}


@dataclass(frozen=True)
class Origin:
    name_vi: str
    name_en: str
    until: date

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi
