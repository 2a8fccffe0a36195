"""The menu editors: a union's own menu in its console, the national default menu in the national console."""

import re

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.site.models import MenuItem, MenuTemplateItem
from tenants.context import tenant_context
from tenants.scoping import all_tenants

HOST_A = "tinh-a.localhost"


def text(response) -> str:
    return response.get_data(as_text=True)


def own_items(tenant) -> list[tuple]:
    with tenant_context(tenant.id):
        rows = db.session.execute(sa.select(MenuItem.id, MenuItem.label, MenuItem.parent_id, MenuItem.position,
                                            MenuItem.kind, MenuItem.target_id, MenuItem.target, MenuItem.locale)
                                  .order_by(MenuItem.parent_id.nullsfirst(), MenuItem.position)).all()
        db.session.rollback()
        return [tuple(r) for r in rows]


def actions() -> list[str]:
    with all_tenants("test: audit"):
        found = list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("menu%"))
                                        .order_by(AuditEntry.id)))
        db.session.rollback()
        return found


@pytest.fixture
def admin_a(browser, make_user, tenant_a):
    make_user("admin@tinh-a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@tinh-a.vn")
    return browser


@pytest.fixture
def page_a(make_page, tenant_a):
    return make_page(tenant_a, "Giới thiệu", slug="gioi-thieu").id


NEW = "/manage/tinh-a/menu/new"


def post(browser, url, data, slug="tinh-a"):
    return browser.post(url, data, token_from=f"/manage/{slug}/menu/")


def test_build_a_menu_with_a_sub_item_and_see_it_on_the_site(admin_a, page_a, tenant_a):
    index = admin_a.get("/manage/tinh-a/menu/")
    assert index.status_code == 200 and "Tiếng Việt" in text(index)
    response = post(admin_a, NEW + "?locale=vi", {"label": "Giới thiệu", "kind": "page", "target": f"page:{page_a}",
                                                  "parent_id": "0"})
    assert response.status_code == 302
    top = own_items(tenant_a)[0][0]
    response = post(admin_a, NEW + "?locale=vi", {"label": "Báo điện tử", "kind": "url",
                                                  "url": "https://baoquocte.vn/", "parent_id": str(top)})
    assert response.status_code == 302
    post(admin_a, NEW + "?locale=vi", {"label": "Tin tức", "kind": "section", "target": "section:news",
                                       "parent_id": "0"})
    rows = own_items(tenant_a)
    assert [(r[1], r[2], r[3]) for r in rows] == [("Giới thiệu", None, 0), ("Tin tức", None, 1),
                                                  ("Báo điện tử", top, 0)]
    listing = text(admin_a.get("/manage/tinh-a/menu/"))
    assert re.search(r'<button type="submit" class="linklike" aria-label="[^"]*“Tin tức”[^"]*">', listing)
    site = text(admin_a.get("/", host=HOST_A))
    assert 'href="/trang/gioi-thieu"' in site and 'href="https://baoquocte.vn/"' in site
    assert actions() == ["menu.create"] * 3


def test_move_edit_delete(admin_a, tenant_a):
    for label in ("Một", "Hai"):
        post(admin_a, NEW, {"label": label, "kind": "section", "target": "section:news", "parent_id": "0"})
    one, two = (r[0] for r in own_items(tenant_a))
    assert post(admin_a, f"/manage/tinh-a/menu/{two}/up", {}).status_code == 302
    assert [r[1] for r in own_items(tenant_a)] == ["Hai", "Một"]
    post(admin_a, f"/manage/tinh-a/menu/{two}/down", {})
    assert [r[1] for r in own_items(tenant_a)] == ["Một", "Hai"]
    edit = admin_a.get(f"/manage/tinh-a/menu/{one}/edit")
    assert edit.status_code == 200 and re.search(r'<option selected value="section:news">', text(edit))
    post(admin_a, f"/manage/tinh-a/menu/{one}/edit", {"label": "Văn bản", "kind": "section",
                                                      "target": "section:documents", "parent_id": str(two)})
    assert own_items(tenant_a)[1][1:4] == ("Văn bản", two, 0)
    confirm = admin_a.get(f"/manage/tinh-a/menu/{two}/delete")
    assert confirm.status_code == 200 and "Hai" in text(confirm)
    assert len(own_items(tenant_a)) == 2  # asking is not deleting
    assert post(admin_a, f"/manage/tinh-a/menu/{two}/delete", {}).status_code == 302
    assert own_items(tenant_a) == []  # with its sub-item
    assert actions() == ["menu.create", "menu.create", "menu.move", "menu.move", "menu.edit", "menu.delete"]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"label": "", "kind": "section", "target": "section:news"}, "label", "Enter a label."),
    ({"label": "X", "kind": "script", "target": "section:news"}, "kind", "Choose one of the listed options."),
    ({"label": "X", "kind": "page", "target": ""}, "target", "Choose what the item links to."),
    ({"label": "X", "kind": "page", "target": "section:news"}, "target", "Choose a target of the kind chosen above."),
    ({"label": "X", "kind": "page", "target": "page:99999"}, "target", "The chosen page was not found."),
    ({"label": "X", "kind": "page", "target": "page:abc"}, "target", "The chosen page was not found."),
    ({"label": "X", "kind": "section", "target": "section:nope"}, "target", "The chosen section was not found."),
    ({"label": "X", "kind": "url", "url": "javascript:alert(1)"}, "url", "Enter a web address starting with"),
    ({"label": "X", "kind": "url", "url": "ftp://example.org/"}, "url", "Enter a web address starting with"),
    ({"label": "X", "kind": "url", "url": "https://x.org/", "parent_id": "99999"}, "parent_id",
     "The chosen parent item was not found."),
    ({"label": "X", "kind": "url", "url": "https://x.org/", "parent_id": "zzz"}, "parent_id", None),
])
def test_validation_errors_are_400_next_to_the_field(browser, make_user, tenant_a, data, field, message):
    make_user("admin@tinh-a.vn", tenant=tenant_a, role="admin", locale="en")
    browser.login("admin@tinh-a.vn")
    browser.get("/manage/tinh-a/menu/?lang=en")
    response = post(browser, NEW, {"parent_id": "0", **data})
    body = text(response)
    if message is None:  # not a number: simply the top level
        assert response.status_code == 302
        return
    assert response.status_code == 400
    errors = re.search(rf'<ul class="errors" id="{field}-errors">(.*?)</ul>', body, re.S)
    assert errors and message in errors.group(1), body
    assert own_items(tenant_a) == []


def test_third_level_is_refused(admin_a, tenant_a):
    post(admin_a, NEW, {"label": "Cha", "kind": "section", "target": "section:news", "parent_id": "0"})
    parent = own_items(tenant_a)[0][0]
    post(admin_a, NEW, {"label": "Con", "kind": "section", "target": "section:news", "parent_id": str(parent)})
    child = [r for r in own_items(tenant_a) if r[1] == "Con"][0][0]
    response = post(admin_a, NEW, {"label": "Cháu", "kind": "section", "target": "section:news",
                                   "parent_id": str(child)})
    assert response.status_code == 400 and 'id="parent_id-errors"' in text(response)
    # nor can an item with sub-items go below another one
    post(admin_a, NEW, {"label": "Khác", "kind": "section", "target": "section:news", "parent_id": "0"})
    other = [r for r in own_items(tenant_a) if r[1] == "Khác"][0][0]
    response = post(admin_a, f"/manage/tinh-a/menu/{parent}/edit", {"label": "Cha", "kind": "section",
                                                                    "target": "section:news",
                                                                    "parent_id": str(other)})
    assert response.status_code == 400
    assert len(own_items(tenant_a)) == 3


def test_b_cannot_choose_or_touch_a_rows(browser, make_user, make_page, make_category, make_document, tenant_a,
                                         tenant_b):
    page = make_page(tenant_a, "Trang riêng của A").id
    category = make_category(tenant_a, "Chuyên mục riêng của A").id
    document = make_document(tenant_a, "Văn bản riêng của A").id
    with tenant_context(tenant_a.id):
        item = MenuItem(label="Mục riêng của A", kind="url", target="https://example.org/", locale="vi")
        db.session.add(item)
        db.session.commit()
        item = item.id
    make_user("admin@tinh-b.vn", tenant=tenant_b, role="admin")
    browser.login("admin@tinh-b.vn")
    form = text(browser.get("/manage/tinh-b/menu/new"))
    assert "riêng của A" not in form
    for kind, target in (("page", page), ("category", category), ("document", document)):
        response = post(browser, "/manage/tinh-b/menu/new", {"label": "Lấy của A", "kind": kind,
                                                             "target": f"{kind}:{target}", "parent_id": "0"},
                        slug="tinh-b")
        assert response.status_code == 400 and 'id="target-errors"' in text(response), kind
    response = post(browser, "/manage/tinh-b/menu/new", {"label": "Dưới mục của A", "kind": "url",
                                                         "url": "https://x.org/", "parent_id": str(item)},
                    slug="tinh-b")
    assert response.status_code == 400
    assert own_items(tenant_b) == []
    assert browser.get(f"/manage/tinh-b/menu/{item}/edit").status_code == 404
    assert browser.get(f"/manage/tinh-b/menu/{item}/delete").status_code == 404
    for action in ("edit", "delete", "up", "down"):
        data = {"label": "Đổi", "kind": "url", "url": "https://x.org/", "parent_id": "0"} if action == "edit" else {}
        assert post(browser, f"/manage/tinh-b/menu/{item}/{action}", data, slug="tinh-b").status_code == 404
    assert own_items(tenant_a)[0][1] == "Mục riêng của A"


def test_start_from_the_default_and_go_back(admin_a, page_a, tenant_a):
    intro = MenuTemplateItem(label="Giới thiệu", kind="page", target="gioi-thieu", locale="vi")
    db.session.add(intro)
    db.session.flush()
    db.session.add_all([MenuTemplateItem(label="Lịch sử", kind="page", target="gioi-thieu/lich-su", locale="vi",
                                         parent_id=intro.id),  # A has no such page: not copied
                        MenuTemplateItem(label="Văn bản", kind="section", target="documents", locale="vi",
                                         position=1)])
    db.session.commit()
    index = text(admin_a.get("/manage/tinh-a/menu/"))
    assert "Bắt đầu từ trình đơn mặc định" in index or "Start from the national default" in index
    assert post(admin_a, "/manage/tinh-a/menu/copy-default?locale=vi", {}).status_code == 302
    rows = own_items(tenant_a)
    assert [(r[1], r[4], r[5], r[6]) for r in rows] == [("Giới thiệu", "page", page_a, None),
                                                        ("Văn bản", "section", None, "documents")]
    # a second copy is refused (the union already has its own menu)
    post(admin_a, "/manage/tinh-a/menu/copy-default?locale=vi", {})
    assert len(own_items(tenant_a)) == 2
    confirm = admin_a.get("/manage/tinh-a/menu/reset?locale=vi")
    assert confirm.status_code == 200 and len(own_items(tenant_a)) == 2
    assert post(admin_a, "/manage/tinh-a/menu/reset?locale=vi", {}).status_code == 302
    assert own_items(tenant_a) == []
    assert actions() == ["menu.copy_default", "menu.reset"]


def test_an_editor_without_publish_rights_gets_403(browser, make_user, tenant_a):
    make_user("author@tinh-a.vn", tenant=tenant_a, role="author")
    browser.login("author@tinh-a.vn")
    assert browser.get("/manage/tinh-a/menu/").status_code == 403


# --- the national default menu ------------------------------------------------------------------------------

def test_national_editor_is_for_national_administrators(browser, make_user, tenant_a):
    make_user("admin@tinh-a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@tinh-a.vn")
    assert browser.get("/national/menu/").status_code == 403
    assert browser.post("/national/menu/new", {"label": "X", "kind": "section", "target": "section:news",
                                               "parent_id": "0"}, token_from="/manage/tinh-a/").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(MenuTemplateItem.id))) == 0


def test_national_editor_builds_the_default_menu(browser, make_user, national, tenant_a, page_a):
    make_user("platform@vufo.vn", national_role="platform_admin")
    browser.login("platform@vufo.vn")
    form = text(browser.get("/national/menu/new?locale=vi"))
    assert 'value="page:gioi-thieu/lich-su"' in form and 'value="category:' not in form
    token = "/national/menu/"
    response = browser.post("/national/menu/new?locale=vi", {"label": "Giới thiệu", "kind": "page",
                                                             "target": "page:gioi-thieu", "parent_id": "0"},
                            token_from=token)
    assert response.status_code == 302
    response = browser.post("/national/menu/new?locale=vi", {"label": "Chuyên mục", "kind": "category",
                                                             "target": "category:1", "parent_id": "0"},
                            token_from=token)
    assert response.status_code == 400
    browser.post("/national/menu/new?locale=en", {"label": "News", "kind": "section", "target": "section:news",
                                                  "parent_id": "0"}, token_from=token)
    rows = db.session.execute(sa.select(MenuTemplateItem.label, MenuTemplateItem.locale, MenuTemplateItem.target)
                              .order_by(MenuTemplateItem.id)).all()
    assert [tuple(r) for r in rows] == [("Giới thiệu", "vi", "gioi-thieu"), ("News", "en", "news")]
    en_id = db.session.scalar(sa.select(MenuTemplateItem.id).where(MenuTemplateItem.locale == "en"))
    assert browser.get(f"/national/menu/{en_id}/delete").status_code == 200
    assert browser.post(f"/national/menu/{en_id}/delete", {}, token_from=token).status_code == 302
    site = text(browser.get("/", host=HOST_A))
    assert 'href="/trang/gioi-thieu"' in site
    assert actions() == ["menu_template.create", "menu_template.create", "menu_template.delete"]
