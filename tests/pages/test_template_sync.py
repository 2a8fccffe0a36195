"""The living national template: a union's copies follow each new version until the union edits them (an override,
recorded), show how they differ, and can be reset; template changes reach the public pages at once."""

import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.pages import template_sync
from app.pages.models import Page, PageRevision, PageTemplate
from tenants.context import tenant_context
from tenants.provision import provision

HISTORY = "gioi-thieu/lich-su"


def _provisioned(*tenants):
    for tenant in tenants:
        provision(tenant)
    db.session.commit()


def _copy(tenant, key=HISTORY, locale="vi") -> Page:
    with tenant_context(tenant.id):
        stmt = sa.select(Page).where(Page.template_key == key, Page.locale == locale)
        page = db.session.scalars(stmt).one()
        db.session.refresh(page)
        return page


def _template(key=HISTORY) -> PageTemplate:
    return db.session.scalars(sa.select(PageTemplate).where(PageTemplate.key == key)).one()


def _national_edit(browser, key, body_vi, body_en=None, title_vi=None):
    template = _template(key)
    url = f"/national/templates/{template.id}"
    return browser.post(url, {"title_vi": title_vi or template.title_vi, "title_en": template.title_en,
                              "body_vi": body_vi, "body_en": body_en if body_en is not None else template.body_en},
                        token_from=url)


def _union_edit(browser, tenant, page, body, title=None):
    url = f"/manage/{tenant.slug}/pages/{page.id}/edit"
    return browser.post(url, {"title": title or page.title, "slug": page.slug, "parent_id": page.parent_id or 0,
                              "body_html": body, "show_in_menu": "y", "published": "y"}, token_from=url)


def test_a_new_union_gets_copies_in_both_languages_with_its_own_facts(tenant_a, tenant_b):
    tenant_a.phone = "0211 3861 234"
    _provisioned(tenant_a, tenant_b)
    contact_a, contact_b = _copy(tenant_a, "lien-he"), _copy(tenant_b, "lien-he")
    assert "0211 3861 234" in contact_a.body_html and "0211 3861 234" not in contact_b.body_html
    assert "{{" not in contact_a.body_html
    intro_en = _copy(tenant_a, "gioi-thieu", "en")
    assert intro_en.title == "About us" and "tỉnh A" in intro_en.body_html
    assert intro_en.translation_of_id == _copy(tenant_a, "gioi-thieu").id and intro_en.parent_id is None
    assert not _copy(tenant_a).template_overridden
    with tenant_context(tenant_a.id):  # the English rows stay out of the tree the console and the menu walk
        from app.pages.services import page_tree

        assert [p.slug for p in page_tree()] == ["gioi-thieu", "lien-he"]


def test_a_template_change_reaches_followers_and_spares_the_union_that_wrote_its_own(
        browser, browser_factory, make_user, tenant_a, tenant_b):
    _provisioned(tenant_a, tenant_b)
    editor = make_user("bien-tap@tinh-a.vn", tenant=tenant_a, role="editor")
    make_user("quan-tri@vufo.vn", national_role="platform_admin")

    browser.login("bien-tap@tinh-a.vn")
    saved = _union_edit(browser, tenant_a, _copy(tenant_a), "<p>Lịch sử riêng của tỉnh A.</p>")
    assert saved.status_code == 302
    own = _copy(tenant_a)
    assert own.template_overridden and own.overridden_by_id == editor.id and own.overridden_at is not None
    assert db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == "page.override",
                                                            AuditEntry.tenant_id == tenant_a.id))
    before_b = browser.get("/trang/gioi-thieu/lich-su", host="tinh-b.localhost")  # now in the page cache
    assert "Phiên bản mới" not in before_b.get_data(as_text=True)

    browser = browser_factory()
    browser.login("quan-tri@vufo.vn")
    version = _template().version
    response = _national_edit(browser, HISTORY, "<p>Phiên bản mới của {{union}}.</p>")
    assert response.status_code == 302
    assert _template().version == version + 1

    follower = _copy(tenant_b)
    assert follower.body_html == "<p>Phiên bản mới của Liên hiệp các tổ chức hữu nghị tỉnh B.</p>"
    assert follower.template_version == version + 1
    with tenant_context(tenant_b.id):
        note = db.session.scalars(sa.select(PageRevision.note).where(PageRevision.page_id == follower.id)
                                  .order_by(PageRevision.number.desc())).first()
    assert note == f"national template v{version + 1}"
    assert _copy(tenant_a).body_html == "<p>Lịch sử riêng của tỉnh A.</p>"
    public_b = browser.get("/trang/gioi-thieu/lich-su", host="tinh-b.localhost").get_data(as_text=True)
    assert "Phiên bản mới của Liên hiệp các tổ chức hữu nghị tỉnh B." in public_b  # the cached page went too
    public_a = browser.get("/trang/gioi-thieu/lich-su", host="tinh-a.localhost").get_data(as_text=True)
    assert "Lịch sử riêng của tỉnh A." in public_a and "Phiên bản mới" not in public_a

    listing = browser.get("/national/templates/").get_data(as_text=True)
    assert "Lịch sử" in listing


def test_saving_the_template_text_unchanged_keeps_following(browser, make_user, tenant_a):
    _provisioned(tenant_a)
    make_user("bien-tap@tinh-a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@tinh-a.vn")
    page = _copy(tenant_a)
    assert _union_edit(browser, tenant_a, page, page.body_html).status_code == 302
    assert not _copy(tenant_a).template_overridden


def test_the_union_sees_the_difference_and_resets_to_the_template(browser, make_user, tenant_a):
    _provisioned(tenant_a)
    make_user("bien-tap@tinh-a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@tinh-a.vn")
    page = _copy(tenant_a)
    page_id = page.id
    _union_edit(browser, tenant_a, page, "<p>Văn bản riêng.</p>")

    edit = browser.get(f"/manage/{tenant_a.slug}/pages/{page_id}/edit").get_data(as_text=True)
    assert "Trang này khác với mẫu trang toàn quốc" in edit or "This page differs from the national template" in edit
    diff_url = f"/manage/{tenant_a.slug}/pages/{page_id}/template"
    diff = browser.get(diff_url)
    assert diff.status_code == 200
    text = diff.get_data(as_text=True)
    assert "<ins>" in text and "Văn bản riêng." in text and "<del>" in text

    unconfirmed = browser.post(f"{diff_url}/reset", {}, token_from=diff_url)
    assert unconfirmed.status_code == 302 and _copy(tenant_a).template_overridden  # nothing without the tick

    reset = browser.post(f"{diff_url}/reset", {"confirm": "1"}, token_from=diff_url)
    assert reset.status_code == 302
    again = _copy(tenant_a)
    assert not again.template_overridden and again.overridden_by_id is None
    assert "Văn bản riêng." not in again.body_html and again.template_version == _template().version
    assert db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == "page.template_reset"))

    template_sync.save_template(_template(), {"title_vi": "Lịch sử", "title_en": "History",
                                              "body_vi": "<p>Sau khi đặt lại.</p>", "body_en": "<p>After.</p>"}, None)
    assert _copy(tenant_a).body_html == "<p>Sau khi đặt lại.</p>"  # it follows again


def test_a_new_template_page_reaches_every_union_under_its_parent(browser, make_user, tenant_a, tenant_b):
    _provisioned(tenant_a, tenant_b)
    make_user("quan-tri@vufo.vn", national_role="platform_admin")
    browser.login("quan-tri@vufo.vn")
    response = browser.post("/national/templates/new", {
        "parent_key": "gioi-thieu", "slug": "", "title_vi": "Khen thưởng", "title_en": "Awards",
        "body_vi": "<p>Danh hiệu của {{union}}.</p>", "body_en": "<p>Awards of {{union}}.</p>"},
        token_from="/national/templates/new")
    assert response.status_code == 302
    for tenant in (tenant_a, tenant_b):
        page = _copy(tenant, "gioi-thieu/khen-thuong")
        assert page.parent_id == _copy(tenant, "gioi-thieu").id and tenant.name_vi in page.body_html
        assert _copy(tenant, "gioi-thieu/khen-thuong", "en").title == "Awards"

    clash = browser.post("/national/templates/new", {
        "parent_key": "gioi-thieu", "slug": "khen-thuong", "title_vi": "Lặp", "title_en": "", "body_vi": "",
        "body_en": ""}, token_from="/national/templates/new")
    assert clash.status_code == 400


def test_a_deleted_copy_is_not_made_again_by_a_template_change(tenant_a):
    _provisioned(tenant_a)
    from app.pages.services import delete_page

    with tenant_context(tenant_a.id):
        delete_page(db.session.get(Page, _copy(tenant_a).id))
    result = template_sync.save_template(_template(), {"title_vi": "Lịch sử", "title_en": "History",
                                                       "body_vi": "<p>Mới.</p>", "body_en": "<p>New.</p>"}, None)
    assert result.created == 0
    with tenant_context(tenant_a.id):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Page).where(
            Page.template_key == HISTORY)) == 0


def test_only_national_managers_edit_the_template(browser, make_user, tenant_a):
    _provisioned(tenant_a)
    make_user("quan-tri@tinh-a.vn", tenant=tenant_a, role="admin")
    browser.login("quan-tri@tinh-a.vn")
    assert browser.get("/national/templates/").status_code == 403
    assert browser.get(f"/national/templates/{_template().id}").status_code == 403


def test_english_page_versions_at_the_same_address(browser, make_user, tenant_a):
    _provisioned(tenant_a)
    vi = browser.get("/trang/gioi-thieu/lich-su", host="tinh-a.localhost").get_data(as_text=True)
    assert "<h1>Lịch sử</h1>" in vi and 'hreflang="en"' in vi
    en = browser.get("/trang/gioi-thieu/lich-su?lang=en", host="tinh-a.localhost").get_data(as_text=True)
    assert "<h1>History</h1>" in en and 'lang="en"' in en
    menu = browser.get("/", host="tinh-a.localhost").get_data(as_text=True)
    assert "History" in menu  # the English menu names the page in English

    make_user("bien-tap@tinh-a.vn", tenant=tenant_a, role="editor")
    browser.login("bien-tap@tinh-a.vn")
    page_id = _copy(tenant_a).id
    url = f"/manage/{tenant_a.slug}/pages/{page_id}/translation/en"
    assert browser.post(url, {"title": "", "body_html": ""}, token_from=url).status_code == 400
    saved = browser.post(url, {"title": "Our history", "body_html": "<p>Since 1997.</p>", "published": "y"},
                         token_from=url)
    assert saved.status_code == 302
    version = _copy(tenant_a, locale="en")
    assert version.title == "Our history" and version.template_overridden  # its own English text now
    assert browser.get(f"/manage/{tenant_a.slug}/pages/{page_id}/translation/fr").status_code == 404
    sitemap = browser.get("/sitemap.xml", host="tinh-a.localhost").get_data(as_text=True)
    assert f"lich-su-{page_id}" not in sitemap and "?lang=en" in sitemap


def test_a_page_without_an_english_version_says_so(make_page, browser, tenant_a):
    make_page(tenant_a, "Tuyển dụng", slug="tuyen-dung")
    en = browser.get("/trang/tuyen-dung?lang=en", host="tinh-a.localhost").get_data(as_text=True)
    assert "Tuyển dụng" in en and "available in Vietnamese only" in en
