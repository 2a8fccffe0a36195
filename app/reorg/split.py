"""Splitting a part of a union off to another union: the articles of chosen categories or tags, or of a date range,
move with their translations, revisions, tags and nominations, by the merge's machinery (one transaction under
RLS, ids kept, every moved row recorded, a redirect for every moved path).

Each category or tag the moved articles use is, on the receiving union: its own of the same slug (the articles
join it), or the very row moved there (when no article left behind still uses it), or a copy (when some do).
Images and files the moved articles show are copied to the receiving union. The giving union stays live: its
host answers 301 for each moved article's path, to the same path on the other
union (app/core/errors.py, on a 404). Running the same split again moves nothing more.
"""

import re
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext

from app.core import audit
from app.core.timeutil import VN_TZ
from app.extensions import db
from app.reorg.models import ReorgOperation, TenantRedirect
from app.reorg.services import Conflict, MergeError, _open
from tenants.models import Tenant, TenantKind, TenantStatus

# Every table holding rows of an article (a column pointing at news_article): they go with it. tests/reorg
# checks the list against the schema, so a new one cannot be left behind.
DEPENDENTS = (("news_article_revision", "article_id"), ("news_article_tag", "article_id"),
              ("news_nomination", "article_id"))
# Links from rows that stay with the giving union (an event) to an article that moves: dropped (the row stays).
LINKS = (("event_article", "article_id"),)
STEPS = 3 + len(DEPENDENTS)  # choose, categories and tags, the articles, then each dependent table


@dataclass(frozen=True)
class Selection:
    """What part of a union moves: articles in any of `categories` or with any of `tags` (slugs), published on
    `since`…`until` (Viet Nam days, both included); an empty criterion does not narrow."""

    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def __post_init__(self):
        if not (self.categories or self.tags or self.since or self.until):
            raise MergeError(gettext("Choose what moves: categories, tags or a range of dates."))
        if self.since and self.until and self.since > self.until:
            raise MergeError(gettext("The range of dates ends before it starts."))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["categories"], data["tags"] = list(self.categories), list(self.tags)
        data["since"] = self.since.isoformat() if self.since else None
        data["until"] = self.until.isoformat() if self.until else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Selection":
        return cls(tuple(data.get("categories") or ()), tuple(data.get("tags") or ()),
                   date.fromisoformat(data["since"]) if data.get("since") else None,
                   date.fromisoformat(data["until"]) if data.get("until") else None)


@dataclass
class SplitPreview:
    source: Tenant
    target: Tenant
    selection: Selection
    effective_on: date
    moves: dict[str, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)  # what becomes of each category and tag

    @property
    def total(self) -> int:
        return sum(self.moves.values())


def _check(source: Tenant, target: Tenant) -> None:
    if source.id == target.id:
        raise MergeError(gettext("A union cannot give a part of itself to itself."))
    if TenantKind.NATIONAL in (source.kind, target.kind):
        raise MergeError(gettext("The national union takes part in no merge."))
    for tenant in (source, target):
        if tenant.status not in (TenantStatus.ACTIVE, TenantStatus.SUSPENDED):
            raise MergeError(gettext("%(name)s is no longer active: choose its successor instead.",
                                     name=tenant.name_vi))


def _ids(conn, sql: str, **params) -> list[int]:
    expanding = [sa.bindparam(name, expanding=True) for name, value in params.items() if isinstance(value, list)]
    return list(conn.execute(sa.text(sql).bindparams(*expanding), params).scalars())


def _chosen(conn, source_id: int, selection: Selection) -> list[int]:
    """The originals chosen, then their translations (which follow them)."""
    where, params = ["a.tenant_id = :src", "a.translation_of_id IS NULL"], {"src": source_id}
    either = []
    if selection.categories:
        either.append("a.category_id IN (SELECT id FROM news_category WHERE tenant_id = :src AND slug IN :cats)")
        params["cats"] = list(selection.categories)
    if selection.tags:
        either.append("a.id IN (SELECT l.article_id FROM news_article_tag l JOIN news_tag t ON t.id = l.tag_id "
                      "WHERE t.tenant_id = :src AND t.slug IN :tags)")
        params["tags"] = list(selection.tags)
    if either:
        where.append("(" + " OR ".join(either) + ")")
    if selection.since:
        where.append("a.published_at >= :since")
        params["since"] = datetime.combine(selection.since, time(), VN_TZ)
    if selection.until:
        where.append("a.published_at < :until")
        params["until"] = datetime.combine(selection.until + timedelta(days=1), time(), VN_TZ)
    originals = _ids(conn, f"SELECT a.id FROM news_article a WHERE {' AND '.join(where)} ORDER BY a.id", **params)
    if not originals:
        return []
    return originals + _ids(conn, "SELECT id FROM news_article WHERE tenant_id = :src AND translation_of_id IN :ids "
                                  "ORDER BY id", src=source_id, ids=originals)


# (table, the link table's column or None for news_article.category_id, public path of a row)
_GROUPS = (("news_category", "news_article", "category_id", "/chuyen-muc/{id}/"),
           ("news_tag", "news_article_tag", "tag_id", "/the/{id}/"))


def _plans(conn, source_id: int, target_id: int, articles: list[int]):
    """For each category and tag the moved articles use: (table, id, slug, what becomes of it, the receiving
    union's row of the same slug)."""
    for table, uses, column, _ in _GROUPS:
        by = "id" if uses == "news_article" else "article_id"
        used = _ids(conn, f"SELECT DISTINCT {column} FROM {uses} WHERE {by} IN :ids AND {column} IS NOT NULL",
                    ids=articles)
        for row_id in sorted(used):
            slug = conn.execute(sa.text(f"SELECT slug FROM {table} WHERE id = :id"), {"id": row_id}).scalar_one()
            there = conn.execute(sa.text(f"SELECT id FROM {table} WHERE tenant_id = :dst AND slug = :slug"),
                                 {"dst": target_id, "slug": slug}).scalar()
            stays_used = conn.execute(sa.text(
                f"SELECT count(*) FROM {uses} WHERE {column} = :id AND {by} NOT IN :ids")
                .bindparams(sa.bindparam("ids", expanding=True)), {"id": row_id, "ids": articles}).scalar_one()
            action = "join" if there else ("copy" if stays_used else "move")
            yield table, row_id, slug, action, there


_ACTIONS = {"join": lambda: gettext("the articles join the receiving union's own (same slug)"),
            "move": lambda: gettext("moves with them (nothing left behind uses it)"),
            "copy": lambda: gettext("copied to the receiving union (articles left behind still use it)")}


def preview_split(source: Tenant, target: Tenant, selection: Selection, effective_on: date) -> SplitPreview:
    """What splitting `selection` off `source` to `target` would move; nothing is written."""
    _check(source, target)
    preview = SplitPreview(source, target, selection, effective_on)
    conn = db.session.connection()
    try:
        _open(conn, source.id, target.id)
        articles = _chosen(conn, source.id, selection)
        if articles:
            preview.moves["news_article"] = len(articles)
            for table, column in DEPENDENTS:
                if n := len(_ids(conn, f"SELECT {column} FROM {table} WHERE {column} IN :ids", ids=articles)):
                    preview.moves[table] = n
            for table, row_id, slug, action, there in _plans(conn, source.id, target.id, articles):
                preview.conflicts.append(Conflict(table, slug, row_id, there, _ACTIONS[action](), action))
    finally:
        db.session.rollback()
    return preview


def split_union(source: Tenant, target: Tenant, selection: Selection, effective: date, *,
                actor_id: int | None = None,
                progress: Callable[[int, int, str], None] | None = None) -> ReorgOperation | None:
    """Move the chosen part of `source` to `target` in one transaction; None when nothing (more) matches."""
    _check(source, target)

    def step(done: int, label: str) -> None:
        if progress:
            progress(done, STEPS, label)

    copied: list[Path] = []
    try:
        operation = _split(source, target, selection, effective, actor_id, step, copied)
        db.session.commit()
    except Exception:
        db.session.rollback()
        for copy in copied:
            copy.unlink(missing_ok=True)
        raise
    step(STEPS, "")
    if operation is not None:
        from app.site import page_cache

        page_cache.invalidate(source.id, target.id)
    return operation


def _split(source: Tenant, target: Tenant, selection: Selection, effective: date, actor_id: int | None,
           step, copied: list) -> ReorgOperation | None:
    src, dst = source.id, target.id
    conn = db.session.connection()
    _open(conn, src, dst)
    step(0, "news_article")
    articles = _chosen(conn, src, selection)
    if not articles:
        return None
    operation = ReorgOperation(kind="split", source_tenant_id=src, target_tenant_id=dst, effective_on=effective,
                               actor_id=actor_id, selection=selection.as_dict(), counts={})
    db.session.add(operation)
    db.session.flush()
    op_id, counts, paths = operation.id, {}, [f"/tin/{article}/" for article in articles]

    def record(table: str, column: str, ids: list[int], merged_into: int | None = None) -> int:
        return conn.execute(sa.text(
            f"INSERT INTO reorg_moved_row (operation_id, table_name, row_id, from_tenant_id, merged_into_id) "
            f"SELECT :op, :table, id, :src, :into FROM {table} WHERE {column} IN :ids")
            .bindparams(sa.bindparam("ids", expanding=True)),
            {"op": op_id, "table": table, "src": src, "into": merged_into, "ids": ids}).rowcount

    step(1, "news_category, news_tag")
    for table, row_id, _slug, action, there in list(_plans(conn, src, dst, articles)):
        uses, column, path = next((u, c, p) for t, u, c, p in _GROUPS if t == table)
        by = "id" if uses == "news_article" else "article_id"
        if action == "move":
            record(table, "id", [row_id])
            conn.execute(sa.text(f"UPDATE {table} SET tenant_id = :dst WHERE id = :id"), {"dst": dst, "id": row_id})
            paths.append(path.format(id=row_id))
            counts[table] = {**counts.get(table, {}), "moved": counts.get(table, {}).get("moved", 0) + 1}
            continue
        if action == "copy":
            there = _copy_row(conn, table, row_id, dst)
        conn.execute(sa.text(f"UPDATE {uses} SET {column} = :to WHERE {column} = :from AND {by} IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)), {"to": there, "from": row_id, "ids": articles})
        counts[table] = {**counts.get(table, {}), action: counts.get(table, {}).get(action, 0) + 1}
    for table, column in LINKS:
        conn.execute(sa.text(f"DELETE FROM {table} WHERE {column} IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)), {"ids": articles})
    for number, (table, column) in enumerate((("news_article", "id"), *DEPENDENTS), start=2):
        step(number, table)
        record(table, column, articles)
        moved = conn.execute(sa.text(f"UPDATE {table} SET tenant_id = :dst WHERE {column} IN :ids")
                             .bindparams(sa.bindparam("ids", expanding=True)), {"dst": dst, "ids": articles}).rowcount
        if moved:
            counts[table] = {"moved": moved}
    media = _copy_media(conn, articles, src, dst, copied)
    if media:
        counts["media_item"] = {"copy": len(media)}
    _redirect(op_id, src, dst, paths)
    operation.counts = {"rows": counts}
    audit.record("tenant.split", tenant_id=src, actor_id=actor_id, target=f"tenant:{source.slug}",
                 detail=f"to {target.slug} from {effective.isoformat()} ({selection.as_dict()}): "
                        + ", ".join(f"{t} {c}" for t, c in sorted(counts.items())))
    db.session.flush()
    return operation


def _copy_row(conn, table: str, row_id: int, dst: int, **given) -> int:
    """A copy of one row for the receiving union (every column but the id and the tenant, `given` ones replaced);
    its new id."""
    columns = [c.name for c in db.metadata.tables[table].columns if c.name not in ("id", "tenant_id")]
    chosen = ", ".join(f":given_{c}" if c in given else c for c in columns)
    return conn.execute(sa.text(f"INSERT INTO {table} (tenant_id, {', '.join(columns)}) SELECT :dst, {chosen} "
                                f"FROM {table} WHERE id = :id RETURNING id"),
                        {"dst": dst, "id": row_id, **{f"given_{c}": v for c, v in given.items()}}).scalar_one()


_MEDIA_LINK = re.compile(r"/media/(\d+)/")


def _copy_media(conn, articles: list[int], src: int, dst: int, copied: list) -> dict[int, int]:
    """The giver's images and files that the moved articles show (cover, body) are copied to the receiver (the
    giver keeps its own: its other pages may show them too), and the moved articles point at the copies."""
    import secrets

    from app.media import storage

    rows = conn.execute(sa.text("SELECT body_html, cover_url FROM news_article WHERE id IN :ids")
                        .bindparams(sa.bindparam("ids", expanding=True)), {"ids": articles}).all()
    wanted = sorted({int(m) for body, cover in rows for m in _MEDIA_LINK.findall(f"{body or ''} {cover or ''}")})
    copies, root = {}, storage.root()
    for media_id in wanted:
        key = conn.execute(sa.text("SELECT storage_key FROM media_item WHERE id = :id AND tenant_id = :src"),
                           {"id": media_id, "src": src}).scalar()
        if key is None:  # not the giver's (another union's address in a body): left as it is
            continue
        new_key = secrets.token_hex(16)
        copy_id = _copy_row(conn, "media_item", media_id, dst, storage_key=new_key)
        for original in (root / str(src)).glob(f"{key}*"):
            target = root / str(dst) / original.name.replace(key, new_key, 1)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(original, target)
            copied.append(target)
        copies[media_id] = copy_id
    for old, new in copies.items():
        conn.execute(sa.text(
            "UPDATE news_article SET body_html = replace(body_html, :old, :new), "
            "cover_url = replace(cover_url, :old, :new) WHERE id IN :ids")
            .bindparams(sa.bindparam("ids", expanding=True)),
            {"old": f"/media/{old}/", "new": f"/media/{new}/", "ids": articles})
    return copies


def _redirect(op_id: int, src: int, dst: int, paths: list[str]) -> None:
    """The giving union's paths answer on the receiving union; a path that had come the other way before (a split
    back) no longer needs the old redirect."""
    db.session.execute(sa.delete(TenantRedirect).where(
        sa.or_(TenantRedirect.tenant_id == src, TenantRedirect.tenant_id == dst), TenantRedirect.old_path.in_(paths)))
    db.session.add_all([TenantRedirect(tenant_id=src, old_path=path, target_tenant_id=dst, new_path=path,
                                       operation_id=op_id) for path in paths])
