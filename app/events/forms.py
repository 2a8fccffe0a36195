"""Console form of an event: dates and times typed in Viet Nam time."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.events.models import EVENT_KINDS
from app.events.services import span

KIND_LABELS = {
    "conference": _l("Conference"),
    "delegation": _l("Delegation visit"),
    "festival": _l("Friendship festival"),
    "exchange": _l("People-to-people exchange"),
    "other": _l("Other event"),
}
FIRST_YEAR, LAST_YEAR = 1945, 2100


class ArticleSelect(SelectMultipleField):
    def pre_validate(self, form):
        known = {value for value, _label in self.choices or []}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Choose related articles among the union's own published articles."))


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")),
                                                 Length(max=255, message=_l("At most %(max)d characters.", max=255))])
    kind = SelectField(_l("Kind of event"), choices=[(k, KIND_LABELS[k]) for k in EVENT_KINDS], default="other")
    starts_on = DateField(_l("Start date"), validators=[DataRequired(_l("Enter the start date."))])
    start_time = TimeField(_l("Start time"), validators=[Optional()],
                           description=_l("Viet Nam time (UTC+7). Leave it empty for an all-day event."))
    ends_on = DateField(_l("End date"), validators=[Optional()],
                        description=_l("Leave it empty for an event of one day."))
    end_time = TimeField(_l("End time"), validators=[Optional()], description=_l("Viet Nam time (UTC+7)."))
    all_day = BooleanField(_l("All day (no times)"))
    place = StringField(_l("Place"), validators=[Length(max=255, message=_l("At most %(max)d characters.", max=255))])
    partners = TextAreaField(_l("Partners"), render_kw={"rows": 2},
                             description=_l("Partner countries and organisations involved."),
                             validators=[Length(max=2000, message=_l("At most %(max)d characters.", max=2000))])
    description = TextAreaField(_l("Description"), render_kw={"rows": 6},
                                validators=[Length(max=20000, message=_l("At most %(max)d characters.", max=20000))])
    articles = ArticleSelect(_l("Related articles"), coerce=int, validate_choice=True,
                             description=_l("The union's own published articles; hold Ctrl (⌘ on a Mac) to choose "
                                            "several."))
    published = BooleanField(_l("Published on the site"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name in ("starts_on", "ends_on"):
            day = getattr(self, name).data
            if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
                getattr(self, name).errors.append(_l("Enter a date between %(first)d and %(last)d.",
                                                     first=FIRST_YEAR, last=LAST_YEAR))
                valid = False
        if not valid:
            return False
        if not self.all_day.data and self.start_time.data is None:
            self.start_time.errors.append(_l("Enter the start time, or tick “All day”."))
            return False
        starts_at, ends_at = self.span()
        if ends_at < starts_at:
            self.ends_on.errors.append(_l("The event cannot end before it starts."))
            return False
        return True

    def span(self):
        return span(self.starts_on.data, self.start_time.data, self.ends_on.data, self.end_time.data,
                    bool(self.all_day.data))
