"""The public menu of the current union, per language: its own menu, else the national default, else one made
from its pages and categories.

Every entry is resolved to an address of the union's *own* content: a page, category, document or member that
is not the union's (or no longer exists, or is not published) is left out, never linked. The result is plain
data (Node), kept per tenant generation (a commit that changes the union's rows, or the default menu, moves it).
"""

from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.site import page_cache
from app.site.models import MenuItem, MenuTemplateItem
from tenants.context import current_tenant_id

# The public sections a menu entry can name: name -> (endpoint, label shown in the console).
SECTIONS = {
    "home": ("site.home", _l("Home page")),
    "news": ("news.index", _l("News")),
    "documents": ("documents.index", _l("Documents")),
    "members": ("members.index", _l("Member organisations")),
    "partners": ("members.partners", _l("Partner localities")),
    "aid": ("aid_site.public_index", _l("Foreign aid")),
    "albums": ("albums.index", _l("Photo albums")),
    "stats": ("stats.ranking", _l("Statistics")),
    "search": ("site.search", _l("Search")),
}


@dataclass(frozen=True)
class Node:
    label: str
    href: str
    children: tuple["Node", ...] = field(default_factory=tuple)
    current: bool = False


def section_choices() -> list[tuple[str, str]]:
    return [(name, str(label)) for name, (endpoint, label) in SECTIONS.items()
            if endpoint in current_app.view_functions]


def section_href(name: str | None) -> str | None:
    endpoint = SECTIONS.get(name or "", (None,))[0]
    if endpoint is None or endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint)


def web_address(value: str | None) -> str | None:
    """`value` if it is an http(s) address with a host, else None."""
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(c in value for c in "\r\n\t "):
        return value
    return None


def resolve_menu(locale: str) -> list[Node]:
    """The current tenant's menu in `locale`; the entry (or sub-entry) for this address is marked current."""
    kept = g.setdefault("site_menus", {})  # the header and the footer ask for it in the same request
    if locale not in kept:
        kept[locale] = page_cache.per_generation(f"menu:{locale}", lambda: _load(locale))
    nodes = kept[locale]
    path = request.path if request else None
    return [_mark(node, path) for node in nodes]


def _mark(node: Node, path: str | None) -> Node:
    children = tuple(_mark(child, path) for child in node.children)
    current = path is not None and (node.href == path or any(c.current for c in children))
    return replace(node, children=children, current=current) if current or children != node.children else node


def _load(locale: str) -> list[Node]:
    own = db.session.scalars(sa.select(MenuItem).where(MenuItem.locale == locale)
                             .order_by(MenuItem.position, MenuItem.id)).all()
    if own:
        return _tree(own, Targets.for_items(own))
    default = db.session.scalars(sa.select(MenuTemplateItem).where(MenuTemplateItem.locale == locale)
                                 .order_by(MenuTemplateItem.position, MenuTemplateItem.id)).all()
    if default:
        return _tree(default, Targets.for_template())
    return _fallback(locale)


def _tree(rows, targets: "Targets") -> list[Node]:
    by_parent: dict[int | None, list] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    nodes = []
    for row in by_parent.get(None, []):
        href = targets.href(row)
        children = tuple(Node(child.label, child_href) for child in by_parent.get(row.id, [])
                         if (child_href := targets.href(child)) is not None)
        if href is None and not children:
            continue
        nodes.append(Node(row.label, href or "", children))
    return nodes


def _fallback(locale: str) -> list[Node]:
    """Today's menu: home, the pages shown in the menu, news with its categories, foreign aid."""
    from app.news import services as news
    from app.site.routes import menu_pages

    nodes = [Node(_("Home"), url_for("site.home"))]
    for page in menu_pages():
        nodes.append(Node(page.title_in(locale), url_for("site.page", path=page.path),
                          tuple(Node(c.title_in(locale), url_for("site.page", path=c.path)) for c in page.children)))
    categories = tuple(Node(c.name(locale), url_for("news.category", category_id=c.id, slug=c.slug))
                       for c in news.categories() if c.show_in_menu)
    nodes.append(Node(_("News"), url_for("news.index"), categories))
    if "aid_site.public_index" in current_app.view_functions:
        nodes.append(Node(_("Foreign aid"), url_for("aid_site.public_index")))
    return nodes


def own_page_paths() -> dict[int, str]:
    """The current tenant's reachable published pages: id -> path (a page below a hidden one is left out)."""
    from app.site.routes import published_pages

    paths = {}
    for pages in published_pages().values():
        for page in pages:
            node, reachable = page, True
            while node.parent_id is not None:
                if node.parent is None:
                    reachable = False
                    break
                node = node.parent
            if reachable and page.tenant_id == current_tenant_id():
                paths[page.id] = page.path
    return paths


class Targets:
    """The addresses of the tenant's own targets named by a set of menu rows, read in one statement per kind."""

    def __init__(self, pages: dict[int, str], categories: dict, documents: set, members: dict,
                 template_pages: dict[str, str] | None = None):
        self.pages, self.categories, self.documents, self.members = pages, categories, documents, members
        self.template_pages = template_pages or {}

    @classmethod
    def for_items(cls, items) -> "Targets":
        from app.documents.models import Document
        from app.members.models import MemberOrganization
        from app.news.models import Category

        tenant_id = current_tenant_id()
        wanted: dict[str, set[int]] = {}
        for item in items:
            if item.target_id is not None:
                wanted.setdefault(item.kind, set()).add(item.target_id)
        categories, documents, members = {}, set(), {}
        if ids := wanted.get("category"):
            categories = dict(db.session.execute(sa.select(Category.id, Category.slug).where(
                Category.id.in_(ids), Category.tenant_id == tenant_id)).all())
        if ids := wanted.get("document"):
            documents = set(db.session.scalars(sa.select(Document.id).where(
                Document.id.in_(ids), Document.tenant_id == tenant_id, Document.published)))
        if ids := wanted.get("member"):
            members = dict(db.session.execute(sa.select(MemberOrganization.id, MemberOrganization.slug).where(
                MemberOrganization.id.in_(ids), MemberOrganization.tenant_id == tenant_id,
                MemberOrganization.published)).all())
        return cls(own_page_paths() if "page" in wanted else {}, categories, documents, members)

    @classmethod
    def for_template(cls) -> "Targets":
        return cls({}, {}, set(), {}, template_page_paths())

    def href(self, row) -> str | None:
        kind = row.kind
        if kind == "url":
            return web_address(row.target)
        if kind == "section":
            return section_href(row.target)
        if isinstance(row, MenuTemplateItem):
            if kind == "page" and (path := self.template_pages.get(row.target or "")):
                return url_for("site.page", path=path)
            return None
        target_id = row.target_id
        if kind == "page" and target_id in self.pages:
            return url_for("site.page", path=self.pages[target_id])
        if kind == "category" and target_id in self.categories:
            return url_for("news.category", category_id=target_id, slug=self.categories[target_id])
        if kind == "document" and target_id in self.documents:
            return url_for("documents.detail", document_id=target_id)
        if kind == "member" and target_id in self.members:
            return url_for("members.detail", slug=self.members[target_id])
        return None


def template_page_paths() -> dict[str, str]:
    """Template page key -> path of the union's own published copy: the page made from that template page
    (template_key), else the page at the key's path (unions provisioned before template keys were kept)."""
    from app.site.routes import published_pages

    paths = own_page_paths()
    found: dict[str, str] = {}
    for pages in published_pages().values():
        for page in pages:
            if page.template_key and page.id in paths:
                found.setdefault(page.template_key, paths[page.id])
    for path in paths.values():
        found.setdefault(path, path)
    return found


def template_page_id(key: str | None) -> int | None:
    """The id of the union's own published page for a template page key (copying the default menu)."""
    path = template_page_paths().get(key or "")
    if path is None:
        return None
    return next((page_id for page_id, p in own_page_paths().items() if p == path), None)


def current_menu() -> list[Node]:
    """For templates: the menu of the current tenant in the current language."""
    if g.get("tenant") is None:
        return []
    from flask_babel import get_locale

    return resolve_menu(str(get_locale()))
