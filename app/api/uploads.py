"""Uploads with a token (scope content:write): images and files into the media library, documents (with their file)
into the registry — validated and re-encoded exactly as the console does (app/media/validate.py). A document comes
in unpublished: the union's editors publish it from the console."""

from flask import g
from flask_smorest import abort as smorest_abort
from flask_smorest.fields import Upload
from marshmallow import fields, pre_load, validate
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from app.api import tokens
from app.api.manage import SECURITY, blp
from app.api.public import site_url
from app.api.schemas import Strict
from app.core import audit
from app.extensions import db


class FormAndFilesParser(FlaskParser):
    """`location="files"` reads the multipart form's fields and its files together: one request body, one schema
    (flask-smorest documents it as one multipart/form-data body)."""

    def load_files(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


blp.ARGUMENTS_PARSER = FormAndFilesParser()


class MediaInSchema(Strict):
    file = Upload(required=True)
    alt_text = fields.String(load_default="", validate=validate.Length(max=300),
                             metadata={"description": "Required for an image: what it shows, for who cannot see it."})
    title = fields.String(load_default="", validate=validate.Length(max=255))


class MediaSchema(Strict):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    alt_text = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    width = fields.Integer(allow_none=True, required=True)
    height = fields.Integer(allow_none=True, required=True)
    url = fields.String(required=True)


class DocumentInSchema(Strict):
    number = fields.String(required=True, validate=validate.Length(min=1, max=64),
                           metadata={"description": "Số / ký hiệu, e.g. 124-KH/TU.", "example": "12-KH/LHH"})
    doc_type = fields.String(load_default="other", validate=validate.OneOf(
        ["directive", "plan", "decision", "decree", "notice", "report", "official_letter", "other"]))
    issuer = fields.String(required=True, validate=validate.Length(min=1, max=255))
    issued_on = fields.Date(allow_none=True, load_default=None)
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    summary = fields.String(load_default="", validate=validate.Length(max=5000))
    file = Upload(metadata={"description": "The document itself (PDF, DOCX…), optional."})

    @pre_load
    def _strip(self, data, **kwargs):
        """Spaces around the texts go before they are checked (a title of spaces is no title)."""
        return {key: (value.strip() if isinstance(value, str) else value) for key, value in data.items()}


class DocumentOutSchema(Strict):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    doc_type = fields.String(required=True)
    issuer = fields.String(required=True)
    issued_on = fields.Date(allow_none=True, required=True)
    title = fields.String(required=True)
    published = fields.Boolean(required=True)
    size = fields.Integer(allow_none=True, required=True)


def _rejected(refusal) -> None:
    db.session.rollback()
    smorest_abort(422, message=str(refusal), errors={"file": [str(refusal)]})


@blp.route("/media", methods=["POST"])
@blp.arguments(MediaInSchema, location="files")
@blp.response(201, MediaSchema)
@blp.doc(security=SECURITY)
def upload_media(data):
    """Add an image or a file to the union's media library (scope content:write)."""
    from app.media import services
    from app.media.routes import media_url
    from app.media.validate import UploadRejected

    tokens.require("content:write")
    upload = data["file"]
    try:
        item = services.store_upload(upload.filename or "tep-tin", upload.read(), alt_text=data["alt_text"],
                                     title=data["title"], uploaded_by_id=g.api_user.id)
    except UploadRejected as refusal:
        _rejected(refusal)
    return {"id": item.id, "kind": item.kind, "title": item.title or "", "alt_text": item.alt_text or "",
            "content_type": item.content_type, "size": item.size_bytes, "width": item.width, "height": item.height,
            "url": site_url(g.tenant, media_url(item))}


@blp.route("/documents", methods=["POST"])
@blp.arguments(DocumentInSchema, location="files")
@blp.response(201, DocumentOutSchema)
@blp.doc(security=SECURITY)
def upload_document(data):
    """Add a document (with its file) to the union's registry, unpublished (scope content:write)."""
    from app.documents.models import Document
    from app.documents.services import store_file
    from app.media.validate import UploadRejected, process

    tokens.require("content:write")
    upload = data.pop("file", None)
    document = Document(**data, published=False)
    db.session.add(document)
    try:
        db.session.flush()
        if upload is not None and upload.filename:
            processed = process(upload.filename, upload.read())
            name = upload.filename if processed.kind == "file" else \
                upload.filename.rsplit(".", 1)[0] + "." + processed.extension
            store_file(document, processed.data, name)
        audit.record("documents.create", target=f"document:{document.id}", detail=f"{document.number} (API)")
        db.session.commit()
    except UploadRejected as refusal:
        _rejected(refusal)
    return {"id": document.id, "number": document.number, "doc_type": document.doc_type, "issuer": document.issuer,
            "issued_on": document.issued_on, "title": document.title, "published": document.published,
            "size": document.size}
