"""Tenant B's staff, with every role, can never reach tenant A's rows through the console."""

import pytest
import sqlalchemy as sa

from app import import_models
from app.extensions import db
from tenants.scoping import all_tenants, scoped_models
from tests.isolation import MATRIX

CASES = [(entry, route) for entry in MATRIX for route in entry.routes]


class Factories:
    """Fixtures by name, for the matrix's `make` functions: factories["make_page"]."""

    def __init__(self, request):
        self._request = request

    def __getitem__(self, name: str):
        return self._request.getfixturevalue(name)


@pytest.fixture
def factories(request):
    return Factories(request)


def snapshot(table_name: str, row_id: int) -> dict | None:
    """The row as stored, read past the tenant filter (the test's own view, not the app's)."""
    table = db.metadata.tables[table_name]
    with all_tenants("test: isolation matrix snapshot"):
        row = db.session.execute(sa.select(table).where(table.c.id == row_id)).mappings().first()
        db.session.rollback()
    return dict(row) if row is not None else None


def made(entry, factories, tenant) -> tuple[int, dict]:
    result = entry.make(factories, tenant)
    return result if isinstance(result, tuple) else (result, {})


def role_may(url: str, method: str, role: str) -> bool:
    """Whether `role` holds the permission the route's view requires (without it, 403 for every id)."""
    from flask import current_app

    from app.accounts.roles import tenant_role_allows

    endpoint, _ = current_app.url_map.bind("localhost").match(url.split("?", 1)[0], method=method)
    permission = getattr(current_app.view_functions[endpoint], "required_permission", None)
    return permission is None or tenant_role_allows(role, permission)


def send(browser, route, url: str, slug: str):
    host = f"{slug}.localhost" if route.public else "localhost"
    if route.method == "GET":  # a redirect to the canonical address (with its slug) is followed
        return browser.get(url, host=host, follow_redirects=True)
    return browser.post(url, route.data, host=host, token_from="/" if route.public else f"/manage/{slug}/")


def test_every_tenant_scoped_model_is_in_the_matrix():
    import_models()
    scoped = {m.__tablename__ for m in scoped_models(db.Model.registry)}
    assert scoped == {entry.model for entry in MATRIX}


@pytest.mark.parametrize(("entry", "route"), CASES, ids=[f"{e.model}:{r.method}:{r.pattern}" for e, r in CASES])
# Roles allowed to do every action in the matrix, so that the object lookup itself is what answers
# (a role without the permission gets 403 for every id, which reveals nothing either).
@pytest.mark.parametrize("role", ["admin", "editor"])
def test_b_staff_get_404_for_a_rows(entry, route, role, browser, make_user, factories, tenant_a, tenant_b):
    row_id, values = made(entry, factories, tenant_a)
    before = snapshot(entry.model, row_id)
    make_user(f"{role}@tinh-b.vn", tenant=tenant_b, role=role)
    browser.login(f"{role}@tinh-b.vn")
    # A's id under B's slug, and A's slug without membership (console); A's id on B's host (public)
    for slug in ("tinh-b",) if route.public else ("tinh-b", "tinh-a"):
        url = route.pattern.format(slug=slug, id=row_id, **values)
        response = send(browser, route, url, "tinh-b")
        expected = {404} if route.public or role_may(url, route.method, role) else {403, 404}
        assert response.status_code in expected, (url, response.status_code)
        assert "Trang riêng của A" not in response.get_data(as_text=True)
    assert snapshot(entry.model, row_id) == before  # nothing written to A's row


@pytest.mark.parametrize(("entry", "route"), CASES, ids=[f"{e.model}:{r.method}:{r.pattern}" for e, r in CASES])
def test_a_staff_reach_their_own_rows(entry, route, browser, make_user, factories, tenant_a):
    """The matrix's control: the same URLs work for A's admin (and writes do change the row), so the
    404 and the unchanged row above are isolation, not a broken route."""
    row_id, values = made(entry, factories, tenant_a)
    before = snapshot(entry.model, row_id)
    make_user("admin@tinh-a.vn", tenant=tenant_a, role="admin")
    browser.login("admin@tinh-a.vn")
    url = route.pattern.format(slug="tinh-a", id=row_id, **values)
    response = send(browser, route, url, "tinh-a")
    if route.method == "GET":
        assert response.status_code == 200, url
        assert snapshot(entry.model, row_id) == before
    else:
        assert response.status_code in (200, 302, 303), url
        assert snapshot(entry.model, row_id) != before, f"{url} with {route.data} did not change the row"
