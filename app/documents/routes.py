"""Public pages: documents (văn bản) with filters, a detail page and the file download."""

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import format_decimal

from app.core.pagination import paginate
from app.documents import services, text
from app.documents.forms import DocumentFilterForm
from app.documents.services import DocumentFilters

bp = Blueprint("documents", __name__, template_folder="templates")


@bp.app_template_filter("dmy")
def _dmy(value) -> str:
    """A date as dd/mm/yyyy, whatever the language."""
    return value.strftime("%d/%m/%Y") if value else ""


@bp.app_template_filter("filesize")
def _filesize(size: int | None) -> str:
    """1234567 -> '1,2 MB' (Vietnamese decimal comma)."""
    if size is None:
        return ""
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{format_decimal(round(size, 1))} {unit}"
        size /= 1024
    return ""


@bp.app_context_processor
def _documents_helpers():
    return {"document_type_labels": services.DOCUMENT_TYPE_LABELS, "document_text_labels": text.STATUS_LABELS,
            "document_text_error": text.error_message}


@bp.route("/van-ban")
def index():
    issuers, years = services.filter_options()
    form = DocumentFilterForm(request.args, issuers, years)
    if not form.validate():
        # Bad filter values: say which, show the form again, list nothing (400, not a 500 or a silent reset).
        return render_template("documents/index.html", form=form, page=None, filters=DocumentFilters()), 400
    filters = form.filters()
    page = paginate(services.published_documents_query(filters), per_page=10)
    return render_template("documents/index.html", form=form, page=page, filters=filters)


@bp.route("/van-ban/<id:document_id>")
def detail(document_id: int):
    document = services.published_document(document_id)
    if document is None:
        abort(404)
    file_available = services.file_on_disk(document) is not None
    return render_template("documents/detail.html", document=document, file_available=file_available,
                           viewable=file_available and services.viewable_inline(document))


def _send(document_id: int, *, inline: bool):
    document = services.published_document(document_id)
    path = services.file_on_disk(document) if document is not None else None
    if path is None or (inline and not services.viewable_inline(document)):
        abort(404)
    return file_response(document, path, inline=inline)


def file_response(document, path, *, inline: bool = False):
    """A stored file (a document's, or another row's kept by services.write_file) with the documents' headers:
    a safe content type, nosniff, no-cache, and a sandbox when shown inline."""
    response = send_file(path, mimetype=services.served_content_type(document),
                         as_attachment=not inline, download_name=document.original_filename or path.name,
                         conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-cache"
    if inline:
        # The browser's own PDF viewer opens it; as a sandboxed document it can run no script of ours.
        response.headers["Content-Security-Policy"] = "sandbox"
    return response


@bp.route("/van-ban/<id:document_id>/tai-ve")
def download(document_id: int):
    return _send(document_id, inline=False)


@bp.route("/van-ban/<id:document_id>/xem")
def view(document_id: int):
    """A PDF shown in the browser (Content-Disposition: inline); other files only download."""
    return _send(document_id, inline=True)
