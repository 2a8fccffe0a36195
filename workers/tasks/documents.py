"""Documents (văn bản): the text of an uploaded file, read after the upload's commit, for site search."""

from celery import shared_task

from workers import TenantTask


@shared_task(base=TenantTask, bind=True, acks_late=True)
def extract_document_text(self, document_id: int) -> str:
    """Read one document's file (PDF, DOCX) into its text; running it again reads the current file again."""
    from app.documents.text import extract_document

    return extract_document(document_id)
