"""How reporting figures read on screen and in the Word report: figures, growth, labels, narrative paragraphs."""

from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from lxml import html as lxml_html

STATUS_LABELS = {"draft": _l("Draft"), "submitted": _l("Submitted"), "returned": _l("Returned"),
                 "accepted": _l("Accepted"), "final": _l("Final"), None: _l("Missing")}
_BLOCKS = {"p", "li", "h2", "h3", "h4", "blockquote", "dd", "dt", "pre", "figcaption", "caption", "tr"}
EXCERPT_CHARS = 1200


def format_growth(basis_points: int | None) -> str:
    """+91,1 % from 9110 basis points; a dash without a base year."""
    if basis_points is None:
        return "—"
    sign = "+" if basis_points > 0 else ""
    return f"{sign}{format_decimal(Decimal(basis_points) / 100, format='#,##0.0')} %"


def format_figure(value: int | None, unit: str = "count") -> str:
    """A stored figure for the screen: percent from basis points, VND with ₫, USD from cents."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{format_decimal(Decimal(value) / 100, format='#,##0.0')} %"
    if unit == "USD":
        return f"{format_decimal(Decimal(value) / 100, format='#,##0.00')} USD"
    return format_decimal(value) + (" ₫" if unit == "VND" else "")


def status_label(status: str | None) -> str:
    return str(STATUS_LABELS.get(status, status))


def including(tenants, locale: str) -> str:
    """The merged unions folded into a row: 'gồm: …'."""
    return _("including: %(names)s", names=", ".join(t.name(locale) for t in tenants))


def paragraphs(html: str) -> list[str]:
    """Sanitised narrative HTML as plain paragraphs (list items marked with a bullet)."""
    if not (html or "").strip():
        return []
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    blocks = [el for el in root.iter(*_BLOCKS) if not any(d.tag in _BLOCKS for d in el.iterdescendants())]
    texts = [("• " if el.tag == "li" else "") + " ".join(el.text_content().split()) for el in blocks or [root]]
    return [text for text in texts if text.strip("• ")]


def excerpt(html: str, limit: int = EXCERPT_CHARS) -> list[str]:
    """The first paragraphs of a narrative, about `limit` characters, the last one cut at a word with "…"."""
    kept, used = [], 0
    for text in paragraphs(html):
        if used + len(text) > limit:
            cut = text[: max(limit - used, 0)].rsplit(" ", 1)[0]
            if cut:
                kept.append(cut + " …")
            break
        kept.append(text)
        used += len(text)
    return kept
