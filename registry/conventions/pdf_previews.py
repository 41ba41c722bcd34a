"""PDF previews of drafts, bounded: each draft is converted once (drafts never change; the PDF is kept under
``<instance>/previews/<sha256>.pdf``, or, with DOCUMENT_STORE = "database", in the document store, the table
``pdf_previews`` naming it by the draft's SHA-256, so that every application node finds it), and at most
PDF_CONVERSIONS LibreOffice processes run at a time on the machine, whatever the number of server processes
(core.slots, shared with the compliance reports). A request that finds every slot busy for PDF_QUEUE_SECONDS
answers 503 « réessayez » rather than starting one more.
"""

import os
import tempfile
from pathlib import Path

from flask import current_app

from registry.conventions.preview import PreviewUnavailable, docx_to_pdf
from registry.core import clock
from registry.core.slots import pdf_slot
from registry.core.storage import DATABASE, document_store, insert_unless_present, store_kind
from registry.core.storage_models import PdfPreview
from registry.extensions import db

BUSY = ("Aperçu PDF en cours de préparation pour d'autres projets : réessayez dans un instant. L'aperçu HTML reste "
        "disponible.")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "previews"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def draft_pdf(sha256: str, read_docx) -> bytes:
    """The PDF of the draft whose .docx has this SHA-256 (``read_docx()`` gives its bytes when it must be
    converted)."""
    if store_kind() == DATABASE:
        return _shared_draft_pdf(sha256, read_docx)
    cached = _folder() / f"{sha256}.pdf"
    if cached.is_file():
        return cached.read_bytes()
    with pdf_slot(PreviewUnavailable(BUSY)):
        if cached.is_file():  # converted by another request while this one waited
            return cached.read_bytes()
        pdf = docx_to_pdf(read_docx())
    fd, temporary = tempfile.mkstemp(dir=cached.parent, prefix=".incoming-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(pdf)
    os.replace(temporary, cached)
    return pdf


def _cached_pdf(sha256: str) -> bytes | None:
    preview = db.session.get(PdfPreview, sha256, populate_existing=True)
    return document_store().read(preview.pdf_sha256) if preview is not None else None


def _shared_draft_pdf(sha256: str, read_docx) -> bytes:
    """The same, cached in the database: the PDF is a document of the store, committed with its preview row (the
    page is a GET that changes nothing else)."""
    if (pdf := _cached_pdf(sha256)) is not None:
        return pdf
    with pdf_slot(PreviewUnavailable(BUSY)):
        db.session.rollback()  # see what another node committed while this request waited
        if (pdf := _cached_pdf(sha256)) is not None:
            return pdf
        pdf = docx_to_pdf(read_docx())
    pdf_sha256, _size = document_store().store(pdf)
    insert_unless_present(PdfPreview, draft_sha256=sha256, pdf_sha256=pdf_sha256, created_at=clock.now())
    db.session.commit()
    return pdf
