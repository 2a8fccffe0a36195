"""The cross-tenant matrix: every tenant-scoped model with the console URLs that reach its rows.

Each later feature adds its (model, URL pattern, method) entries here the day the model is born;
tests/tenants/test_isolation_matrix.py drives them from tenant B's staff against tenant A's rows and
fails if a tenant-scoped model has no entry.

`make(factories, tenant)` gets any test fixture by name (`factories["make_page"]`). A write route's `data`
must change the row when the owner sends it: the control test checks that it does, so the matrix's
"A's row is unchanged" check after B's attempt means something. A `public` route is asked on B's host
with A's id (404 expected) and, as the control, on A's host (200); `make` must then create a public row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Route:
    pattern: str  # formatted with slug= and id=
    method: str = "GET"
    data: dict = field(default_factory=dict)
    public: bool = False  # a public-site URL: asked on the tenant's own host ({slug}.localhost), not the console


@dataclass(frozen=True)
class Entry:
    model: str  # table name of the tenant-scoped model
    make: Callable  # make(factories, tenant) -> id of a new row owned by tenant
    routes: tuple[Route, ...]


def _page(factories, tenant) -> int:
    return factories["make_page"](tenant, "Trang riêng của A").id


def _aid_project(factories, tenant) -> int:
    return factories["make_aid_project"](tenant, "Trang riêng của A").id


def _aid_transaction(factories, tenant) -> int:
    from datetime import date

    from app.core.money import Money

    project = factories["make_aid_project"](tenant, "Trang riêng của A", transactions=[
        ("commitment", date(2023, 1, 1), Money(1_000_000, "VND"))])
    return project.transactions[0].id


MATRIX: list[Entry] = [
    Entry("page", _page, (
        Route("/manage/{slug}/pages/{id}"),
        Route("/manage/{slug}/pages/{id}/publish", "POST", {"published": "0"}),
    )),
    Entry("aid_project", _aid_project, (
        Route("/manage/{slug}/aid/{id}"),
        Route("/vien-tro/{id}", public=True),
    )),
    Entry("aid_transaction", _aid_transaction, (
        Route("/manage/{slug}/aid/transactions/{id}"),
    )),
]
