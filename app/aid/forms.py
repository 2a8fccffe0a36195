from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from app.core.money import CURRENCIES, MoneyError, to_decimal


def _positive_decimal(form, field):
    try:
        if to_decimal(field.data or "") <= 0:
            raise MoneyError("not positive")
    except MoneyError:
        raise ValidationError(_l("Enter a positive number, with a dot before any decimals (24230.5).")) from None


class RateForm(FlaskForm):
    currency = SelectField(_l("Currency"), choices=[c for c in CURRENCIES if c != "VND"])
    valid_on = DateField(_l("Valid from"), validators=[DataRequired()])
    vnd_per_unit = StringField(_l("VND per unit"), validators=[DataRequired(), _positive_decimal])
    source = StringField(_l("Source"), validators=[Length(max=255)])
    submit = SubmitField(_l("Save the rate"))


class RatesImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))
