"""Business rules for member organisations and partner localities, callable without a request."""

import re

import sqlalchemy as sa
from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.core.vntext import fold
from app.extensions import db
from app.members.models import MemberOrganization, PartnerAgreement, PartnerLocality
from app.news import services as news
from app.news.models import Article

MEMBER_KIND_LABELS = {
    "association": _l("Friendship association"),
    "centre": _l("Friendship cooperation centre"),
    "other": _l("Other member organisation"),
}
LOCALITY_LEVEL_LABELS = {
    "province": _l("Province"),
    "city": _l("City"),
    "department": _l("Department"),
    "region": _l("Region"),
    "district": _l("District"),
    "other": _l("Locality"),
}
AGREEMENT_KIND_LABELS = {
    "cooperation_minutes": _l("Minutes of cooperation"),
    "memorandum": _l("Memorandum of understanding"),
    "agreement": _l("Cooperation agreement"),
    "twinning": _l("Twinning agreement"),
    "other": _l("Other document"),
}

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """5 -> 'V': congresses are numbered in Roman numerals ("Đại hội lần thứ V")."""
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def country_name(code: str | None, locale: str) -> str:
    """The country's name in `locale` from Babel's territory names ('LA' -> 'Lào' / 'Laos')."""
    if not code:
        return ""
    try:
        territories = Locale.parse(locale).territories
    except (ValueError, UnknownLocaleError):
        territories = Locale("vi").territories
    return territories.get(code.upper(), code.upper())


def term_label(start: int | None, end: int | None) -> str:
    """'2023–2028', or one year when only one is known."""
    if start and end:
        return f"{start}–{end}"
    return str(start or end or "")


def congress_label(member: MemberOrganization) -> str:
    """'Đại hội lần thứ V, nhiệm kỳ 2023–2028' (in the current language); '' when unknown."""
    term = term_label(member.term_start, member.term_end)
    if member.congress_number and term:
        return _("Congress %(number)s, term %(term)s", number=roman(member.congress_number), term=term)
    if member.congress_number:
        return _("Congress %(number)s", number=roman(member.congress_number))
    if term:
        return _("Term %(term)s", term=term)
    return ""


def term_title(term) -> str:
    """A term's name in the console and in messages: 'Congress IV, term 2018–2023', or its number alone."""
    return congress_label(term) or _("Term no. %(id)s", id=term.id)


def published_chapters(member: MemberOrganization) -> list:
    """The member's published chapters (chi hội), by name."""
    return [c for c in member.chapters if c.published]


def published_members_query() -> sa.Select:
    """The current tenant's published members: associations first, then by position and name."""
    kind_order = sa.case({"association": 0, "centre": 1}, value=MemberOrganization.kind, else_=2)
    return (sa.select(MemberOrganization).where(MemberOrganization.published)
            .options(selectinload(MemberOrganization.terms))  # each card lists its terms: one more statement
            .order_by(kind_order, MemberOrganization.position, MemberOrganization.name_vi))


def published_member(slug: str) -> MemberOrganization | None:
    stmt = (sa.select(MemberOrganization).where(MemberOrganization.slug == slug, MemberOrganization.published)
            .options(selectinload(MemberOrganization.terms), selectinload(MemberOrganization.chapters)))
    return db.session.scalars(stmt).first()


def _name_pattern(name: str) -> tuple[str, re.Pattern] | None:
    """A LIKE pattern that narrows the candidates in SQL and the regular expression that decides, both over
    folded text: the name's words in order, separated by spaces or punctuation. 'Việt – Lào' also matches
    'Việt Nam – Lào', the two ways associations' names are written."""
    words = re.findall(r"\w+", fold(name))
    if len(words) < 2:
        return None
    like = "%" + "%".join(w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words) + "%"
    parts = []
    for index, word in enumerate(words):
        optional_nam = word == "viet" and (index + 1 == len(words) or words[index + 1] != "nam")
        parts.append(re.escape(word) + (r"(?:\W+nam)?" if optional_nam else ""))
    return like, re.compile(r"\b" + r"\W+".join(parts) + r"\b")


def related_news(member: MemberOrganization, locale: str = "vi", limit: int = 5) -> list:
    """The tenant's newest public articles that name this member (in their text or tags), as shown in
    `locale`: two statements, whatever the number of articles."""
    patterns = [p for p in (_name_pattern(member.name_vi), _name_pattern(member.name_en or "")) if p]
    if not patterns:
        return []
    stmt = news.originals().where(sa.or_(*(Article.search_text.like(like, escape="\\") for like, _ in patterns)))
    found = [a for a in db.session.scalars(stmt.limit(limit * 4))
             if any(regex.search(a.search_text) for _, regex in patterns)]
    return news.shown(found[:limit], locale)


def published_partners_query() -> sa.Select:
    """The current tenant's published partner localities, their agreements loaded in one more query."""
    return (sa.select(PartnerLocality).where(PartnerLocality.published)
            .options(selectinload(PartnerLocality.agreements))
            .order_by(PartnerLocality.position, PartnerLocality.name_vi))


def published_partner(locality_id: int) -> PartnerLocality | None:
    stmt = (sa.select(PartnerLocality).where(PartnerLocality.id == locality_id, PartnerLocality.published)
            .options(selectinload(PartnerLocality.agreements)))
    return db.session.scalars(stmt).first()


def agreement_file(agreement_id: int):
    """(agreement, path) of a published partner's agreement whose signed copy is on disk, else None."""
    from app.documents.services import file_on_disk

    agreement = published_agreement(agreement_id)
    path = file_on_disk(agreement) if agreement is not None else None
    return (agreement, path) if path is not None else None


def published_agreement(agreement_id: int) -> PartnerAgreement | None:
    """An agreement whose partner locality is published (agreements have no state of their own)."""
    stmt = (sa.select(PartnerAgreement).join(PartnerAgreement.locality)
            .where(PartnerAgreement.id == agreement_id, PartnerLocality.published))
    return db.session.scalars(stmt).first()
