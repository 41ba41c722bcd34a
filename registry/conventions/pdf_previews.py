"""PDF previews of drafts, bounded: each draft is converted once (drafts never change; the PDF is kept under
``<instance>/previews/<sha256>.pdf``, or, with DOCUMENT_STORE = "database", in the document store, the table
``pdf_previews`` naming it by the draft's SHA-256, so that every application node finds it), and at most
PDF_CONVERSIONS LibreOffice processes run at a time on the machine, whatever the number of server processes
(core.slots, shared with the compliance reports). A request that finds every slot busy for PDF_QUEUE_SECONDS
answers 503 « réessayez » rather than starting one more.

With the job queue (REDIS_URL), a draft not converted yet is converted by the worker (``convert_draft``) while
the user's page says « Aperçu PDF en préparation » and opens the PDF once it is ready; with the file-system store
the worker and the web server then share the instance folder (docs/deploiement.md).
"""

import os
import tempfile
from pathlib import Path

from flask import current_app

from registry.conventions.preview import PreviewUnavailable, docx_to_pdf
from registry.core import clock
from registry.core.errors import DomainError
from registry.core.slots import pdf_slot
from registry.core.storage import DATABASE, document_store, insert_unless_present, store_kind
from registry.core.storage_models import PdfPreview
from registry.extensions import db
from registry.jobs.progress import report, task

BUSY = ("Aperçu PDF en cours de préparation pour d'autres projets : réessayez dans un instant. L'aperçu HTML reste "
        "disponible.")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "previews"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def cached_pdf(sha256: str) -> bytes | None:
    """The PDF of this draft if it was converted already, else None."""
    if store_kind() == DATABASE:
        return _cached_pdf(sha256)
    cached = _folder() / f"{sha256}.pdf"
    return cached.read_bytes() if cached.is_file() else None


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


def enqueue_conversion(document, user):
    """The job converting ``document`` (a draft) for ``user``: the same job while it waits or runs."""
    from flask import url_for

    from registry.jobs import queue as jobs

    job_id = jobs.stable_id("draft-pdf", user.id, document.id, document.sha256)
    existing = jobs.fetch(job_id)
    if existing is not None and jobs.state(existing) in (jobs.WAITING, jobs.RUNNING):
        return existing
    url = url_for("conventions.pdf_draft", convention_id=document.convention_id, version=document.version)
    return jobs.enqueue("draft_pdf", convert_draft, {"document_id": document.id, "url": url}, owner_id=user.id,
                        job_id=job_id, label=f"Aperçu PDF en préparation : {document.filename}")


@task
def convert_draft(*, document_id: int, url: str) -> dict:
    """Convert the draft (once: the cache answers a second run) and point the job page at its PDF."""
    from registry.conventions.models import ConventionDocument

    document = db.session.get(ConventionDocument, document_id)
    if document is None:
        raise DomainError("Ce projet de convention n'existe plus : aucun aperçu n'a été préparé.")
    report(0, 1, "Aperçu PDF en préparation…")
    draft_pdf(document.sha256, lambda: document_store().read(document.sha256))
    report(1, 1, "Aperçu PDF prêt.")
    return {"url": url, "link_label": "Ouvrir l'aperçu PDF", "open_when_done": True}


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
