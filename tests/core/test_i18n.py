"""Locale: explicit choice, then the user's, then the tenant default, then Accept-Language."""

from app.extensions import db


def lang_of(response) -> str:
    body = response.get_data(as_text=True)
    return body.split('<html lang="', 1)[1].split('"', 1)[0]


def test_tenant_default_is_vietnamese(browser, tenant_a):
    assert lang_of(browser.get("/", host="tinh-a.localhost", headers={"Accept-Language": "en"})) == "vi"


def test_explicit_choice_is_remembered(browser, tenant_a):
    assert lang_of(browser.get("/?lang=en", host="tinh-a.localhost")) == "en"
    assert lang_of(browser.get("/", host="tinh-a.localhost")) == "en"
    assert lang_of(browser.get("/?lang=vi", host="tinh-a.localhost")) == "vi"


def test_unknown_language_is_ignored(browser, tenant_a):
    assert lang_of(browser.get("/?lang=fr", host="tinh-a.localhost")) == "vi"


def test_tenant_default_english(browser, make_tenant, national):
    make_tenant("tinh-en", default_locale="en")
    assert lang_of(browser.get("/", host="tinh-en.localhost")) == "en"


def test_only_enabled_locales_are_served(browser, make_tenant, national):
    make_tenant("chi-viet", enabled_locales="vi")
    assert lang_of(browser.get("/?lang=en", host="chi-viet.localhost")) == "vi"


def test_users_locale_applies_in_the_console(browser, make_user, tenant_a):
    user = make_user("en@tinh-a.vn", tenant=tenant_a, role="admin", locale="en")
    browser.login("en@tinh-a.vn")
    assert lang_of(browser.get("/manage/tinh-a/")) == "en"
    user.locale = "vi"
    db.session.commit()
    assert lang_of(browser.get("/manage/tinh-a/")) == "vi"


def test_vietnamese_number_format(browser, make_user, make_page, tenant_a):
    from app.core.templating import vn_number

    with browser.client.application.test_request_context("/", base_url="http://tinh-a.localhost"):
        assert vn_number(1353) == "1.353"
