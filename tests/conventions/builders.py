"""The one place the tests build conventions.

Two ways, for two kinds of tests:

- rows written straight into the database in any status and with any dates (``make_convention``,
  ``registered_convention``, ``attach_signed_copy``), for the tests of what reads conventions (compliance, follow-up,
  pages, reminders, backups) — the lifecycle's guards are not in the way;
- conventions taken through the domain's own operations (``drafted_convention``, ``registered``, ``walk``,
  ``signed_convention``), for the tests of the lifecycle, its pages, its API and the browser journeys.
"""

from datetime import UTC, date, datetime

from registry.conventions import lifecycle, signed_copies
from registry.conventions.models import KIND_SIGNED, PARTY_HOSPITAL, PARTY_PARTNER, Convention, ConventionDocument, \
    ConventionParty
from registry.conventions.references import format_reference, next_number
from registry.conventions.services import create_convention, generate_draft, register_convention
from registry.conventions.terms import ConventionTerms
from registry.conventions.transitions import transition
from registry.core.storage import document_store
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.models import Organisation
from tests.clock import TODAY
from tests.conventions.lifecycle_helpers import signed_pdf

SIGNED_PDF = b"%PDF-1.4\n% copie signee de test\n%%EOF\n"
#: Dates that keep a drafted convention « en vigueur » for years around the suite's day (tests/clock.py).
EFFECTIVE = date(TODAY.year - 1, 1, 1)
DURATION_MONTHS = 60
SIGNED_ON = date(TODAY.year - 1, 1, 1)
#: The path from « brouillon » to each status of a convention drafted from a template.
WALK = {lifecycle.BROUILLON: [], lifecycle.EN_NEGOCIATION: [lifecycle.EN_NEGOCIATION],
        lifecycle.A_SIGNER: [lifecycle.EN_NEGOCIATION, lifecycle.A_SIGNER],
        lifecycle.SIGNEE: [lifecycle.EN_NEGOCIATION, lifecycle.A_SIGNER, lifecycle.SIGNEE],
        lifecycle.RESILIEE: [lifecycle.EN_NEGOCIATION, lifecycle.A_SIGNER, lifecycle.SIGNEE, lifecycle.RESILIEE]}
#: ``make_convention(created_at=NOW)`` leaves the creation time to the model (the clock's now).
NOW = None


# Rows written straight into the database.

def make_convention(hospital: HospitalProfile, *partners: Partnership | Organisation, status: str = "signee",
                    partner_types=None, themes=(), signed_on: date | None = date(2025, 6, 1),
                    effective_date: date | None = date(2025, 7, 1), duration_months: int | None = 60,
                    tacit_renewal: bool = False, notice_months: int = 3, terminated_on: date | None = None,
                    parent: Convention | None = None, legal_bases=(), transmitted_to_ars_on: date | None = None,
                    title: str = "Convention de test",
                    created_at: datetime | None = datetime(2025, 1, 2, tzinfo=UTC)) -> Convention:
    """A main convention (or, with ``parent``, an avenant) with the hospital and ``partners`` as parties.

    Partner types default to the first partner's partnership types; an unsigned status drops ``signed_on``.
    """
    organisations = [p.partner if isinstance(p, Partnership) else p for p in partners]
    if partner_types is None:
        partner_types = list(partners[0].partner_types) if partners else []
    if status not in ("signee", "resiliee"):
        signed_on = None
    if parent is None:
        year = (effective_date or date(2026, 1, 1)).year
        number, amendment, reference = next_number(hospital.id, year), 0, None
    else:
        year, number = parent.year, parent.number
        amendment = len(parent.avenants) + 1
        reference = f"{parent.reference}-A{amendment}"
    convention = Convention(
        reference=reference or format_reference(hospital.finess_et, year, number), hospital=hospital,
        year=year, number=number, amendment_number=amendment, parent=parent, title=title,
        status=status, clauses=[], fields={}, partner_types=list(partner_types), themes=list(themes),
        effective_date=effective_date, duration_months=duration_months, tacit_renewal=tacit_renewal,
        notice_months=notice_months, signed_on=signed_on, terminated_on=terminated_on,
        termination_reason="Résiliation d'un commun accord" if status == "resiliee" else None,
        legal_bases=list(legal_bases), transmitted_to_ars_on=transmitted_to_ars_on,
        **({} if created_at is NOW else {"created_at": created_at}))
    convention.parties = [ConventionParty(organisation=organisation, position=position,
                                          role=PARTY_HOSPITAL if position == 0 else PARTY_PARTNER)
                          for position, organisation in enumerate([hospital.organisation, *organisations])]
    db.session.add(convention)
    db.session.flush()
    return convention


def registered_convention(hospital, partnerships, *, effective_date=date(2027, 1, 1), duration_months=36,
                          tacit_renewal=False, notice_months=3, title="Convention enregistrée") -> Convention:
    """A convention drafted outside the application (no template), in « brouillon », created now."""
    return make_convention(hospital, *partnerships, status=lifecycle.BROUILLON, partner_types=["second_recours"],
                           effective_date=effective_date, duration_months=duration_months,
                           tacit_renewal=tacit_renewal, notice_months=notice_months, title=title, created_at=NOW)


def attach_signed_copy(convention: Convention, data: bytes = SIGNED_PDF) -> ConventionDocument:
    """The row the signed-copy upload will write: bytes stored first, then the row."""
    sha256, size = document_store().store(data + convention.reference.encode())
    document = ConventionDocument(convention=convention, kind=KIND_SIGNED, version=len(convention.signed_copies) + 1,
                                  sha256=sha256, size=size, filename=f"{convention.reference} signée.pdf",
                                  media_type="application/pdf")
    db.session.add(document)
    db.session.flush()
    return document


# Conventions taken through the domain's operations.

def signed_convention(hospital, partnerships, *, signed_on=date(2026, 6, 1), **values) -> Convention:
    """A registered convention taken to « signée » through the lifecycle (copy, then the transition)."""
    convention = registered_convention(hospital, partnerships, **values)
    attach_signed_copy(convention)
    transition(convention, lifecycle.SIGNEE, date=signed_on, today=max(signed_on, TODAY))
    return convention


#: The fields the shipped « ehpad » template asks for.
EHPAD_FIELDS = {"administrative_court": "Dijon", "signing_place": "Dijon"}


def drafted_convention(hospital, partnership, *, actor=None, status: str = lifecycle.BROUILLON,
                       template_code: str = "ehpad", fields: dict | None = None, effective_date: date = EFFECTIVE,
                       duration_months: int = DURATION_MONTHS) -> Convention:
    """A convention from a shipped template (« ehpad » unless told) with one draft, walked to ``status``."""
    convention = create_convention(hospital, ConventionTerms(partnerships=[partnership], effective_date=effective_date,
        duration_months=duration_months),
        template_code=template_code, fields=dict(EHPAD_FIELDS if fields is None else fields), actor=actor)
    generate_draft(convention, actor=actor)
    walk(convention, status, actor=actor)
    return convention


def registered(hospital, partnership, *, actor=None) -> Convention:
    """A convention registered through the service, in « brouillon »: it can be registered signed at once."""
    return register_convention(hospital, ConventionTerms(partnerships=[partnership], partner_types=["ehpad"],
        themes=["retour_domicile"], effective_date=EFFECTIVE, duration_months=DURATION_MONTHS),
        actor=actor)


def walk(convention: Convention, status: str, *, actor=None) -> Convention:
    """Take a convention from « brouillon » to ``status``, with a signed copy before signing."""
    for target in WALK[status]:
        if target == lifecycle.SIGNEE:
            signed_copies.attach_signed_copy(convention, signed_pdf(), actor=actor)
            transition(convention, target, actor=actor, date=SIGNED_ON)
        elif target == lifecycle.RESILIEE:
            transition(convention, target, actor=actor, date=TODAY, comment="Fin de la coopération")
        else:
            transition(convention, target, actor=actor)
    db.session.commit()
    return convention
