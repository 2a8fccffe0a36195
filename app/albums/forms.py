"""Console forms for photo albums."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class AlbumForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")),
                                                 Length(max=255, message=_l("At most %(max)d characters.", max=255))])
    description = TextAreaField(_l("Description"), render_kw={"rows": 3},
                                validators=[Length(max=5000, message=_l("At most %(max)d characters.", max=5000))])
    taken_on = DateField(_l("Date of the event"), validators=[Optional()],
                         description=_l("Optional; albums are listed newest first."))
    published = BooleanField(_l("Published on the site"))
    submit = SubmitField(_l("Save"))


class CaptionForm(FlaskForm):
    caption = StringField(_l("Caption"), validators=[Length(max=500, message=_l("At most %(max)d characters.",
                                                                               max=500))])
    submit = SubmitField(_l("Save caption"))
