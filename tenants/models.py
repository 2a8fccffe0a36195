"""The tenancy kernel's own tables: tenants, their domains, the province registry and clusters.

These are platform-wide (not tenant-scoped): every tenant may read the registry and the clusters.
"""

from datetime import UTC, date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from tenants.hosts import normalise_host


def utcnow() -> datetime:
    return datetime.now(UTC)


class TenantKind(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"


class TenantStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"
    MERGED = "merged"


class Tenant(db.Model):
    __tablename__ = "tenant"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)
    name_vi: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(16), default=TenantKind.PROVINCIAL)
    status: Mapped[str] = mapped_column(sa.String(16), default=TenantStatus.ACTIVE, index=True)
    successor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tenant.id"))
    # The day a merge into `successor` took effect (1 July 2025 for most): periods ending before it stay
    # the union's own, later ones are its successor's.
    merged_on: Mapped[date | None] = mapped_column(sa.Date)
    province_id: Mapped[int | None] = mapped_column(sa.ForeignKey("province.id"))
    emulation_bloc: Mapped[str | None] = mapped_column(sa.String(255))  # khối thi đua, free text
    address: Mapped[str | None] = mapped_column(sa.String(500))
    phone: Mapped[str | None] = mapped_column(sa.String(64))
    email: Mapped[str | None] = mapped_column(sa.String(255))
    editor_in_chief: Mapped[str | None] = mapped_column(sa.String(255))
    logo_url: Mapped[str | None] = mapped_column(sa.String(500))
    default_locale: Mapped[str] = mapped_column(sa.String(8), default="vi")
    enabled_locales: Mapped[str] = mapped_column(sa.String(64), default="vi,en")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    successor: Mapped["Tenant | None"] = relationship(remote_side=[id])
    province: Mapped["Province | None"] = relationship()
    domains: Mapped[list["TenantDomain"]] = relationship(back_populates="tenant", cascade="all, delete-orphan")

    __table_args__ = (
        sa.CheckConstraint("kind in ('national', 'provincial')", name="kind"),
        sa.CheckConstraint("status in ('active', 'suspended', 'archived', 'merged')", name="status"),
        {"sqlite_autoincrement": True},  # a deleted tenant's id is never handed to a new tenant
    )

    @property
    def locales(self) -> list[str]:
        return [loc for loc in self.enabled_locales.split(",") if loc]

    @property
    def is_national(self) -> bool:
        return self.kind == TenantKind.NATIONAL

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi

    @property
    def primary_domain(self) -> "TenantDomain | None":
        return next((d for d in self.domains if d.is_primary), None)

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class TenantDomain(db.Model):
    """A host name answering for a tenant: one primary, the others 301 to it."""

    __tablename__ = "tenant_domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(sa.String(253), unique=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    is_primary: Mapped[bool] = mapped_column(default=False)

    tenant: Mapped[Tenant] = relationship(back_populates="domains")

    @validates("host")
    def _normalise(self, key, value: str) -> str:
        return normalise_host(value)

    __table_args__ = (
        sa.Index("uq_tenant_domain_one_primary", "tenant_id", unique=True,
                 sqlite_where=sa.text("is_primary"), postgresql_where=sa.text("is_primary")),
    )


province_predecessor = sa.Table(
    "province_predecessor",
    db.Model.metadata,
    sa.Column("province_id", sa.ForeignKey("province.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("predecessor_id", sa.ForeignKey("province.id", ondelete="CASCADE"), primary_key=True),
)


class Province(db.Model):
    """A provincial-level unit as it existed between valid_from and valid_to (inclusive)."""

    __tablename__ = "province"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(8))
    slug: Mapped[str] = mapped_column(sa.String(63), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(16))  # province | city
    region: Mapped[str] = mapped_column(sa.String(16))
    valid_from: Mapped[date] = mapped_column(sa.Date)
    valid_to: Mapped[date | None] = mapped_column(sa.Date)

    predecessors: Mapped[list["Province"]] = relationship(
        secondary=province_predecessor,
        primaryjoin=id == province_predecessor.c.province_id,
        secondaryjoin=id == province_predecessor.c.predecessor_id,
        backref="successors",
        order_by="Province.code",
    )

    __table_args__ = (sa.UniqueConstraint("slug", "valid_from"),)

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def __repr__(self) -> str:
        return f"<Province {self.slug} {self.valid_from}–{self.valid_to or ''}>"


class Cluster(db.Model):
    """An emulation cluster (cụm thi đua); its members and leadership are kept per year."""

    __tablename__ = "cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name_vi: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))
    description: Mapped[str | None] = mapped_column(sa.Text)

    memberships: Mapped[list["ClusterMembership"]] = relationship(back_populates="cluster",
                                                                  cascade="all, delete-orphan")
    leaderships: Mapped[list["ClusterLeadership"]] = relationship(back_populates="cluster",
                                                                  cascade="all, delete-orphan")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi

    def members_in(self, year: int) -> list[Tenant]:
        return sorted((m.tenant for m in self.memberships if m.year == year), key=lambda t: t.name_vi)

    def leadership_in(self, year: int) -> "ClusterLeadership | None":
        return next((lead for lead in self.leaderships if lead.year == year), None)


class ClusterMembership(db.Model):
    """A tenant belongs to one cluster in a given year."""

    __tablename__ = "cluster_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("cluster.id", ondelete="CASCADE"), index=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"))
    year: Mapped[int]

    cluster: Mapped[Cluster] = relationship(back_populates="memberships")
    tenant: Mapped[Tenant] = relationship()

    __table_args__ = (sa.UniqueConstraint("year", "tenant_id"),)


class ClusterLeadership(db.Model):
    """The rotating leader (trưởng cụm) and deputy of a cluster for one year."""

    __tablename__ = "cluster_leadership"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("cluster.id", ondelete="CASCADE"))
    year: Mapped[int]
    leader_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id"))
    deputy_tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tenant.id"))

    cluster: Mapped[Cluster] = relationship(back_populates="leaderships")
    leader: Mapped[Tenant] = relationship(foreign_keys=[leader_tenant_id])
    deputy: Mapped[Tenant | None] = relationship(foreign_keys=[deputy_tenant_id])

    __table_args__ = (sa.UniqueConstraint("cluster_id", "year"),)
