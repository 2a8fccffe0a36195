"""Revision history shared by articles and pages: keep every save, diff two, restore one."""

import difflib
import html
import re
from dataclasses import dataclass

import nh3
import sqlalchemy as sa

from app.extensions import db

_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(p|h[1-6]|li|blockquote|pre|tr|figcaption|dd|dt|caption)>")


def snapshot(revision_cls, owner_field: str, owner, actor_id: int | None, note: str | None = None,
             fields: tuple[str, ...] = ("title", "body_html")):
    """Store the owner's current text as its next numbered revision."""
    fk = getattr(revision_cls, owner_field)
    last = db.session.scalar(sa.select(sa.func.max(revision_cls.number)).where(fk == owner.id)) or 0
    revision = revision_cls(**{owner_field: owner.id}, number=last + 1, author_id=actor_id, note=note,
                            **{name: getattr(owner, name) for name in fields})
    db.session.add(revision)
    return revision


def history(revision_cls, owner_field: str, owner_id: int) -> list:
    fk = getattr(revision_cls, owner_field)
    return list(db.session.scalars(sa.select(revision_cls).where(fk == owner_id)
                                   .order_by(revision_cls.number.desc())))


def text_lines(body_html: str) -> list[str]:
    """The readable lines of a body: one per paragraph, heading, list item or line break."""
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", body_html or "")
    text = html.unescape(nh3.clean(marked, tags=set(), attributes={}))
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "added", "removed"
    text: str  # plain text: the template escapes it


def _lines(revision, labels: dict[str, str]) -> list[str]:
    lines = []
    for name, label in labels.items():
        if name == "body_html":
            lines.extend(text_lines(revision.body_html))
        else:
            lines.extend(f"{label}: {line}" for line in (getattr(revision, name) or "").splitlines() if line.strip())
    return lines


def diff(old, new, labels: dict[str, str]) -> list[DiffRow]:
    """Line by line, what changed from `old` to `new` (plain text; `labels` names the fields compared)."""
    rows = []
    for line in difflib.ndiff(_lines(old, labels), _lines(new, labels)):
        code, text = line[:2], line[2:]
        if code == "? ":
            continue
        rows.append(DiffRow({"  ": "same", "+ ": "added", "- ": "removed"}[code], text))
    return rows
