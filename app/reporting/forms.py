"""The union's report form: figures typed the Vietnamese way, narratives, self-assessment; small action forms.

Figures are stored as integers: VND in đồng, USD in cents, percentages in basis points (12,5 % → 1250).
The edit form is read by hand because its fields follow the report's template version; a field that
was not sent is left as it is, one that does not parse is reported by its input name.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.money import MoneyError, parse_decimal
from app.reporting.models import LARGEST_FIGURE, Report

# unit: (decimals typed, stored units per typed unit, input display pattern)
UNITS = {"VND": (0, 1, "#,##0"), "USD": (2, 100, "#,##0.00"), "percent": (1, 100, "#,##0.0"),
         "count": (0, 1, "#,##0")}
UNIT_ERRORS = {
    "VND": _l("Write an amount in whole đồng, for example 31.500.000.000."),
    "USD": _l("Write an amount in US dollars with at most two decimals, for example 1.300.000 or 1.240.000,50."),
    "percent": _l("Write a percentage with at most one decimal, for example 91,1."),
    "count": _l("Write a whole number, for example 1.353."),
}
MAX_COMMENT = 2000
MAX_SECTION = 200_000


class FigureError(ValueError):
    """A figure that cannot be read; the message says how to write it."""


def parse_figure(text: str | None, unit: str) -> int | None:
    """'31.500.000.000' (VND) → 31500000000; '1,5' (USD) → 150 cents; '91,1' (%) → 9110 bp; '' → None."""
    decimals, scale, _pattern = UNITS[unit]
    text = (text or "").strip().removesuffix("%").removesuffix("₫").removesuffix("USD").strip()
    if not text:
        return None
    try:
        stored = parse_decimal(text, decimals) * scale
    except MoneyError:
        raise FigureError(UNIT_ERRORS[unit]) from None
    if stored > LARGEST_FIGURE:
        raise FigureError(_l("The figure is too large: at most %(max)s.", max=figure_input(LARGEST_FIGURE, unit)))
    return int(stored)


def figure_input(value: int | None, unit: str) -> str:
    """A stored figure as the input shows it, in the reader's number format ('31.500.000.000', '91,1')."""
    if value is None:
        return ""
    _decimals, scale, pattern = UNITS[unit]
    return format_decimal(Decimal(value) / scale, format=pattern)


@dataclass
class ReportInput:
    values: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    narratives: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)  # input name → message

    def changes(self) -> dict:
        return {"values": self.values, "comments": self.comments, "narratives": self.narratives,
                "scores": self.scores}


def _text(form, name: str, data: ReportInput, limit: int = MAX_COMMENT) -> str:
    text = (form.get(name) or "").strip()
    if len(text) > limit:
        data.errors[name] = _l("At most %(max)d characters.", max=limit)
    return text


def _points(form, name: str, maximum: int, data: ReportInput) -> int | None:
    text = (form.get(name) or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,4}", text) or int(text) > maximum:
        data.errors[name] = _l("Points are a whole number from 0 to %(max)d.", max=maximum)
        return None
    return int(text)


def read_report_form(report: Report, form) -> ReportInput:
    """The edit form's figures, explanations, narratives and self-assessment, with per-field errors."""
    data = ReportInput()
    for row in report.values:
        code = row.indicator.code
        if (name := f"figure:{code}") in form:
            try:
                data.values[code] = parse_figure(form.get(name), row.indicator.unit)
            except FigureError as error:
                data.errors[name] = error.args[0]
        if (name := f"comment:{code}") in form:
            data.comments[code] = _text(form, name, data)
    for key in report.version.narrative_sections:
        if (name := f"section:{key}") in form:
            data.narratives[key] = _text(form, name, data, MAX_SECTION)
    for criterion in report.version.criteria:
        points, comment = f"points:{criterion.code}", f"points_comment:{criterion.code}"
        if points in form or comment in form:
            data.scores[criterion.code] = (_points(form, points, criterion.max_points, data),
                                           _text(form, comment, data))
    return data


class ReportForm(FlaskForm):
    """The edit form's CSRF token; its fields are read by read_report_form."""


class ActionForm(FlaskForm):
    """A bare CSRF-protected button (open, submit, delete)."""


class UnlockForm(FlaskForm):
    reason = TextAreaField(_l("Why should the report be reopened?"), render_kw={"rows": 4},
                           validators=[DataRequired(_l("Give a reason for the unlock request.")),
                                       Length(max=MAX_COMMENT, message=_l("At most %(max)d characters.",
                                                                          max=MAX_COMMENT))])
    submit = SubmitField(_l("Request the unlock"))


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))],
                     description=_l("PDF, Word (DOC, DOCX), Excel (XLS, XLSX) or images (JPG, PNG, WebP, GIF)."))
    submit = SubmitField(_l("Attach"))
