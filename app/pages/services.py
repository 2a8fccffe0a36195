"""Business rules for pages, callable from routes, tasks and the CLI."""

import sqlalchemy as sa

from app.core import audit
from app.extensions import db
from app.pages import template_sync
from app.pages.models import Page


def page_tree() -> list[Page]:
    """The current tenant's top-level pages, children loaded in one more query."""
    stmt = (sa.select(Page).where(Page.parent_id.is_(None), Page.translation_of_id.is_(None))
            .options(sa.orm.selectinload(Page.children)).order_by(Page.position, Page.title))
    return list(db.session.scalars(stmt))


def set_published(page: Page, published: bool) -> None:
    """Publish or unpublish one page, and write it to the audit log."""
    page.published = published
    audit.record("page.publish" if published else "page.unpublish", target=f"page:{page.id}",
                 detail=page.title)
    db.session.commit()


# --- editing from the console (every save keeps a revision) ---------------------------------------

class PageError(Exception):
    """A change the tree does not allow (the message is for the user)."""


def _siblings(parent_id: int | None) -> list[Page]:
    stmt = sa.select(Page).where(Page.translation_of_id.is_(None),
                                 Page.parent_id.is_(None) if parent_id is None else Page.parent_id == parent_id)
    return list(db.session.scalars(stmt.order_by(Page.position, Page.id)))


def _renumber(parent_id: int | None) -> None:
    for index, sibling in enumerate(_siblings(parent_id)):
        sibling.position = index


def descendants(page: Page) -> set[int]:
    found, todo = set(), [page.id]
    while todo:
        children = db.session.scalars(sa.select(Page.id).where(Page.parent_id.in_(todo))).all()
        todo = [c for c in children if c not in found]
        found.update(todo)
    return found


def _check_slug(page: Page, slug: str, parent_id: int | None, locale: str) -> None:
    from flask_babel import gettext as _

    clash = sa.select(Page.id).where(Page.slug == slug, Page.locale == locale, Page.translation_of_id.is_(None),
                                     Page.parent_id.is_(None) if parent_id is None else Page.parent_id == parent_id)
    if page.id is not None:
        clash = clash.where(Page.id != page.id)
    if db.session.scalar(clash) is not None:
        raise PageError(_("Another page at this place already has the address “%(slug)s”.", slug=slug))


def _check_parent(page: Page, parent_id: int | None) -> None:
    from flask_babel import gettext as _

    if parent_id is None:
        return
    if db.session.get(Page, parent_id) is None:
        raise PageError(_("The parent page does not exist."))
    if page.id is not None and (parent_id == page.id or parent_id in descendants(page)):
        raise PageError(_("A page cannot be moved under itself or one of its sub-pages."))


def save_page(page: Page, fields: dict, actor_id: int | None) -> Page:
    """Create or update a page from the console's fields (title, slug, parent_id, body_html, show_in_menu,
    published), keeping a revision."""
    from app.core.vntext import slugify
    from app.editorial import revisions
    from app.pages.models import PageRevision

    creating = page.id is None
    slug = slugify(fields.get("slug") or fields["title"], 120) or "trang"
    parent_id = fields.get("parent_id") or None
    _check_parent(page, parent_id)
    _check_slug(page, slug, parent_id, page.locale or "vi")
    moved = not creating and parent_id != page.parent_id
    old_parent = page.parent_id
    page.title, page.slug, page.body_html = fields["title"], slug, fields.get("body_html", "")
    page.show_in_menu, page.published = bool(fields.get("show_in_menu")), bool(fields.get("published"))
    if creating or moved:
        position = len(_siblings(parent_id))  # last among its new siblings
        page.parent_id, page.position = parent_id, position
    if creating:
        db.session.add(page)
    db.session.flush()
    template_sync.note_edit(page, actor_id)
    if moved:
        _renumber(old_parent)
    revisions.snapshot(PageRevision, "page_id", page, actor_id, "created" if creating else None)
    audit.record("page.create" if creating else "page.edit", target=f"page:{page.id}", detail=page.title)
    db.session.commit()
    return page


def restore_page(page: Page, revision, actor_id: int | None) -> None:
    from app.editorial import revisions
    from app.pages.models import PageRevision

    page.title, page.body_html = revision.title, revision.body_html
    db.session.flush()
    template_sync.note_edit(page, actor_id)
    revisions.snapshot(PageRevision, "page_id", page, actor_id, f"restored from {revision.number}")
    audit.record("page.edit", target=f"page:{page.id}", detail=f"restored revision {revision.number}")
    db.session.commit()


def shift(page: Page, step: int) -> None:
    """Move a page one place up (-1) or down (+1) among its siblings."""
    siblings = _siblings(page.parent_id)
    index = next(i for i, s in enumerate(siblings) if s.id == page.id)
    target = index + step
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        audit.record("page.reorder", target=f"page:{page.id}", detail=page.title)
    db.session.commit()


def set_in_menu(page: Page, shown: bool) -> None:
    page.show_in_menu = shown
    audit.record("page.menu", target=f"page:{page.id}", detail=f"{page.title}: {'shown' if shown else 'hidden'}")
    db.session.commit()


def delete_page(page: Page) -> None:
    """Remove a page with its sub-pages and revisions."""
    parent_id = page.parent_id
    audit.record("page.delete", target=f"page:{page.id}", detail=page.title)
    db.session.delete(page)
    db.session.flush()
    _renumber(parent_id)
    db.session.commit()


# --- versions in other languages (a row of its own outside the tree, linked to the original) ------------------

def translation(page: Page, locale: str) -> Page | None:
    return db.session.scalars(sa.select(Page).where(Page.translation_of_id == page.id, Page.locale == locale)).first()


def save_translation(original: Page, locale: str, fields: dict, actor_id: int | None) -> Page:
    """Create or update the `locale` version of a page (title, body_html, published), keeping a revision."""
    from app.editorial import revisions
    from app.pages.models import PageRevision

    version = translation(original, locale)
    creating = version is None
    if creating:
        version = template_sync.new_translation(original, locale)
        version.template_key = original.template_key
        db.session.add(version)
    version.title, version.body_html = fields["title"], fields.get("body_html", "")
    version.published = bool(fields.get("published"))
    db.session.flush()
    template_sync.note_edit(version, actor_id)
    revisions.snapshot(PageRevision, "page_id", version, actor_id, "created" if creating else None)
    audit.record("page.translate", target=f"page:{original.id}", detail=f"{locale}: {version.title}")
    db.session.commit()
    return version
