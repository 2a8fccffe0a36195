"""Aid registry models: the national donor registry and exchange rates, each union's projects and transactions."""

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.money import CURRENCIES, ExactDecimal, Money
from app.extensions import db
from tenants.models import Tenant, utcnow
from tenants.scoping import TenantScoped


class RegistrationKind(StrEnum):
    """Registration papers under Nghị định 58/2022/NĐ-CP."""

    OPERATION = "operation"  # Giấy đăng ký hoạt động
    PROJECT_OFFICE = "project_office"  # Giấy đăng ký lập Văn phòng dự án
    REPRESENTATIVE_OFFICE = "representative_office"  # Giấy đăng ký lập Văn phòng đại diện


class OrgType(StrEnum):
    """IATI OrganisationType codes the registry uses."""

    INTERNATIONAL_NGO = "21"
    NATIONAL_NGO = "22"
    FOUNDATION = "60"
    PRIVATE_SECTOR = "70"
    GOVERNMENT = "10"
    OTHER = "90"


class ProjectStatus(StrEnum):
    PIPELINE = "pipeline"
    IMPLEMENTATION = "implementation"
    COMPLETED = "completed"


class TransactionKind(StrEnum):
    COMMITMENT = "commitment"
    DISBURSEMENT = "disbursement"


class Donor(db.Model):
    """A foreign NGO or other donor, in the national registry every union shares (read-only for unions)."""

    __tablename__ = "donor"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255), unique=True)
    acronym: Mapped[str | None] = mapped_column(sa.String(40))
    country: Mapped[str] = mapped_column(sa.String(2))  # ISO 3166-1 alpha-2
    org_type: Mapped[str] = mapped_column(sa.String(4), default=OrgType.INTERNATIONAL_NGO)
    registration_number: Mapped[str | None] = mapped_column(sa.String(60))
    registration_kind: Mapped[str | None] = mapped_column(sa.String(30))
    registration_valid_from: Mapped[date | None]
    registration_valid_to: Mapped[date | None]
    website: Mapped[str | None] = mapped_column(sa.String(255))
    # A donor a union proposed is usable by that union only until a national admin accepts it.
    status: Mapped[str] = mapped_column(sa.String(12), default="active", server_default="active", index=True)
    proposed_by_tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tenant.id", ondelete="SET NULL"))

    __table_args__ = (sa.CheckConstraint("length(country) = 2", name="country_iso2"),
                      sa.CheckConstraint("status in ('active', 'proposed')", name="donor_status"))

    @classmethod
    def usable_by(cls, tenant_id: int | None):
        """SQL criterion: the registry's donors plus the ones this union proposed itself."""
        return sa.or_(cls.status == "active", sa.and_(cls.status == "proposed", cls.proposed_by_tenant_id == tenant_id))

    @property
    def label(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym != self.name else self.name

    def registered_on(self, day: date) -> bool:
        """Whether its registration under Decree 58/2022 is valid on `day`."""
        return bool(self.registration_number) and (self.registration_valid_from or date.min) <= day <= (
            self.registration_valid_to or date.max)


class ExchangeRate(db.Model):
    """VND per one major unit of a currency, valid from `valid_on` until the next rate (national)."""

    __tablename__ = "exchange_rate"

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(sa.String(3))
    valid_on: Mapped[date]
    vnd_per_unit: Mapped[Decimal] = mapped_column(ExactDecimal(24, 6))
    source: Mapped[str] = mapped_column(sa.String(255), default="")

    __table_args__ = (sa.UniqueConstraint("currency", "valid_on"),)


# Which donors fund a project. tenant_id is part of the join so that SQLAlchemy copies it from the
# project into each row, and the composite key keeps a link inside its project's tenant.
project_donor = sa.Table(
    "aid_project_donor", db.metadata,
    sa.Column("tenant_id", sa.ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("project_id", sa.Integer, primary_key=True),
    sa.Column("donor_id", sa.ForeignKey("donor.id", ondelete="RESTRICT"), primary_key=True, index=True),
    sa.ForeignKeyConstraint(["tenant_id", "project_id"], ["aid_project.tenant_id", "aid_project.id"],
                            ondelete="CASCADE", name="fk_aid_project_donor_project_same_tenant"),
)


class AidProject(TenantScoped, db.Model):
    __tablename__ = "aid_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_vi: Mapped[str] = mapped_column(sa.String(500))
    title_en: Mapped[str] = mapped_column(sa.String(500), default="")
    sector_code: Mapped[str] = mapped_column(sa.String(5))  # OECD DAC purpose code, app/aid/data
    district: Mapped[str] = mapped_column(sa.String(255), default="")
    commune: Mapped[str] = mapped_column(sa.String(255), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=ProjectStatus.PIPELINE)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    beneficiaries: Mapped[int | None]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    public: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    donors: Mapped[list[Donor]] = relationship(
        secondary=project_donor,
        primaryjoin=lambda: sa.and_(AidProject.id == project_donor.c.project_id,
                                    AidProject.tenant_id == project_donor.c.tenant_id),
        secondaryjoin=lambda: Donor.id == project_donor.c.donor_id, order_by=lambda: Donor.name)
    transactions: Mapped[list["AidTransaction"]] = relationship(
        back_populates="project", cascade="all, delete-orphan",
        order_by=lambda: (AidTransaction.date, AidTransaction.id))

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint("status in ('pipeline', 'implementation', 'completed')", name="status"),
        sa.CheckConstraint("beneficiaries is null or beneficiaries >= 0", name="beneficiaries"),
    )

    def title(self, locale: str = "vi") -> str:
        return self.title_en if str(locale).startswith("en") and self.title_en else self.title_vi


class AidTransaction(TenantScoped, db.Model):
    """A commitment or disbursement, in the currency's minor unit, with its VND and USD values stored
    together with the rates used (so a later rate correction never changes a figure already reported)."""

    __tablename__ = "aid_transaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(index=True)
    donor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("donor.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    date: Mapped[dt.date] = mapped_column(index=True)
    amount: Mapped[int] = mapped_column(sa.BigInteger)  # minor units of `currency`
    currency: Mapped[str] = mapped_column(sa.String(3))
    vnd_amount: Mapped[int] = mapped_column(sa.BigInteger)
    vnd_rate: Mapped[Decimal] = mapped_column(ExactDecimal(24, 6))  # VND per major unit of `currency`
    vnd_rate_on: Mapped[dt.date]  # the date of the exchange-rate row used
    usd_amount: Mapped[int] = mapped_column(sa.BigInteger)  # cents
    usd_rate: Mapped[Decimal] = mapped_column(ExactDecimal(24, 6))  # VND per USD used for usd_amount
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    project: Mapped[AidProject] = relationship(back_populates="transactions")
    donor: Mapped[Donor | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.ForeignKeyConstraint(["tenant_id", "project_id"], ["aid_project.tenant_id", "aid_project.id"],
                                ondelete="CASCADE", name="fk_aid_transaction_project_same_tenant"),
        sa.CheckConstraint("kind in ('commitment', 'disbursement')", name="kind"),
        sa.CheckConstraint("currency in ({})".format(", ".join(f"'{c}'" for c in CURRENCIES)),
                           name="currency"),
        sa.CheckConstraint("amount >= 0 and vnd_amount >= 0 and usd_amount >= 0", name="amounts"),
    )

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def vnd(self) -> Money:
        return Money(self.vnd_amount, "VND")

    @property
    def usd(self) -> Money:
        return Money(self.usd_amount, "USD")


class ProposalStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    MERGED = "merged"
    DECLINED = "declined"


class DonorProposal(TenantScoped, db.Model):
    """A union's request to add a donor to the national registry; the proposed donor exists meanwhile
    (status 'proposed', usable by that union only) so that its projects can name it."""

    __tablename__ = "donor_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    acronym: Mapped[str | None] = mapped_column(sa.String(40))
    country: Mapped[str] = mapped_column(sa.String(2))
    website: Mapped[str | None] = mapped_column(sa.String(255))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(12), default=ProposalStatus.PENDING, index=True)
    donor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("donor.id", ondelete="SET NULL"))
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    donor: Mapped[Donor | None] = relationship()
    tenant: Mapped[Tenant] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint("status in ('pending', 'accepted', 'merged', 'declined')", name="proposal_status"),
    )


class AidImport(TenantScoped, db.Model):
    """An uploaded project/transaction file kept between its preview and its confirmation (the data is
    read again from here on confirm, never from the form)."""

    __tablename__ = "aid_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(4))  # csv | xlsx
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(12), default="staged")  # staged | imported
    projects: Mapped[int] = mapped_column(default=0)
    transactions: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.CheckConstraint("status in ('staged', 'imported')", name="import_status"),
        sa.CheckConstraint("kind in ('csv', 'xlsx')", name="import_kind"),
        {"sqlite_autoincrement": True},  # a deleted file's id (and preview address) is never handed to a new one
    )
