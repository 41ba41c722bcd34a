"""Word round trips of a convention under negotiation: the partner's marked-up .docx received as a new draft
version, and the comparison of any two versions (generated or received). They flush; callers commit.

A received version shares the numbering of generated drafts (one sequence per convention, taken under the
convention's row lock), is checked by content (documents/received.py) and stored byte for byte: its tracked
changes and comments stay as the partner sent them. Comparisons read the accepted view (documents/comparison.py).
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app

from registry.audit.services import record_audit
from registry.conventions.models import KIND_DRAFT, ORIGIN_RECEIVED, Convention, ConventionDocument
from registry.conventions.services import DOCX, get_draft, next_draft_version
from registry.core import clock
from registry.core.errors import Conflict, DomainError, NotFound
from registry.core.french import french_date, french_datetime
from registry.core.storage import document_store
from registry.core.transaction import lock_row
from registry.documents.comparison import (MAX_PARAGRAPHS, Block, Summary, TooLong, accepted_paragraphs,
                                           compare_paragraphs, comparison_docx, summarise)
from registry.documents.package import limits_for
from registry.documents.received import check_word_document
from registry.extensions import db

COMMENT_LENGTH = 1000
ACCEPTED_VIEW = ("Les modifications suivies d'une version sont lues acceptées : le texte inséré est compté, le "
                 "texte supprimé ne l'est pas. Seul le corps du document est comparé (ni en-têtes, ni pieds de "
                 "page, ni commentaires).")


def may_receive_version(convention: Convention) -> bool:
    """A partner's version is received while the convention is negotiated (« brouillon », « en négociation »)."""
    return convention.status.editable


def receive_partner_version(convention: Convention, data: bytes, *, comment: str | None = None,
                            actor=None) -> ConventionDocument:
    """Check ``data`` (a .docx), store it unchanged and record it as the convention's next draft version."""
    comment = (comment or "").strip() or None
    if comment and len(comment) > COMMENT_LENGTH:
        raise DomainError(f"Le commentaire dépasse {COMMENT_LENGTH} caractères.")
    lock_row(convention)  # generated and received drafts number their versions one after the other
    if not may_receive_version(convention):
        raise Conflict("Une version du partenaire se dépose tant que la convention est « brouillon » ou « en "
                       f"négociation » (elle est « {convention.status.label} »).")
    check_word_document(data, limits_for(current_app.config))
    sha256, size = document_store().store(data)  # the bytes exist before any row names them
    version = next_draft_version(convention)
    document = ConventionDocument(
        convention=convention, kind=KIND_DRAFT, origin=ORIGIN_RECEIVED, version=version, sha256=sha256, size=size,
        filename=f"{convention.reference} projet v{version} partenaire.docx", media_type=DOCX,
        comment=comment, created_by_id=actor.id if actor is not None else None)
    db.session.add(document)
    db.session.flush()
    record_audit("convention.draft_received", document,
                 f"Projet v{version} de la convention {convention.reference} : version reçue du partenaire déposée"
                 + (f" ({comment[:200]})" if comment else ""), hospital=convention.hospital, actor=actor)
    return document


def version_label(document: ConventionDocument) -> str:
    """« projet v2 (version reçue du partenaire, 2 décembre 2026) »."""
    return f"projet v{document.version} ({document.origin_label}, {french_date(document.created_at)})"


@dataclass
class DraftComparison:
    convention: Convention
    old: ConventionDocument
    new: ConventionDocument
    blocks: list[Block]
    summary: Summary
    made_on: date

    @property
    def heading(self) -> str:
        return f"Comparaison du projet v{self.old.version} et du projet v{self.new.version}"

    @property
    def filename(self) -> str:
        return f"{self.convention.reference} comparaison v{self.old.version}-v{self.new.version}.docx"

    def lines(self) -> list[str]:
        """What the downloaded document says under its heading: the convention, both versions, date, legend."""
        def described(document):
            author = document.created_by.label if document.created_by else "système"
            return f"v{document.version}, {document.origin_label}, {french_datetime(document.created_at)}, {author}"
        return [f"Convention {self.convention.reference} : {self.convention.title}",
                f"Version de départ : {described(self.old)}.", f"Version comparée : {described(self.new)}.",
                f"Comparaison faite le {french_date(self.made_on)}.", ACCEPTED_VIEW,
                "Légende : le texte ajouté est souligné (vert), le texte supprimé est barré (rouge)."]

    def as_docx(self) -> bytes:
        return comparison_docx(self.blocks, heading=self.heading, lines=self.lines())


def _version(convention: Convention, number: int) -> ConventionDocument:
    document = get_draft(convention, number)
    if document is None:
        raise NotFound(f"La convention {convention.reference} n'a pas de projet en version {number}.")
    return document


def _paragraphs(document: ConventionDocument) -> list[str]:
    try:
        return accepted_paragraphs(document_store().read(document.sha256), limits_for(current_app.config))
    except Exception as error:  # a stored file was checked on the way in; say which one cannot be read now
        raise DomainError(f"Le projet v{document.version} n'a pas pu être lu pour la comparaison.") from error


def compare_drafts(convention: Convention, old: int, new: int) -> DraftComparison:
    """The comparison of two draft versions of ``convention`` (NotFound for a version it does not have)."""
    before, after = _version(convention, old), _version(convention, new)
    try:
        blocks = compare_paragraphs(_paragraphs(before), _paragraphs(after))
    except TooLong:
        raise DomainError("Ces versions sont trop longues pour être comparées ici (plus de "
                          f"{MAX_PARAGRAPHS} paragraphes).") from None
    return DraftComparison(convention, before, after, blocks, summarise(blocks), clock.today())
