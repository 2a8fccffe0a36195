"""Business rules for member organisations and partner localities, callable without a request."""

import sqlalchemy as sa
from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.members.models import MemberOrganization, PartnerAgreement, PartnerLocality

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


def published_members_query() -> sa.Select:
    """The current tenant's published members: associations first, then by position and name."""
    kind_order = sa.case({"association": 0, "centre": 1}, value=MemberOrganization.kind, else_=2)
    return (sa.select(MemberOrganization).where(MemberOrganization.published)
            .order_by(kind_order, MemberOrganization.position, MemberOrganization.name_vi))


def published_member(slug: str) -> MemberOrganization | None:
    stmt = sa.select(MemberOrganization).where(MemberOrganization.slug == slug, MemberOrganization.published)
    return db.session.scalars(stmt).first()


def related_news(member: MemberOrganization) -> list:
    """Hook for the news feature: articles about this member. Returns [] until news exists."""
    return []


def published_partners_query() -> sa.Select:
    """The current tenant's published partner localities, their agreements loaded in one more query."""
    return (sa.select(PartnerLocality).where(PartnerLocality.published)
            .options(selectinload(PartnerLocality.agreements))
            .order_by(PartnerLocality.position, PartnerLocality.name_vi))


def published_partner(locality_id: int) -> PartnerLocality | None:
    stmt = (sa.select(PartnerLocality).where(PartnerLocality.id == locality_id, PartnerLocality.published)
            .options(selectinload(PartnerLocality.agreements)))
    return db.session.scalars(stmt).first()


def published_agreement(agreement_id: int) -> PartnerAgreement | None:
    """An agreement whose partner locality is published (agreements have no state of their own)."""
    stmt = (sa.select(PartnerAgreement).join(PartnerAgreement.locality)
            .where(PartnerAgreement.id == agreement_id, PartnerLocality.published))
    return db.session.scalars(stmt).first()
