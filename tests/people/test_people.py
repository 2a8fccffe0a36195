"""People in a union's console: invitations by signed link, roles within one's own rank, the last admin."""

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import Membership, User
from app.extensions import db
from app.people import services
from app.people.models import Invitation
from tenants.context import tenant_context

PEOPLE = "/manage/tinh-a/people/"


@pytest.fixture
def admin_a(browser, make_user, tenant_a):
    make_user("quan-tri@a.vn", tenant=tenant_a, role="admin")
    browser.login("quan-tri@a.vn")
    return browser


def role_of(email, tenant):
    user = db.session.scalars(sa.select(User).where(User.email == email)).first()
    return user.role_in(tenant.id) if user else None


def membership_id(email, tenant):
    return db.session.scalar(sa.select(Membership.id).join(User).where(User.email == email,
                                                                        Membership.tenant_id == tenant.id))


def invite(browser, email, role="author"):
    return browser.post(PEOPLE, {"invite-email": email, "invite-role": role}, token_from=PEOPLE)


def test_an_invitation_mails_a_link_that_creates_the_account(admin_a, browser_factory, mailbox, tenant_a):
    response = invite(admin_a, "Phong.Vien@A.vn", "author")
    assert response.status_code == 302
    [message] = mailbox.wait(1)
    assert [a.addr_spec for a in message["To"].addresses] == ["phong.vien@a.vn"]
    assert "Lời mời" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"http://localhost/auth/invite/\S+", body).group(0)
    assert "phong.vien@a.vn" in admin_a.get(PEOPLE).get_data(as_text=True)  # pending

    newcomer = browser_factory()
    path = link.removeprefix("http://localhost")
    page = newcomer.get(path)
    assert page.status_code == 200 and "phóng viên" in page.get_data(as_text=True)  # the role, in Vietnamese
    short = newcomer.post(path, {"name": "Lê Văn Phóng", "password": "ngan", "confirm": "ngan"}, token_from=path)
    assert short.status_code == 400 and role_of("phong.vien@a.vn", tenant_a) is None
    joined = newcomer.post(path, {"name": "Lê Văn Phóng", "password": "mat-khau-du-dai", "confirm": "mat-khau-du-dai"},
                           token_from=path)
    assert joined.status_code == 302
    assert role_of("phong.vien@a.vn", tenant_a) == "author"
    assert newcomer.get("/manage/tinh-a/").status_code == 200  # signed in, in the console
    assert newcomer.get(path).status_code == 404  # single use


def test_an_existing_account_just_gains_the_union(admin_a, browser_factory, make_user, tenant_a, tenant_b):
    make_user("da-co@b.vn", tenant=tenant_b, role="editor")
    with tenant_context(tenant_a.id):
        invitation = Invitation(email="da-co@b.vn", role="reporter")
        db.session.add(invitation)
        db.session.commit()
        token = services.invitation_token(invitation)
    guest = browser_factory()
    path = f"/auth/invite/{token}"
    assert "đã có tài khoản" in guest.get(path).get_data(as_text=True)
    assert guest.post(path, {}, token_from=path).status_code == 302
    assert role_of("da-co@b.vn", tenant_a) == "reporter" and role_of("da-co@b.vn", tenant_b) == "editor"


@pytest.mark.parametrize("mangle", ["tampered", "revoked", "other-address"])
def test_bad_invitation_links_are_refused(browser, make_invitation, tenant_a, mangle):
    invitation = make_invitation(tenant_a, "moi@a.vn")
    with tenant_context(tenant_a.id):
        row = db.session.get(Invitation, invitation.id)
        token = services.invitation_token(row)
        if mangle == "revoked":
            services.revoke(tenant_a, row)
        if mangle == "other-address":
            row.email = "nguoi-khac@a.vn"
            db.session.commit()
    if mangle == "tampered":
        token = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = browser.get(f"/auth/invite/{token}")
    assert response.status_code == 404 and "không hợp lệ" in response.get_data(as_text=True)


def test_invitations_for_a_tenant_host_do_not_exist(browser, make_invitation, tenant_a):
    with tenant_context(tenant_a.id):
        token = services.invitation_token(db.session.get(Invitation, make_invitation(tenant_a).id))
    assert browser.get(f"/auth/invite/{token}", host="tinh-a.localhost").status_code == 404


def test_the_last_admin_can_be_neither_demoted_nor_removed(admin_a, tenant_a):
    mine = membership_id("quan-tri@a.vn", tenant_a)
    demote = admin_a.post(f"{PEOPLE}{mine}", {"role": "editor"}, token_from=f"{PEOPLE}{mine}")
    assert demote.status_code == 400 and "quản trị viên cuối cùng" in demote.get_data(as_text=True)
    remove = admin_a.post(f"{PEOPLE}{mine}/remove", {}, token_from=f"{PEOPLE}{mine}/remove")
    assert remove.status_code == 400 and "quản trị viên cuối cùng" in remove.get_data(as_text=True)
    assert role_of("quan-tri@a.vn", tenant_a) == "admin"


def test_roles_change_and_people_leave_after_confirmation(admin_a, make_user, tenant_a):
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    theirs = membership_id("bien-tap@a.vn", tenant_a)
    assert admin_a.post(f"{PEOPLE}{theirs}", {"role": "admin"}, token_from=f"{PEOPLE}{theirs}").status_code == 302
    assert role_of("bien-tap@a.vn", tenant_a) == "admin"
    mine = membership_id("quan-tri@a.vn", tenant_a)  # two admins now: one may step down
    assert admin_a.post(f"{PEOPLE}{mine}", {"role": "author"}, token_from=f"{PEOPLE}{mine}").status_code == 302
    assert role_of("quan-tri@a.vn", tenant_a) == "author"


def test_removal_asks_first(admin_a, make_user, tenant_a):
    make_user("tac-gia@a.vn", tenant=tenant_a, role="author")
    theirs = membership_id("tac-gia@a.vn", tenant_a)
    confirm = admin_a.get(f"{PEOPLE}{theirs}/remove")
    assert confirm.status_code == 200 and role_of("tac-gia@a.vn", tenant_a) == "author"
    assert admin_a.post(f"{PEOPLE}{theirs}/remove", {}, token_from=f"{PEOPLE}{theirs}/remove").status_code == 302
    assert role_of("tac-gia@a.vn", tenant_a) is None
    assert db.session.scalars(sa.select(User).where(User.email == "tac-gia@a.vn")).first() is not None  # account stays


def test_nobody_grants_or_changes_above_their_own_rank(make_user, tenant_a):
    editor = make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    make_user("quan-tri@a.vn", tenant=tenant_a, role="admin")
    admin_membership = db.session.get(Membership, membership_id("quan-tri@a.vn", tenant_a))
    assert services.grantable_roles(editor, tenant_a) == ["editor", "author", "reporter"]
    with pytest.raises(services.PeopleError, match="trên vai trò của mình|above your own"):
        services.change_role(editor, tenant_a, admin_membership, "author")
    with tenant_context(tenant_a.id), pytest.raises(services.PeopleError):
        services.invite(editor, tenant_a, "x@a.vn", "admin")


def test_only_admins_manage_people_and_only_their_union(browser, make_user, tenant_a, tenant_b):
    make_user("quan-tri@b.vn", tenant=tenant_b, role="admin")
    make_user("tac-gia@a.vn", tenant=tenant_a, role="author")
    theirs = membership_id("tac-gia@a.vn", tenant_a)
    browser.login("quan-tri@b.vn")
    for path in (f"/manage/tinh-b/people/{theirs}", f"/manage/tinh-b/people/{theirs}/remove"):
        assert browser.get(path).status_code == 404
    assert browser.post(f"/manage/tinh-b/people/{theirs}", {"role": "reporter"},
                        token_from="/manage/tinh-b/people/").status_code == 404
    assert role_of("tac-gia@a.vn", tenant_a) == "author"
    assert browser.get("/manage/tinh-a/people/").status_code in (403, 404)


def test_inviting_someone_already_here_says_so(admin_a, make_user, tenant_a):
    make_user("bien-tap@a.vn", tenant=tenant_a, role="editor")
    response = invite(admin_a, "bien-tap@a.vn")
    assert response.status_code == 400 and "đã làm việc" in response.get_data(as_text=True)


def test_an_archived_unions_console_is_read_only(admin_a, tenant_a):
    tenant_a.status = "archived"
    db.session.add(tenant_a)
    db.session.commit()
    assert admin_a.get(PEOPLE).status_code == 200  # still readable
    response = invite(admin_a, "moi@a.vn")
    assert response.status_code == 403 and "lưu trữ" in response.get_data(as_text=True)
