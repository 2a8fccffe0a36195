"""Tenant B's staff, with every role, can never reach tenant A's rows through the console."""

import pytest

from app import import_models
from app.extensions import db
from tenants.scoping import scoped_models
from tests.isolation import MATRIX

CASES = [(entry, route) for entry in MATRIX for route in entry.routes]


def test_every_tenant_scoped_model_is_in_the_matrix():
    import_models()
    scoped = {m.__tablename__ for m in scoped_models(db.Model.registry)}
    assert scoped == {entry.model for entry in MATRIX}


@pytest.mark.parametrize(("entry", "route"), CASES, ids=[f"{e.model}:{r.method}:{r.pattern}" for e, r in CASES])
# Roles allowed to do every action in the matrix, so that the object lookup itself is what answers
# (a role without the permission gets 403 for every id, which reveals nothing either).
@pytest.mark.parametrize("role", ["admin", "editor"])
def test_b_staff_get_404_for_a_rows(entry, route, role, browser, make_user, make_page, tenant_a, tenant_b):
    row_id = entry.make({"make_page": make_page}, tenant_a)
    make_user(f"{role}@tinh-b.vn", tenant=tenant_b, role=role)
    browser.login(f"{role}@tinh-b.vn")
    for slug in ("tinh-b", "tinh-a"):  # A's id under B's slug, and A's slug without membership
        url = route.pattern.format(slug=slug, id=row_id)
        if route.method == "GET":
            response = browser.get(url)
        else:
            response = browser.post(url, route.data, token_from="/manage/tinh-b/")
        assert response.status_code == 404, (url, response.status_code)


def test_a_staff_reach_their_own_rows(browser, make_user, make_page, tenant_a):
    """The matrix's control: the same URLs work for A's admin, so a 404 above means isolation."""
    make_user("admin@tinh-a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@tinh-a.vn")
    for entry in MATRIX:
        row_id = entry.make({"make_page": make_page}, tenant_a)
        for route in entry.routes:
            url = route.pattern.format(slug="tinh-a", id=row_id)
            if route.method == "GET":
                assert browser.get(url).status_code == 200, url
            else:
                assert browser.post(url, route.data, token_from="/manage/tinh-a/").status_code in (200, 302), url
