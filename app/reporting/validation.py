"""Validation of a report's figures: errors block submission; warnings need a comment to pass."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.reporting.models import COUNTED_STATUSES, Indicator, Report, ReportingPeriod, ReportValue


@dataclass(frozen=True)
class Issue:
    code: str  # the indicator's code
    level: str  # "error" | "warning"
    message: object  # lazy string
    blocking: bool = True


def _previous_values(report: Report) -> dict[str, int]:
    """This union's figures for the same kind of period a year earlier (submitted or later)."""
    period = report.period
    stmt = (sa.select(Indicator.code, ReportValue.value)
            .join(ReportValue, ReportValue.indicator_id == Indicator.id)
            .join(Report, sa.and_(Report.id == ReportValue.report_id, Report.tenant_id == ReportValue.tenant_id))
            .join(ReportingPeriod, ReportingPeriod.id == Report.period_id)
            .where(ReportingPeriod.kind == period.kind, ReportingPeriod.year == period.year - 1,
                   Report.status.in_(COUNTED_STATUSES), ReportValue.value.is_not(None)))
    return dict(db.session.execute(stmt).all())


def _rules(indicator: Indicator, value: ReportValue | None, previous: int | None) -> list[Issue]:
    figure = value.value if value else None
    comment = (value.comment or "").strip() if value else ""
    if figure is None:
        return [Issue(indicator.code, "error", _l("This figure is required."))] if indicator.required else []
    issues = []
    if indicator.min_value is not None and figure < indicator.min_value:
        issues.append(Issue(indicator.code, "error", _l("The figure is below the allowed minimum.")))
    if indicator.max_value is not None and figure > indicator.max_value:
        issues.append(Issue(indicator.code, "error", _l("The figure is above the allowed maximum.")))
    if value.prefilled is not None and figure != value.prefilled and not comment:
        issues.append(Issue(indicator.code, "error",
                            _l("Explain why the figure differs from the one taken from the platform.")))
    if indicator.outlier_bp is not None and previous and \
            abs(figure - previous) * 10000 > indicator.outlier_bp * abs(previous):
        issues.append(Issue(indicator.code, "warning",
                            _l("The figure differs strongly from the same period last year: add a comment."),
                            blocking=not comment))
    return issues


def validate(report: Report) -> list[Issue]:
    """Every issue of the report, in the template's order."""
    values = {v.indicator_id: v for v in report.values}
    previous = _previous_values(report)
    issues = []
    for indicator in report.version.indicators:
        issues += _rules(indicator, values.get(indicator.id), previous.get(indicator.code))
    return issues


def blocking(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.blocking]
