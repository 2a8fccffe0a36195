"""Editing menus: a union's own menu (MenuItem) and the national default (MenuTemplateItem), two levels, per
language. The views are in app/site/menu_console.py; every change is written to the audit log here."""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core import audit
from app.extensions import db
from app.site import menus
from app.site.models import MenuItem, MenuTemplateItem


class MenuError(ValueError):
    """A refused change, with the field it belongs to and the reason to show."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _prefix(model) -> str:
    return "menu_template" if model is MenuTemplateItem else "menu"


def items(model, locale: str) -> list:
    """The top-level items of `locale`, in order (each with .children in order)."""
    return db.session.scalars(sa.select(model).where(model.locale == locale, model.parent_id.is_(None))
                              .order_by(model.position, model.id)).all()


def siblings(model, locale: str, parent_id: int | None) -> list:
    parent = model.parent_id.is_(None) if parent_id is None else model.parent_id == parent_id
    return db.session.scalars(sa.select(model).where(model.locale == locale, parent)
                              .order_by(model.position, model.id)).all()


def _renumber(rows) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position


def check_parent(model, item, locale: str, parent_id: int | None):
    """The parent row for `parent_id` (None: top level); refuses a third level."""
    if not parent_id:
        return None
    parent = db.session.get(model, parent_id)
    if parent is None or parent.locale != locale or (item is not None and parent.id == item.id):
        raise MenuError("parent_id", _("The chosen parent item was not found."))
    if parent.parent_id is not None:
        raise MenuError("parent_id", _("A sub-item cannot hold items of its own: menus have two levels at most."))
    if item is not None and item.id and item.children:
        raise MenuError("parent_id", _("This item has sub-items of its own, so it stays at the top level."))
    return parent


def save(model, item, fields: dict, locale: str):
    """Create (item None) or change an item: fields label, kind, target_id, target, parent_id (all checked)."""
    creating = item is None
    parent = check_parent(model, item, locale, fields.get("parent_id"))
    parent_id = parent.id if parent is not None else None
    if creating:
        item = model(locale=locale)
        item.position = len(siblings(model, locale, parent_id))
        db.session.add(item)
    moved = not creating and item.parent_id != parent_id
    old_parent = item.parent_id
    item.label, item.kind, item.target = fields["label"].strip(), fields["kind"], fields.get("target")
    if model is MenuItem:
        item.target_id = fields.get("target_id")
    if moved:
        item.position = len(siblings(model, locale, parent_id))
    item.parent_id = parent_id
    db.session.flush()
    if moved:
        _renumber([r for r in siblings(model, locale, old_parent) if r.id != item.id])
    audit.record(f"{_prefix(model)}.{'create' if creating else 'edit'}", target=f"{model.__tablename__}:{item.id}",
                 detail=f"{locale}: {item.label}")
    db.session.commit()
    return item


def shift(item, step: int) -> None:
    """Move an item one place up (-1) or down (+1) among its siblings."""
    model = type(item)
    rows = siblings(model, item.locale, item.parent_id)
    index = next(i for i, row in enumerate(rows) if row.id == item.id)
    other = index + step
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
        _renumber(rows)
        audit.record(f"{_prefix(model)}.move", target=f"{model.__tablename__}:{item.id}",
                     detail=f"{item.locale}: {item.label} {'up' if step < 0 else 'down'}")
        db.session.commit()


def delete(item) -> None:
    model, locale, parent_id = type(item), item.locale, item.parent_id
    audit.record(f"{_prefix(model)}.delete", target=f"{model.__tablename__}:{item.id}",
                 detail=f"{locale}: {item.label}")
    db.session.delete(item)
    db.session.flush()
    _renumber(siblings(model, locale, parent_id))
    db.session.commit()


def copy_default(locale: str) -> int:
    """Start the union's own menu from the national default: copies of its items (a template page becomes the
    union's own copy of that page; one the union does not have is left out). Returns the number copied."""
    if db.session.scalar(sa.select(sa.func.count(MenuItem.id)).where(MenuItem.locale == locale)):
        raise MenuError("menu", _("This union already has its own menu in this language."))
    count = 0
    for position, row in enumerate(items(MenuTemplateItem, locale)):
        top = _copy(row, position, None)
        if top is None:
            continue
        count += 1
        for child_position, child in enumerate(row.children):
            count += _copy(child, child_position, top.id) is not None
    audit.record("menu.copy_default", target=f"menu:{locale}", detail=f"{locale}: {count}")
    db.session.commit()
    return count


def _copy(row: MenuTemplateItem, position: int, parent_id: int | None) -> MenuItem | None:
    item = MenuItem(locale=row.locale, position=position, label=row.label, kind=row.kind, parent_id=parent_id)
    if row.kind == "page":
        item.target_id = menus.template_page_id(row.target)
        if item.target_id is None:
            return None
    else:
        item.target = row.target
    db.session.add(item)
    db.session.flush()
    return item


def reset(locale: str) -> int:
    """Go back to the national default: delete the union's own items in `locale`."""
    rows = db.session.scalars(sa.select(MenuItem).where(MenuItem.locale == locale)).all()
    for row in rows:
        if row.parent_id is None:
            db.session.delete(row)  # with its children
    audit.record("menu.reset", target=f"menu:{locale}", detail=f"{locale}: {len(rows)}")
    db.session.commit()
    return len(rows)
