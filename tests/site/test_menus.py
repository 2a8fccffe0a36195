"""The public menu: the union's own, else the national default, else one made from its pages; every kind of
entry; per language; only ever links to the union's own content."""

import re

import pytest

from app.extensions import db
from app.site.models import MenuItem, MenuTemplateItem
from tenants.context import tenant_context

HOST_A = "tinh-a.localhost"
HOST_B = "tinh-b.localhost"


def text(response) -> str:
    return response.get_data(as_text=True)


def header(html: str) -> str:
    match = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert match, "no header menu"
    return match.group(0)


def footer(html: str) -> str:
    match = re.search(r'<nav class="footer-nav".*?</nav>', html, re.S)
    return match.group(0) if match else ""


def add_item(tenant, label, kind, *, target_id=None, target=None, parent=None, locale="vi", position=0):
    with tenant_context(tenant.id):
        item = MenuItem(label=label, kind=kind, target_id=target_id, target=target, locale=locale,
                        parent_id=parent, position=position)
        db.session.add(item)
        db.session.commit()
        return item.id


def add_template(label, kind, target, *, parent=None, locale="vi", position=0):
    item = MenuTemplateItem(label=label, kind=kind, target=target, locale=locale, parent_id=parent,
                            position=position)
    db.session.add(item)
    db.session.commit()
    return item.id


@pytest.fixture
def pages_a(tenant_a):
    from app.pages.models import Page

    with tenant_context(tenant_a.id):
        intro = Page(title="Giới thiệu", slug="gioi-thieu", published=True)
        history = Page(title="Lịch sử", slug="lich-su", published=True, parent=intro)
        db.session.add_all([intro, history])
        db.session.commit()
        return {"intro": intro.id, "history": history.id}


def test_fallback_menu_without_any_menu_rows(browser, pages_a, make_category, tenant_a):
    make_category(tenant_a, "Tin tức hoạt động", "Activities")
    nav = header(text(browser.get("/", host=HOST_A)))
    assert 'href="/trang/gioi-thieu"' in nav and 'href="/trang/gioi-thieu/lich-su"' in nav
    assert 'href="/tin-tuc/"' in nav and "Tin tức hoạt động" in nav and 'href="/vien-tro/"' in nav
    assert 'aria-expanded="false"' in nav  # Giới thiệu has a sub-menu
    assert 'site-search' in nav  # the search form stays


def test_national_default_then_own_menu(browser, pages_a, tenant_a, tenant_b):
    intro = add_template("Giới thiệu (mặc định)", "page", "gioi-thieu")
    add_template("Lịch sử hội", "page", "gioi-thieu/lich-su", parent=intro)
    add_template("Cơ cấu", "page", "gioi-thieu/co-cau-to-chuc", parent=intro, position=1)  # A has no such page
    add_template("Văn bản", "section", "documents", position=1)
    add_template("Documents", "section", "documents", locale="en")
    nav = header(text(browser.get("/", host=HOST_A)))
    assert "Giới thiệu (mặc định)" in nav and 'href="/trang/gioi-thieu/lich-su"' in nav
    assert "Cơ cấu" not in nav  # A has no copy of that template page: left out
    assert 'href="/van-ban"' in nav
    # B has no pages at all: the page items go, the section stays
    nav_b = header(text(browser.get("/", host=HOST_B)))
    assert "/trang/" not in nav_b and 'href="/van-ban"' in nav_b
    # A builds its own menu (in Vietnamese only): it replaces the default there, not in English
    add_item(tenant_a, "Trang chủ riêng", "section", target="home")
    page = text(browser.get("/", host=HOST_A))
    nav = header(page)
    assert "Trang chủ riêng" in nav and "Giới thiệu (mặc định)" not in nav
    assert "Trang chủ riêng" in footer(page)
    nav_en = header(text(browser.get("/?lang=en", host=HOST_A)))
    assert "Documents" in nav_en and "Trang chủ riêng" not in nav_en
    assert "Trang chủ riêng" not in header(text(browser.get("/", host=HOST_B)))


def test_every_kind_resolves_to_the_unions_own_address(browser, pages_a, tenant_a, make_category, make_document,
                                                        make_member):
    category = make_category(tenant_a, "Hợp tác hữu nghị", "Cooperation").id
    document = make_document(tenant_a, "Kế hoạch năm").id
    member = make_member(tenant_a, "Hội hữu nghị Việt – Lào", slug="viet-lao").id
    top = add_item(tenant_a, "Giới thiệu", "page", target_id=pages_a["intro"])
    add_item(tenant_a, "Lịch sử", "page", target_id=pages_a["history"], parent=top)
    add_item(tenant_a, "Chuyên mục", "category", target_id=category, parent=top, position=1)
    add_item(tenant_a, "Văn bản mới", "document", target_id=document, position=1)
    add_item(tenant_a, "Hội Việt – Lào", "member", target_id=member, position=2)
    add_item(tenant_a, "Album ảnh", "section", target="albums", position=3)
    add_item(tenant_a, "Cổng Chính phủ", "url", target="https://chinhphu.vn/", position=4)
    add_item(tenant_a, "Mã độc", "url", target="javascript:alert(1)", position=5)
    add_item(tenant_a, "Mục lạ", "section", target="khong-co", position=6)
    nav = header(text(browser.get("/", host=HOST_A)))
    assert 'href="/trang/gioi-thieu"' in nav and 'href="/trang/gioi-thieu/lich-su"' in nav
    assert f'href="/chuyen-muc/{category}/hop-tac-huu-nghi"' in nav
    assert f'href="/van-ban/{document}"' in nav and 'href="/to-chuc-thanh-vien/viet-lao"' in nav
    assert 'href="/album/"' in nav and 'href="https://chinhphu.vn/"' in nav
    assert "javascript:" not in nav and "Mã độc" not in nav and "Mục lạ" not in nav
    # two levels: the sub-menu has its disclosure button pointing at it
    button = re.search(r'<button[^>]*class="submenu-toggle"[^>]*>', nav).group(0)
    assert 'aria-expanded="false"' in button
    controls = re.search(r'aria-controls="([^"]+)"', button).group(1)
    assert re.search(rf'<ul class="submenu" id="{controls}">.*?/trang/gioi-thieu/lich-su', nav, re.S)
    assert 'src="/static/js/menu.js' in text(browser.get("/", host=HOST_A)) or "js/menu.js" in nav


def test_unpublished_and_missing_targets_are_left_out(browser, make_page, tenant_a, make_document):
    draft = make_page(tenant_a, "Bản nháp", slug="ban-nhap", published=False).id
    document = make_document(tenant_a, "Chưa công bố", published=False).id
    add_item(tenant_a, "Trang nháp", "page", target_id=draft)
    add_item(tenant_a, "Văn bản nháp", "document", target_id=document, position=1)
    add_item(tenant_a, "Đã xóa", "page", target_id=99999, position=2)
    add_item(tenant_a, "Tin tức", "section", target="news", position=3)
    nav = header(text(browser.get("/", host=HOST_A)))
    assert "Trang nháp" not in nav and "Văn bản nháp" not in nav and "Đã xóa" not in nav
    assert 'href="/tin-tuc/"' in nav


def test_b_menu_item_pointing_at_a_content_never_links_it(browser, pages_a, tenant_a, tenant_b, make_category,
                                                          make_document, make_member):
    category = make_category(tenant_a, "Chuyên mục của A").id
    document = make_document(tenant_a, "Văn bản của A").id
    member = make_member(tenant_a, "Hội của A", slug="hoi-cua-a").id
    add_item(tenant_b, "Trang A", "page", target_id=pages_a["intro"])
    add_item(tenant_b, "Chuyên mục A", "category", target_id=category, position=1)
    add_item(tenant_b, "Văn bản A", "document", target_id=document, position=2)
    add_item(tenant_b, "Hội A", "member", target_id=member, position=3)
    add_item(tenant_b, "Tin tức", "section", target="news", position=4)
    page = text(browser.get("/", host=HOST_B))
    for leaked in ("Trang A", "Chuyên mục A", "Văn bản A", "Hội A", "/trang/gioi-thieu", f"/chuyen-muc/{category}",
                   f"/van-ban/{document}", "/to-chuc-thanh-vien/hoi-cua-a"):
        assert leaked not in page, leaked
    assert "Tin tức" in header(page)


def test_the_menu_follows_changes(browser, pages_a, tenant_a):
    """Cached per generation: a new item shows on the next request (the commit moves the generation)."""
    add_item(tenant_a, "Mục một", "section", target="news")
    assert "Mục một" in header(text(browser.get("/", host=HOST_A)))
    add_item(tenant_a, "Mục hai", "section", target="documents", position=1)
    nav = header(text(browser.get("/tin-tuc/", host=HOST_A)))
    assert "Mục hai" in nav and "Mục một" in nav
    assert re.search(r'<a href="/tin-tuc/" aria-current="page">Mục một</a>', nav)
    add_template("Mặc định", "section", "news")
    with tenant_context(tenant_a.id):
        db.session.query(MenuItem).delete()
        db.session.commit()
    assert "Mặc định" in header(text(browser.get("/", host=HOST_A)))
