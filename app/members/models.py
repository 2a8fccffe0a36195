"""A union's member organisations (hội hữu nghị, Trung tâm hợp tác hữu nghị) and its foreign partner
localities (địa phương kết nghĩa / đối tác) with their cooperation agreements."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.core.sanitize import clean_html
from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped

MEMBER_KINDS = ("association", "centre", "other")
LOCALITY_LEVELS = ("province", "city", "department", "region", "district", "other")
AGREEMENT_KINDS = ("cooperation_minutes", "memorandum", "agreement", "twinning", "other")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class MemberOrganization(TenantScoped, db.Model):
    """A member of the union: a bilateral friendship association, the centre, or another body."""

    __tablename__ = "member_organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120))
    name_vi: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str | None] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(16), default="association")
    country_code: Mapped[str | None] = mapped_column(sa.String(2))  # ISO 3166-1 alpha-2; none for the centre
    congress_number: Mapped[int | None]  # "Đại hội lần thứ V" → 5
    term_start: Mapped[int | None]
    term_end: Mapped[int | None]
    leader_name: Mapped[str | None] = mapped_column(sa.String(255))
    leader_title: Mapped[str | None] = mapped_column(sa.String(255))
    chapters_count: Mapped[int | None]
    member_count: Mapped[int | None]
    description_html: Mapped[str] = mapped_column(sa.Text, default="")  # sanitised on save (app.core.sanitize)
    contact: Mapped[str | None] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=False)
    founded_on: Mapped[date | None] = mapped_column(sa.Date)
    dissolved_on: Mapped[date | None] = mapped_column(sa.Date)  # on record, no longer counted from this day
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    terms: Mapped[list["MemberTerm"]] = relationship(
        back_populates="member", cascade="all, delete-orphan",
        primaryjoin="MemberOrganization.id == foreign(MemberTerm.member_id)",
        order_by="(MemberTerm.term_start.desc().nulls_last(), MemberTerm.congress_on.desc().nulls_last(), "
                 "MemberTerm.id.desc())")
    chapters: Mapped[list["MemberChapter"]] = relationship(
        back_populates="member", cascade="all, delete-orphan",
        primaryjoin="MemberOrganization.id == foreign(MemberChapter.member_id)",
        order_by="(MemberChapter.name, MemberChapter.id)")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "slug"),
        sa.CheckConstraint(_in("kind", MEMBER_KINDS), name="kind"),
        sa.CheckConstraint("term_start is null or term_end is null or term_end >= term_start", name="term_order"),
        sa.CheckConstraint("congress_number is null or congress_number > 0", name="congress_positive"),
        sa.CheckConstraint("chapters_count is null or chapters_count >= 0", name="chapters_not_negative"),
        sa.CheckConstraint("member_count is null or member_count >= 0", name="members_not_negative"),
    )

    @validates("description_html")
    def _sanitise(self, key, value):  # every write path stores the allow-listed HTML only
        return clean_html(value)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi


class MemberTerm(TenantScoped, db.Model):
    """One past (or the current) term of a member organisation: its congress, years, leaders and figures."""

    __tablename__ = "member_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(index=True)  # FK on (tenant_id, member_id): same tenant only
    congress_number: Mapped[int | None]
    congress_on: Mapped[date | None] = mapped_column(sa.Date)
    term_start: Mapped[int | None]
    term_end: Mapped[int | None]
    leaders: Mapped[str] = mapped_column(sa.Text, default="")  # plain text: "Chủ tịch: …; Phó Chủ tịch: …"
    member_count: Mapped[int | None]
    chapters_count: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")  # plain text

    member: Mapped[MemberOrganization] = relationship(
        back_populates="terms", primaryjoin="MemberOrganization.id == foreign(MemberTerm.member_id)")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.ForeignKeyConstraint(["tenant_id", "member_id"], ["member_organization.tenant_id", "member_organization.id"],
                                ondelete="CASCADE", name="fk_member_term_member_same_tenant"),
        sa.CheckConstraint("term_start is null or term_end is null or term_end >= term_start", name="term_order"),
        sa.CheckConstraint("congress_number is null or congress_number > 0", name="congress_positive"),
        sa.CheckConstraint("chapters_count is null or chapters_count >= 0", name="chapters_not_negative"),
        sa.CheckConstraint("member_count is null or member_count >= 0", name="members_not_negative"),
    )


class MemberChapter(TenantScoped, db.Model):
    """A chapter (chi hội) of a member organisation."""

    __tablename__ = "member_chapter"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(index=True)  # FK on (tenant_id, member_id): same tenant only
    name: Mapped[str] = mapped_column(sa.String(255))
    leader: Mapped[str | None] = mapped_column(sa.String(255))
    member_count: Mapped[int | None]
    founded_on: Mapped[date | None] = mapped_column(sa.Date)
    published: Mapped[bool] = mapped_column(default=False)

    member: Mapped[MemberOrganization] = relationship(
        back_populates="chapters", primaryjoin="MemberOrganization.id == foreign(MemberChapter.member_id)")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.ForeignKeyConstraint(["tenant_id", "member_id"], ["member_organization.tenant_id", "member_organization.id"],
                                ondelete="CASCADE", name="fk_member_chapter_member_same_tenant"),
        sa.CheckConstraint("member_count is null or member_count >= 0", name="members_not_negative"),
    )


class PartnerLocality(TenantScoped, db.Model):
    """A foreign locality the province cooperates with (Viêng Chăn, Montreuil, Seine-Saint-Denis…)."""

    __tablename__ = "partner_locality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_vi: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str | None] = mapped_column(sa.String(255))
    country_code: Mapped[str] = mapped_column(sa.String(2))
    level: Mapped[str] = mapped_column(sa.String(16), default="province")
    description: Mapped[str] = mapped_column(sa.Text, default="")  # plain text
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    agreements: Mapped[list["PartnerAgreement"]] = relationship(
        back_populates="locality", cascade="all, delete-orphan",
        primaryjoin="PartnerLocality.id == foreign(PartnerAgreement.locality_id)",
        order_by="(PartnerAgreement.period_start.desc(), PartnerAgreement.id.desc())")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint(_in("level", LOCALITY_LEVELS), name="level"),
    )

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi


class PartnerAgreement(TenantScoped, db.Model):
    """A signed cooperation document with a partner locality and the years it covers."""

    __tablename__ = "partner_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(index=True)  # FK on (tenant_id, locality_id): same tenant only
    title: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[str] = mapped_column(sa.String(24), default="cooperation_minutes")
    signed_on: Mapped[date | None] = mapped_column(sa.Date)
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]
    summary: Mapped[str] = mapped_column(sa.Text, default="")  # plain text
    # the signed file, stored like a document's (app.documents.services.write_file)
    file_path: Mapped[str | None] = mapped_column(sa.String(500))
    original_filename: Mapped[str | None] = mapped_column(sa.String(255))
    content_type: Mapped[str | None] = mapped_column(sa.String(127))
    size: Mapped[int | None]

    locality: Mapped[PartnerLocality] = relationship(
        back_populates="agreements", primaryjoin="PartnerLocality.id == foreign(PartnerAgreement.locality_id)")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.ForeignKeyConstraint(["tenant_id", "locality_id"], ["partner_locality.tenant_id", "partner_locality.id"],
                                ondelete="CASCADE", name="fk_partner_agreement_locality_same_tenant"),
        sa.CheckConstraint(_in("kind", AGREEMENT_KINDS), name="kind"),
        sa.CheckConstraint("period_start is null or period_end is null or period_end >= period_start",
                           name="period_order"),
        sa.CheckConstraint("size is null or size >= 0", name="size_not_negative"),
    )
