"""Console forms for news: the article, the editor's decisions."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

LOCALES = [("vi", "Tiếng Việt"), ("en", "English")]


def _max(length: int) -> Length:
    return Length(max=length, message=_l("At most %(max)d characters.", max=length))


def int_or_none(value):
    """coerce= for id choices: anything that is not a number is simply not one of the choices."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _listed(form, field):
    """A choice from the list (WTForms' own message is not in our catalogs)."""
    if field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Choose one of the listed options."))


def _web_address(form, field):
    if not field.data:
        return
    parts = urlsplit(field.data.strip())
    relative = not parts.scheme and not parts.netloc and field.data.startswith("/")
    if not relative and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise ValidationError(_l("Enter a web address starting with https:// (or a path starting with /)."))


class ArticleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), _max(300)])
    summary = TextAreaField(_l("Lead (summary)"), validators=[_max(2000)], render_kw={"rows": 3})
    body_html = TextAreaField(_l("Body"), render_kw={"rows": 16, "data-editor": "rich"})
    category_id = SelectField(_l("Category"), coerce=int_or_none, validate_choice=False, validators=[_listed])
    tags = StringField(_l("Tags (separated by commas)"), validators=[_max(500)])
    source_line = StringField(_l("Source line"), validators=[_max(255)],
                              description=_l("For example: Nguồn tin: Trịnh Thu"))
    cover_media_id = SelectField(_l("Cover image (from the library)"), coerce=int_or_none, validate_choice=False,
                                 description=_l("Upload pictures in the media library first; each one has its "
                                                "description there."))
    cover_alt = StringField(_l("Cover image description (alt text)"), validators=[_max(300)],
                            description=_l("Leave empty to use the description kept in the library."))
    featured = BooleanField(_l("Featured (hot news)"))
    locale = SelectField(_l("Language"), choices=LOCALES, validate_choice=False, validators=[_listed])
    translation_of_id = SelectField(_l("English version of"), coerce=int_or_none, validate_choice=False,
                                    validators=[_listed])
    submit = SubmitField(_l("Save"))

    def validate_cover_media_id(self, field):
        from app.news import cover

        cover.validate(self, field)

    def validate_translation_of_id(self, field):
        if field.data and self.locale.data == "vi":
            raise ValidationError(_l("Only an English article can be the version of a Vietnamese one."))

    def validate_body_html(self, field):
        if len(field.data or "") > 500_000:
            raise ValidationError(_l("The body is too long."))


class ApproveForm(FlaskForm):
    publish_at = DateTimeLocalField(_l("Publish at (leave empty to publish now)"), format="%Y-%m-%dT%H:%M",
                                    validators=[Optional()])
    submit = SubmitField(_l("Approve and publish"))


class ReturnForm(FlaskForm):
    comment = TextAreaField(_l("What should change"), validators=[DataRequired(_l("Say what should change.")),
                                                                  _max(2000)], render_kw={"rows": 3})
    submit = SubmitField(_l("Return to the author"))


class ActionForm(FlaskForm):
    """A bare CSRF-protected button (submit, unpublish, archive, delete, restore)."""
