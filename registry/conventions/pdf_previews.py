"""PDF previews of drafts, bounded: each draft is converted once (drafts never change; the PDF is kept under
``<instance>/previews/<sha256>.pdf``), and at most PDF_CONVERSIONS LibreOffice processes run at a time on the
machine, whatever the number of server processes (core.slots, shared with the compliance reports). A request that
finds every slot busy for PDF_QUEUE_SECONDS answers 503 « réessayez » rather than starting one more.
"""

import os
import tempfile
from pathlib import Path

from flask import current_app

from registry.conventions.preview import PreviewUnavailable, docx_to_pdf
from registry.core.slots import pdf_slot

BUSY = ("Aperçu PDF en cours de préparation pour d'autres projets : réessayez dans un instant. L'aperçu HTML reste "
        "disponible.")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "previews"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def draft_pdf(sha256: str, read_docx) -> bytes:
    """The PDF of the draft whose .docx has this SHA-256 (``read_docx()`` gives its bytes when it must be
    converted)."""
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
