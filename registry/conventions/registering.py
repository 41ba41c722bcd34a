"""Registering a convention signed before the application, with its signed copy: the one workflow behind the
« Enregistrer une convention existante » form and each row of the stock import.

``register_signed`` creates the convention (register_convention, « brouillon », numbered), attaches its signed
copy (stored, set aside when its signature check raises an alert: signed_copies.py) and records the passage to
« signée » on the signature date, each step with its audit entry; then, when given, the ARS transmission date.
It flushes and never commits: the caller commits once, so any refusal leaves nothing behind.

The PDF is verified once per registration: a caller that has already checked it (the form's validation, the
stock's check of its rows) passes that report, which attach_signed_copy reuses when it is the report of these
very bytes (same SHA-256), and computes again otherwise.
"""

from dataclasses import dataclass
from datetime import date

from registry.conventions.statuses import Status
from registry.conventions.terms import ConventionTerms
from registry.conventions.models import Convention, ConventionDocument
from registry.conventions.services import register_convention
from registry.conventions.signed_copies import attach_signed_copy
from registry.conventions.transitions import transition
from registry.conventions.transmission import record_ars_transmission


@dataclass
class Registered:
    convention: Convention
    #: The signed copy just attached; ``copy.review`` is COPY_SET_ASIDE when its signature check raised an alert.
    copy: ConventionDocument


def register_signed(hospital, terms: ConventionTerms, pdf: bytes, *, signed_on: date, actor=None,
                    report: dict | None = None, transmitted_on: date | None = None) -> Registered:
    """Create a signed convention on ``terms`` with its signed PDF.

    ``report`` is check_signed_copy's report of ``pdf`` when the caller has one (reused, not computed again).
    Flushes; the caller commits.
    """
    convention = register_convention(hospital, terms, actor=actor)
    copy = attach_signed_copy(convention, pdf, actor=actor, report=report)
    transition(convention, Status.SIGNEE, actor=actor, date=signed_on)
    if transmitted_on is not None:
        record_ars_transmission(convention, transmitted_on, actor=actor)
    return Registered(convention, copy)
