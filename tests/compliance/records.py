"""Conventions written straight into the database in any status and with any dates, for the adapter, page, API and
command tests of the compliance check (the lifecycle's guards are tested in tests/conventions)."""

from datetime import UTC, date, datetime

from registry.conventions.models import PARTY_HOSPITAL, PARTY_PARTNER, Convention, ConventionParty
from registry.conventions.references import format_reference, next_number
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.models import Organisation

#: The day the compliance tests evaluate on: every convention below is dated around it.
AT = date(2026, 6, 1)


def make_convention(hospital: HospitalProfile, *partners: Partnership | Organisation, status: str = "signee",
                    partner_types=None, themes=(), signed_on: date | None = date(2025, 6, 1),
                    effective_date: date | None = date(2025, 7, 1), duration_months: int | None = 60,
                    tacit_renewal: bool = False, terminated_on: date | None = None,
                    parent: Convention | None = None, legal_bases=(), transmitted_to_ars_on: date | None = None,
                    created_at: datetime = datetime(2025, 1, 2, tzinfo=UTC)) -> Convention:
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
        year=year, number=number, amendment_number=amendment, parent=parent, title="Convention de test",
        status=status, clauses=[], fields={}, partner_types=list(partner_types), themes=list(themes),
        effective_date=effective_date, duration_months=duration_months, tacit_renewal=tacit_renewal,
        notice_months=3, signed_on=signed_on, terminated_on=terminated_on,
        termination_reason="Résiliation d'un commun accord" if status == "resiliee" else None,
        legal_bases=list(legal_bases), transmitted_to_ars_on=transmitted_to_ars_on, created_at=created_at)
    convention.parties = [ConventionParty(organisation=organisation, position=position,
                                          role=PARTY_HOSPITAL if position == 0 else PARTY_PARTNER)
                          for position, organisation in enumerate([hospital.organisation, *organisations])]
    db.session.add(convention)
    db.session.flush()
    return convention
