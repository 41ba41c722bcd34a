"""What the statutory rules read of a convention beyond its lifecycle: the day it was sent to the ARS, and, for a
convention registered after being drafted elsewhere, its legal bases. Both are checked and audited.

The law asks for the transmission of the statutory conventions (L6111-3-2 III, L6111-3-3) and of the HAD–ESMS
convention (D6124-204); the compliance check counts an L6111-3-2 or L6111-3-3 convention only once it was sent.
A drafted convention's legal bases are its template's and do not change here.
"""

from datetime import date

from registry.audit.services import record_audit
from registry.conventions.models import Convention
from registry.core import clock
from registry.core.errors import DomainError
from registry.core.french import french_date
from registry.core.vocabulary import LEGAL_BASES, unknown_codes
from registry.core.transaction import lock_row
from registry.extensions import db


def transmission_problems(convention: Convention, on: date | None, today: date) -> list[str]:
    """What keeps ``on`` from being recorded as the day the convention was sent to the ARS, in French."""
    if on is None:
        return ["indiquez la date de transmission à l'ARS"]
    problems = []
    if not convention.status.signed:
        problems.append("seule une convention signée se transmet à l'ARS")
    elif convention.signed_on is not None and on < convention.signed_on:
        problems.append(f"la transmission ne peut précéder la signature ({french_date(convention.signed_on)})")
    if on > today:
        problems.append("la date de transmission ne peut pas être dans le futur")
    return problems


def record_ars_transmission(convention: Convention, on: date | None, *, actor=None) -> Convention:
    """Record (or correct) the day the hospital sent the convention to the ARS; flushes, the caller commits."""
    lock_row(convention)
    problems = transmission_problems(convention, on, clock.today())
    if problems:
        raise DomainError("Transmission refusée : " + " ; ".join(problems) + ".", details=problems)
    before = convention.transmitted_to_ars_on
    convention.transmitted_to_ars_on = on
    db.session.flush()
    record_audit("convention.transmit", convention,
                 f"Convention {convention.reference} transmise à l'ARS le {french_date(on)}",
                 hospital=convention.hospital, actor=actor,
                 changes={"transmitted_to_ars_on": [before.isoformat() if before else None, on.isoformat()]})
    return convention


def set_legal_bases(convention: Convention, legal_bases: list[str], *, actor=None) -> Convention:
    """Correct the legal bases of a registered convention (drafted elsewhere); flushes, the caller commits."""
    lock_row(convention)
    bases = list(dict.fromkeys(legal_bases or ()))
    problems = [f"fondement juridique inconnu : « {code} »" for code in unknown_codes(bases, LEGAL_BASES)]
    if convention.template_version_id is not None:
        problems.append("le fondement juridique d'une convention rédigée dans l'application est celui de son modèle")
    if problems:
        raise DomainError("Fondement refusé : " + " ; ".join(problems) + ".", details=problems)
    before = list(convention.legal_bases or ())
    convention.legal_bases = bases
    db.session.flush()
    record_audit("convention.legal_bases", convention,
                 f"Convention {convention.reference} : fondement juridique " + (", ".join(bases) or "aucun"),
                 hospital=convention.hospital, actor=actor, changes={"legal_bases": [before, bases]})
    return convention
