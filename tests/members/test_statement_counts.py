"""No N+1 on the directory's public lists: the statement count does not grow with the rows shown."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db

pytestmark = pytest.mark.usefixtures("no_page_cache")


@contextmanager
def counting():
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def statements_for(browser, path: str) -> int:
    with counting() as statements:
        assert browser.get(path, host="tinh-a.localhost").status_code == 200
    return len(statements)


def _fill(kind: str, start: int, n: int, tenant, make_member, make_partner, make_agreement, make_document):
    for i in range(start, start + n):
        if kind == "members":
            make_member(tenant, f"Hội số {i}", slug=f"hoi-{i}", country_code="LA")
        elif kind == "partners":
            locality = make_partner(tenant, f"Địa phương {i}")
            make_agreement(tenant, locality, f"Biên bản {i}")
            make_agreement(tenant, locality, f"Thỏa thuận {i}", kind="memorandum")
        else:
            make_document(tenant, f"Văn bản {i}", number=f"{i}/KH", issuer=f"Cơ quan {i}", file=None)


@pytest.mark.parametrize(("kind", "path"), [("members", "/to-chuc-thanh-vien"), ("partners", "/doi-tac"),
                                            ("documents", "/van-ban"), ("documents", "/van-ban?type=plan")])
def test_list_statements_do_not_grow_with_rows(browser, tenant_a, make_member, make_partner, make_agreement,
                                               make_document, kind, path):
    factories = (make_member, make_partner, make_agreement, make_document)
    _fill(kind, 0, 1, tenant_a, *factories)
    browser.get(path, host="tinh-a.localhost")  # warm-up: first-request work is not the page's
    one = statements_for(browser, path)
    _fill(kind, 1, 6, tenant_a, *factories)
    browser.get(path, host="tinh-a.localhost")  # the change moved the tenant's generation: the first request
    # after it reloads what each process keeps of the tenant (its domains, page tree, menu) -- not the list's
    assert statements_for(browser, path) == one
