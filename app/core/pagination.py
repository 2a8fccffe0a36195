"""Pagination for console and public lists: ?page=N, a fixed page size, never a 500 on bad input."""

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import request

from app.extensions import db


@dataclass
class Page:
    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def count_rows(stmt: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))


def page_number(total: int, per_page: int) -> int:
    """?page=N, clamped to the pages `total` rows make (never an error on bad input)."""
    number = request.args.get("page", 1, type=int) or 1
    return min(max(number, 1), max(1, -(-total // per_page)))


def paginate(stmt: sa.Select, per_page: int = 25, load: Callable[[sa.Select], list] | None = None,
             total: int | None = None) -> Page:
    """One page of `stmt`'s rows, numbered from ?page= (clamped to the valid range).

    `load`, when given, turns the limited statement into the items (e.g. to load related rows in the same
    statement); by default the rows are simply fetched. `total`, when given, is the row count already known
    (kept from an earlier request); by default it is counted."""
    if total is None:
        total = count_rows(stmt)
    number = page_number(total, per_page)
    limited = stmt.limit(per_page).offset((number - 1) * per_page)
    items = load(limited) if load is not None else list(db.session.scalars(limited).unique())
    return Page(items=items, number=number, per_page=per_page, total=total)
