"""The role matrix of the tenant console and the national console, through HTTP."""

import re
from urllib.parse import urlsplit

import pytest

from app.accounts.roles import NATIONAL_PERMISSIONS, TENANT_PERMISSIONS
from app.extensions import db
from app.pages.models import Page
from tenants.context import tenant_context
from tenants.models import Tenant

SUSPEND = {"status": "suspended", "confirm": "on"}  # the form's confirmation box ticked


@pytest.fixture
def page_id(make_page, tenant_a) -> int:
    """An unpublished page of tinh-a (its id: the object expires at the next commit, outside its tenant)."""
    return make_page(tenant_a, "Giới thiệu", published=False).id


def signed_in(browser, make_user, email, **roles):
    make_user(email, **roles)
    response = browser.login(email)
    assert response.status_code == 302, "sign-in failed"
    return browser


def published(tenant_id: int, page_id: int) -> bool:
    with tenant_context(tenant_id):
        db.session.expire_all()
        return db.session.get(Page, page_id).published


def tenant_status(slug: str) -> str:
    db.session.expire_all()
    return db.session.scalars(db.select(Tenant).where(Tenant.slug == slug)).one().status


# --- the tenant console ---------------------------------------------------------------------------

CONSOLE_MATRIX = {
    "/manage/tinh-a/": {"admin": 200, "editor": 200, "author": 200, "reporter": 200},
    "/manage/tinh-a/pages/": {"admin": 200, "editor": 200, "author": 200, "reporter": 403},
    "/manage/tinh-a/pages/{page}": {"admin": 200, "editor": 200, "author": 200, "reporter": 403},
    "/manage/tinh-a/people/": {"admin": 200, "editor": 403, "author": 403, "reporter": 403},
}


@pytest.mark.parametrize(("path", "role", "status"), [
    (path, role, status) for path, row in CONSOLE_MATRIX.items() for role, status in row.items()])
def test_console_pages_by_role(browser, make_user, tenant_a, page_id, path, role, status):
    signed_in(browser, make_user, f"{role}@a.vn", tenant=tenant_a, role=role)
    response = browser.get(path.format(page=page_id))
    assert response.status_code == status
    if status == 200 and "{page}" in path:
        assert "Giới thiệu" in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "allowed"), [("admin", True), ("editor", True), ("author", False),
                                               ("reporter", False)])
def test_publishing_by_role(browser, make_user, tenant_a, page_id, role, allowed):
    signed_in(browser, make_user, f"{role}@a.vn", tenant=tenant_a, role=role)
    response = browser.post(f"/manage/tinh-a/pages/{page_id}/publish", {"published": "1"},
                            token_from="/manage/tinh-a/")
    if allowed:
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == f"/manage/tinh-a/pages/{page_id}"
    else:
        assert response.status_code == 403
    assert published(tenant_a.id, page_id) is allowed


def test_publish_form_is_shown_only_to_those_who_may_publish(browser, browser_factory, make_user, tenant_a,
                                                             page_id):
    editor = signed_in(browser, make_user, "editor@a.vn", tenant=tenant_a, role="editor")
    author = signed_in(browser_factory(), make_user, "author@a.vn", tenant=tenant_a, role="author")
    action = f'action="/manage/tinh-a/pages/{page_id}/publish"'
    assert action in editor.get(f"/manage/tinh-a/pages/{page_id}").get_data(as_text=True)
    assert action not in author.get(f"/manage/tinh-a/pages/{page_id}").get_data(as_text=True)


@pytest.mark.parametrize("roles", [{"role": "admin"}, {"national_role": "platform_admin"}])
def test_another_tenants_page_is_not_found_through_this_console(browser, make_user, make_page, tenant_a, tenant_b,
                                                                 page_id, roles):
    other_id = make_page(tenant_b, "Trang của tỉnh B", published=False).id
    signed_in(browser, make_user, "admin@a.vn", **({"tenant": tenant_a} if "role" in roles else {}), **roles)
    assert browser.get(f"/manage/tinh-a/pages/{page_id}").status_code == 200
    assert browser.get(f"/manage/tinh-a/pages/{other_id}").status_code == 404
    response = browser.post(f"/manage/tinh-a/pages/{other_id}/publish", {"published": "1"},
                            token_from="/manage/tinh-a/")
    assert response.status_code == 404
    assert published(tenant_b.id, other_id) is False


@pytest.mark.parametrize("path", ["/manage/tinh-a/", "/manage/tinh-a/pages/", "/manage/tinh-a/people/",
                                  "/manage/tinh-b/", "/manage/tinh-b/people/", "/manage/vufo/"])
def test_platform_admin_opens_every_tenant_console(browser, make_user, tenant_a, tenant_b, path):
    signed_in(browser, make_user, "root@vufo.vn", national_role="platform_admin")
    assert browser.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/manage/", "/manage/tinh-a/", "/manage/tinh-a/people/", "/national/"])
def test_anonymous_is_sent_to_sign_in(browser, tenant_a, path):
    response = browser.get(path)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


def test_anonymous_cannot_publish(browser, tenant_a, page_id):
    response = browser.post(f"/manage/tinh-a/pages/{page_id}/publish", {"published": "1"})
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/auth/login"
    assert published(tenant_a.id, page_id) is False


# --- the national console -------------------------------------------------------------------------

@pytest.mark.parametrize(("roles", "status"), [
    ({"national_role": "platform_admin"}, 200),
    ({"national_role": "national_viewer"}, 200),
    ({"role": "admin", "tenant": "a"}, 403),
])
def test_national_console_by_role(browser, make_user, tenant_a, roles, status):
    roles = {**roles, "tenant": tenant_a} if "tenant" in roles else roles
    signed_in(browser, make_user, "someone@vufo.vn", **roles)
    response = browser.get("/national/")
    assert response.status_code == status
    if status == 200:
        assert "tỉnh A" in response.get_data(as_text=True)


def test_platform_admin_suspends_a_tenant(browser, make_user, tenant_a):
    signed_in(browser, make_user, "root@vufo.vn", national_role="platform_admin")
    assert browser.get("/", host="tinh-a.localhost").status_code == 200
    response = browser.post("/national/tenants/tinh-a/status", SUSPEND, token_from="/national/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/national/"
    assert tenant_status("tinh-a") == "suspended"
    assert browser.get("/", host="tinh-a.localhost").status_code == 503
    assert browser.get("/manage/tinh-a/").status_code == 200  # the console stays open to fix things

    response = browser.post("/national/tenants/tinh-a/status", {"status": "active"}, token_from="/national/")
    assert response.status_code == 302
    assert tenant_status("tinh-a") == "active"
    assert browser.get("/", host="tinh-a.localhost").status_code == 200


def test_suspending_needs_the_confirmation_box(browser, make_user, tenant_a):
    signed_in(browser, make_user, "root@vufo.vn", national_role="platform_admin")
    response = browser.post("/national/tenants/tinh-a/status", {"status": "suspended"}, token_from="/national/")
    assert response.status_code == 302
    assert tenant_status("tinh-a") == "active"


@pytest.mark.parametrize(("roles", "token_from"), [({"national_role": "national_viewer"}, "/national/"),
                                                    ({"role": "admin", "tenant": "a"}, "/manage/tinh-a/")])
def test_others_cannot_change_a_tenant_status(browser, make_user, tenant_a, roles, token_from):
    roles = {**roles, "tenant": tenant_a} if "tenant" in roles else roles
    signed_in(browser, make_user, "someone@vufo.vn", **roles)
    response = browser.post("/national/tenants/tinh-a/status", SUSPEND, token_from=token_from)
    assert response.status_code == 403
    assert tenant_status("tinh-a") == "active"
    assert browser.get("/", host="tinh-a.localhost").status_code == 200


def test_national_tenant_cannot_be_suspended(browser, make_user, tenant_a):
    signed_in(browser, make_user, "root@vufo.vn", national_role="platform_admin")
    browser.get("/national/?lang=en")
    response = browser.post("/national/tenants/vufo/status", SUSPEND, token_from="/national/",
                            follow_redirects=True)
    assert response.status_code == 200
    flashes = re.findall(r'<p class="flash flash-error">(.*?)</p>', response.get_data(as_text=True))
    assert flashes == ["The national union&#39;s site cannot be suspended."]
    assert tenant_status("vufo") == "active"
    assert browser.get("/").status_code == 200


@pytest.mark.parametrize("status", ["archived", "merged", "bogus", ""])
def test_only_suspend_and_reactivate_are_accepted(browser, make_user, tenant_a, status):
    signed_in(browser, make_user, "root@vufo.vn", national_role="platform_admin")
    response = browser.post("/national/tenants/tinh-a/status", {"status": status}, token_from="/national/")
    assert response.status_code == 302
    assert tenant_status("tinh-a") == "active"


def test_status_of_an_unknown_tenant_is_404(browser, make_user, national):
    signed_in(browser, make_user, "root@vufo.vn", national_role="platform_admin")
    response = browser.post("/national/tenants/khong-co/status", SUSPEND, token_from="/national/")
    assert response.status_code == 404


# --- every console route names its permission -----------------------------------------------------

def test_every_console_and_national_view_requires_a_permission(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint.split(".")[0] in ("console", "national") and rule.endpoint != "console.home"}
    assert {"console.dashboard", "console.page_publish", "national.index", "national.set_status"} <= endpoints
    known = TENANT_PERMISSIONS.keys() | NATIONAL_PERMISSIONS.keys()
    missing = sorted(e for e in endpoints if not hasattr(app.view_functions[e], "required_permission"))
    assert missing == [], f"console views without @permission_required: {missing}"
    unknown = {e: app.view_functions[e].required_permission for e in endpoints
               if app.view_functions[e].required_permission not in known}
    assert unknown == {}
    national = {e for e in endpoints if e.startswith("national.")}
    assert all(app.view_functions[e].required_permission in NATIONAL_PERMISSIONS for e in national)
