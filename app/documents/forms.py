"""The documents list filter: a GET form (no CSRF), every value checked before it reaches a query."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, ValidationError

from app.documents.models import DOCUMENT_TYPES
from app.documents.services import DOCUMENT_TYPE_LABELS, DocumentFilters

MIN_YEAR, MAX_YEAR = 1945, 2100


class DocumentFilterForm(Form):
    type = SelectField(_l("Type"), validate_choice=False)
    issuer = SelectField(_l("Issuer"), validate_choice=False)
    year = SelectField(_l("Year"), validate_choice=False)

    def __init__(self, formdata, issuers: list[str], years: list[int]):
        super().__init__(formdata)
        self._issuers = issuers
        self.type.choices = [("", _("All types"))] + [(t, DOCUMENT_TYPE_LABELS[t]) for t in DOCUMENT_TYPES]
        self.issuer.choices = [("", _("All issuers"))] + [(i, i) for i in issuers]
        self.year.choices = [("", _("All years"))] + [(str(y), str(y)) for y in years]

    def validate_type(self, field):
        if field.data and field.data not in DOCUMENT_TYPES:
            raise ValidationError(_("Unknown document type. Choose one from the list."))

    def validate_issuer(self, field):
        if field.data and field.data not in self._issuers:
            raise ValidationError(_("No published document has this issuer. Choose one from the list."))

    def validate_year(self, field):
        if not field.data:
            return
        value = field.data.strip()
        if not value.isascii() or not value.isdigit() or not MIN_YEAR <= int(value) <= MAX_YEAR:
            raise ValidationError(_("The year must be a number between %(low)d and %(high)d.",
                                    low=MIN_YEAR, high=MAX_YEAR))

    def filters(self) -> DocumentFilters:
        """The validated values (call after validate())."""
        return DocumentFilters(doc_type=self.type.data or None, issuer=self.issuer.data or None,
                               year=int(self.year.data) if self.year.data else None)
