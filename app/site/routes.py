"""The public site of whichever tenant the host names; on the platform host, the national portal."""

import sqlalchemy as sa
from flask import Blueprint, abort, g, render_template
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.pages.models import Page
from tenants.models import Province, Tenant, TenantKind, TenantStatus

bp = Blueprint("site", __name__, template_folder="templates")


def menu_pages() -> list[Page]:
    """The tenant's published top-level pages with their children, loaded once per request."""
    if "menu_pages" not in g:
        stmt = (sa.select(Page).where(Page.parent_id.is_(None), Page.published, Page.show_in_menu)
                .options(selectinload(Page.children)).order_by(Page.position))
        g.menu_pages = list(db.session.scalars(stmt))
    return g.menu_pages


@bp.app_context_processor
def _site_context():
    return {"menu_pages": menu_pages if g.get("tenant") is not None else list}


@bp.route("/")
def home():
    provinces = []
    if g.tenant.is_national:
        stmt = (sa.select(Tenant).where(Tenant.kind == TenantKind.PROVINCIAL, Tenant.status == TenantStatus.ACTIVE)
                .options(selectinload(Tenant.domains),
                         selectinload(Tenant.province).selectinload(Province.successors))
                .order_by(Tenant.name_vi))
        provinces = db.session.scalars(stmt).all()
    return render_template("site/home.html", provinces=provinces)


@bp.route("/trang/<path:path>")
def page(path: str):
    slugs = path.strip("/").split("/")
    node = None
    for slug in slugs:
        stmt = sa.select(Page).where(Page.slug == slug, Page.published,
                                     Page.parent_id.is_(None) if node is None else Page.parent_id == node.id)
        node = db.session.scalars(stmt).first()
        if node is None:
            abort(404)
    return render_template("site/page.html", page=node)
