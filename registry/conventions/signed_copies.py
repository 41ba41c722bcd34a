"""Signed copies: checked by content, stored content-addressed before the row that names them, never overwritten.

A new copy is a new version; the earlier ones stay in the history. The electronic signatures are checked with
pyHanko on upload and the report is kept with the copy (registry.signatures says what each verdict means).
"""

from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from registry.audit.services import record_audit
from registry.conventions import lifecycle
from registry.conventions.models import KIND_SIGNED, Convention, ConventionDocument
from registry.core.errors import Conflict
from registry.core.storage import document_store
from registry.core.transaction import lock_row
from registry.extensions import db

PDF = "application/pdf"
#: A copy can be attached while the convention is being signed, once signed (a better copy), or, for a
#: convention drafted elsewhere, from the start (it goes straight to « signée »).
ATTACHABLE_STATUSES = (lifecycle.A_SIGNER, lifecycle.SIGNEE)


@lru_cache(maxsize=4)
def _trust_roots(path: str | None) -> tuple:
    from registry.signatures import load_trust_roots

    return tuple(load_trust_roots(Path(path).read_bytes())) if path else ()


def check_signed_copy(data: bytes) -> dict:
    """The report of a candidate signed copy (content check and signatures); raises SignedCopyRejected."""
    from registry.signatures import inspect_pdf, summary_label, verify_signatures  # loaded on first use

    inspection = inspect_pdf(data, max_bytes=int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024)
    signatures = verify_signatures(data, trust_roots=_trust_roots(current_app.config.get("SIGNATURE_TRUST_ROOTS")))
    return {"label": summary_label(signatures), "pdf": inspection.as_dict(),
            "signatures": [signature.as_dict() for signature in signatures]}


def may_attach_copy(convention: Convention) -> bool:
    """Whether the convention's status lets a signed copy be attached (a registered one also in « brouillon »)."""
    registered = convention.template_version_id is None and convention.status == lifecycle.BROUILLON
    return convention.status in ATTACHABLE_STATUSES or registered


def attach_signed_copy(convention: Convention, data: bytes, *, actor=None) -> ConventionDocument:
    """Check and store a signed PDF as the convention's newest signed copy; the caller commits."""
    lock_row(convention)  # concurrent uploads number their versions one after the other
    if not may_attach_copy(convention):
        raise Conflict("La copie signée se dépose quand la convention est « à signer » ou « signée » "
                       f"(elle est « {lifecycle.STATUS_LABELS.get(convention.status, convention.status)} »).")
    report = check_signed_copy(data)
    sha256, size = document_store().store(data)  # the bytes exist before any row names them
    version = (db.session.scalar(select(func.max(ConventionDocument.version)).where(
        ConventionDocument.convention_id == convention.id, ConventionDocument.kind == KIND_SIGNED)) or 0) + 1
    document = ConventionDocument(
        convention=convention, kind=KIND_SIGNED, version=version, sha256=sha256, size=size,
        filename=f"{convention.reference} signée v{version}.pdf", media_type=PDF, signature_report=report,
        created_by_id=actor.id if actor is not None else None)
    db.session.add(document)
    db.session.flush()
    record_audit("convention.signed_copy", document,
                 f"Copie signée v{version} de la convention {convention.reference} déposée ({report['label']})",
                 hospital=convention.hospital, actor=actor)
    return document
