from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

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


# --- a union's projects and transactions -------------------------------------------------------

REQUIRED = _l("This field is required.")


class VnDateField(DateField):
    """A date typed as dd/mm/yyyy or given by the browser's date picker (yyyy-mm-dd)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Not a valid date: write dd/mm/yyyy.")) from None


def _chosen(form, field):
    """The value is one of the field's choices (WTForms' own message has no Vietnamese)."""
    raw = [choice if isinstance(choice, str) else choice[0] for choice in field.choices]
    allowed = {field.coerce(value) if value is not None else None for value in raw}
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(value not in allowed for value in values):
        raise ValidationError(_l("Not a valid choice."))

def _amount_field(form, field):
    from app.core.money import parse_amount

    if form.currency.data not in CURRENCIES:
        return
    try:
        parse_amount(field.data or "", form.currency.data)
    except MoneyError:
        raise ValidationError(_l("Not a valid amount in %(currency)s: write 1.800.000.000 or 12,5.",
                                 currency=form.currency.data)) from None


def _optional_int(value):
    return None if value in (None, "", "None") else int(value)


class ProjectForm(FlaskForm):
    title_vi = StringField(_l("Title (Vietnamese)"), validators=[DataRequired(REQUIRED), Length(max=500)])
    title_en = StringField(_l("Title (English)"), validators=[Length(max=500)])
    donors = SelectMultipleField(_l("Donors"), coerce=int, validate_choice=False, validators=[_chosen])
    sector_code = SelectField(_l("Sector"), validate_choice=False, validators=[DataRequired(REQUIRED), _chosen])
    status = SelectField(_l("Status"), validate_choice=False, validators=[_chosen])
    district = StringField(_l("District"), validators=[Length(max=255)])
    commune = StringField(_l("Commune"), validators=[Length(max=255)])
    start_date = VnDateField(_l("Start"), validators=[Optional()])
    end_date = VnDateField(_l("End"), validators=[Optional()])
    beneficiaries = IntegerField(_l("Beneficiaries"), validators=[Optional(), NumberRange(min=0, max=10**9)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    public = BooleanField(_l("Show on the public site"))
    submit = SubmitField(_l("Save"))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end cannot be before the start."))


class TransactionForm(FlaskForm):
    kind = SelectField(_l("Kind"), validate_choice=False, validators=[_chosen])
    date = VnDateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    currency = SelectField(_l("Currency"), choices=list(CURRENCIES), validate_choice=False, validators=[_chosen])
    amount = StringField(_l("Amount"), validators=[DataRequired(REQUIRED), Length(max=40), _amount_field])
    donor_id = SelectField(_l("Donor"), coerce=_optional_int, validate_choice=False, validators=[_chosen])
    note = StringField(_l("Note"), validators=[Length(max=500)])
    submit = SubmitField(_l("Save"))


class ConfirmForm(FlaskForm):
    """A destructive action's confirmation: only its CSRF token and a button."""

    submit = SubmitField(_l("Delete"))


class ImportUploadForm(FlaskForm):
    file = FileField(_l("CSV or Excel (.xlsx) file"), validators=[FileRequired()])
    submit = SubmitField(_l("Check the file"))


# --- donor proposals ---------------------------------------------------------------------------

class ProposalForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=255)])
    acronym = StringField(_l("Acronym"), validators=[Length(max=40)])
    country = StringField(_l("Country (ISO code, e.g. KR)"), validators=[DataRequired(REQUIRED)])
    website = StringField(_l("Website"), validators=[Length(max=255)])
    note = TextAreaField(_l("Why and where it works with the union"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Propose the donor"))

    def validate_country(self, field):
        if not (field.data or "").isascii() or not field.data.isalpha() or len(field.data) != 2:
            raise ValidationError(_l("Two letters, e.g. KR, FR, US."))


class MergeForm(FlaskForm):
    target_id = SelectField(_l("Existing donor"), coerce=int, validate_choice=False, validators=[_chosen])
    submit = SubmitField(_l("Merge into this donor"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(REQUIRED), Length(max=2000)])
    submit = SubmitField(_l("Decline"))
