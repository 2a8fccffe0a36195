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
    make: Callable  # make(factories, tenant) -> id of a new row owned by tenant, or (id, {url values})
    routes: tuple[Route, ...]


def _page(factories, tenant) -> int:
    return factories["make_page"](tenant, "Trang riêng của A").id


def _category(factories, tenant) -> int:
    return factories["make_category"](tenant, "Chuyên mục riêng của A").id


def _article(factories, tenant) -> int:
    return factories["make_article"](tenant, "Trang riêng của A").id


def _tag(factories, tenant) -> int:
    return _tagged(factories, tenant)[1]["tag_id"]


def _tagged(factories, tenant) -> tuple[int, dict]:
    """An article-tag link; its URL is the tag's page, which lists A's article."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.news.models import ArticleTag
    from tenants.context import tenant_context

    article = factories["make_article"](tenant, "Trang riêng của A", tags=("Riêng A",))
    with tenant_context(tenant.id):
        link = db.session.scalars(sa.select(ArticleTag).where(ArticleTag.article_id == article.id)).one()
        return link.id, {"tag_id": link.tag_id}
def _member(factories, tenant) -> int:
    return factories["make_member"](tenant, "Trang riêng của A", slug="hoi-rieng-cua-a").id


def _partner(factories, tenant) -> int:
    return factories["make_partner"](tenant, "Trang riêng của A").id


def _agreement(factories, tenant) -> int:
    locality = factories["make_partner"](tenant, "Địa phương của A")
    return factories["make_agreement"](tenant, locality, "Trang riêng của A").id


def _document(factories, tenant) -> int:
    return factories["make_document"](tenant, "Trang riêng của A").id
def _visit_daily(factories, tenant) -> int:
    return factories["make_visit_daily"](tenant).id


def _visit_visitor(factories, tenant) -> int:
    return factories["make_visit_visitor"](tenant).id
def _aid_project(factories, tenant) -> int:
    return factories["make_aid_project"](tenant, "Trang riêng của A").id


def _aid_transaction(factories, tenant) -> int:
    from datetime import date

    from app.core.money import Money

    project = factories["make_aid_project"](tenant, "Trang riêng của A", transactions=[
        ("commitment", date(2023, 1, 1), Money(1_000_000, "VND"))])
    return project.transactions[0].id



def _aid_import(factories, tenant) -> int:
    return factories["make_staged_import"](tenant).id


def _donor_proposal(factories, tenant) -> int:
    return factories["make_donor_proposal"](tenant).id


MATRIX: list[Entry] = [
    Entry("page", _page, (
        Route("/manage/{slug}/pages/{id}"),
        Route("/manage/{slug}/pages/{id}/publish", "POST", {"published": "0"}),
    )),
    Entry("news_category", _category, (Route("/chuyen-muc/{id}/", public=True),)),
    Entry("news_article", _article, (Route("/tin/{id}/", public=True),)),
    Entry("news_tag", _tag, (Route("/the/{id}/", public=True),)),
    Entry("news_article_tag", _tagged, (Route("/the/{tag_id}/", public=True),)),
    # The public site has no id in a member's URL: its slug is fixed by _member (the pattern ignores {id}).
    Entry("member_organization", _member, (Route("/to-chuc-thanh-vien/hoi-rieng-cua-a", public=True),)),
    Entry("partner_locality", _partner, (Route("/doi-tac/{id}", public=True),)),
    Entry("partner_agreement", _agreement, (Route("/doi-tac/thoa-thuan/{id}", public=True),)),
    Entry("document", _document, (
        Route("/van-ban/{id}", public=True),
        Route("/van-ban/{id}/tai-ve", public=True),
    )),
    # Visitor statistics: no route shows or edits a single row (the widget and /thong-ke show totals), so
    # these are model-only entries; tests/stats/test_isolation.py checks their scoping and RLS instead.
    Entry("visit_daily", _visit_daily, ()),
    Entry("visit_visitor", _visit_visitor, ()),
    Entry("aid_project", _aid_project, (
        Route("/manage/{slug}/aid/{id}"),
        Route("/vien-tro/{id}", public=True),
        Route("/manage/{slug}/aid/{id}/edit"),
        Route("/manage/{slug}/aid/{id}/edit", "POST", {"title_vi": "Đã sửa", "sector_code": "11220",
                                                      "status": "completed"}),
        Route("/manage/{slug}/aid/{id}/transactions/new"),
        Route("/manage/{slug}/aid/{id}/transactions/new", "POST", {
            "kind": "commitment", "date": "2023-02-01", "currency": "VND", "amount": "2.000.000"}),
        Route("/manage/{slug}/aid/{id}/delete"),
        Route("/manage/{slug}/aid/{id}/delete", "POST"),
    )),
    Entry("aid_transaction", _aid_transaction, (
        Route("/manage/{slug}/aid/transactions/{id}"),
        Route("/manage/{slug}/aid/transactions/{id}/edit"),
        Route("/manage/{slug}/aid/transactions/{id}/edit", "POST", {
            "kind": "disbursement", "date": "2023-02-01", "currency": "VND", "amount": "2.000.000"}),
        Route("/manage/{slug}/aid/transactions/{id}/delete"),
        Route("/manage/{slug}/aid/transactions/{id}/delete", "POST"),
    )),
    Entry("aid_import", _aid_import, (
        Route("/manage/{slug}/aid/import/{id}"),
        Route("/manage/{slug}/aid/import/{id}/confirm", "POST"),
    )),
    Entry("donor_proposal", _donor_proposal, (
        Route("/manage/{slug}/aid/donors/{id}"),
    )),
]
