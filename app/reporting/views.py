"""What every read-only view of a report shows (leader, national union, the union once locked), and its files.

`report_context(report)` copies the report into plain rows while the report's tenant is set, so that the page
can be rendered afterwards in the viewer's own console: `reporting/_report_readonly.html` renders it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort, send_file
from flask_babel import get_locale

from app.extensions import db
from app.media.routes import FILE_HEADERS
from app.reporting.attachments import path_for
from app.reporting.models import (
    EmulationCriterion,
    Indicator,
    Report,
    ReportAttachment,
    ReportingPeriod,
    ReportScore,
)
from tenants.models import Tenant


@dataclass(frozen=True)
class ReportHeader:
    id: int
    tenant_id: int
    status: str
    submitted_at: datetime | None
    unlock_requested_at: datetime | None
    unlock_reason: str | None
    period: ReportingPeriod
    union: Tenant


@dataclass(frozen=True)
class FigureRow:
    indicator: Indicator
    value: int | None
    prefilled: int | None
    comment: str | None

    @property
    def overridden(self) -> bool:
        return self.prefilled is not None and self.value != self.prefilled


@dataclass(frozen=True)
class ScoreRow:
    criterion: EmulationCriterion
    self_points: int | None
    self_comment: str | None
    leader_points: int | None
    leader_comment: str | None


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    original_name: str
    content_type: str
    size_bytes: int


def report_context(report: Report, attachment_url: Callable[[AttachmentRow], str] | None = None) -> dict:
    """The read-only report's template context (call it inside the report's tenant)."""
    values = {v.indicator_id: v for v in report.values}
    narratives = {n.key: n.body_html for n in report.narratives}
    scores = {s.criterion_id: s for s in db.session.scalars(sa.select(ReportScore)
                                                            .where(ReportScore.report_id == report.id))}
    figures = [FigureRow(i, getattr(values.get(i.id), "value", None), getattr(values.get(i.id), "prefilled", None),
                         getattr(values.get(i.id), "comment", None)) for i in report.version.indicators]
    score_rows = [ScoreRow(c, *(_score_fields(scores.get(c.id)))) for c in report.version.criteria]
    attachments = [AttachmentRow(a.id, a.original_name, a.content_type, a.size_bytes) for a in db.session.scalars(
        sa.select(ReportAttachment).where(ReportAttachment.report_id == report.id).order_by(ReportAttachment.id))]
    header = ReportHeader(report.id, report.tenant_id, report.status, report.submitted_at, report.unlock_requested_at,
                          report.unlock_reason, report.period, db.session.get(Tenant, report.tenant_id))
    return {
        "report": header, "figures": figures, "scores": score_rows, "attachments": attachments,
        "narratives": [(report.version.narrative_label(key, str(get_locale())), narratives.get(key, ""))
                       for key in report.version.narrative_sections],
        "self_total": _total(s.self_points for s in score_rows),
        "leader_total": _total(s.leader_points for s in score_rows),
        "max_total": sum(c.max_points for c in report.version.criteria),
        "attachment_url": attachment_url,
    }


def _score_fields(score: ReportScore | None) -> tuple:
    if score is None:
        return None, None, None, None
    return score.self_points, score.self_comment, score.leader_points, score.leader_comment


def _total(points) -> int | None:
    given = [p for p in points if p is not None]
    return sum(given) if given else None


def send_attachment(report_id: int, attachment_id: int):
    """The file of one attachment of `report_id` as a download (inside the report's tenant; 404 if absent)."""
    attachment = db.session.get(ReportAttachment, attachment_id)
    if attachment is None or attachment.report_id != report_id or not path_for(attachment).is_file():
        abort(404)
    response = send_file(path_for(attachment), mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name, conditional=True, max_age=0)
    response.headers.update(FILE_HEADERS)
    response.headers["Cache-Control"] = "private, no-store"
    return response
