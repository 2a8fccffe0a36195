"""Site search: ranked, diacritic- and normalisation-insensitive, with highlighted matches.

Text is folded in Python (`app.core.vntext.fold`) on save and on query, so both databases compare the
same strings. PostgreSQL narrows the candidates with a GIN-indexed tsvector over the folded text; SQLite
with LIKE. The ranking and the highlighting are then the same code on both.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.core.templating import host_port
from app.core.vntext import fold, plain_text, terms
from app.documents.models import Document
from app.extensions import db
from app.news.models import Article
from app.news.services import public_filter
from app.pages.models import Page

CANDIDATES = 300  # enough for a provincial site; ranked in full, then paged
MAX_QUERY = 200  # characters searched and shown back
MAX_WORDS = 8


@dataclass
class Query:
    """A visitor's query made safe to search and to show back, with what they should be told about it."""

    text: str
    words: list[str]
    notes: list[str]


def prepare(raw: str) -> Query:
    """Control characters become spaces, spaces are collapsed, the text is cut to MAX_QUERY characters and
    MAX_WORDS words; each change, and a query with nothing to look for, comes with a note for the visitor."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())
    notes = []
    if len(text) > MAX_QUERY:
        text = text[:MAX_QUERY].rstrip()
        notes.append(_("Your search was too long: only its first %(n)d characters were used.", n=MAX_QUERY))
    words = terms(text, limit=MAX_WORDS + 1)
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
        notes.append(_("Your search had many words: only the first %(n)d were used.", n=MAX_WORDS))
    if text and not words:
        notes.append(_("There is nothing to look for in this search: type at least one letter or number."))
    return Query(text, words, notes)


@dataclass
class Hit:
    kind: str  # "article" | "page" | "document"
    title: Markup
    snippet: Markup
    url: str
    score: float
    date: datetime | None = None
    tenant_name: str | None = None
    document: "DocumentFacts | None" = None


@dataclass
class DocumentFacts:
    """What a document hit shows besides its title: number (số / ký hiệu), type, issuer, date of issue."""

    number: str
    doc_type: str
    issuer: str
    issued_on: date | None


def _matches(folded: str, words: list[str]) -> list[tuple[int, int]]:
    spans = []
    for word in words:
        spans += [(m.start(), m.end()) for m in re.finditer(r"\b" + re.escape(word), folded)]
    return sorted(spans)


def highlight(text: str, words: list[str], width: int | None = None) -> Markup:
    """`text` (NFC) with each match of `words` in <mark>; cut to `width` characters around the first match."""
    text = unicodedata.normalize("NFC", text or "")
    folded = fold(text)
    spans = _matches(folded, words)
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - width // 3, len(text) - width))
        end = start + width
    out, cursor = [], start
    for a, b in spans:
        if a < cursor or b > end:
            continue
        out += [escape(text[cursor:a]), Markup("<mark>"), escape(text[a:b]), Markup("</mark>")]
        cursor = b
    out.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return escape(prefix) + Markup("").join(out) + escape(suffix)


def _score(title: str, body: str, words: list[str], phrase: str) -> float:
    title_f, body_f = fold(title), fold(body)
    if not all(re.search(r"\b" + re.escape(w), title_f + " " + body_f) for w in words):
        return 0.0
    score = 0.0
    for word in words:
        pattern = r"\b" + re.escape(word)
        score += 5 * len(re.findall(pattern, title_f)) + min(10, len(re.findall(pattern, body_f)))
    if len(words) > 1 and phrase in title_f:
        score += 20
    elif len(words) > 1 and phrase in body_f:
        score += 5
    return score


def _article_candidates(words: list[str]) -> list[Article]:
    stmt = sa.select(Article).where(public_filter())
    if db.engine.dialect.name == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        vector = sa.func.to_tsvector(sa.literal_column("'simple'"), Article.search_text)
        tsquery = sa.func.to_tsquery(sa.literal_column("'simple'"), query)
        stmt = stmt.where(vector.op("@@")(tsquery)).order_by(sa.func.ts_rank(vector, tsquery).desc())
    else:
        for word in words:
            stmt = stmt.where(Article.search_text.contains(word, autoescape=True))
        stmt = stmt.order_by(Article.published_at.desc())
    return list(db.session.scalars(stmt.limit(CANDIDATES)))


def _document_candidates(words: list[str]) -> list[Document]:
    """Published documents whose folded number, title, issuer, summary or file text has every word."""
    stmt = sa.select(Document).where(Document.published).options(
        sa.orm.undefer(Document.text_content))
    if db.engine.dialect.name == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        vector = sa.func.to_tsvector(sa.literal_column("'simple'"), Document.search_text)
        tsquery = sa.func.to_tsquery(sa.literal_column("'simple'"), query)
        stmt = stmt.where(vector.op("@@")(tsquery)).order_by(sa.func.ts_rank(vector, tsquery).desc())
    else:
        for word in words:
            stmt = stmt.where(Document.search_text.contains(word, autoescape=True))
        stmt = stmt.order_by(Document.issued_on.desc().nulls_last(), Document.id.desc())
    return list(db.session.scalars(stmt.limit(CANDIDATES)))


def _densest(folded: str, words: list[str], span: int = 120) -> tuple[int, int]:
    """(how many of `words` occur together within `span` characters, where that window starts)."""
    spans = sorted((start, word) for word in words
                   for start in (m.start() for m in re.finditer(r"\b" + re.escape(word), folded)))[:2000]
    best = (0, 0)
    for i, (start, _word) in enumerate(spans):
        together = len({word for at, word in spans[i:i + 64] if at < start + span})
        if together > best[0]:
            best = (together, start)
            if together == len(words):
                break
    return best


def _document_snippet(document: Document, words: list[str]) -> Markup:
    """The part of the summary, or else of the file's text, where most of the words occur together."""
    texts = [unicodedata.normalize("NFC", " ".join(t.split())) for t in (document.summary, document.text_content)
             if t and t.strip()]
    if not texts:
        return Markup("")
    found = [(_densest(fold(t), words), -i, t) for i, t in enumerate(texts)]
    (together, start), _, text = max(found, key=lambda f: (f[0][0], f[1]))
    if together == 0:
        return highlight(texts[0], words, 240)
    cut = max(0, start - 60)
    if cut:
        space = text.find(" ", cut)
        cut = space + 1 if 0 <= space < start else start
    return (escape("… ") if cut else Markup("")) + highlight(text[cut:], words, 240)


def search(query: str, *, cross_tenant: bool = False) -> list[Hit]:
    """Public articles, published documents and pages matching every word of `query`, best first: the current
    tenant's, or with `cross_tenant` (the national portal) every active tenant's, each labelled with its union's
    name."""
    words = terms(query)
    if not words:
        return []
    if not cross_tenant:
        return _rank(_collect(words, _local_url, lambda row: None), words)
    from tenants.models import Tenant, TenantStatus
    from tenants.scoping import all_tenants

    with all_tenants("portal: search across provincial sites", public_read=True):
        tenants = {t.id: t for t in db.session.scalars(sa.select(Tenant).where(Tenant.status == TenantStatus.ACTIVE)
                                                        .options(sa.orm.selectinload(Tenant.domains)))}
        locale = str(get_locale())

        def url(row, path):
            domain = tenants[row.tenant_id].primary_domain
            return f"//{domain.host}{host_port()}{path}" if domain else path

        hits = _collect(words, url, lambda row: tenants[row.tenant_id].name(locale), tenants)
    return _rank(hits, words)


def _local_url(row, path: str) -> str:
    return path


def _collect(words, url, label, tenants=None) -> list[Hit]:
    phrase = " ".join(words)
    hits = []
    for article in _article_candidates(words):
        if tenants is not None and article.tenant_id not in tenants:
            continue
        body = plain_text(article.body_html)
        score = _score(article.title, article.summary + " " + body, words, phrase)
        if score:
            path = url_for("news.article", article_id=article.id, slug=article.slug)
            hits.append(Hit("article", highlight(article.title, words),
                            highlight(article.summary or body, words, 240),
                            url(article, path), score, article.published_at, label(article)))
    for document in _document_candidates(words):
        if tenants is not None and document.tenant_id not in tenants:
            continue
        score = _score(f"{document.number} {document.title}",
                       " ".join((document.issuer or "", document.summary or "", document.text_content or "")),
                       words, phrase)
        if score:
            hits.append(Hit("document", highlight(document.title, words), _document_snippet(document, words),
                            url(document, url_for("documents.detail", document_id=document.id)), score, None,
                            label(document), DocumentFacts(document.number, document.doc_type, document.issuer,
                                                           document.issued_on)))
    for page in db.session.scalars(sa.select(Page).where(Page.published)):
        if tenants is not None and page.tenant_id not in tenants:
            continue
        body = plain_text(page.body_html)
        score = _score(page.title, body, words, phrase)
        if score:
            original = page.translation_of if page.translation_of_id is not None else page
            if original is None:
                continue
            address = url_for("site.page", path=original.path)
            if original is not page:
                address += f"?lang={page.locale}"
            hits.append(Hit("page", highlight(page.title, words), highlight(body, words, 240),
                            url(page, address), score, None, label(page)))
    return hits


def _rank(hits: list[Hit], words: list[str]) -> list[Hit]:
    hits.sort(key=lambda h: (-h.score, -(h.date.timestamp() if h.date else 0)))
    return hits
