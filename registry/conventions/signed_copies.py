"""Signed copies: checked by content, stored content-addressed before the row that names them, never overwritten.

A new copy is a new version; the earlier ones stay in the history. The electronic signatures are checked with
pyHanko on upload and the report is kept with the copy (registry.signatures says what each verdict means).

A copy whose check raises an alert (a signature altered, modified after signing, unreadable:
labels.ALERT_VERDICTS) is stored but set aside (``review`` COPY_SET_ASIDE): the current copy stays the previous
one, or none, until a user of the hospital confirms it with a reason (it may then be current, flagged) or
discards it. A PDF without any electronic signature (a scan) raises no alert.
"""

import hashlib
import zlib
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from registry.audit.services import record_audit
from registry.conventions.models import (COPY_CONFIRMED, COPY_DISCARDED, COPY_SET_ASIDE, KIND_SIGNED, Convention,
                                         ConventionDocument)
from registry.conventions.statuses import Status
from registry.core import clock
from registry.core.errors import Conflict, DomainError, NotFound
from registry.core.storage import document_store
from registry.core.transaction import lock_row
from registry.extensions import db
from registry.signatures.alerts import alert_reasons, count_label, counts

PDF = "application/pdf"


@lru_cache(maxsize=4)
def _trust_roots(path: str | None) -> tuple:
    from registry.signatures import load_trust_roots

    return tuple(load_trust_roots(Path(path).read_bytes())) if path else ()


def check_signed_copy(data: bytes) -> dict:
    """The report of a candidate signed copy (content check and signatures); raises SignedCopyRejected."""
    from registry.signatures import inspect_pdf, summary_label, verify_signatures  # loaded on first use

    inspection = inspect_pdf(data, max_bytes=int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024)
    signatures = verify_signatures(data, trust_roots=_trust_roots(current_app.config.get("SIGNATURE_TRUST_ROOTS")))
    reports = [signature.as_dict() for signature in signatures]
    signed, stamps = counts(reports)
    return {"label": summary_label(signatures), "pdf": inspection.as_dict(), "signatures": reports,
            "signature_count": signed, "timestamp_count": stamps, "count_label": count_label(reports)}


def is_report_of(report: dict | None, data: bytes) -> bool:
    """Whether ``report`` is a check_signed_copy report of exactly these bytes."""
    return bool(report) and (report.get("pdf") or {}).get("sha256") == hashlib.sha256(data).hexdigest()


def may_attach_copy(convention: Convention) -> bool:
    """Whether the convention's status lets a signed copy be attached (``Status.attachable``: while being signed,
    once signed for a better copy), or, for a convention drafted elsewhere, from « brouillon » (it goes straight
    to « signée »)."""
    registered = convention.template_version_id is None and convention.status == Status.BROUILLON
    return convention.status.attachable or registered


def attach_signed_copy(convention: Convention, data: bytes, *, actor=None, report: dict | None = None
                       ) -> ConventionDocument:
    """Check and store a signed PDF as the convention's newest signed copy; the caller commits.

    ``report``, when given, is check_signed_copy's report already computed for ``data`` in this request: it is
    reused when it names the same bytes (SHA-256), so the PDF is not parsed and verified twice.
    """
    lock_row(convention)  # concurrent uploads number their versions one after the other
    if not may_attach_copy(convention):
        allowed = " ou ".join(f"« {status.label.lower()} »" for status in Status.having("attachable"))
        raise Conflict(f"La copie signée se dépose quand la convention est {allowed} "
                       f"(elle est « {convention.status.label} »).")
    if not is_report_of(report, data):
        report = check_signed_copy(data)
    sha256, size = document_store().store(data)  # the bytes exist before any row names them
    version = (db.session.scalar(select(func.max(ConventionDocument.version)).where(
        ConventionDocument.convention_id == convention.id, ConventionDocument.kind == KIND_SIGNED)) or 0) + 1
    document = ConventionDocument(
        convention=convention, kind=KIND_SIGNED, version=version, sha256=sha256, size=size, crc32=zlib.crc32(data),
        filename=f"{convention.reference} signée v{version}.pdf", media_type=PDF, signature_report=report,
        created_by_id=actor.id if actor is not None else None,
        review=COPY_SET_ASIDE if copy_alerts(report) else None)
    db.session.add(document)
    db.session.flush()
    aside = " et mise à l'écart : signature à confirmer" if document.review == COPY_SET_ASIDE else ""
    record_audit("convention.signed_copy", document,
                 f"Copie signée v{version} de la convention {convention.reference} déposée ({report['label']}){aside}",
                 hospital=convention.hospital, actor=actor)
    return document


def copy_alerts(report: dict | None) -> list[str]:
    """The French reasons a copy with this report is set aside; [] when nothing is wrong (or not checked)."""
    return alert_reasons((report or {}).get("signatures", []))


def set_aside_notice(document: ConventionDocument) -> str:
    """What a user is told when the copy just deposited is set aside: what is wrong, and what to do."""
    current = document.convention.current_signed_copy
    stays = (f"La copie en vigueur reste la v{current.version}" if current is not None
             else "La convention n'a pas de copie signée en vigueur")
    return (f"Copie signée v{document.version} mise à l'écart ({document.signature_report['label']}) : "
            + " ".join(copy_alerts(document.signature_report))
            + f" {stays} ; confirmez cette copie avec un motif, ou écartez-la, sur la page de la convention.")


def stock_set_aside_notice(created: list[Convention]) -> str | None:
    """After a stock import: the conventions whose copy was set aside, and what to do; None when there are none."""
    aside = [convention.reference for convention in created if convention.current_signed_copy is None]
    if not aside:
        return None
    return (f"Copie signée mise à l'écart (signature altérée, modifiée après signature ou illisible) pour : "
            f"{', '.join(aside)}. Ouvrez chaque convention pour confirmer sa copie avec un motif, ou l'écarter.")


def find_signed_copy(convention: Convention, version: int) -> ConventionDocument:
    document = db.session.scalar(select(ConventionDocument).where(
        ConventionDocument.convention_id == convention.id, ConventionDocument.kind == KIND_SIGNED,
        ConventionDocument.version == version))
    if document is None:
        raise NotFound(f"La copie signée v{version} de la convention {convention.reference} n'existe pas.")
    return document


def confirm_signed_copy(document: ConventionDocument, reason: str, *, actor=None) -> ConventionDocument:
    """A set-aside copy confirmed despite its alert, with the reason: it becomes the current copy (flagged).

    Refused when a newer copy is already the current one (the confirmed copy would not be current) and when the
    copy is not set aside. The caller commits.
    """
    convention = document.convention
    lock_row(convention)
    reason = (reason or "").strip()
    _must_be_set_aside(document)
    if not reason:
        raise DomainError("Indiquez pourquoi cette copie est confirmée malgré l'alerte.")
    current = convention.current_signed_copy
    if current is not None and current.version > document.version:
        raise Conflict(f"La copie v{current.version}, plus récente, est déjà la copie en vigueur : la copie "
                       f"v{document.version} ne peut plus le devenir. Écartez-la, ou déposez-la à nouveau.")
    _review(document, COPY_CONFIRMED, reason, actor)
    record_audit("convention.signed_copy_confirmed", document,
                 f"Copie signée v{document.version} de la convention {convention.reference} confirmée malgré "
                 f"l'alerte de signature : {reason}", hospital=convention.hospital, actor=actor,
                 changes={"review": [COPY_SET_ASIDE, COPY_CONFIRMED], "reason": reason})
    return document


def discard_signed_copy(document: ConventionDocument, reason: str | None = None, *, actor=None) -> ConventionDocument:
    """A set-aside copy discarded for good: it stays stored and listed, never current. The caller commits."""
    convention = document.convention
    lock_row(convention)
    _must_be_set_aside(document)
    reason = (reason or "").strip() or None
    _review(document, COPY_DISCARDED, reason, actor)
    record_audit("convention.signed_copy_discarded", document,
                 f"Copie signée v{document.version} de la convention {convention.reference} écartée définitivement"
                 + (f" : {reason}" if reason else ""), hospital=convention.hospital, actor=actor,
                 changes={"review": [COPY_SET_ASIDE, COPY_DISCARDED], "reason": reason})
    return document


def _must_be_set_aside(document: ConventionDocument) -> None:
    db.session.refresh(document)  # under the convention's lock: a concurrent decision is seen
    if document.review != COPY_SET_ASIDE:
        raise Conflict(f"La copie signée v{document.version} n'attend pas de décision "
                       f"({REVIEW_WORDS.get(document.review, 'aucune alerte de signature')}).")


REVIEW_WORDS = {COPY_CONFIRMED: "déjà confirmée malgré l'alerte", COPY_DISCARDED: "déjà écartée définitivement"}


def _review(document: ConventionDocument, review: str, reason: str | None, actor) -> None:
    document.review, document.review_reason = review, reason
    document.reviewed_by_id = actor.id if actor is not None else None
    document.reviewed_at = clock.now()
