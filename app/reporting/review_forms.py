"""Forms of the review pages: a reason (return, unlock), a confirmation (accept, final acceptance), the scores."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Give a reason.")), Length(max=2000)])


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))


class ScoreForm(FlaskForm):
    """One points field and one comment field per criterion (named by its code), added by `score_form`."""

    def entries(self, criteria) -> dict[int, tuple[int | None, str | None]]:
        return {c.id: (self[f"points_{c.code}"].data, self[f"comment_{c.code}"].data) for c in criteria}


def score_form(criteria, scores: dict, **kwargs) -> ScoreForm:
    """A form for `criteria`, pre-filled from `scores` ({criterion id: ScoreRow}) on a GET."""

    class Form(ScoreForm):
        pass

    for c in criteria:
        setattr(Form, f"points_{c.code}", IntegerField(
            _l("Points (0–%(max)d)", max=c.max_points),
            validators=[Optional(), NumberRange(0, c.max_points, message=_l("From 0 to %(max)d.", max=c.max_points))],
            default=getattr(scores.get(c.id), "leader_points", None)))
        setattr(Form, f"comment_{c.code}", TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)],
                                                       default=getattr(scores.get(c.id), "leader_comment", None)))
    return Form(**kwargs)
