from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional


class SettingsForm(FlaskForm):
    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(), Length(max=255)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=255)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=64)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=255)])
    editor_in_chief = StringField(_l("Editor-in-chief"), validators=[Optional(), Length(max=255)])
    logo = SelectField(_l("Logo (an image from the media library)"), choices=[], validate_choice=True)
    english = BooleanField(_l("Publish an English version of the site"))
    submit = SubmitField(_l("Save the settings"))


class DomainRequestForm(FlaskForm):
    host = StringField(_l("Domain name"), validators=[DataRequired(), Length(max=253)],
                       description=_l("For example: lienhiephuunghi.vinhphuc.gov.vn"))
    make_primary = BooleanField(_l("Make it the site's main address"), default=True)
    note = StringField(_l("Why (for the national union)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Send the request"))


class DecisionForm(FlaskForm):
    reason = StringField(_l("Reason (required when declining)"), validators=[Optional(), Length(max=500)])
