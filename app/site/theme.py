"""A union's theme on its public site: the accent colour (/theme.css), the banner, the footer blocks, the logo.

`current_theme()` is plain data, read once per content generation of the tenant (a save moves it). The stylesheet
is served by a small blueprint nested in the site's (endpoint `site.theme.stylesheet`, /theme.css): it is not one
of PUBLIC_BLUEPRINTS, so the page cache neither stores it nor marks it `no-cache`; its own headers make it
immutable under the versioned address base.html links (theme.css?v=<version>)."""

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, g, request
from flask_babel import gettext as _

from app.core import audit
from app.core.sanitize import clean_html
from app.core.timeutil import utcnow
from app.extensions import db
from app.site import page_cache
from app.site.contrast import check_accent, darker, parse_hex
from app.site.models import SiteTheme

MAX_FOOTER_BLOCKS = 3
YEAR = 365 * 24 * 3600

bp = Blueprint("theme", __name__)


@dataclass(frozen=True)
class Theme:
    accent: str | None
    accent_dark: str | None
    banner_url: str | None
    banner_alt: str
    footer_blocks: tuple[dict, ...]  # {"title", "html"}, sanitised when saved
    logo_url: str | None
    version: str  # changes with every save (updated_at) and with the colour


EMPTY = Theme(None, None, None, "", (), None, "0")


class ThemeError(ValueError):
    """A refused theme value; `field` names the form field the message belongs next to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def version_of(row: SiteTheme | None) -> str:
    if row is None:
        return "0"
    stamp = f"{row.updated_at.isoformat() if row.updated_at else ''}|{row.accent or ''}"
    return hashlib.blake2b(stamp.encode(), digest_size=5).hexdigest()


def _load() -> Theme:
    row = db.session.scalars(sa.select(SiteTheme)).first()
    logo = g.tenant.logo_url if g.get("tenant") is not None else None
    if row is None:
        return Theme(None, None, None, "", (), logo, "0")
    accent = parse_hex(row.accent) if row.accent else None
    blocks = tuple({"title": str(b.get("title") or ""), "html": str(b.get("html") or "")}
                   for b in (row.footer_blocks or []) if isinstance(b, dict))
    return Theme(accent, darker(accent) if accent else None, row.banner_url or None, row.banner_alt or "", blocks,
                 logo, version_of(row))


def current_theme() -> Theme:
    """The current tenant's theme (EMPTY without a tenant)."""
    if g.get("tenant") is None:
        return EMPTY
    kept = g.get("site_theme")
    if kept is None or kept[0] != g.tenant.id:  # keyed by tenant: one `g` may serve several hosts (tests)
        kept = g.site_theme = (g.tenant.id, page_cache.per_generation("theme", _load))
    return kept[1]


def stylesheet_of(theme: Theme) -> str:
    if not theme.accent:
        return "/* the platform's colours */\n"
    return f":root{{--accent:{theme.accent};--accent-dark:{theme.accent_dark}}}\n"


@bp.route("/theme.css")
def stylesheet():
    if g.get("tenant") is None or g.get("console_slug"):
        abort(404)
    theme = current_theme()
    response = current_app.response_class(stylesheet_of(theme), mimetype="text/css")
    response.set_etag(f"theme-{theme.version}")
    response.cache_control.public = True
    if request.args.get("v") == theme.version:
        response.cache_control.max_age = YEAR  # the address changes with the next save
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True  # an old or missing version: always ask again
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


@bp.app_template_global("site_theme")
def site_theme() -> Theme | None:
    """The theme for a public page's template (None in the console and off the tenant hosts)."""
    if g.get("tenant") is None or g.get("console_slug"):
        return None
    return current_theme()


# --- saving (the console) -------------------------------------------------------------------------------------

def theme_row() -> SiteTheme | None:
    return db.session.scalars(sa.select(SiteTheme)).first()


def clean_footer_blocks(blocks: list[dict]) -> list[dict]:
    """Up to three blocks, each with a title and sanitised rich text; empty ones dropped."""
    cleaned = []
    for block in blocks[:MAX_FOOTER_BLOCKS]:
        title = (block.get("title") or "").strip()[:120]
        html = clean_html(block.get("html") or "")
        if html in ("<p><br></p>", "<p></p>"):
            html = ""
        if title or html:
            cleaned.append({"title": title, "html": html})
    return cleaned


def save_theme(tenant, *, accent: str | None, logo_url: str | None, banner_url: str | None, banner_alt: str,
               footer_blocks: list[dict]) -> list[str]:
    """Check, apply and audit a theme (one commit); the names of the fields that changed.

    Raises ThemeError (nothing changed) for an accent that fails the contrast check or a banner without alt."""
    accent = (accent or "").strip() or None
    if accent is not None:
        problems = check_accent(accent)
        if problems:
            raise ThemeError("accent", " ".join(problems))
        accent = parse_hex(accent)
    banner_alt = (banner_alt or "").strip()[:300]
    if banner_url and not banner_alt:
        raise ThemeError("banner_alt", _("Describe the banner in the alternative text: people who cannot see it "
                                         "rely on it."))
    blocks = clean_footer_blocks(footer_blocks)
    row = theme_row()
    if row is None:
        row = SiteTheme(accent=None, banner_url=None, banner_alt="", footer_blocks=[])
        db.session.add(row)
    values = {"accent": accent, "banner_url": banner_url or None, "banner_alt": banner_alt if banner_url else "",
              "footer_blocks": blocks}
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    if (tenant.logo_url or None) != (logo_url or None):
        tenant.logo_url = logo_url or None
        changed.append("logo")
    if changed or row.id is None:
        row.updated_at = utcnow()
    audit.record("theme.save", tenant_id=tenant.id, target=f"tenant:{tenant.slug}",
                 detail=", ".join(changed) or "unchanged")
    db.session.commit()
    return changed
