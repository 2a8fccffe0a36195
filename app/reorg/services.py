"""Merging unions into a successor: preview (nothing written) and the merge itself (one transaction).

A merge moves what the predecessor publishes and works on to the successor (app/reorg/rules.py says what
happens to each table), keeps the rows' ids so that public URLs keep their paths, records every row it moved
or folded (MovedRow) and the paths that did change (TenantRedirect), gives the predecessor's staff the same role
in the successor (or the one chosen in the preview), tells the moved news subscribers where their list went, and
marks the predecessor merged (its console read-only, its host answering 301 to the same page on the successor).
Reports and visit counts stay the predecessor's history. The successor may be created on the spot from the
province registry (`planned_successor` for the preview, `create_successor` for the merge).

On PostgreSQL the merge runs with row-level security on: the transaction sees the two unions it works on (the
`tenant_merge` policy and `app.merge_tenants`) and no other; in-tenant foreign keys are checked at its commit.
Re-running a merge that is done changes nothing.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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
NO_ACCESS = "none"  # a staff choice in the preview: no role in the successor


class MergeError(Exception):
    """A merge that cannot be done as asked (the message says why, for a person)."""


@dataclass
class Conflict:
    table: str
    key: str
    source_id: int
    target_id: int | None
    resolution: str
    action: str = ""  # a split's: join | move | copy


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    email: str
    role: str  # in the predecessor
    there: str | None  # their role in the successor already, if any (kept)


@dataclass
class MergePreview:
    source: Tenant
    target: Tenant
    effective_on: date
    moves: dict[str, int] = field(default_factory=dict)  # rows that change tenant, per table
    stays: dict[str, int] = field(default_factory=dict)  # rows that remain the predecessor's history
    conflicts: list[Conflict] = field(default_factory=list)
    staff: list[StaffMember] = field(default_factory=list)
    done: bool = False  # merged into this successor already: running it again changes nothing

    @property
    def total(self) -> int:
        return sum(self.moves.values())


def _check(source: Tenant, target: Tenant) -> None:
    if target.id is not None and source.id == target.id:
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
                     {"pair": f"{source_id},{target_id or 0}"})
        conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
    else:
        # SQLite ends the pragma with the transaction; outside one (Python's sqlite3 opens a transaction only at the
        # first write), every read would be a transaction of its own and end it: open the transaction now.
        if not conn.connection.dbapi_connection.in_transaction:
            conn.exec_driver_sql("BEGIN")
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


def _memberships(source: Tenant, target: Tenant) -> list[StaffMember]:
    from app.accounts.models import Membership, User

    rows = db.session.execute(
        sa.select(User.id, User.email, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == source.id).order_by(User.email)).all()
    there = dict(db.session.execute(sa.select(Membership.user_id, Membership.role)
                                    .where(Membership.tenant_id == target.id)).all()) if target.id else {}
    return [StaffMember(user_id, email, role, there.get(user_id)) for user_id, email, role in rows]


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
        preview.staff = _memberships(source, target)
    finally:
        db.session.rollback()  # the settings above end with the transaction; nothing was written
    return preview


Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what is being done now)
STEPS_PER_UNION = len(ORDER) + 3  # a step per table, then the files, the links, the staff and subscribers


def merge_unions(sources: list[Tenant], into: Tenant, effective: date, *, actor_id: int | None = None,
                 staff_roles: dict[int, str] | None = None, progress: Progress | None = None) -> list[ReorgOperation]:
    """Merge each of `sources` into `into` from `effective` on, each in its own transaction (all or nothing).
    `staff_roles` maps a predecessor's staff member (user id) to the role they get in the successor, or to
    NO_ACCESS; the others keep their role. Returns the operations (those already done are returned as they are).
    """
    operations, total = [], len(sources) * STEPS_PER_UNION
    for number, source in enumerate(sources):
        _check(source, into)
        base = number * STEPS_PER_UNION

        def step(done: int, label: str, base=base, source=source) -> None:
            if progress:
                progress(base + done, total, f"{source.slug}: {label}")

        operations.append(_merge_one(source, into, effective, actor_id, staff_roles or {}, step))
    if progress:
        progress(total, total, "")
    return operations


def _merge_one(source: Tenant, target: Tenant, effective: date, actor_id: int | None, staff_roles: dict[int, str],
               step: Callable[[int, str], None]) -> ReorgOperation:
    done = db.session.scalars(sa.select(ReorgOperation).filter_by(
        kind="merge", source_tenant_id=source.id, target_tenant_id=target.id)).first()
    if done is not None and source.status == TenantStatus.MERGED:
        return done
    copied: list[tuple[Path, Path]] = []
    try:
        operation = _move(source, target, effective, actor_id, copied, staff_roles, step)
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


def _move(source: Tenant, target: Tenant, effective: date, actor_id: int | None, copied: list,
          staff_roles: dict[int, str], step: Callable[[int, str], None]) -> ReorgOperation:
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

    for number, table in enumerate(ORDER):
        step(number, table)
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
                                  "body": _archive_body(conn, source, effective), "now": utcnow()}).scalar_one()
            conn.execute(sa.text("UPDATE page SET parent_id = :section WHERE tenant_id = :src AND parent_id IS NULL "
                                 "AND translation_of_id IS NULL"), {"section": section, "src": src})
            # archived copies: they no longer follow the national template (the successor has its own copy)
            conn.execute(sa.text("UPDATE page SET template_key = NULL, template_version = NULL WHERE tenant_id = :src"),
                         {"src": src})
            redirects.append(("/trang/", f"/trang/{slug}/"))
        record(table)
        moved = conn.execute(sa.text(f"UPDATE {table} SET tenant_id = :dst WHERE tenant_id = :src"),
                             {"dst": dst, "src": src}).rowcount
        if moved or folded:
            counts[table] = {"moved": moved, "folded": folded}
    step(len(ORDER), "files")
    _move_files(conn, op_id, src, dst, copied)
    step(len(ORDER) + 1, "links")
    _rewrite_links(conn, op_id, source, target)
    step(len(ORDER) + 2, "staff, subscribers")
    staff = _give_staff_roles(source, target, staff_roles)
    told = _tell_subscribers(conn, op_id, source, target, effective)
    for old, new in redirects:
        db.session.add(TenantRedirect(tenant_id=src, old_path=old, target_tenant_id=dst, new_path=new,
                                      operation_id=op_id))
    operation.counts = {"rows": counts, "staff": staff, "subscribers_told": told}
    source.status, source.successor_id, source.merged_on = TenantStatus.MERGED, dst, effective
    audit.record("tenant.merged", tenant_id=src, actor_id=actor_id, target=f"tenant:{source.slug}",
                 detail=f"into {target.slug} from {effective.isoformat()}: "
                        + ", ".join(f"{t} {c['moved']}+{c['folded']}" for t, c in sorted(counts.items())))
    db.session.flush()
    return operation


def _archive_title(source: Tenant, effective: date) -> str:
    return f"{source.name_vi} (trước {effective.strftime('%d/%m/%Y')})"


def _archive_body(conn, source: Tenant, effective: date) -> str:
    """The archive section's text: what the pages under it are, and the predecessor's visitor totals as history."""
    from markupsafe import escape

    from app.stats.widget import group_digits

    day = effective.strftime("%d/%m/%Y")
    visitors, views = conn.execute(sa.text(
        "SELECT coalesce(sum(visitors), 0), coalesce(sum(page_views), 0) FROM visit_daily WHERE tenant_id = :t"),
        {"t": source.id}).one()
    visits = (f"<p>Trang thông tin của {escape(source.name_vi)} đã có {group_digits(int(visitors), 'vi')} lượt "
              f"truy cập ({group_digits(int(views), 'vi')} lượt xem trang) trước ngày {day}; "
              f"số liệu này được lưu làm lịch sử.</p>"
              if visitors or views else "")
    return (f"<p>{escape(source.name_vi)} hợp nhất vào Liên hiệp từ ngày {day}. "
            f"Các trang dưới đây là trang của {escape(source.name_vi)} trước ngày đó.</p>{visits}")


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
    for table in ("document", "partner_agreement"):  # the tables whose files live under the documents' root
        for row_id, file_path in conn.execute(sa.text(
                f"SELECT id, file_path FROM {table} WHERE file_path IS NOT NULL AND id IN "
                f"(SELECT row_id FROM reorg_moved_row WHERE operation_id = :op AND table_name = :table)"),
                {"op": op_id, "table": table}):
            relative = Path(file_path)
            if relative.parts and relative.parts[0] == str(src):
                moved = Path(str(dst), *relative.parts[1:])
                if (root / relative).is_file():
                    _copy(root / relative, root / moved, copied)
                conn.execute(sa.text(f"UPDATE {table} SET file_path = :p WHERE id = :id"),
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


def _give_staff_roles(source: Tenant, target: Tenant, choices: dict[int, str]) -> dict[str, int]:
    """The predecessor's staff get the same role in the successor, or the one chosen for them (NO_ACCESS: none);
    who is there already keeps their role. Their membership of the predecessor stays (its console, read-only)."""
    from app.accounts.models import Membership
    from app.accounts.roles import TenantRole

    added = kept = left_out = 0
    for member in _memberships(source, target):
        if member.there is not None:
            kept += 1
            continue
        role = choices.get(member.user_id) or member.role
        if role == NO_ACCESS:
            left_out += 1
            continue
        if role not in set(TenantRole):
            raise MergeError(gettext("“%(role)s” is not a role of a union.", role=role))
        db.session.add(Membership(user_id=member.user_id, tenant_id=target.id, role=role))
        added += 1
    return {"added": added, "kept": kept, "left_out": left_out}


def _tell_subscribers(conn, op_id: int, source: Tenant, target: Tenant, effective: date) -> int:
    """Each confirmed subscriber whose subscription moved is told (in the same transaction, through the outbox)
    that the news now comes from the successor, with the link to unsubscribe there."""
    from types import SimpleNamespace

    from flask_babel import force_locale

    from app.notifications import outbox
    from app.notifications.emails import external_url, render_pair
    from app.notifications.subscriptions import unsubscribe_token

    host = target.primary_domain.host if target.primary_domain is not None else None
    rows = conn.execute(sa.text(
        "SELECT s.id, s.email, s.locale FROM news_subscriber s JOIN reorg_moved_row m ON m.row_id = s.id "
        "AND m.table_name = 'news_subscriber' AND m.operation_id = :op AND m.merged_into_id IS NULL "
        "WHERE s.status = 'confirmed' ORDER BY s.id"), {"op": op_id}).all()
    for sub_id, email, locale in rows:
        token = unsubscribe_token(SimpleNamespace(tenant_id=target.id, id=sub_id, email=email))
        unsubscribe_url = external_url("subscriptions.unsubscribe", host=host, token=token)
        site_url = external_url("site.home", host=host)
        with force_locale(locale):
            old, new = source.name(locale), target.name(locale)
            subject = gettext("The news of %(old)s now comes from %(new)s", old=old, new=new)
        text, html = render_pair("notifications/email/list_moved", locale, old=old, new=new, site_url=site_url,
                                 day=effective, unsubscribe_url=unsubscribe_url)
        outbox.queue_email(to=email, subject=subject, text=text, html=html, event_type="subscription.moved",
                           key=f"moved:{op_id}:{sub_id}", tenant_id=target.id,
                           headers={"List-Unsubscribe": f"<{unsubscribe_url}>",
                                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    return len(rows)


# --- a successor created on the spot from the province registry ------------------------------------------

def successor_names(province) -> tuple[str, str]:
    place = f"thành phố {province.name}" if province.kind == "city" else f"tỉnh {province.name}"
    return f"Liên hiệp các tổ chức hữu nghị {place}", f"{province.name_en} Union of Friendship Organizations"


def default_host(province) -> str:
    from flask import current_app

    return f"{province.slug}.{current_app.config['PLATFORM_HOST']}"


def _free_for(province, host: str) -> None:
    """MergeError unless the new union's short name and domain are free."""
    from tenants.models import TenantDomain

    if db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == province.slug)) is not None:
        raise MergeError(gettext("The short name %(slug)s is already used.", slug=province.slug))
    if db.session.scalar(sa.select(TenantDomain.id).where(TenantDomain.host == host)) is not None:
        raise MergeError(gettext("%(host)s already belongs to a site on the platform.", host=host))


def planned_successor(province, host: str | None = None) -> Tenant:
    """The union `create_successor` would create for `province` (not saved): what a preview shows (MergeError if
    its short name or domain is taken)."""
    from tenants.models import TenantDomain

    _free_for(province, host or default_host(province))
    name_vi, name_en = successor_names(province)
    tenant = Tenant(slug=province.slug, name_vi=name_vi, name_en=name_en, kind=TenantKind.PROVINCIAL,
                    status=TenantStatus.ACTIVE, province_id=province.id)
    tenant.domains = [TenantDomain(host=host or default_host(province), is_primary=True)]
    return tenant


def create_successor(province, host: str | None = None, *, actor_id: int | None = None) -> Tenant:
    """The current unit's union, with its standard pages and categories (or the one made for it before)."""
    from tenants import provision

    existing = db.session.scalars(sa.select(Tenant).where(Tenant.province_id == province.id)).first()
    if existing is not None:  # made by an earlier run of the same merge
        return existing
    _free_for(province, host or default_host(province))
    name_vi, name_en = successor_names(province)
    try:
        return provision.create_tenant(slug=province.slug, name_vi=name_vi, name_en=name_en,
                                       host=host or default_host(province), province_id=province.id,
                                       actor_id=actor_id)
    except provision.ProvisionError as refusal:
        db.session.rollback()
        raise MergeError(str(refusal)) from None


def unions_to_be() -> list:
    """Current provincial units with no union yet: successors that can be created on the spot."""
    from tenants.models import Province

    have = sa.select(Tenant.province_id).where(Tenant.province_id.is_not(None))
    slugs = sa.select(Tenant.slug)  # a union of that name continues the unit already (e.g. Tuyên Quang's)
    return list(db.session.scalars(sa.select(Province).where(
        Province.valid_to.is_(None), Province.id.not_in(have), Province.slug.not_in(slugs)).order_by(Province.name)))


def find_redirect(tenant_id: int, path: str) -> tuple[int, str] | None:
    """(the union, its path) that a recorded redirect sends `path` of this union to: the row for the path itself,
    else the longest recorded prefix ending in "/". One indexed lookup of at most a path's depth of keys."""
    candidates = [path] + [path[:i + 1] for i, char in enumerate(path) if char == "/"]
    rows = db.session.execute(sa.select(TenantRedirect.old_path, TenantRedirect.target_tenant_id,
                                        TenantRedirect.new_path)
                              .where(TenantRedirect.tenant_id == tenant_id,
                                     TenantRedirect.old_path.in_(candidates))).all()
    best = max((r for r in rows if r[0] == path or r[0].endswith("/")), key=lambda r: len(r[0]), default=None)
    return None if best is None else (best[1], best[2] + path[len(best[0]):])


def redirect_path(tenant_id: int, path: str) -> str:
    """The successor's path for a merged union's `path`: a recorded prefix replaced, or the same path."""
    found = find_redirect(tenant_id, path)
    return path if found is None else found[1]


def moved_elsewhere(tenant: Tenant, path: str) -> str | None:
    """For a page this union no longer has (a 404): the URL on the union it moved to in a split, or None."""
    found = find_redirect(tenant.id, path)
    if found is None or found[0] == tenant.id:
        return None
    target = db.session.get(Tenant, found[0])
    if target is None or target.primary_domain is None:
        return None
    from tenants.resolver import url_on

    parts = urlsplit(url_on(target.primary_domain.host, keep_path=True))
    return urlunsplit(parts._replace(path=found[1]))


def moved_from(article_id: int):
    """The union a moved article was first published by (an Origin: its names and the day it moved), or None
    (never moved, or back with the union that published it). The current tenant's moved articles are read once
    per process while its content stays the same."""
    from app.site.page_cache import per_generation

    return per_generation("reorg_origins", _origins).get(article_id)


def _origins() -> dict:
    from tenants.context import current_tenant_id

    here = current_tenant_id()
    moved_here = (sa.select(MovedRow.row_id).join(ReorgOperation, ReorgOperation.id == MovedRow.operation_id)
                  .where(ReorgOperation.target_tenant_id == here, MovedRow.table_name == "news_article",
                         MovedRow.merged_into_id.is_(None)))
    rows = db.session.execute(  # every move of those articles, the first one first: it names the first publisher
        sa.select(MovedRow.row_id, MovedRow.from_tenant_id, Tenant.name_vi, Tenant.name_en,
                  ReorgOperation.effective_on)
        .join(ReorgOperation, ReorgOperation.id == MovedRow.operation_id)
        .join(Tenant, Tenant.id == MovedRow.from_tenant_id)
        .where(MovedRow.table_name == "news_article", MovedRow.row_id.in_(moved_here))
        .order_by(MovedRow.id.desc())).all()
    first = {row_id: (from_id, Origin(name_vi, name_en, day)) for row_id, from_id, name_vi, name_en, day in rows}
    return {row_id: origin for row_id, (from_id, origin) in first.items() if from_id != here}


@dataclass(frozen=True)
class Origin:
    name_vi: str
    name_en: str
    until: date

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi
