"""Forms: the public subscription form and the preferences form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class SubscribeForm(FlaskForm):
    email = EmailField(_l("Your e-mail address"), validators=[
        DataRequired(_l("Enter your e-mail address.")), Email(_l("This is not a valid e-mail address.")),
        Length(max=255)])
    submit = SubmitField(_l("Subscribe"))
