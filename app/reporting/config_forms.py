"""Forms of the national reporting configuration: periods, templates, indicators, criteria."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.aid.forms import VnDateField
from app.reporting.models import AGGREGATIONS, LARGEST_FIGURE, PERIOD_KINDS, UNITS

REQUIRED = _l("This field is required.")
CODE = Regexp(r"^[a-z0-9][a-z0-9._-]*$", message=_l("Lower-case letters without accents, digits, dots, hyphens and "
                                                     "underscores, e.g. aid.committed_vnd."))
KIND_LABELS = {"half_year": _l("Half-year review (sơ kết)"), "annual": _l("Annual review (tổng kết)")}
UNIT_LABELS = {"VND": _l("VND"), "USD": _l("USD"), "count": _l("Count"), "percent": _l("Percent")}
AGGREGATION_LABELS = {"sum": _l("Sum"), "average": _l("Average"), "latest": _l("Latest submitted")}
TOO_LARGE = _l("This number is too large.")
FIGURE_RANGE = NumberRange(-LARGEST_FIGURE, LARGEST_FIGURE, message=TOO_LARGE)


def _date(label):
    return VnDateField(label, validators=[InputRequired(REQUIRED)], format=["%d/%m/%Y", "%Y-%m-%d"],
                       render_kw={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class PeriodForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in PERIOD_KINDS])
    year = IntegerField(_l("Year"), validators=[InputRequired(REQUIRED),
                                                NumberRange(min=2000, max=2100, message=_l("A year between 2000 "
                                                                                            "and 2100."))])
    name_vi = StringField(_l("Name in Vietnamese"), validators=[Optional(), Length(max=255)],
                          description=_l("Leave empty to use the usual name, e.g. “Tổng kết năm 2025”."))
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=255)],
                          description=_l("Leave empty to use the usual name, e.g. “Annual review 2025”."))
    window_start = _date(_l("Counting from (dd/mm/yyyy)"))
    window_end = _date(_l("Counting until (dd/mm/yyyy)"))
    due_date = _date(_l("Due date (dd/mm/yyyy)"))
    lock_after_days = IntegerField(_l("Close submissions this many days after the due date"),
                                   validators=[Optional(), NumberRange(min=0, max=365, message=_l(
                                       "A number of days between 0 and 365."))],
                                   description=_l("Leave empty to keep submissions open."))
    template_id = SelectField(_l("Report template"), coerce=int, choices=[], validate_choice=False)


class TemplateForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(REQUIRED), Length(max=32), CODE])
    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(REQUIRED), Length(max=255)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(REQUIRED), Length(max=255)])


class IndicatorForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(REQUIRED), Length(max=64), CODE],
                       description=_l("Rollups add up reports by this code, across template versions."))
    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(REQUIRED), Length(max=255)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=255)])
    unit = SelectField(_l("Unit"), choices=[SelectChoice(u, UNIT_LABELS[u]) for u in UNITS])
    aggregation = SelectField(_l("Aggregation"), choices=[SelectChoice(a, AGGREGATION_LABELS[a]) for a in AGGREGATIONS])
    required = BooleanField(_l("Required"))
    min_value = IntegerField(_l("Minimum"), validators=[Optional(), FIGURE_RANGE],
                             description=_l("As stored: VND in đồng, USD in cents, percent in hundredths (100 = 1 %)."))
    max_value = IntegerField(_l("Maximum"), validators=[Optional(), FIGURE_RANGE])
    outlier_percent = IntegerField(_l("Year-on-year change that needs a comment (%)"), default=50,
                                   validators=[Optional(), NumberRange(min=1, max=100000, message=_l(
                                       "A percentage between 1 and 100000."))],
                                   description=_l("Leave empty for no year-on-year check."))
    auto_source = SelectField(_l("Pre-filled from"), choices=[], validate_choice=False)

    def validate_max_value(self, field):
        if field.data is not None and self.min_value.data is not None and field.data < self.min_value.data:
            raise ValidationError(_l("The maximum cannot be below the minimum."))


class CriterionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(REQUIRED), Length(max=64), CODE])
    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(REQUIRED), Length(max=500)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=500)])
    max_points = IntegerField(_l("Maximum points"), validators=[InputRequired(REQUIRED), NumberRange(
        min=1, max=1000, message=_l("A number of points between 1 and 1000."))])
