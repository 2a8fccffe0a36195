"""The living national template: the pages every union's site holds (Giới thiệu › Chức năng, nhiệm vụ; Cơ cấu tổ
chức; Lịch sử; Liên hệ), edited by the national union and followed by each union's copy until the union edits it.

- A union's copy is a Page with template_key = the template's key; its English version is a translation row with
  the same key. A copy follows the template (each new version is written into it, with a revision) until the union
  saves different content: then it is *overridden* (who, when: recorded), keeps its own text, and the console shows
  how it differs and offers "reset to the template".
- A template body may name the union's own facts with {{union}}, {{place}}, {{address}}, {{phone}}, {{email}};
  each copy is written with that union's values.
- Template changes reach every union at once, in the same transaction (a few dozen unions, five pages each); each
  union's cached pages go with the commit, like any change of its rows (app/site/page_cache.py).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core import audit
from app.extensions import db
from app.pages.models import Page, PageRevision, PageTemplate
from tenants.context import tenant_context
from tenants.models import Tenant, TenantStatus

PLACEHOLDER_VI = "<p>Nội dung trang đang được cập nhật.</p>"
PLACEHOLDER_EN = "<p>This page is being prepared.</p>"

# The template a fresh platform starts with: (key, parent key, slug, title vi, title en, body vi, body en).
DEFAULTS = (
    ("gioi-thieu", None, "gioi-thieu", "Giới thiệu", "About us",
     "<p>{{union}} là thành viên của Liên hiệp các tổ chức hữu nghị Việt Nam.</p>",
     "<p>{{union}} is a member of the Viet Nam Union of Friendship Organisations.</p>"),
    ("gioi-thieu/chuc-nang-nhiem-vu", "gioi-thieu", "chuc-nang-nhiem-vu", "Chức năng, nhiệm vụ",
     "Functions and duties", PLACEHOLDER_VI, PLACEHOLDER_EN),
    ("gioi-thieu/co-cau-to-chuc", "gioi-thieu", "co-cau-to-chuc", "Cơ cấu tổ chức", "Organisation",
     PLACEHOLDER_VI, PLACEHOLDER_EN),
    ("gioi-thieu/lich-su", "gioi-thieu", "lich-su", "Lịch sử", "History", PLACEHOLDER_VI, PLACEHOLDER_EN),
    ("lien-he", None, "lien-he", "Liên hệ", "Contact",
     "<p>Địa chỉ: {{address}}</p><p>Điện thoại: {{phone}}</p><p>Thư điện tử: {{email}}</p>",
     "<p>Address: {{address}}</p><p>Phone: {{phone}}</p><p>E-mail: {{email}}</p>"),
)
TOKENS = ("union", "place", "address", "phone", "email")


class TemplateError(ValueError):
    """A template change the platform refuses (the message is for the user)."""


@dataclass
class SyncResult:
    updated: int = 0  # copies rewritten with the new version
    created: int = 0  # copies made where a union had none
    kept: int = 0  # overridden copies left as the union wrote them


# --- the template itself ------------------------------------------------------------------------------------

def templates() -> list[PageTemplate]:
    """The template pages, parents before their children."""
    rows = list(db.session.scalars(sa.select(PageTemplate).order_by(PageTemplate.position, PageTemplate.id)))
    return sorted(rows, key=lambda t: (t.key.count("/"), t.position, t.id))


def ensure_defaults() -> None:
    """Make the default template pages when the platform has none yet."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(PageTemplate)):
        return
    for position, (key, parent, slug, title_vi, title_en, body_vi, body_en) in enumerate(DEFAULTS):
        db.session.add(PageTemplate(key=key, parent_key=parent, slug=slug, title_vi=title_vi, title_en=title_en,
                                    body_vi=body_vi, body_en=body_en, position=position))
    db.session.flush()


def facts(tenant: Tenant) -> dict[str, str]:
    place = tenant.name_vi.replace("Liên hiệp các tổ chức hữu nghị ", "")
    return {"union": tenant.name_vi, "place": place, "address": tenant.address or "…",
            "phone": tenant.phone or "…", "email": tenant.email or "…"}


def rendered(template: PageTemplate, locale: str, values: dict[str, str]) -> tuple[str, str]:
    """(title, body) of the template in `locale`, with the union's facts in place of the tokens."""
    title, body = (template.title_en, template.body_en) if locale == "en" else (template.title_vi, template.body_vi)
    for token in TOKENS:
        body = body.replace("{{" + token + "}}", _escape(values.get(token, "")))
    return title, body


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def save_template(template: PageTemplate, fields: dict, actor_id: int | None) -> SyncResult:
    """Create or change a template page (a new version), then write it into every union that follows it."""
    creating = template.id is None
    if creating:
        from app.core.vntext import slugify

        slug = slugify(fields.get("slug") or fields["title_vi"], 120) or "trang"
        parent_key = fields.get("parent_key") or None
        if parent_key and db.session.scalar(sa.select(PageTemplate.id).where(PageTemplate.key == parent_key)) is None:
            raise TemplateError(_("The parent page does not exist."))
        if parent_key and parent_key.count("/"):
            raise TemplateError(_("Template pages go two levels deep at most."))
        key = f"{parent_key}/{slug}" if parent_key else slug
        if db.session.scalar(sa.select(PageTemplate.id).where(PageTemplate.key == key)) is not None:
            raise TemplateError(_("Another template page already has the address “%(slug)s”.", slug=slug))
        siblings = db.session.scalar(sa.select(sa.func.count()).select_from(PageTemplate).where(
            PageTemplate.parent_key.is_(None) if parent_key is None else PageTemplate.parent_key == parent_key))
        template.key, template.slug, template.parent_key, template.position = key, slug, parent_key, siblings or 0
        template.version = 1
        db.session.add(template)
    changed = creating or any(getattr(template, name) != fields[name]
                              for name in ("title_vi", "title_en", "body_vi", "body_en"))
    if not changed:
        return SyncResult()
    template.title_vi, template.title_en = fields["title_vi"], fields["title_en"]
    template.body_vi, template.body_en = fields["body_vi"], fields["body_en"]
    if not creating:
        template.version = (template.version or 1) + 1
    template.updated_by_id = actor_id
    db.session.flush()
    result = sync_all(keys={template.key}, create_missing=creating, actor_id=actor_id)
    audit.record("template.create" if creating else "template.edit", target=f"template:{template.key}",
                 detail=f"v{template.version}: {result.updated} updated, {result.created} created, "
                        f"{result.kept} kept as the unions wrote them", actor_id=actor_id)
    db.session.commit()
    return result


# --- copies in the unions -----------------------------------------------------------------------------------

def followers(key: str) -> dict[int, tuple[bool, bool]]:
    """For each union with a copy of `key`: (overridden, has an English version)."""
    from tenants.scoping import all_tenants

    with all_tenants("national template: who follows a page"):
        rows = db.session.execute(sa.select(Page.tenant_id, Page.template_overridden, Page.locale).where(
            Page.template_key == key)).all()
    found: dict[int, tuple[bool, bool]] = {}
    for tenant_id, overridden, locale in rows:
        was = found.get(tenant_id, (False, False))
        found[tenant_id] = (was[0] or (overridden and locale == "vi"), was[1] or locale == "en")
    return found


def sync_all(keys: set[str] | None = None, *, create_missing: bool = False, actor_id: int | None = None) -> SyncResult:
    """Write the template into every active union's copies (only the keys given, or all)."""
    total = SyncResult()
    live = (TenantStatus.ACTIVE, TenantStatus.SUSPENDED)
    tenants = db.session.scalars(sa.select(Tenant).where(Tenant.status.in_(live)).order_by(Tenant.id)).all()
    for tenant in tenants:
        part = sync_tenant(tenant, keys=keys, create_missing=create_missing, actor_id=actor_id)
        total.updated += part.updated
        total.created += part.created
        total.kept += part.kept
    return total


def sync_tenant(tenant: Tenant, *, keys: set[str] | None = None, create_missing: bool = False,
                adopt: bool = False, actor_id: int | None = None) -> SyncResult:
    """Bring one union's copies up to the template.

    create_missing: make the copies a union lacks (provisioning, a new template page) — a copy the union deleted is
    otherwise left deleted. adopt: a page already at a template page's address without a key becomes its copy
    (following if its content is the template's, overridden otherwise; for sites made before the template lived)."""
    result = SyncResult()
    values = facts(tenant)
    with tenant_context(tenant.id):
        copies = {p.template_key: p for p in db.session.scalars(
            sa.select(Page).where(Page.template_key.is_not(None), Page.translation_of_id.is_(None)))}
        english = {p.translation_of_id: p for p in db.session.scalars(  # one statement, not one per copy
            sa.select(Page).where(Page.translation_of_id.is_not(None), Page.locale == "en"))}
        for template in templates():
            if keys is not None and template.key not in keys:
                continue
            page = copies.get(template.key)
            parent = copies.get(template.parent_key) if template.parent_key else None
            if page is None and adopt:
                page = _page_at(template.slug, parent)
                if page is not None:
                    _adopt(page, template, values)
            if page is None:
                if not create_missing or (template.parent_key and parent is None):
                    continue
                page = Page(slug=template.slug, locale="vi", published=True, position=template.position,
                            parent_id=parent.id if parent else None, template_key=template.key)
                page.title, page.body_html = rendered(template, "vi", values)
                page.template_version = template.version
                db.session.add(page)
                db.session.flush()
                _snapshot(page, actor_id, template)
                result.created += 1
            elif page.template_overridden:
                result.kept += 1
            elif _write(page, template, "vi", values, actor_id):
                result.updated += 1
            copies[template.key] = page
            _sync_translation(page, english.get(page.id), template, values, actor_id)
        db.session.flush()
    return result


def _page_at(slug: str, parent: Page | None) -> Page | None:
    return db.session.scalars(sa.select(Page).where(
        Page.slug == slug, Page.translation_of_id.is_(None), Page.template_key.is_(None),
        Page.parent_id.is_(None) if parent is None else Page.parent_id == parent.id)).first()


def _adopt(page: Page, template: PageTemplate, values: dict) -> None:
    title, body = rendered(template, "vi", values)
    page.template_key, page.template_version = template.key, template.version
    page.template_overridden = (page.title, page.body_html) != (title, db_clean(body))
    if page.template_overridden:
        page.overridden_at = datetime.now(UTC)


def db_clean(body: str) -> str:
    """The body as the database keeps it (sanitised on write), for comparing with what a page holds."""
    from app.core.sanitize import clean_html

    return clean_html(body)


def _write(page: Page, template: PageTemplate, locale: str, values: dict, actor_id: int | None) -> bool:
    title, body = rendered(template, locale, values)
    if (page.title, page.body_html) == (title, db_clean(body)) and page.template_version == template.version:
        return False
    page.title, page.body_html, page.template_version = title, body, template.version
    _snapshot(page, actor_id, template)
    return True


def _snapshot(page: Page, actor_id: int | None, template: PageTemplate) -> None:
    from app.editorial import revisions

    db.session.flush()
    revisions.snapshot(PageRevision, "page_id", page, actor_id, f"national template v{template.version}")


def _sync_translation(page: Page, version: Page | None, template: PageTemplate, values: dict,
                      actor_id: int | None) -> None:
    """The English version of a copy (`version`, None if it has none) follows the template's English text the same
    way (made when the template has one)."""
    if not template.title_en:
        return
    if version is None:
        version = new_translation(page, "en")
        version.template_key = template.key
        version.title, version.body_html = rendered(template, "en", values)
        version.template_version, version.published = template.version, page.published
        db.session.add(version)
        db.session.flush()
        _snapshot(version, actor_id, template)
    elif version.template_key == template.key and not version.template_overridden:
        _write(version, template, "en", values, actor_id)


def new_translation(original: Page, locale: str) -> Page:
    """A translation row of `original`: outside the tree (no parent), with an address of its own that never clashes
    (the public address is the original's, with ?lang=)."""
    return Page(translation_of_id=original.id, locale=locale, slug=f"{original.slug}-{original.id}"[:120],
                parent_id=None, position=0, show_in_menu=False)


# --- a union's side: override, diff, reset ------------------------------------------------------------------

def template_of(page: Page) -> PageTemplate | None:
    if not page.template_key:
        return None
    return db.session.scalars(sa.select(PageTemplate).where(PageTemplate.key == page.template_key)).first()


def differs(page: Page, template: PageTemplate) -> bool:
    tenant = db.session.get(Tenant, page.tenant_id)
    title, body = rendered(template, page.locale, facts(tenant))
    return (page.title, page.body_html) != (title, db_clean(body))


def note_edit(page: Page, actor_id: int | None) -> None:
    """After a union saves a copy: overridden when its text is no longer the template's (recorded), following again
    when it is."""
    template = template_of(page)
    if template is None:
        return
    now_differs = differs(page, template)
    if now_differs and not page.template_overridden:
        page.template_overridden, page.overridden_at, page.overridden_by_id = True, datetime.now(UTC), actor_id
        audit.record("page.override", target=f"page:{page.id}",
                     detail=f"{page.title}: differs from the national template v{template.version}")
    elif not now_differs and page.template_overridden:
        page.template_overridden, page.overridden_at, page.overridden_by_id = False, None, None
        page.template_version = template.version


def reset(page: Page, actor_id: int | None) -> None:
    """Give the copy the template's current text again; it follows the template from now on."""
    template = template_of(page)
    if template is None:
        raise TemplateError(_("This page is not part of the national template."))
    tenant = db.session.get(Tenant, page.tenant_id)
    page.title, page.body_html = rendered(template, page.locale, facts(tenant))
    page.template_version = template.version
    page.template_overridden, page.overridden_at, page.overridden_by_id = False, None, None
    _snapshot(page, actor_id, template)
    audit.record("page.template_reset", target=f"page:{page.id}",
                 detail=f"{page.title}: reset to the national template v{template.version}")
    db.session.commit()


class Rendered:
    """A template rendered for one union, shaped like a revision so revisions.diff can compare it with the page."""

    def __init__(self, title: str, body_html: str):
        self.title, self.body_html = title, body_html


def template_for_page(page: Page, template: PageTemplate) -> Rendered:
    tenant = db.session.get(Tenant, page.tenant_id)
    title, body = rendered(template, page.locale, facts(tenant))
    return Rendered(title, db_clean(body))
