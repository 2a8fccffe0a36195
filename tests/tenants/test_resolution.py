"""Host → tenant resolution and the console's slug + membership check."""

import pytest

from tenants.hosts import normalise_host


@pytest.mark.parametrize(("raw", "host"), [
    ("Vinh-Phuc.LOCALHOST:5000", "vinh-phuc.localhost"),
    ("vinh-phuc.localhost.", "vinh-phuc.localhost"),
    ("vinh-phuc.localhost.:8080", "vinh-phuc.localhost"),
    ("[::1]:5000", "[::1]"),
    ("LOCALHOST", "localhost"),
])
def test_normalise_host(raw, host):
    assert normalise_host(raw) == host


def test_host_serves_its_own_tenant(browser, tenant_a, tenant_b):
    page_a = browser.get("/", host="tinh-a.localhost").get_data(as_text=True)
    page_b = browser.get("/", host="tinh-b.localhost").get_data(as_text=True)
    assert "tỉnh A" in page_a and "tỉnh B" not in page_a
    assert "tỉnh B" in page_b and "tỉnh A" not in page_b


@pytest.mark.parametrize("host", ["TINH-A.localhost", "tinh-a.localhost.", "tinh-a.localhost:5000"])
def test_host_matching_ignores_case_port_and_trailing_dot(browser, tenant_a, host):
    response = browser.get("/", host=host)
    assert response.status_code == 200
    assert "tỉnh A" in response.get_data(as_text=True)


def test_alias_redirects_permanently_to_primary(browser, make_tenant, national):
    make_tenant("tinh-c", aliases=("old-c.localhost",))
    response = browser.get("/trang/gioi-thieu?x=1", host="old-c.localhost:5000")
    assert response.status_code == 301
    assert response.headers["Location"] == "http://tinh-c.localhost:5000/trang/gioi-thieu?x=1"


def test_unknown_host_is_404_not_another_site(browser, tenant_a):
    response = browser.get("/", host="evil.example.org")
    assert response.status_code == 404
    assert "tỉnh A" not in response.get_data(as_text=True)


def test_suspended_tenant_is_503_in_its_own_look(browser, make_tenant, national):
    make_tenant("tinh-s", status="suspended", name_vi="Liên hiệp tỉnh S")
    response = browser.get("/", host="tinh-s.localhost")
    assert response.status_code == 503
    assert "Liên hiệp tỉnh S" in response.get_data(as_text=True)


def test_merged_tenant_redirects_to_successor(browser, make_tenant, national):
    successor = make_tenant("hai-phong")
    make_tenant("hai-duong", status="merged", successor_id=successor.id)
    response = browser.get("/trang/gioi-thieu?lang=en", host="hai-duong.localhost")
    assert response.status_code == 301  # the same page on the successor (app/reorg keeps ids and records moves)
    assert response.headers["Location"] == "http://hai-phong.localhost/trang/gioi-thieu?lang=en"


def test_archived_tenant_without_successor_stays_readable_with_a_banner(browser, make_tenant, national):
    make_tenant("tinh-cu", status="archived")
    page = browser.get("/", host="tinh-cu.localhost")
    assert page.status_code == 200 and "trang lưu trữ" in page.get_data(as_text=True)


def test_merged_tenant_without_a_successor_host_is_gone(browser, make_tenant, national):
    make_tenant("tinh-gop", status="merged")
    assert browser.get("/", host="tinh-gop.localhost").status_code == 410


def test_console_refuses_a_slug_without_membership(browser, make_user, tenant_a, tenant_b):
    make_user("bien-tap@b.vn", tenant=tenant_b, role="editor")
    browser.login("bien-tap@b.vn")
    assert browser.get("/manage/tinh-b/").status_code == 200
    assert browser.get("/manage/tinh-a/").status_code == 404
    assert browser.get("/manage/khong-ton-tai/").status_code == 404


def test_console_lives_only_on_the_platform_host(browser, make_user, tenant_a):
    make_user("admin@a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@a.vn")
    assert browser.get("/manage/tinh-a/", host="tinh-a.localhost").status_code == 404
    assert browser.get("/auth/login", host="tinh-a.localhost").status_code == 404


def test_console_requires_sign_in(browser, tenant_a):
    response = browser.get("/manage/tinh-a/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_healthz_answers_on_any_host(browser, tenant_a):
    for host in ("localhost", "tinh-a.localhost", "10.0.0.7:8000"):
        response = browser.get("/healthz", host=host)
        assert response.status_code == 200, host
        assert response.json["status"] == "ok"


def test_alias_redirect_keeps_https_and_the_encoded_path(app, make_tenant, national):
    make_tenant("tinh-c", aliases=("old-c.localhost",))
    response = app.test_client().get("/trang/gi%E1%BB%9Bi-thi%E1%BB%87u?q=a%20b", base_url="https://old-c.localhost")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://tinh-c.localhost/trang/gi%E1%BB%9Bi-thi%E1%BB%87u?q=a%20b"


def test_nul_byte_in_the_host_is_a_clean_400(browser, tenant_a):
    response = browser.get("/trang/gioi%00thieu", host="tinh-a.localhost")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_an_id_beyond_the_integer_range_is_404_not_500(browser, make_user, tenant_a):
    make_user("admin@a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@a.vn")
    assert browser.get("/manage/tinh-a/pages/99999999999999999999").status_code == 404
    assert browser.get("/manage/tinh-a/pages/2147483648").status_code == 404


@pytest.mark.parametrize("host", ["tinh-a.localhost\x00.evil", "a b", "x" * 300, "tinh-a..localhost", "<script>"])
def test_a_malformed_host_is_a_clean_400(app, tenant_a, host):
    response = app.test_client().get("/", environ_overrides={"HTTP_HOST": host})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "<script>" not in body


@pytest.mark.parametrize(("host", "valid"), [
    ("tinh-a.localhost", True), ("localhost", True), ("127.0.0.1", True), ("[::1]", True),
    ("xn--vnh-phc-0za.vn", True), ("a" * 64 + ".vn", False), ("-a.vn", False), ("", False),
])
def test_is_valid_host(host, valid):
    from tenants.hosts import is_valid_host

    assert is_valid_host(host) is valid
