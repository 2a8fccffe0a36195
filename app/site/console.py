"""The union's theme in the staff console (/manage/<tenant-slug>/theme/): accent colour, logo, banner, footer.

Images are chosen from the union's own media library by id; an id the library does not hold (another union's,
a document, nonsense) is "not found", next to its field, and nothing is saved."""

import re

import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.accounts.permissions import permission_required
from app.console.routes import bp as console_parent
from app.core.urls import MAX_ID
from app.extensions import db
from app.media.models import MediaItem
from app.media.routes import media_url
from app.site import theme as themes
from app.site.contrast import parse_hex

bp = Blueprint("theme", __name__, template_folder="templates", url_prefix="/<tenant_slug>/theme")
console_parent.register_blueprint(bp)

KEEP = "keep"  # the current image, when it is not (or no longer) an image of the library
IMAGE_CHOICES = 200
_LIBRARY_ID = re.compile(r"^/media/(\d{1,9})/")


class FooterBlockForm(Form):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=120)])
    html = TextAreaField(_l("Text"), validators=[Optional(), Length(max=10000)],
                         render_kw={"rows": 5, "data-editor": "rich"})


class ThemeForm(FlaskForm):
    accent = StringField(_l("Accent colour"), validators=[Optional(), Length(max=20)],
                         description=_l("Written as #rrggbb, e.g. #1d4f91. It colours the masthead, the menu, links "
                                        "and buttons, so it must reach a contrast of 4.5:1 with white. Leave it "
                                        "empty for the platform's blue."))
    logo = SelectField(_l("Logo"), choices=[], validate_choice=False,
                       description=_l("An image of the union's media library, shown round in the masthead."))
    banner = SelectField(_l("Banner of the home page"), choices=[], validate_choice=False,
                         description=_l("A wide image of the media library, shown at the top of the home page."))
    banner_alt = StringField(_l("Alternative text of the banner"), validators=[Optional(), Length(max=300)],
                             description=_l("Required with a banner: what the image shows, for people who cannot "
                                            "see it."))
    footer = FieldList(FormField(FooterBlockForm), min_entries=themes.MAX_FOOTER_BLOCKS,
                       max_entries=themes.MAX_FOOTER_BLOCKS)


def _library_images() -> list[MediaItem]:
    return db.session.scalars(sa.select(MediaItem).where(MediaItem.kind == "image")
                              .order_by(MediaItem.created_at.desc(), MediaItem.id.desc()).limit(IMAGE_CHOICES)).all()


def _library_id(url: str | None) -> str | None:
    match = _LIBRARY_ID.match(url or "")
    return match.group(1) if match else None


def _choices(images: list[MediaItem], current: str | None, none_label: str) -> tuple[list, str]:
    """The select's options and the selected value for the image whose address is `current`."""
    choices = [("", none_label)]
    ids = {str(i.id) for i in images}
    selected = ""
    if current:
        selected = _library_id(current) if _library_id(current) in ids else KEEP
        if selected == KEEP:
            choices.append((KEEP, _("the current image")))
    choices += [(str(i.id), i.title or i.original_name) for i in images]
    return choices, selected


def _own_image(value: str) -> MediaItem | None:
    """An image of this union's library by its id (None for any other value)."""
    if not value.isdigit() or len(value) > 10 or int(value) > MAX_ID:
        return None
    item = db.session.get(MediaItem, int(value))  # scoped to the current tenant: another union's is None
    return item if item is not None and item.is_image else None


def _image_url(field, current: str | None, rendition: int | None = None) -> str | None:
    """The address the field's choice names; an error on the field when the image is not found."""
    value = (field.data or "").strip()
    if value == "":
        return None
    if value == KEEP:
        return current
    item = _own_image(value)
    if item is None:
        field.errors = [*field.errors, _("This image was not found in the union's media library.")]
        return None
    return media_url(item, rendition if rendition in item.widths else None)


def _form(row, images) -> ThemeForm:
    tenant = g.tenant
    if request.method == "POST":
        form = ThemeForm()
    else:
        blocks = list((row.footer_blocks if row else None) or [])
        blocks += [{"title": "", "html": ""}] * (themes.MAX_FOOTER_BLOCKS - len(blocks))
        form = ThemeForm(data={"accent": (row.accent if row else None) or "",
                               "banner_alt": (row.banner_alt if row else "") or "",
                               "footer": blocks[:themes.MAX_FOOTER_BLOCKS]})
    form.logo.choices, logo_selected = _choices(images, tenant.logo_url, _("— no logo (the national emblem) —"))
    form.banner.choices, banner_selected = _choices(images, row.banner_url if row else None, _("— no banner —"))
    if request.method != "POST":
        form.logo.data, form.banner.data = logo_selected, banner_selected
    return form


@bp.route("/", methods=["GET", "POST"])
@permission_required("settings.manage")
def edit():
    tenant = g.tenant
    row = themes.theme_row()
    images = _library_images()
    form = _form(row, images)
    if request.method == "POST" and form.validate_on_submit():
        logo_url = _image_url(form.logo, tenant.logo_url, 320)
        banner_url = _image_url(form.banner, row.banner_url if row else None)
        if not form.errors:
            try:
                changed = themes.save_theme(
                    tenant, accent=form.accent.data, logo_url=logo_url, banner_url=banner_url,
                    banner_alt=form.banner_alt.data or "",
                    footer_blocks=[{"title": entry.form.title.data, "html": entry.form.html.data}
                                   for entry in form.footer])
            except themes.ThemeError as refusal:
                db.session.rollback()
                field = getattr(form, refusal.field)
                field.errors = [*field.errors, str(refusal)]
            else:
                flash(_("The theme is saved.") if changed else _("Nothing was changed."), "success")
                return redirect(url_for("console.theme.edit"))
    invalid = request.method == "POST" and bool(form.errors or form.form_errors)
    accent = parse_hex(form.accent.data) or parse_hex(row.accent if row else None) or "#0b3d91"
    return render_template("site/console/theme.html", form=form, picker_value=accent,
                           images={str(i.id): media_url(i, 320 if 320 in i.widths else None) for i in images}), \
        400 if invalid else 200
