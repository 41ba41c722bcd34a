"""Conventions in a chosen status for the lifecycle, follow-up and backup tests."""

from datetime import date

from registry.conventions import lifecycle
from registry.conventions.models import KIND_SIGNED, PARTY_HOSPITAL, PARTY_PARTNER, Convention, ConventionDocument, \
    ConventionParty
from registry.conventions.references import format_reference, next_number
from registry.core.storage import document_store
from registry.extensions import db
from tests.clock import TODAY

SIGNED_PDF = b"%PDF-1.4\n% copie signee de test\n%%EOF\n"


def registered_convention(hospital, partnerships, *, effective_date=date(2027, 1, 1), duration_months=36,
                          tacit_renewal=False, notice_months=3, title="Convention enregistrée") -> Convention:
    """A convention drafted outside the application (no template), in « brouillon »."""
    convention = Convention(
        reference="", hospital=hospital, title=title, status=lifecycle.BROUILLON, template_version=None,
        clauses=[], fields={}, partner_types=["second_recours"], themes=[], effective_date=effective_date,
        duration_months=duration_months, tacit_renewal=tacit_renewal, notice_months=notice_months,
        year=effective_date.year, number=next_number(hospital.id, effective_date.year))
    convention.reference = format_reference(hospital.finess_et, convention.year, convention.number)
    organisations = [hospital.organisation, *(p.partner for p in partnerships)]
    convention.parties = [ConventionParty(organisation=organisation, position=position,
                                          role=PARTY_HOSPITAL if position == 0 else PARTY_PARTNER)
                          for position, organisation in enumerate(organisations)]
    db.session.add(convention)
    db.session.flush()
    return convention


def attach_signed_copy(convention: Convention, data: bytes = SIGNED_PDF) -> ConventionDocument:
    """The row the signed-copy upload will write: bytes stored first, then the row."""
    sha256, size = document_store().store(data + convention.reference.encode())
    document = ConventionDocument(convention=convention, kind=KIND_SIGNED, version=len(convention.signed_copies) + 1,
                                  sha256=sha256, size=size, filename=f"{convention.reference} signée.pdf",
                                  media_type="application/pdf")
    db.session.add(document)
    db.session.flush()
    return document


def signed_convention(hospital, partnerships, *, signed_on=date(2026, 6, 1), **values) -> Convention:
    """A registered convention taken to « signée » through the lifecycle (copy, then the transition)."""
    from registry.conventions.transitions import transition

    convention = registered_convention(hospital, partnerships, **values)
    attach_signed_copy(convention)
    transition(convention, lifecycle.SIGNEE, date=signed_on, today=max(signed_on, TODAY))
    return convention
