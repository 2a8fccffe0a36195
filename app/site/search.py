"""Site search: ranked, diacritic- and normalisation-insensitive, with highlighted matches.

Text is folded in Python (`app.core.vntext.fold`) on save and on query, so both databases compare the
same strings. PostgreSQL narrows the candidates with a GIN-indexed tsvector over the folded text; SQLite
with LIKE. The ranking and the highlighting are then the same code on both.

Besides articles, pages and documents, the search covers the union's registries: published member
organisations, partner localities (and their agreements, shown on the locality's page), public aid projects
and published events. They have no folded column: on a union's site their published rows (tens) are matched
in Python. Every hit has a kind; the results page counts them per kind (facets, ?kind=…).

The national portal searches every active union. On PostgreSQL it does not load the unions' rows into
Python: one UNION ALL statement ranks every kind with ts_rank (articles and documents over their GIN-indexed
folded tsvector; pages and registries over their text folded in SQL with translate(), unindexed), counts per
kind and pages with LIMIT/OFFSET; only the shown page's rows are then loaded to be highlighted. On SQLite
(the embedded mode) the portal is searched in Python like a union's site.
"""

import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.aid.models import AidProject
from app.core.templating import host_port
from app.core.vntext import fold, fold_char, plain_text, terms
from app.documents.models import Document
from app.events.models import Event
from app.extensions import db
from app.members.models import MemberOrganization, PartnerAgreement, PartnerLocality
from app.news.models import Article
from app.news.services import public_filter
from app.pages.models import Page

CANDIDATES = 300  # enough for a provincial site; ranked in full, then paged
MAX_QUERY = 200  # characters searched and shown back
MAX_WORDS = 8

# The kinds of hits, in the order of the facets, with their facet label.
KINDS = {
    "article": _l("Articles"),
    "page": _l("Pages"),
    "document": _l("Documents"),
    "member": _l("Member organisations"),
    "partner": _l("Partners"),
    "aid": _l("Aid projects"),
    "event": _l("Events"),
}


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
    kind: str  # a key of KINDS
    title: Markup
    snippet: Markup
    url: str
    score: float
    date: datetime | None = None
    tenant_name: str | None = None
    document: "DocumentFacts | None" = None
    context: str | None = None  # e.g. an agreement's partner locality


@dataclass
class Results:
    """One page of hits (of one kind, or of all) and how many hits each kind has."""

    hits: list[Hit]
    total: int  # of the kind shown (or of every kind)
    counts: dict[str, int]  # per kind, in KINDS' order
    number: int
    per_page: int


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
    """Every hit for `query` (all kinds), best first: the current tenant's, or with `cross_tenant` (the national
    portal) every active tenant's, each labelled with its union's name. Ranked in Python on both databases."""
    words = terms(query)
    if not words:
        return []
    if not cross_tenant:
        return _rank(_collect(words, _local_url, lambda row: None), words)
    with _portal() as (url, label, tenants):
        return _rank(_collect(words, url, label, tenants), words)


def find(query: str, *, cross_tenant: bool = False, kind: str | None = None, number: int = 1,
         per_page: int = 10) -> Results:
    """Page `number` (clamped to the pages there are) of the hits for `query`, of `kind` only when it is one of
    KINDS, with the counts per kind. The portal on PostgreSQL ranks, counts and pages in SQL."""
    kind = kind if kind in KINDS else None
    words = terms(query)
    if not words:
        return Results([], 0, dict.fromkeys(KINDS, 0), 1, per_page)
    if cross_tenant and db.engine.dialect.name == "postgresql":
        with _portal() as (url, label, tenants):
            return _find_in_sql(words, kind, number, per_page, url, label, tenants)
    hits = search(query, cross_tenant=cross_tenant)
    counts = dict.fromkeys(KINDS, 0)
    for hit in hits:
        counts[hit.kind] += 1
    if kind:
        hits = [hit for hit in hits if hit.kind == kind]
    number = _clamp(number, len(hits), per_page)
    return Results(hits[(number - 1) * per_page:number * per_page], len(hits), counts, number, per_page)


def _clamp(number: int, total: int, per_page: int) -> int:
    return min(max(number or 1, 1), max(1, -(-total // per_page)))


@contextmanager
def _portal():
    """Inside every active tenant: (url of a row's path on its union's host, its union's name, the tenants)."""
    from tenants.models import Tenant, TenantStatus
    from tenants.scoping import all_tenants

    with all_tenants("portal: search across provincial sites", public_read=True):
        tenants = {t.id: t for t in db.session.scalars(sa.select(Tenant).where(Tenant.status == TenantStatus.ACTIVE)
                                                        .options(sa.orm.selectinload(Tenant.domains)))}
        locale = str(get_locale())

        def url(row, path):
            domain = tenants[row.tenant_id].primary_domain
            return f"//{domain.host}{host_port()}{path}" if domain else path

        yield url, lambda row: tenants[row.tenant_id].name(locale), tenants


def _local_url(row, path: str) -> str:
    return path


# --- one hit of each kind, from its row (both paths) --------------------------------------------------

def _article_hit(article, words, url, label, score) -> Hit:
    body = plain_text(article.body_html)
    path = url_for("news.article", article_id=article.id, slug=article.slug)
    return Hit("article", highlight(article.title, words), highlight(article.summary or body, words, 240),
               url(article, path), score, article.published_at, label(article))


def _document_hit(document, words, url, label, score) -> Hit:
    return Hit("document", highlight(document.title, words), _document_snippet(document, words),
               url(document, url_for("documents.detail", document_id=document.id)), score, None,
               label(document), DocumentFacts(document.number, document.doc_type, document.issuer,
                                              document.issued_on))


def _page_hit(page, words, url, label, score) -> Hit | None:
    original = page.translation_of if page.translation_of_id is not None else page
    if original is None:
        return None
    address = url_for("site.page", path=original.path)
    if original is not page:
        address += f"?lang={page.locale}"
    return Hit("page", highlight(page.title, words), highlight(plain_text(page.body_html), words, 240),
               url(page, address), score, None, label(page))


def _member_text(member) -> tuple[str, str]:
    return (f"{member.name_vi} {member.name_en or ''}",
            f"{member.leader_name or ''} {plain_text(member.description_html)}")


def _member_hit(member, words, url, label, score) -> Hit:
    snippet = " · ".join(t for t in (member.leader_name, plain_text(member.description_html)) if t)
    return Hit("member", highlight(member.name(str(get_locale())), words), highlight(snippet, words, 240),
               url(member, url_for("members.detail", slug=member.slug)), score, None, label(member))


def _locality_hit(locality, words, url, label, score) -> Hit:
    return Hit("partner", highlight(locality.name(str(get_locale())), words),
               highlight(locality.description, words, 240),
               url(locality, url_for("members.partner", locality_id=locality.id)), score, None, label(locality))


def _agreement_hit(agreement, words, url, label, score) -> Hit:
    locality = agreement.locality
    return Hit("partner", highlight(agreement.title, words), highlight(agreement.summary, words, 240),
               url(agreement, url_for("members.agreement", agreement_id=agreement.id)), score, None,
               label(agreement), context=locality.name(str(get_locale())) if locality is not None else None)


def _aid_hit(project, words, url, label, score) -> Hit:
    return Hit("aid", highlight(project.title(str(get_locale())), words), highlight(project.description, words, 240),
               url(project, url_for("aid_site.public_project", project_id=project.id)), score, None, label(project))


def _event_hit(event, words, url, label, score) -> Hit:
    snippet = " · ".join(t for t in (event.place, event.partners, plain_text(event.description_html)) if t)
    return Hit("event", highlight(event.title, words), highlight(snippet, words, 240),
               url(event, url_for("events.event", event_id=event.id)), score, event.starts_at, label(event))


# --- in Python: a union's site, and the portal on SQLite ----------------------------------------------

def _collect(words, url, label, tenants=None) -> list[Hit]:
    phrase = " ".join(words)
    hits = []

    def rows(stmt):
        if tenants is not None:
            return [row for row in db.session.scalars(stmt) if row.tenant_id in tenants]
        return list(db.session.scalars(stmt))

    for article in _article_candidates(words):
        if tenants is not None and article.tenant_id not in tenants:
            continue
        score = _score(article.title, article.summary + " " + plain_text(article.body_html), words, phrase)
        if score:
            hits.append(_article_hit(article, words, url, label, score))
    for document in _document_candidates(words):
        if tenants is not None and document.tenant_id not in tenants:
            continue
        score = _score(f"{document.number} {document.title}",
                       " ".join((document.issuer or "", document.summary or "", document.text_content or "")),
                       words, phrase)
        if score:
            hits.append(_document_hit(document, words, url, label, score))
    for page in rows(sa.select(Page).where(Page.published)):
        score = _score(page.title, plain_text(page.body_html), words, phrase)
        if score and (hit := _page_hit(page, words, url, label, score)):
            hits.append(hit)
    for member in rows(sa.select(MemberOrganization).where(MemberOrganization.published)):
        if score := _score(*_member_text(member), words, phrase):
            hits.append(_member_hit(member, words, url, label, score))
    localities = rows(sa.select(PartnerLocality).where(PartnerLocality.published)
                      .options(sa.orm.selectinload(PartnerLocality.agreements)))
    for locality in localities:
        names = f"{locality.name_vi} {locality.name_en or ''}"
        if score := _score(names, locality.description, words, phrase):
            hits.append(_locality_hit(locality, words, url, label, score))
        for agreement in locality.agreements:
            if score := _score(agreement.title, f"{agreement.summary} {names}", words, phrase):
                hits.append(_agreement_hit(agreement, words, url, label, score))
    for project in rows(sa.select(AidProject).where(AidProject.public.is_(True))):
        if score := _score(f"{project.title_vi} {project.title_en}", project.description, words, phrase):
            hits.append(_aid_hit(project, words, url, label, score))
    for event in rows(sa.select(Event).where(Event.published)):
        body = " ".join((event.place, event.partners, plain_text(event.description_html)))
        if score := _score(event.title, body, words, phrase):
            hits.append(_event_hit(event, words, url, label, score))
    return hits


def _rank(hits: list[Hit], words: list[str]) -> list[Hit]:
    hits.sort(key=lambda h: (-h.score, -(h.date.timestamp() if h.date else 0)))
    return hits


# --- in SQL: the portal on PostgreSQL -----------------------------------------------------------------

def _fold_table() -> tuple[str, str]:
    """translate()'s two strings that fold like `fold_char`: Latin letters with diacritics (Vietnamese's
    among them) and capitals to their plain small letter; combining marks (decomposed text) dropped."""
    source, target = [], []
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        folded = fold_char(char)
        if folded != char and len(folded) == 1:
            source.append(char)
            target.append(folded)
    source += [chr(code) for code in range(0x300, 0x370)]  # longer than `target`: translate() drops them
    return "".join(source), "".join(target)


_FOLD_FROM, _FOLD_TO = _fold_table()
_NO_DATE = sa.cast(sa.null(), sa.DateTime(timezone=True))


def _sql_folded(*columns) -> sa.ColumnElement:
    """The columns' text (tags dropped) joined and folded in SQL, for the rows that have no folded column."""
    text = sa.func.concat_ws(" ", *(sa.func.regexp_replace(sa.func.coalesce(c, ""), "<[^>]+>", " ", "g")
                                    for c in columns))
    return sa.func.translate(text, _FOLD_FROM, _FOLD_TO)


def _vector(text) -> sa.ColumnElement:
    return sa.func.to_tsvector(sa.literal_column("'simple'"), text)


def _ranked(kind: str, model, text, tsquery, where, at=_NO_DATE, join=None) -> sa.Select:
    return (sa.select(sa.literal_column(f"'{kind}'").label("kind"), model.id.label("id"),
                      sa.func.ts_rank(_vector(text), tsquery).label("rank"), at.label("at"))
            .select_from(model if join is None else join)
            .where(*where, _vector(text).op("@@")(tsquery)))


def _hits_statement(words: list[str], tenant_ids: list[int]) -> sa.Subquery:
    """Every kind's matching rows of the active tenants as (kind, id, rank, at), in one UNION ALL."""
    tsquery = sa.func.to_tsquery(sa.literal_column("'simple'"), " & ".join(f"{w}:*" for w in words))

    def ranked(kind, model, text, *where, at=_NO_DATE, join=None):
        return _ranked(kind, model, text, tsquery, (model.tenant_id.in_(tenant_ids), *where), at, join)

    parts = [
        ranked("article", Article, Article.search_text, public_filter(), at=Article.published_at),
        ranked("document", Document, Document.search_text, Document.published,
               at=sa.cast(Document.issued_on, sa.DateTime(timezone=True))),
        ranked("page", Page, _sql_folded(Page.title, Page.body_html), Page.published),
        ranked("member", MemberOrganization,
               _sql_folded(MemberOrganization.name_vi, MemberOrganization.name_en, MemberOrganization.leader_name,
                           MemberOrganization.description_html), MemberOrganization.published),
        ranked("partner", PartnerLocality,
               _sql_folded(PartnerLocality.name_vi, PartnerLocality.name_en, PartnerLocality.description),
               PartnerLocality.published),
        ranked("agreement", PartnerAgreement,
               _sql_folded(PartnerAgreement.title, PartnerAgreement.summary, PartnerLocality.name_vi,
                           PartnerLocality.name_en), PartnerLocality.published,
               join=sa.join(PartnerAgreement, PartnerLocality,
                            sa.and_(PartnerLocality.id == PartnerAgreement.locality_id,
                                    PartnerLocality.tenant_id == PartnerAgreement.tenant_id))),
        ranked("aid", AidProject, _sql_folded(AidProject.title_vi, AidProject.title_en, AidProject.description),
               AidProject.public.is_(True)),
        ranked("event", Event, _sql_folded(Event.title, Event.place, Event.partners, Event.description_html),
               Event.published, at=Event.starts_at),
    ]
    return sa.union_all(*parts).subquery("hits")


_SQL_KINDS = {"partner": ("partner", "agreement")}  # facet -> the statement's kinds
_LOADERS = {
    "article": (Article, _article_hit, ()),
    "document": (Document, _document_hit, (sa.orm.undefer(Document.text_content),)),
    "page": (Page, _page_hit, ()),
    "member": (MemberOrganization, _member_hit, ()),
    "partner": (PartnerLocality, _locality_hit, ()),
    "agreement": (PartnerAgreement, _agreement_hit, (sa.orm.selectinload(PartnerAgreement.locality),)),
    "aid": (AidProject, _aid_hit, ()),
    "event": (Event, _event_hit, ()),
}


def _find_in_sql(words, kind, number, per_page, url, label, tenants) -> Results:
    hits = _hits_statement(words, list(tenants))
    counts = dict.fromkeys(KINDS, 0)
    for row_kind, count in db.session.execute(sa.select(hits.c.kind, sa.func.count()).group_by(hits.c.kind)):
        counts["partner" if row_kind == "agreement" else row_kind] += count
    total = counts[kind] if kind else sum(counts.values())
    number = _clamp(number, total, per_page)
    stmt = sa.select(hits.c.kind, hits.c.id, hits.c.rank)
    if kind:
        stmt = stmt.where(hits.c.kind.in_(_SQL_KINDS.get(kind, (kind,))))
    stmt = (stmt.order_by(hits.c.rank.desc(), hits.c.at.desc().nulls_last(), hits.c.kind, hits.c.id.desc())
            .limit(per_page).offset((number - 1) * per_page))
    shown = db.session.execute(stmt).all()
    rows = {}
    for row_kind in {k for k, _id, _rank in shown}:
        model, _build, options = _LOADERS[row_kind]
        ids = [i for k, i, _rank in shown if k == row_kind]
        for row in db.session.scalars(sa.select(model).where(model.id.in_(ids)).options(*options)):
            rows[row_kind, row.id] = row
    page = []
    for row_kind, row_id, rank in shown:
        if (row := rows.get((row_kind, row_id))) is not None:
            hit = _LOADERS[row_kind][1](row, words, url, label, float(rank))
            if hit is not None:
                page.append(hit)
    return Results(page, total, counts, number, per_page)
