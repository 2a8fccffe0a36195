"""Pages of a list: `page` and `per_page` in, the rows of that page out, with `Link` and `X-Total-Count`."""

from urllib.parse import urlencode

import sqlalchemy as sa
from flask import g, request

from app.core.pagination import Page, count_rows
from app.extensions import db


def page_of(stmt: sa.Select, args: dict) -> Page:
    """The asked page (past the last one: an empty page, its links pointing back)."""
    number, per_page = args["page"], args["per_page"]
    total = count_rows(stmt)
    items = list(db.session.scalars(stmt.limit(per_page).offset((number - 1) * per_page)).unique())
    page = Page(items, number, per_page, total)
    g.api_links = _links(page)
    return page


def _url(number: int, per_page: int) -> str:
    query = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    return f"{request.base_url}?{urlencode({**query, 'page': number, 'per_page': per_page})}"


def _links(page: Page) -> str:
    links = [("first", 1), ("last", page.pages)]
    if page.number > 1:
        links.append(("prev", min(page.number - 1, page.pages)))
    if page.number < page.pages:
        links.append(("next", page.number + 1))
    return ", ".join(f'<{_url(n, page.per_page)}>; rel="{rel}"' for rel, n in links)


def listed(page: Page, items: list) -> dict:
    g.api_total = page.total
    return {"items": items, "page": page.number, "per_page": page.per_page, "total": page.total}


def add_headers(response):
    """after_request: the Link and X-Total-Count of a listed page."""
    if g.get("api_links"):
        response.headers["Link"] = g.api_links
    if g.get("api_total") is not None:
        response.headers["X-Total-Count"] = str(g.api_total)
    return response
