"""Signed PDFs made in the test, and fresh reads of a convention, for the lifecycle tests of the pages, the API and
the browser (the conventions themselves come from tests/conventions/builders.py)."""

from functools import cache

from registry.conventions.models import KIND_SIGNED, Convention, ConventionDocument
from registry.extensions import db
from tests.signatures import pdf_factory

SIGNER = "Marie Durand"


@cache
def identity() -> pdf_factory.Identity:
    return pdf_factory.make_identity(SIGNER)


def signed_pdf() -> bytes:
    """A PDF signed with a self-signed certificate: « intègre, certificat non vérifié »."""
    return pdf_factory.signed_pdf(identity())


def tampered_pdf() -> bytes:
    """The same, with bytes changed inside the signed range: « altérée »."""
    return pdf_factory.tamper_signed_bytes(signed_pdf())


def reload(convention: Convention) -> Convention:
    db.session.expire_all()
    return db.session.get(Convention, convention.id)


def signed_copies(convention: Convention) -> list[ConventionDocument]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(ConventionDocument).where(
        ConventionDocument.convention_id == convention.id, ConventionDocument.kind == KIND_SIGNED)))
