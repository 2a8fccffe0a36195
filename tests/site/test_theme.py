"""A union's theme: the console form (/manage/<slug>/theme/), /theme.css and the public pages that show it."""

import re

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.site.models import SiteTheme
from tenants.context import tenant_context
from tenants.models import Tenant

THEME = "/manage/tinh-a/theme/"
HOST_A = "tinh-a.localhost"


@pytest.fixture
def admin_a(browser, make_user, tenant_a):
    make_user("quan-tri@a.vn", tenant=tenant_a, role="admin")
    browser.login("quan-tri@a.vn")
    return browser


def fields(**changes):
    base = {"accent": "#1d4f91", "logo": "", "banner": "", "banner_alt": "",
            "footer-0-title": "Giờ làm việc", "footer-0-html": "<p>Thứ Hai – Thứ Sáu</p>",
            "footer-1-title": "", "footer-1-html": "", "footer-2-title": "", "footer-2-html": ""}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def theme_of(tenant) -> SiteTheme | None:
    db.session.expire_all()
    with tenant_context(tenant.id):
        row = db.session.scalars(sa.select(SiteTheme)).first()
        if row is not None:
            db.session.expunge(row)
        return row


def logo_of(tenant) -> str | None:
    db.session.expire_all()
    return db.session.get(Tenant, tenant.id).logo_url


def stylesheet_link(html: str) -> str | None:
    match = re.search(r'href="(/theme\.css\?v=[0-9a-f]+)"', html)
    return match.group(1) if match else None


def test_only_admins_open_the_theme(browser, make_user, tenant_a):
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@a.vn")
    assert browser.get(THEME).status_code == 403


def test_without_a_theme_the_site_looks_as_before(admin_a, browser, tenant_a):
    home = browser.get("/", host=HOST_A).get_data(as_text=True)
    assert "/theme.css" not in home and "site-banner" not in home and "footer-blocks" not in home
    assert "emblem.svg" in home
    css = browser.get("/theme.css", host=HOST_A)
    assert css.status_code == 200 and "--accent" not in css.get_data(as_text=True)
    page = admin_a.get(THEME)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'type="color"' in text and 'name="accent"' in text and 'name="footer-2-html"' in text


def test_a_saved_theme_shows_on_the_public_site_and_is_audited(admin_a, browser, make_media, tenant_a):
    logo = make_media(tenant_a, "bieu-trung.jpg", title="Biểu trưng")
    banner = make_media(tenant_a, "anh-bia.jpg", title="Ảnh bìa")
    browser.get("/", host=HOST_A)  # cached before the change
    response = admin_a.post(THEME, fields(
        accent="#1D4F91", logo=str(logo.id), banner=str(banner.id), banner_alt="Toàn cảnh trụ sở liên hiệp",
        **{"footer-1-title": "Liên kết",
           "footer-1-html": '<p><a href="https://vufo.org.vn/">VUFO</a><script>alert(1)</script></p>'}),
        token_from=THEME)
    assert response.status_code == 302
    row = theme_of(tenant_a)
    assert row.accent == "#1d4f91" and row.banner_alt == "Toàn cảnh trụ sở liên hiệp"
    assert row.banner_url == f"/media/{banner.id}/anh-bia.jpg"
    assert [b["title"] for b in row.footer_blocks] == ["Giờ làm việc", "Liên kết"]
    links = row.footer_blocks[1]["html"]
    assert "script" not in links and 'href="https://vufo.org.vn/"' in links
    assert logo_of(tenant_a) == f"/media/{logo.id}/w320-bieu-trung.jpg"  # the 320 px rendition, as in the settings
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "theme.save")).one()
    assert entry.tenant_id == tenant_a.id and "accent" in entry.detail and "logo" in entry.detail

    home = browser.get("/", host=HOST_A).get_data(as_text=True)
    assert f'class="brand-logo" src="/media/{logo.id}/w320-bieu-trung.jpg"' in home
    banner_html = home[home.index('class="site-banner"'):]
    assert "<picture" in banner_html[:400] and 'alt="Toàn cảnh trụ sở liên hiệp"' in banner_html[:1500]
    assert "Giờ làm việc" in home and "Thứ Hai – Thứ Sáu" in home and ">VUFO</a>" in home
    assert "alert(1)" not in home
    link = stylesheet_link(home)
    assert link is not None
    css = browser.get(link, host=HOST_A).get_data(as_text=True)
    assert "--accent:#1d4f91" in css and "--accent-dark:#" in css

    # the banner only on the home page; the footer blocks on every public page
    other = browser.get("/tim-kiem?q=abc", host=HOST_A).get_data(as_text=True)
    assert "site-banner" not in other and "Giờ làm việc" in other and stylesheet_link(other) == link
    # the console's own pages never take the union's theme
    assert "/theme.css" not in admin_a.get(THEME).get_data(as_text=True)


def test_the_stylesheet_is_immutable_under_its_version_and_moves_with_a_save(admin_a, browser, tenant_a):
    assert admin_a.post(THEME, fields(), token_from=THEME).status_code == 302
    link = stylesheet_link(browser.get("/", host=HOST_A).get_data(as_text=True))
    versioned = browser.get(link, host=HOST_A)
    assert versioned.mimetype == "text/css"
    assert versioned.cache_control.max_age == 365 * 24 * 3600 and versioned.cache_control.immutable
    assert versioned.cache_control.public and not versioned.cache_control.no_cache
    assert "X-Page-Cache" not in versioned.headers  # not a cached page: the page cache leaves it alone
    etag = versioned.headers["ETag"]
    assert etag
    assert browser.get(link, host=HOST_A, headers={"If-None-Match": etag}).status_code == 304
    plain = browser.get("/theme.css", host=HOST_A)
    assert plain.cache_control.no_cache and not plain.cache_control.immutable and plain.headers["ETag"] == etag
    stale = browser.get("/theme.css?v=0000000000", host=HOST_A)
    assert stale.cache_control.no_cache and not stale.cache_control.immutable

    assert admin_a.post(THEME, fields(accent="#b0122d"), token_from=THEME).status_code == 302
    new_link = stylesheet_link(browser.get("/", host=HOST_A).get_data(as_text=True))
    assert new_link != link
    assert "--accent:#b0122d" in browser.get(new_link, host=HOST_A).get_data(as_text=True)
    assert browser.get(link, host=HOST_A, headers={"If-None-Match": etag}).status_code == 200  # the old one moved


def test_removing_the_accent_goes_back_to_the_platform_colour(admin_a, browser, tenant_a):
    assert admin_a.post(THEME, fields(), token_from=THEME).status_code == 302
    assert admin_a.post(THEME, fields(accent=""), token_from=THEME).status_code == 302
    assert theme_of(tenant_a).accent is None
    assert "/theme.css" not in browser.get("/", host=HOST_A).get_data(as_text=True)


def test_a_low_contrast_accent_is_refused_next_to_the_field_and_nothing_is_saved(admin_a, make_media, tenant_a):
    logo = make_media(tenant_a, "bieu-trung.jpg")
    response = admin_a.post(THEME, fields(accent="#ffcc00", logo=str(logo.id)), token_from=THEME)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = page[page.index('id="accent-errors"'):][:600]
    assert "#ffcc00" in errors and "1.5:1" in errors and "4.5:1" in errors
    assert theme_of(tenant_a) is None and logo_of(tenant_a) is None
    assert not db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "theme.save")).all()


@pytest.mark.parametrize("accent", ["blue", "#12345", "#ggg000", "#777777", "x" * 30, "#1d4f91;}body{display:none"])
def test_bad_colours_are_a_400_not_a_500(admin_a, tenant_a, accent):
    response = admin_a.post(THEME, fields(accent=accent), token_from=THEME)
    assert response.status_code == 400
    assert theme_of(tenant_a) is None


def test_a_banner_needs_its_alternative_text(admin_a, make_media, tenant_a):
    banner = make_media(tenant_a, "anh-bia.jpg")
    response = admin_a.post(THEME, fields(banner=str(banner.id), banner_alt="  "), token_from=THEME)
    assert response.status_code == 400
    assert 'id="banner_alt-errors"' in response.get_data(as_text=True)
    assert theme_of(tenant_a) is None


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999999999999", "4294967296", "1.5"])
def test_nonsense_image_ids_are_not_found(admin_a, tenant_a, value):
    for name in ("logo", "banner"):
        response = admin_a.post(THEME, fields(**{name: value, "banner_alt": "Ảnh"}), token_from=THEME)
        assert response.status_code == 400
        assert "not found" in response.get_data(as_text=True) or "Không tìm thấy" in response.get_data(as_text=True)
    assert theme_of(tenant_a) is None


def test_a_document_is_not_an_image(admin_a, make_media, tenant_a):
    from tests.fixtures.media import PDF_BYTES

    document = make_media(tenant_a, "quyet-dinh.pdf", PDF_BYTES)
    response = admin_a.post(THEME, fields(logo=str(document.id)), token_from=THEME)
    assert response.status_code == 400 and logo_of(tenant_a) is None


# --- isolation: the theme is one row per union, addressed by the console's slug (no id in any URL) ----------------

def test_b_cannot_use_a_media_item_of_a(browser, make_user, make_media, tenant_a, tenant_b):
    item = make_media(tenant_a, "rieng-cua-a.jpg")
    make_user("quan-tri@b.vn", tenant=tenant_b, role="admin")
    browser.login("quan-tri@b.vn")
    theme_b = "/manage/tinh-b/theme/"
    for name in ("logo", "banner"):
        response = browser.post(theme_b, fields(**{name: str(item.id), "banner_alt": "Ảnh của A"}), token_from=theme_b)
        assert response.status_code == 400
        assert "not found" in response.get_data(as_text=True) or "Không tìm thấy" in response.get_data(as_text=True)
    assert theme_of(tenant_b) is None and logo_of(tenant_b) is None
    assert f"/media/{item.id}/" not in browser.get(theme_b).get_data(as_text=True)  # not even offered


def test_b_saving_its_theme_never_touches_a(browser, browser_factory, make_user, tenant_a, tenant_b):
    make_user("quan-tri@a.vn", tenant=tenant_a, role="admin")
    make_user("quan-tri@b.vn", tenant=tenant_b, role="admin")
    a = browser_factory()
    a.login("quan-tri@a.vn")
    assert a.post(THEME, fields(accent="#1d4f91"), token_from=THEME).status_code == 302
    before = theme_of(tenant_a)
    browser.login("quan-tri@b.vn")
    assert browser.get(THEME).status_code in (403, 404)  # B's staff cannot open A's console
    assert browser.post(THEME, fields(accent="#b0122d"), token_from="/manage/tinh-b/theme/").status_code in (403, 404)
    theme_b = "/manage/tinh-b/theme/"
    assert browser.post(theme_b, fields(accent="#b0122d", **{"footer-0-title": "Của B"}),
                        token_from=theme_b).status_code == 302
    after = theme_of(tenant_a)
    assert (after.accent, after.footer_blocks, after.updated_at) == (before.accent, before.footer_blocks,
                                                                    before.updated_at)
    assert theme_of(tenant_b).accent == "#b0122d"
    home_a = browser.get("/", host=HOST_A).get_data(as_text=True)
    css_a = browser.get(stylesheet_link(home_a), host=HOST_A).get_data(as_text=True)
    assert "#b0122d" not in css_a and "#1d4f91" in css_a and "Của B" not in home_a
    assert "#1d4f91" not in browser.get("/theme.css", host="tinh-b.localhost").get_data(as_text=True)
