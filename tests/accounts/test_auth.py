"""Sign-in, sign-out, lockout, throttling, CSRF, redirects and password reset, through the real forms."""

import re
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from app.accounts.models import User
from app.accounts.services import find_user
from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from tests.conftest import PASSWORD, PLATFORM_HOST, csrf_token

BASE = f"http://{PLATFORM_HOST}"
NEW_PASSWORD = "a-brand-new-secret"


@pytest.fixture
def editor(make_user, tenant_a):
    return make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")


def fresh_user(email: str) -> User:
    db.session.expire_all()
    return find_user(email)


def assert_signed_out(browser):
    response = browser.get("/manage/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"


def post_login(browser, email, password=PASSWORD, query=""):
    """Like browser.login, but to /auth/login with a query string."""
    page = browser.get("/auth/login" + query)
    return browser.post_raw("/auth/login" + query, {
        "email": email, "password": password, "csrf_token": csrf_token(page.get_data(as_text=True))})


# --- sign-in and sign-out -----------------------------------------------------------------------

def test_right_password_signs_in(browser, browser_factory, editor):
    response = browser.login("bien-tap@a.vn")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path.startswith("/manage/")
    home = browser.get("/manage/")
    assert home.status_code == 302 and urlsplit(home.headers["Location"]).path == "/manage/tinh-a/"
    assert browser.get("/manage/tinh-a/").status_code == 200
    assert fresh_user("bien-tap@a.vn").last_login_at is not None
    assert_signed_out(browser_factory())  # the session is this browser's cookie, nobody else's


@pytest.mark.parametrize(("email", "failures"), [("bien-tap@a.vn", 1), ("nobody@a.vn", None)])
def test_wrong_password_or_unknown_address_is_refused_alike(browser, editor, email, failures):
    browser.get("/auth/login?lang=en")
    response = browser.login(email, "not-the-password" if failures else PASSWORD)
    assert response.status_code == 422
    assert "Wrong e-mail address or password." in response.get_data(as_text=True)
    assert_signed_out(browser)
    assert fresh_user("bien-tap@a.vn").failed_logins == (failures or 0)


def test_logout_signs_out(browser, editor):
    assert browser.login("bien-tap@a.vn").status_code == 302
    assert browser.get("/manage/tinh-a/").status_code == 200
    response = browser.post("/auth/logout", token_from="/manage/tinh-a/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/login"
    assert_signed_out(browser)
    assert browser.get("/manage/tinh-a/").status_code == 302
    assert browser.get("/auth/logout").status_code == 405  # no sign-out by a mere link (no CSRF)


def test_inactive_user_cannot_sign_in(browser, editor):
    fresh_user("bien-tap@a.vn").active = False
    db.session.commit()
    response = browser.login("bien-tap@a.vn")
    assert response.status_code == 422
    assert_signed_out(browser)


def test_deactivating_a_user_ends_their_open_session(browser, editor):
    assert browser.login("bien-tap@a.vn").status_code == 302
    assert browser.get("/manage/tinh-a/").status_code == 200
    fresh_user("bien-tap@a.vn").active = False
    db.session.commit()
    assert_signed_out(browser)


# --- lockout and throttling ---------------------------------------------------------------------

def test_lockout_after_too_many_failures_and_release_after_expiry(app, browser, editor):
    browser.get("/auth/login?lang=en")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert browser.login("bien-tap@a.vn", "not-the-password").status_code == 422
    locked_until = fresh_user("bien-tap@a.vn").locked_until
    assert locked_until is not None and as_utc(locked_until) > utcnow()

    response = browser.login("bien-tap@a.vn")  # the right password, still refused
    assert response.status_code == 422
    assert "This account is locked" in response.get_data(as_text=True)
    assert_signed_out(browser)

    fresh_user("bien-tap@a.vn").locked_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert browser.login("bien-tap@a.vn").status_code == 302
    assert browser.get("/manage/tinh-a/").status_code == 200
    assert fresh_user("bien-tap@a.vn").locked_until is None


def test_failures_are_counted_in_the_database_not_over_a_stale_copy(app, editor):
    """Two guesses racing: each sees failed_logins=0 in memory, yet the stored count reaches 2."""
    from app.accounts import services

    with app.test_request_context():
        stale = fresh_user("bien-tap@a.vn")
        assert stale.failed_logins == 0
        with db.engine.connect() as other:  # the other request's guess, committed on its own connection
            other.execute(sa.update(User).where(User.id == stale.id).values(failed_logins=1))
            other.commit()
        services._count_failure(stale, utcnow())  # this one, still holding the object it loaded first
    assert fresh_user("bien-tap@a.vn").failed_logins == 2


def test_login_posts_are_throttled(app, browser, editor, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    statuses = [browser.login("bien-tap@a.vn", "not-the-password").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    response = browser.login("bien-tap@a.vn")
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert "429" in body and "Traceback" not in body and "<html" in body
    assert_signed_out(browser)


# --- CSRF and redirects -------------------------------------------------------------------------

def test_login_without_csrf_token_is_refused(browser, editor):
    browser.get("/auth/login")
    response = browser.post_raw("/auth/login", {"email": "bien-tap@a.vn", "password": PASSWORD})
    assert response.status_code == 400
    assert_signed_out(browser)
    assert fresh_user("bien-tap@a.vn").last_login_at is None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "https:/evil.example/", "http://localhost.evil.example/manage/"])
def test_next_never_leaves_the_site(browser, editor, target):
    response = post_login(browser, "bien-tap@a.vn", query=f"?next={target}")
    assert response.status_code == 302
    landing = urlsplit(urljoin(BASE + "/auth/login", response.headers["Location"]))
    assert landing.hostname == PLATFORM_HOST
    if "\\" not in target:
        assert landing.path == "/manage/"


def test_next_to_a_console_page_is_followed(browser, editor):
    response = post_login(browser, "bien-tap@a.vn", query="?next=/manage/tinh-a/pages/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/tinh-a/pages/"


# --- password reset ------------------------------------------------------------------------------

def flash_text(response) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+">(.*?)</p>', response.get_data(as_text=True))


def test_password_reset_by_mail(browser, browser_factory, editor, mailbox):
    user = fresh_user("bien-tap@a.vn")
    user.name = "Nguyễn Thị Hồng"
    db.session.commit()

    browser.get("/auth/forgot?lang=en")  # the request is in English; the mail follows the user's 'vi'
    response = browser.post("/auth/forgot", {"email": "bien-tap@a.vn"}, token_from="/auth/forgot")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/auth/login"
    messages = mailbox.wait(1)
    assert len(messages) == 1
    msg = messages[0]
    assert [a.addr_spec for a in msg["To"].addresses] == ["bien-tap@a.vn"]
    with force_locale("vi"):
        expected_subject = gettext("Reset your password")
    assert expected_subject != "Reset your password", "no vi catalog: run `make compile-translations`"
    subject = str(msg["Subject"])
    assert subject == expected_subject and "=?" not in subject and not subject.isascii()
    assert msg["From"].addresses[0].display_name == "Liên hiệp hữu nghị"

    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None and html is not None
    assert "Nguyễn Thị Hồng" in text.get_content() and "Nguyễn Thị Hồng" in html.get_content()
    assert '<html lang="vi">' in html.get_content()
    match = re.search(r"https?://[^\s\"<>]+/auth/reset/[\w.\-]+", text.get_content())
    assert match, "no reset link in the text part"
    link = urlsplit(match.group(0))
    assert link.hostname == PLATFORM_HOST
    assert match.group(0) in html.get_content()

    form = browser.get(link.path)
    assert form.status_code == 200
    response = browser.post(link.path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, token_from=link.path)
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/auth/login"

    assert browser_factory().login("bien-tap@a.vn", PASSWORD).status_code == 422
    assert browser_factory().login("bien-tap@a.vn", NEW_PASSWORD).status_code == 302

    again = browser.get(link.path)
    assert again.status_code == 302 and urlsplit(again.headers["Location"]).path == "/auth/forgot"


def test_reset_with_mismatched_passwords_changes_nothing(browser, editor, mailbox):
    browser.post("/auth/forgot", {"email": "bien-tap@a.vn"}, token_from="/auth/forgot")
    (msg,) = mailbox.wait(1)
    path = urlsplit(re.search(r"https?://\S+/auth/reset/\S+", msg.get_body(("plain",)).get_content())
                    .group(0)).path
    response = browser.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"}, token_from=path)
    assert response.status_code == 200
    assert fresh_user("bien-tap@a.vn").check_password(PASSWORD)
    assert browser.get(path).status_code == 200  # the link still works


def test_forgot_for_an_unknown_address_says_the_same_and_sends_nothing(browser_factory, editor, mailbox):
    answers = []
    for email in ("bien-tap@a.vn", "nobody@a.vn"):
        browser = browser_factory()
        browser.get("/auth/login?lang=en")
        answers.append(flash_text(browser.post("/auth/forgot", {"email": email}, token_from="/auth/forgot",
                                               follow_redirects=True)))
    assert answers[0] == answers[1] and answers[0]
    assert "reset link" in answers[0][0]
    assert len(mailbox.wait(1)) == 1  # only the known address got one



# --- sessions end when the password changes -------------------------------------------------------

def test_changing_the_password_ends_other_sessions(browser, browser_factory, editor):
    from app.accounts import services

    other = browser_factory()
    browser.login("bien-tap@a.vn")
    other.login("bien-tap@a.vn")
    assert browser.get("/manage/tinh-a/").status_code == 200
    services.set_password(fresh_user("bien-tap@a.vn"), NEW_PASSWORD)
    assert_signed_out(browser)
    assert_signed_out(other)
    other.login("bien-tap@a.vn", NEW_PASSWORD)
    assert other.get("/manage/tinh-a/").status_code == 200


def test_a_forged_session_reference_signs_nobody_in(app, editor):
    assert User.from_session_id(str(editor.id)) is None  # the old bare-id form
    assert User.from_session_id(f"{editor.id}.0000000000000000") is None
    assert User.from_session_id("x.y") is None and User.from_session_id("") is None
    assert User.from_session_id(editor.get_id()).id == editor.id
