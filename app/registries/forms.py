"""Forms of the console registries, with their messages in the user's language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.documents.models import DOCUMENT_TYPES
from app.documents.services import DOCUMENT_TYPE_LABELS
from app.members.models import AGREEMENT_KINDS, LOCALITY_LEVELS, MEMBER_KINDS
from app.members.services import AGREEMENT_KIND_LABELS, LOCALITY_LEVEL_LABELS, MEMBER_KIND_LABELS

REQUIRED = _l("This field is required.")
NUMBER = _l("Enter a whole number.")
DATE = _l("Enter a date (dd/mm/yyyy).")
COUNTRY = Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters of the ISO country code, e.g. LA, JP, KR."))
SLUG = Regexp(r"^[a-z0-9-]*$", message=_l("Lower-case letters without accents, digits and hyphens only."))


def _required():
    return DataRequired(message=REQUIRED)


def _year():
    return [Optional(), NumberRange(min=1945, max=2100, message=_l("A year between 1945 and 2100."))]


def _count():
    return [Optional(), NumberRange(min=0, max=10_000_000, message=_l("A number of 0 or more."))]


class CategoryForm(FlaskForm):
    name_vi = StringField(_l("Name in Vietnamese"), validators=[_required(), Length(max=255)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=255)])
    slug = StringField(_l("Address (leave empty to make it from the name)"), validators=[Optional(), Length(max=120),
                                                                                         SLUG])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=9999)],
                            render_kw={"inputmode": "numeric"})
    show_in_menu = BooleanField(_l("Show in the menu"), default=True)


class MemberForm(FlaskForm):
    name_vi = StringField(_l("Name in Vietnamese"), validators=[_required(), Length(max=255)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=255)])
    slug = StringField(_l("Address (leave empty to make it from the name)"), validators=[Optional(), Length(max=120),
                                                                                         SLUG])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, MEMBER_KIND_LABELS[k]) for k in MEMBER_KINDS])
    country_code = StringField(_l("Partner country (ISO code)"), validators=[Optional(), COUNTRY])
    congress_number = IntegerField(_l("Congress number"), validators=[Optional(), NumberRange(min=1, max=99)])
    term_start = IntegerField(_l("Term from (year)"), validators=_year())
    term_end = IntegerField(_l("Term to (year)"), validators=_year())
    leader_name = StringField(_l("Leader"), validators=[Optional(), Length(max=255)])
    leader_title = StringField(_l("Leader's title"), validators=[Optional(), Length(max=255)])
    chapters_count = IntegerField(_l("Chapters"), validators=_count())
    member_count = IntegerField(_l("Members"), validators=_count())
    description_html = TextAreaField(_l("Description"), render_kw={"data-editor": "rich", "rows": 8})
    contact = TextAreaField(_l("Contact"), validators=[Optional(), Length(max=2000)])
    founded_on = DateField(_l("Founded on"), validators=[Optional()], format=["%Y-%m-%d", "%d/%m/%Y"])
    dissolved_on = DateField(_l("Dissolved on (leave empty while it is active)"), validators=[Optional()],
                             format=["%Y-%m-%d", "%d/%m/%Y"])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=9999)])
    published = BooleanField(_l("Published"))

    def validate_term_end(self, field):
        if field.data and self.term_start.data and field.data < self.term_start.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("The term cannot end before it starts."))

    def validate_dissolved_on(self, field):
        if field.data and self.founded_on.data and field.data < self.founded_on.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("It cannot be dissolved before it was founded."))


class TermForm(FlaskForm):
    """A past (or the current) term of a member organisation."""

    congress_number = IntegerField(_l("Congress number"), validators=[Optional(), NumberRange(
        min=1, max=99, message=_l("A congress number between 1 and 99."))])
    congress_on = DateField(_l("Congress held on"), validators=[Optional()], format=["%Y-%m-%d", "%d/%m/%Y"])
    term_start = IntegerField(_l("Term from (year)"), validators=_year())
    term_end = IntegerField(_l("Term to (year)"), validators=_year())
    leaders = TextAreaField(_l("Leaders (e.g. Chairman: …; Vice-chairman: …)"),
                            validators=[Optional(), Length(max=2000)], render_kw={"rows": 3})
    member_count = IntegerField(_l("Members"), validators=_count())
    chapters_count = IntegerField(_l("Chapters"), validators=_count())
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})

    def validate_term_end(self, field):
        if field.data and self.term_start.data and field.data < self.term_start.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("The term cannot end before it starts."))


class ChapterForm(FlaskForm):
    """A chapter (chi hội) of a member organisation."""

    name = StringField(_l("Name"), validators=[_required(), Length(max=255)])
    leader = StringField(_l("Leader"), validators=[Optional(), Length(max=255)])
    member_count = IntegerField(_l("Members"), validators=_count())
    founded_on = DateField(_l("Founded on"), validators=[Optional()], format=["%Y-%m-%d", "%d/%m/%Y"])
    published = BooleanField(_l("Published"))


class PartnerForm(FlaskForm):
    name_vi = StringField(_l("Name in Vietnamese"), validators=[_required(), Length(max=255)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=255)])
    country_code = StringField(_l("Country (ISO code)"), validators=[_required(), COUNTRY])
    level = SelectField(_l("Level"), choices=[SelectChoice(k, LOCALITY_LEVEL_LABELS[k]) for k in LOCALITY_LEVELS])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=9999)])
    published = BooleanField(_l("Published"))


class AgreementForm(FlaskForm):
    locality_id = SelectField(_l("Partner locality"), coerce=int, choices=[])
    title = StringField(_l("Title"), validators=[_required(), Length(max=500)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, AGREEMENT_KIND_LABELS[k]) for k in AGREEMENT_KINDS])
    signed_on = DateField(_l("Signed on"), validators=[Optional()], format=["%Y-%m-%d", "%d/%m/%Y"])
    period_start = IntegerField(_l("Period from (year)"), validators=_year())
    period_end = IntegerField(_l("Period to (year)"), validators=_year())
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    file = FileField(_l("Signed copy (PDF or Word .docx; replaces the current one)"))

    def validate_period_end(self, field):
        if field.data and self.period_start.data and field.data < self.period_start.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("The period cannot end before it starts."))


class DocumentForm(FlaskForm):
    number = StringField(_l("Number / symbol"), validators=[_required(), Length(max=64)])
    doc_type = SelectField(_l("Type"), choices=[SelectChoice(k, DOCUMENT_TYPE_LABELS[k]) for k in DOCUMENT_TYPES])
    issuer = StringField(_l("Issued by"), validators=[_required(), Length(max=255)])
    issued_on = DateField(_l("Issued on"), validators=[Optional()], format=["%Y-%m-%d", "%d/%m/%Y"])
    title = StringField(_l("Title"), validators=[_required(), Length(max=500)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    file = FileField(_l("File (PDF, Word, Excel; replaces the current one)"))
    published = BooleanField(_l("Published"))


def localise_messages(form: FlaskForm) -> None:
    """WTForms' own parse errors ('Not a valid integer value'…) in the user's language."""
    for field in form:
        if isinstance(field, IntegerField):
            field.errors = [NUMBER if "integer" in str(e).lower() else e for e in field.errors]
        elif isinstance(field, DateField):
            field.errors = [DATE if "date" in str(e).lower() else e for e in field.errors]
