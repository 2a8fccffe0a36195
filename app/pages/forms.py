"""Console form for a page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Regexp

from app.news.forms import _listed, _max, int_or_none


class PageForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), _max(255)])
    slug = StringField(_l("Address (leave empty to make it from the title)"), validators=[
        _max(120), Regexp(r"^[a-z0-9-]*$", message=_l("Use lower-case letters without accents, digits and -."))])
    parent_id = SelectField(_l("Place in the tree (parent page)"), coerce=int_or_none, validate_choice=False,
                            validators=[_listed])
    body_html = TextAreaField(_l("Content"), render_kw={"rows": 16, "data-editor": "rich"})
    show_in_menu = BooleanField(_l("Show in the menu"), default=True)
    published = BooleanField(_l("Published"))


class TranslationForm(FlaskForm):
    """A page's version in another language (its place in the tree and its address are the original's)."""

    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), _max(255)])
    body_html = TextAreaField(_l("Content"), render_kw={"rows": 16, "data-editor": "rich"})
    published = BooleanField(_l("Published"))
