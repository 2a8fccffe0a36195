"""Reporting periods, versioned templates with indicators, union reports and the rollups over them.

Figures are integers: money in minor units (VND has none), percentages in basis points (1 % = 100).
Rollups are keyed by the indicator *code*, so that reports pinned to different template versions add up.
"""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import TenantScoped

PERIOD_KINDS = ("half_year", "annual")
UNITS = ("VND", "USD", "count", "percent")
AGGREGATIONS = ("sum", "average", "latest")
LARGEST_FIGURE = 10**15  # beyond any figure a union reports; keeps sums (and growth, else None) inside a BIGINT
REPORT_STATUSES = ("draft", "submitted", "returned", "accepted", "final")
EDITABLE_STATUSES = ("draft", "returned")
COUNTED_STATUSES = ("submitted", "accepted", "final")  # what a rollup counts; accepted_only keeps the last two
ACCEPTED_STATUSES = ("accepted", "final")
DEFAULT_NARRATIVE_KEYS = "results,shortcomings,key_tasks"
NARRATIVE_LABELS = {"results": _l("Results achieved"), "shortcomings": _l("Shortcomings and limitations"),
                    "key_tasks": _l("Key tasks for the next period")}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class ReportTemplate(db.Model):
    """A national report template (e.g. "Báo cáo tổng kết"); its content lives in numbered versions."""

    __tablename__ = "report_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name_vi: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))

    versions: Mapped[list["TemplateVersion"]] = relationship(back_populates="template",
                                                             order_by="TemplateVersion.number")


class TemplateVersion(db.Model):
    """One frozen version of a template: a report pins the version it was opened with."""

    __tablename__ = "report_template_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("report_template.id", ondelete="CASCADE"))
    number: Mapped[int]
    published: Mapped[bool] = mapped_column(default=False)  # a published version is never edited
    narrative_keys: Mapped[str] = mapped_column(sa.String(255), default=DEFAULT_NARRATIVE_KEYS)
    narrative_labels: Mapped[dict | None] = mapped_column(sa.JSON)  # {key: {"vi": …, "en": …}}
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    template: Mapped[ReportTemplate] = relationship(back_populates="versions")
    indicators: Mapped[list["Indicator"]] = relationship(back_populates="version", order_by="Indicator.position",
                                                         cascade="all, delete-orphan")
    criteria: Mapped[list["EmulationCriterion"]] = relationship(order_by="EmulationCriterion.position",
                                                                cascade="all, delete-orphan")

    __table_args__ = (sa.UniqueConstraint("template_id", "number"),)

    @property
    def narrative_sections(self) -> list[str]:
        return [k for k in self.narrative_keys.split(",") if k]

    def narrative_label(self, key: str, locale: str) -> str:
        """The section's heading in `locale` (Vietnamese when no English is given), else the built-in one."""
        labels = (self.narrative_labels or {}).get(key) or {}
        label = (labels.get("en") if locale == "en" else None) or labels.get("vi")
        return label or str(NARRATIVE_LABELS.get(key, key))


class Indicator(db.Model):
    """A figure a report carries, with its unit, how it rolls up and its validation rules."""

    __tablename__ = "report_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("report_template_version.id", ondelete="CASCADE"),
                                            index=True)
    code: Mapped[str] = mapped_column(sa.String(64))
    name_vi: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))
    unit: Mapped[str] = mapped_column(sa.String(8), default="count")
    aggregation: Mapped[str] = mapped_column(sa.String(8), default="sum")
    required: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[int | None] = mapped_column(sa.BigInteger)
    max_value: Mapped[int | None] = mapped_column(sa.BigInteger)
    # a change against the same period a year earlier larger than this (basis points) is a warning
    outlier_bp: Mapped[int | None] = mapped_column(default=5000)
    auto_source: Mapped[str | None] = mapped_column(sa.String(64))  # key in app.reporting.sources
    position: Mapped[int] = mapped_column(default=0)

    version: Mapped[TemplateVersion] = relationship(back_populates="indicators")

    __table_args__ = (
        sa.UniqueConstraint("version_id", "code"),
        sa.CheckConstraint(_in("unit", UNITS), name="unit"),
        sa.CheckConstraint(_in("aggregation", AGGREGATIONS), name="aggregation"),
        sa.CheckConstraint("min_value is null or max_value is null or min_value <= max_value", name="min_max"),
    )

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi


class EmulationCriterion(db.Model):
    """A criterion of the emulation (thi đua) scoring, with its maximum points."""

    __tablename__ = "report_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("report_template_version.id", ondelete="CASCADE"),
                                            index=True)
    code: Mapped[str] = mapped_column(sa.String(64))
    name_vi: Mapped[str] = mapped_column(sa.String(500))
    name_en: Mapped[str] = mapped_column(sa.String(500))
    max_points: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.UniqueConstraint("version_id", "code"),
                      sa.CheckConstraint("max_points > 0", name="max_points_positive"))

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi


class ReportingPeriod(db.Model):
    """A half-year (sơ kết) or annual (tổng kết) period with its counting window and due date."""

    __tablename__ = "reporting_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    year: Mapped[int] = mapped_column(index=True)
    name_vi: Mapped[str] = mapped_column(sa.String(255))
    name_en: Mapped[str] = mapped_column(sa.String(255))
    window_start: Mapped[date] = mapped_column(sa.Date)  # inclusive, e.g. 15/12 of the year before
    window_end: Mapped[date] = mapped_column(sa.Date)  # inclusive, e.g. 14/12
    due_date: Mapped[date] = mapped_column(sa.Date)
    lock_after_days: Mapped[int | None]  # submissions close this many days after the due date
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("report_template.id"))

    template: Mapped[ReportTemplate] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("kind", "year"),
        sa.CheckConstraint(_in("kind", PERIOD_KINDS), name="kind"),
        sa.CheckConstraint("window_end >= window_start", name="window_order"),
        sa.CheckConstraint("lock_after_days is null or lock_after_days >= 0", name="lock_not_negative"),
    )

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_vi


class Report(TenantScoped, db.Model):
    """A union's report for one period (one per tenant and period), pinned to a template version."""

    __tablename__ = "report"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("reporting_period.id"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("report_template_version.id"))
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    unlock_requested_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    unlock_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    period: Mapped[ReportingPeriod] = relationship()
    version: Mapped[TemplateVersion] = relationship()
    values: Mapped[list["ReportValue"]] = relationship(back_populates="report", cascade="all, delete-orphan")
    narratives: Mapped[list["ReportNarrative"]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "id"),
        sa.UniqueConstraint("tenant_id", "period_id"),
        sa.CheckConstraint(_in("status", REPORT_STATUSES), name="status"),
    )

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReportValue(TenantScoped, db.Model):
    """One figure of a report; `prefilled` keeps the auto-source's figure so that an override shows."""

    __tablename__ = "report_value"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(index=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("report_indicator.id"))
    value: Mapped[int | None] = mapped_column(sa.BigInteger)
    prefilled: Mapped[int | None] = mapped_column(sa.BigInteger)
    comment: Mapped[str | None] = mapped_column(sa.Text)  # explanation of an override or of a warning

    report: Mapped[Report] = relationship(back_populates="values")
    indicator: Mapped[Indicator] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "report_id", "indicator_id"),
        sa.ForeignKeyConstraint(["tenant_id", "report_id"], ["report.tenant_id", "report.id"], ondelete="CASCADE"),
    )


class ReportNarrative(TenantScoped, db.Model):
    """A narrative section of a report (results, shortcomings, key tasks), sanitised HTML."""

    __tablename__ = "report_narrative"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(index=True)
    key: Mapped[str] = mapped_column(sa.String(64))
    body_html: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "report_id", "key"),
        sa.ForeignKeyConstraint(["tenant_id", "report_id"], ["report.tenant_id", "report.id"], ondelete="CASCADE"),
    )


class ReportEvent(TenantScoped, db.Model):
    """The report's history: every save, transition, unlock request and unlock, with who and why."""

    __tablename__ = "report_event"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(sa.String(32))
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str | None] = mapped_column(sa.String(16))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    detail: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        sa.ForeignKeyConstraint(["tenant_id", "report_id"], ["report.tenant_id", "report.id"], ondelete="CASCADE"),
    )


class _RollupColumns:
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    indicator_code: Mapped[str] = mapped_column(sa.String(64))
    accepted_only: Mapped[bool]
    aggregation: Mapped[str] = mapped_column(sa.String(8))
    aggregate: Mapped[int] = mapped_column(sa.BigInteger)
    contributing_count: Mapped[int]
    contributing_tenant_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    previous_aggregate: Mapped[int | None] = mapped_column(sa.BigInteger)
    growth_bp: Mapped[int | None] = mapped_column(sa.BigInteger)  # (this − last year) / last year, basis points
    as_of: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class ClusterRollup(_RollupColumns, db.Model):
    """A cluster's aggregate of one indicator in one period (membership as it was that year)."""

    __tablename__ = "report_rollup_cluster"

    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("cluster.id", ondelete="CASCADE"))

    __table_args__ = (sa.UniqueConstraint("cluster_id", "period_id", "indicator_code", "accepted_only"),)


class NationalRollup(_RollupColumns, db.Model):
    """The national aggregate of one indicator in one period."""

    __tablename__ = "report_rollup_national"

    __table_args__ = (sa.UniqueConstraint("period_id", "indicator_code", "accepted_only"),)


class ReportScore(TenantScoped, db.Model):
    """One emulation criterion of a report: the union's self-assessment and the cluster leader's score."""

    __tablename__ = "report_score"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("report_criterion.id"))
    self_points: Mapped[int | None]
    self_comment: Mapped[str | None] = mapped_column(sa.Text)
    leader_points: Mapped[int | None]
    leader_comment: Mapped[str | None] = mapped_column(sa.Text)
    scored_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    criterion: Mapped[EmulationCriterion] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "report_id", "criterion_id"),
        sa.ForeignKeyConstraint(["tenant_id", "report_id"], ["report.tenant_id", "report.id"], ondelete="CASCADE"),
        sa.CheckConstraint("self_points is null or self_points >= 0", name="self_points_not_negative"),
        sa.CheckConstraint("leader_points is null or leader_points >= 0", name="leader_points_not_negative"),
    )


class ReportAttachment(TenantScoped, db.Model):
    """A file attached to a report. Private: stored under INSTANCE_DIR/reports/<tenant>/, never in the public
    media library, and served only to the union's staff, its cluster leader and the national union."""

    __tablename__ = "report_attachment"
    __page_cache__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(index=True)
    storage_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    extension: Mapped[str] = mapped_column(sa.String(8))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        sa.ForeignKeyConstraint(["tenant_id", "report_id"], ["report.tenant_id", "report.id"], ondelete="CASCADE"),
    )


ROLLUP_RUN_STATUSES = ("queued", "running", "done", "failed")


class RollupRun(db.Model):
    """A full recompute asked for from the national console, with its progress (periods done of total)."""

    __tablename__ = "report_rollup_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(8), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    rows_changed: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.CheckConstraint(_in("status", ROLLUP_RUN_STATUSES), name="status"),)
