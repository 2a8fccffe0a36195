"""Pages in the console: create, edit with revisions, reorder, move, menu, delete; authors and other tenants."""

import sqlalchemy as sa

from app.core.audit import AuditEntry
from app.extensions import db
from app.pages.models import Page, PageRevision
from tenants.context import tenant_context

BASE = "/manage/tinh-a/pages"


def _form(**overrides):
    data = {"title": "Cơ cấu tổ chức", "slug": "", "parent_id": "0", "body_html": "<p>Ban Thường vụ.</p>",
            "show_in_menu": "y", "published": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _tree(tenant):
    with tenant_context(tenant.id):
        return [(p.title, p.parent_id, p.position, p.show_in_menu)
                for p in db.session.scalars(sa.select(Page).order_by(Page.parent_id.nulls_first(), Page.position))]


def _create(browser, **fields):
    response = browser.post(f"{BASE}/new", _form(**fields), token_from=f"{BASE}/new")
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    return int(response.headers["Location"].rstrip("/").split("/")[-2])


def test_create_edit_and_publish_a_page(browser, staff, tenant_a):
    browser.login("editor@tinh-a.vn")
    page_id = _create(browser, body_html='<p onclick="x()">Ban Thường vụ.</p><script>alert(1)</script>')
    with tenant_context(tenant_a.id):
        page = db.session.get(Page, page_id)
        assert (page.slug, page.body_html, page.published) == ("co-cau-to-chuc", "<p>Ban Thường vụ.</p>", True)
    public = browser.get("/trang/co-cau-to-chuc", host="tinh-a.localhost")
    assert public.status_code == 200 and "Ban Thường vụ." in public.get_data(as_text=True)
    assert browser.post(f"{BASE}/{page_id}/edit", _form(body_html="<p>Ban Chấp hành.</p>"),
                        token_from=f"{BASE}/{page_id}/edit").status_code == 302
    diff = browser.get(f"{BASE}/{page_id}/revisions/diff?from=1&to=2").get_data(as_text=True)
    assert "Ban Thường vụ.</del>" in diff and "Ban Chấp hành.</ins>" in diff
    assert browser.post(f"{BASE}/{page_id}/revisions/1/restore", token_from=f"{BASE}/{page_id}/revisions"
                        ).status_code == 302
    with tenant_context(tenant_a.id):
        assert db.session.get(Page, page_id).body_html == "<p>Ban Thường vụ.</p>"
        assert db.session.scalar(sa.select(sa.func.count(PageRevision.id))) == 3
        actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("page.%"))).all()
    assert actions == ["page.create", "page.edit", "page.edit"]


def test_slug_clash_is_an_inline_error(browser, staff, tenant_a):
    browser.login("editor@tinh-a.vn")
    _create(browser)
    response = browser.post(f"{BASE}/new", _form(), token_from=f"{BASE}/new")
    assert response.status_code == 400
    assert "co-cau-to-chuc" in response.get_data(as_text=True)
    assert len(_tree(tenant_a)) == 1


def test_reorder_move_and_menu(browser, staff, tenant_a):
    browser.login("admin@tinh-a.vn")
    first = _create(browser, title="Giới thiệu")
    second = _create(browser, title="Liên hệ")
    assert [t[0] for t in _tree(tenant_a)] == ["Giới thiệu", "Liên hệ"]
    browser.post(f"{BASE}/{second}/up", token_from=BASE + "/")
    assert [t[0] for t in _tree(tenant_a)] == ["Liên hệ", "Giới thiệu"]
    browser.post(f"{BASE}/{second}/up", token_from=BASE + "/")  # already first: nothing changes
    assert [t[0] for t in _tree(tenant_a)] == ["Liên hệ", "Giới thiệu"]
    child = _create(browser, title="Chức năng, nhiệm vụ", parent_id=str(first))
    # move "Liên hệ" under "Giới thiệu", after its existing child
    browser.post(f"{BASE}/{second}/edit", _form(title="Liên hệ", parent_id=str(first)),
                 token_from=f"{BASE}/{second}/edit")
    assert _tree(tenant_a) == [("Giới thiệu", None, 0, True), ("Chức năng, nhiệm vụ", first, 0, True),
                               ("Liên hệ", first, 1, True)]
    # a page cannot go under its own child
    refused = browser.post(f"{BASE}/{first}/edit", _form(title="Giới thiệu", parent_id=str(child)),
                           token_from=f"{BASE}/{first}/edit")
    assert refused.status_code == 400
    browser.post(f"{BASE}/{child}/menu", {"show": "0"}, token_from=BASE + "/")
    assert ("Chức năng, nhiệm vụ", first, 0, False) in _tree(tenant_a)
    menu = browser.get("/", host="tinh-a.localhost").get_data(as_text=True)
    assert "Chức năng, nhiệm vụ" not in menu.split("</nav>")[0] or "Chức năng, nhiệm vụ" not in menu


def test_delete_asks_first_and_removes_sub_pages(browser, staff, tenant_a):
    browser.login("editor@tinh-a.vn")
    parent = _create(browser, title="Giới thiệu")
    _create(browser, title="Lịch sử", parent_id=str(parent))
    confirm = browser.get(f"{BASE}/{parent}/delete")
    assert confirm.status_code == 200 and "1" in confirm.get_data(as_text=True)
    assert len(_tree(tenant_a)) == 2
    assert browser.post(f"{BASE}/{parent}/delete", token_from=f"{BASE}/{parent}/delete").status_code == 302
    assert _tree(tenant_a) == []


def test_authors_and_reporters_cannot_change_pages(browser, browser_factory, staff, make_page, tenant_a):
    page = make_page(tenant_a, "Giới thiệu", slug="gioi-thieu")
    page_id = page.id
    for role in ("author", "reporter"):
        b = browser_factory()
        b.login(f"{role}@tinh-a.vn")
        assert b.get(f"{BASE}/new").status_code == 403
        assert b.post(f"{BASE}/{page_id}/edit", _form(title="Đổi"), token_from="/manage/tinh-a/").status_code == 403
        assert b.post(f"{BASE}/{page_id}/delete", token_from="/manage/tinh-a/").status_code == 403
    assert _tree(tenant_a)[0][0] == "Giới thiệu"


def test_editor_of_b_gets_404_for_a_pages(browser, make_user, make_page, tenant_a, tenant_b):
    page_id = make_page(tenant_a, "Trang của A", slug="trang-cua-a").id
    make_user("editor@tinh-b.vn", tenant=tenant_b, role="editor")
    browser.login("editor@tinh-b.vn")
    assert browser.get(f"/manage/tinh-b/pages/{page_id}/edit").status_code == 404
    assert browser.post(f"/manage/tinh-b/pages/{page_id}/edit", _form(title="Chiếm"),
                        token_from="/manage/tinh-b/").status_code == 404
    assert browser.get(f"/manage/tinh-b/pages/new?parent={page_id}").status_code == 200
    refused = browser.post("/manage/tinh-b/pages/new", _form(parent_id=str(page_id)), token_from="/manage/tinh-b/")
    assert refused.status_code == 400  # A's page is not a choice in B's tree
    assert _tree(tenant_a)[0][0] == "Trang của A"
