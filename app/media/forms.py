from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField
from wtforms.validators import Length


class UploadForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))],
                     description=_l("Images: JPG, PNG, WebP, GIF. Documents: PDF, DOC, DOCX, XLS, XLSX."))
    alt_text = StringField(_l("Alternative text (required for images)"), validators=[Length(max=300)])
    title = StringField(_l("Title"), validators=[Length(max=255)])
    submit = SubmitField(_l("Upload"))


class TextForm(FlaskForm):
    alt_text = StringField(_l("Alternative text (required for images)"), validators=[Length(max=300)])
    title = StringField(_l("Title"), validators=[Length(max=255)])
    submit = SubmitField(_l("Save"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete for good"))
