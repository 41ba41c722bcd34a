"""Conventions taken to a chosen status through the domain's own operations, and signed PDFs made in the test,
for the lifecycle tests of the pages, the API and the browser."""

from datetime import date
from functools import cache

from registry.conventions import lifecycle
from registry.conventions.models import KIND_SIGNED, Convention, ConventionDocument
from registry.conventions.services import create_convention, generate_draft, register_convention
from registry.conventions.signed_copies import attach_signed_copy
from registry.conventions.transitions import transition
from registry.extensions import db
from tests.clock import TODAY
from tests.signatures import pdf_factory

SIGNER = "Marie Durand"
#: Dates that keep a convention « en vigueur » for years around the suite's day (tests/clock.py).
EFFECTIVE = date(TODAY.year - 1, 1, 1)
DURATION_MONTHS = 60
SIGNED_ON = date(TODAY.year - 1, 1, 1)
#: The path from « brouillon » to each status of a convention drafted from a template.
WALK = {lifecycle.BROUILLON: [], lifecycle.EN_NEGOCIATION: [lifecycle.EN_NEGOCIATION],
        lifecycle.A_SIGNER: [lifecycle.EN_NEGOCIATION, lifecycle.A_SIGNER],
        lifecycle.SIGNEE: [lifecycle.EN_NEGOCIATION, lifecycle.A_SIGNER, lifecycle.SIGNEE],
        lifecycle.RESILIEE: [lifecycle.EN_NEGOCIATION, lifecycle.A_SIGNER, lifecycle.SIGNEE, lifecycle.RESILIEE]}


@cache
def identity() -> pdf_factory.Identity:
    return pdf_factory.make_identity(SIGNER)


def signed_pdf() -> bytes:
    """A PDF signed with a self-signed certificate: « intègre, certificat non vérifié »."""
    return pdf_factory.signed_pdf(identity())


def tampered_pdf() -> bytes:
    """The same, with bytes changed inside the signed range: « altérée »."""
    return pdf_factory.tamper_signed_bytes(signed_pdf())


def drafted_convention(hospital, partnership, *, actor=None, status: str = lifecycle.BROUILLON) -> Convention:
    """A convention from the shipped « ehpad » template with one draft, walked to ``status``."""
    convention = create_convention(
        hospital, partnerships=[partnership], template_code="ehpad", effective_date=EFFECTIVE,
        duration_months=DURATION_MONTHS, fields={"administrative_court": "Dijon", "signing_place": "Dijon"},
        actor=actor)
    generate_draft(convention, actor=actor)
    walk(convention, status, actor=actor)
    return convention


def registered(hospital, partnership, *, actor=None) -> Convention:
    """A convention drafted outside the application, in « brouillon »: it can be registered signed at once."""
    return register_convention(hospital, partnerships=[partnership], partner_types=["ehpad"],
                               themes=["retour_domicile"], effective_date=EFFECTIVE,
                               duration_months=DURATION_MONTHS, actor=actor)


def walk(convention: Convention, status: str, *, actor=None) -> Convention:
    """Take a convention from « brouillon » to ``status``, with a signed copy before signing."""
    for target in WALK[status]:
        if target == lifecycle.SIGNEE:
            attach_signed_copy(convention, signed_pdf(), actor=actor)
            transition(convention, target, actor=actor, date=SIGNED_ON)
        elif target == lifecycle.RESILIEE:
            transition(convention, target, actor=actor, date=TODAY, comment="Fin de la coopération")
        else:
            transition(convention, target, actor=actor)
    db.session.commit()
    return convention


def reload(convention: Convention) -> Convention:
    db.session.expire_all()
    return db.session.get(Convention, convention.id)


def signed_copies(convention: Convention) -> list[ConventionDocument]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(ConventionDocument).where(
        ConventionDocument.convention_id == convention.id, ConventionDocument.kind == KIND_SIGNED)))
