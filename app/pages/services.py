"""Business rules for pages, callable from routes, tasks and the CLI."""

import sqlalchemy as sa

from app.core import audit
from app.extensions import db
from app.pages.models import Page


def page_tree() -> list[Page]:
    """The current tenant's top-level pages, children loaded in one more query."""
    stmt = (sa.select(Page).where(Page.parent_id.is_(None))
            .options(sa.orm.selectinload(Page.children)).order_by(Page.position, Page.title))
    return list(db.session.scalars(stmt))


def set_published(page: Page, published: bool) -> None:
    """Publish or unpublish one page, and write it to the audit log."""
    page.published = published
    audit.record("page.publish" if published else "page.unpublish", target=f"page:{page.id}",
                 detail=page.title)
    db.session.commit()
