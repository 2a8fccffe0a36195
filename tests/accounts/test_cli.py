"""Operators' commands: `flask users create|set-password` and `flask tenants list`."""

from datetime import timedelta

import pytest

from app.accounts.services import find_user
from app.core.timeutil import utcnow
from app.extensions import db

PW = "long-enough-pw"


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args, **kwargs):
        result = runner.invoke(args=list(args), **kwargs)
        db.session.expire_all()  # the command committed through the same session
        return result

    return invoke


def user(email: str):
    db.session.expire_all()
    return find_user(email)


# --- users create ---------------------------------------------------------------------------------

def test_create_tenant_user(run, tenant_a, tenant_b):
    result = run("users", "create", "--tenant", "tinh-a", "--role", "editor", "--email", "e@x.vn",
                 "--password", PW)
    assert result.exit_code == 0, result.output
    assert "e@x.vn: editor in tinh-a" in result.output
    created = user("e@x.vn")
    assert created is not None and created.check_password(PW)
    assert [(m.tenant.slug, m.role) for m in created.memberships] == [("tinh-a", "editor")]
    assert created.national_role is None and created.name == "e" and created.locale == "vi"


def test_create_national_user(run, tenant_a):
    result = run("users", "create", "--national", "--role", "platform_admin", "--email", "root@x.vn",
                 "--password", PW, "--name", "Quản trị", "--locale", "en")
    assert result.exit_code == 0, result.output
    created = user("root@x.vn")
    assert created.national_role == "platform_admin" and created.is_platform_admin
    assert created.memberships == []
    assert (created.name, created.locale) == ("Quản trị", "en")


def test_create_again_changes_the_role(run, tenant_a):
    assert run("users", "create", "--tenant", "tinh-a", "--role", "author", "--email", "e@x.vn",
               "--password", PW).exit_code == 0
    again = run("users", "create", "--tenant", "tinh-a", "--role", "admin", "--email", "E@X.vn",
                "--password", "another-password")
    assert again.exit_code == 0 and "password left unchanged" in again.output
    created = user("e@x.vn")
    assert [(m.tenant.slug, m.role) for m in created.memberships] == [("tinh-a", "admin")]
    assert created.check_password(PW) and not created.check_password("another-password")


def test_create_prompts_for_the_password(run, tenant_a):
    result = run("users", "create", "--tenant", "tinh-a", "--role", "reporter", "--email", "p@x.vn",
                 input=f"{PW}\n{PW}\n")
    assert result.exit_code == 0, result.output
    assert PW not in result.output  # hidden input
    assert user("p@x.vn").check_password(PW)


def test_create_in_a_missing_tenant(run, tenant_a):
    result = run("users", "create", "--tenant", "khong-co", "--role", "editor", "--email", "e@x.vn",
                 "--password", PW)
    assert result.exit_code == 2  # a usage error naming the option, not a crash
    assert "--tenant" in result.output and "no tenant with slug 'khong-co'" in result.output
    assert isinstance(result.exception, SystemExit)
    assert user("e@x.vn") is None


@pytest.mark.parametrize(("options", "message"), [
    (["--tenant", "tinh-a", "--national", "--role", "editor"], "either --tenant"),
    (["--tenant", "tinh-a", "--national", "--role", "platform_admin"], "either --tenant"),
    (["--role", "editor"], "either --tenant"),
    (["--national", "--role", "editor"], "--national takes one of"),
    (["--tenant", "tinh-a", "--role", "national_viewer"], "--tenant takes one of"),
    (["--tenant", "tinh-a", "--role", "owner"], "Invalid value for '--role'"),
])
def test_create_usage_errors(run, tenant_a, options, message):
    result = run("users", "create", *options, "--email", "e@x.vn", "--password", PW)
    assert result.exit_code == 2
    assert message in result.output
    assert user("e@x.vn") is None


def test_create_refuses_a_short_password(run, tenant_a):
    result = run("users", "create", "--tenant", "tinh-a", "--role", "editor", "--email", "e@x.vn",
                 "--password", "short")
    assert result.exit_code == 1
    assert "10" in result.output and "Traceback" not in result.output
    assert user("e@x.vn") is None


# --- users set-password ---------------------------------------------------------------------------

@pytest.fixture
def locked_user(make_user, tenant_a):
    account = make_user("locked@x.vn", tenant=tenant_a, role="editor")
    account.failed_logins = 3
    account.locked_until = utcnow() + timedelta(minutes=15)
    db.session.commit()
    return account


def test_set_password_changes_it_and_lifts_the_lockout(run, locked_user):
    result = run("users", "set-password", "--email", "Locked@x.vn", "--password", "another-long-pw")
    assert result.exit_code == 0, result.output
    assert "password set for locked@x.vn" in result.output
    account = user("locked@x.vn")
    assert account.check_password("another-long-pw") and not account.check_password("correct-horse-battery")
    assert account.locked_until is None and account.failed_logins == 0


def test_set_password_then_sign_in(run, locked_user, browser):
    assert browser.login("locked@x.vn").status_code == 422  # locked
    assert run("users", "set-password", "--email", "locked@x.vn", "--password", "another-long-pw").exit_code == 0
    assert browser.login("locked@x.vn", "another-long-pw").status_code == 302


def test_set_password_refuses_a_short_one(run, locked_user):
    result = run("users", "set-password", "--email", "locked@x.vn", "--password", "short")
    assert result.exit_code == 1
    account = user("locked@x.vn")
    assert account.check_password("correct-horse-battery") and account.locked_until is not None


def test_set_password_for_an_unknown_user(run, tenant_a):
    result = run("users", "set-password", "--email", "nobody@x.vn", "--password", "another-long-pw")
    assert result.exit_code == 1
    assert "no user nobody@x.vn" in result.output


# --- tenants list ---------------------------------------------------------------------------------

def test_tenants_list(run, make_tenant, tenant_a, tenant_b):
    make_tenant("tinh-c", status="suspended", host="www.tinh-c.vn", aliases=("tinh-c.localhost",))
    result = run("tenants", "list")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert set(lines) == {"vufo", "tinh-a", "tinh-b", "tinh-c"}
    expected_primary = {"vufo": "localhost", "tinh-a": "tinh-a.localhost", "tinh-b": "tinh-b.localhost",
                        "tinh-c": "www.tinh-c.vn"}
    for slug, host in expected_primary.items():
        assert f"*{host}" in lines[slug], lines[slug]
    assert "tinh-c.localhost" in lines["tinh-c"] and "*tinh-c.localhost" not in lines["tinh-c"]
    assert "suspended" in lines["tinh-c"] and "national" in lines["vufo"]
