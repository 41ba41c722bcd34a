"""Lifecycle operations: transitions, termination, supersession, avenants, deleting an unsigned convention.

Each flushes and never commits; the caller commits. Every write leaves an audit entry, every status change a
ConventionEvent (docs/lifecycle.md).
"""

from datetime import date

from sqlalchemy import func, select

from registry.audit.services import record_audit
from registry.conventions.lifecycle import TransitionRefused
from registry.conventions.models import Convention, ConventionEvent, ConventionParty
from registry.conventions.statuses import Status
from registry.core.errors import Conflict, DomainError
from registry.core.transaction import lock_row
from registry.extensions import db


def transition(convention: Convention, to: str, *, actor=None, comment: str | None = None,
               date: date | None = None, today: date | None = None) -> ConventionEvent:
    """Move ``convention`` to the status ``to``; TransitionRefused (409) says in French what is missing.

    ``date`` is the signature date (to « signée ») or the day the termination takes effect (to « résiliée »);
    ``comment`` is the reason, required to go back from « à signer » and to terminate.
    """
    lock_row(convention)  # two concurrent requests cannot both move it
    source = convention.status
    event = convention.apply_transition(to, actor=actor, comment=comment, on=date, today=today)
    db.session.flush()
    summary = (f"Convention {convention.reference} : {Status(source).label} → {Status(to).label}"
               + (f" ({event.comment})" if event.comment else ""))
    record_audit("convention.transition", convention, summary[:500], hospital=convention.hospital, actor=actor,
                 changes={"status": [source, to],
                          **({"date": [None, event.date.isoformat()]} if event.date else {})})
    return event


def terminate(convention: Convention, *, on: date, reason: str, actor=None) -> ConventionEvent:
    """Résiliation: ``on`` is the day it takes effect (no longer in force from that day), ``reason`` is kept."""
    return transition(convention, Status.RESILIEE, actor=actor, comment=reason, date=on)


def supersede(old: Convention, new: Convention, *, actor=None) -> None:
    """Record that ``new`` replaces ``old`` (``old.superseded_by`` / ``new.supersedes``).

    It does not end ``old``: terminate it, or let it run to its end. Once ``new`` is signed, ``old`` leaves the
    follow-up list (its renewal is done).
    """
    problems = []
    if old.id == new.id:
        problems.append("une convention ne peut pas se remplacer elle-même")
    if old.is_avenant or new.is_avenant:
        problems.append("un avenant ne remplace pas une convention et n'est pas remplacé")
    if old.hospital_id != new.hospital_id:
        problems.append("les deux conventions doivent être du même hôpital")
    if old.superseded_by_id is not None and old.superseded_by_id != new.id:
        problems.append(f"la convention {old.reference} est déjà remplacée par {old.superseded_by.reference}")
    if not old.status.signed:
        problems.append(f"la convention {old.reference} n'a jamais été signée : supprimez-la plutôt")
    if new.status == Status.RESILIEE:
        problems.append(f"la convention {new.reference} est résiliée")
    if _replaces(old, new):
        problems.append(f"la convention {old.reference} est déjà remplacée, directement ou non, "
                        f"par {new.reference} : le remplacement tournerait en rond")
    if problems:
        raise Conflict("Remplacement refusé : " + " ; ".join(problems) + ".", details=problems)
    if old.superseded_by_id == new.id:
        return
    old.superseded_by = new
    db.session.flush()
    record_audit("convention.supersede", old, f"Convention {old.reference} remplacée par {new.reference}",
                 hospital=old.hospital, actor=actor, changes={"superseded_by": [None, new.reference]})


def _replaces(old: Convention, new: Convention) -> bool:
    """Whether ``old`` already replaces ``new``, directly or through a chain (bounded by the table's size)."""
    seen, current = set(), new.superseded_by
    while current is not None and current.id not in seen:
        if current.id == old.id:
            return True
        seen.add(current.id)
        current = current.superseded_by
    return False


def amendable_problems(convention: Convention) -> list[str]:
    """What keeps ``convention`` from getting any avenant, in French: only a signed main convention may."""
    problems = []
    if convention.is_avenant:
        problems.append("un avenant se rattache à la convention principale, pas à un autre avenant")
    if not convention.status.active:
        problems.append("seule une convention signée (et non résiliée) peut recevoir un avenant")
    return problems


def avenant_problems(convention: Convention, title: str) -> list[str]:
    """What keeps ``convention`` from getting an avenant of object ``title``, in French; empty when allowed."""
    problems = amendable_problems(convention)
    title = (title or "").strip()
    if not title:
        problems.append("indiquez l'objet de l'avenant")
    elif len(title) > 300:
        problems.append("l'objet de l'avenant dépasse 300 caractères")
    return problems


def create_avenant(convention: Convention, title: str, *, effective_date: date | None = None,
                   actor=None) -> Convention:
    """An avenant to a signed convention: its own record, parties, documents and lifecycle, in « brouillon ».

    It shares the parent's hospital, year and number, takes the reference ``<parent>-A<n>`` and copies the
    parties (their signatories as a suggestion). ``effective_date`` is the day it applies (None: from its
    signature); the term (end, renewal) stays the parent's. Created here it is drafted outside the application
    (no template); conventions/avenants.py prepares one drafted from the avenant template.
    """
    problems = avenant_problems(convention, title)
    title = (title or "").strip()
    if problems:
        raise DomainError("Avenant refusé : " + " ; ".join(problems) + ".", details=problems)
    lock_row(convention)  # two concurrent avenants of one convention get distinct numbers
    number = (db.session.scalar(select(func.max(Convention.amendment_number))
                                .where(Convention.parent_id == convention.id)) or 0) + 1
    parties = [ConventionParty(organisation_id=party.organisation_id, role=party.role, position=party.position,
                               signatory_name=party.signatory_name, signatory_title=party.signatory_title)
               for party in convention.parties]
    avenant = Convention(
        reference=f"{convention.reference}-A{number}", hospital_id=convention.hospital_id, year=convention.year,
        number=convention.number, amendment_number=number, title=title, status=Status.BROUILLON,
        template_version=None, clauses=[], fields={}, partner_types=[], themes=[], effective_date=effective_date,
        duration_months=None, tacit_renewal=False, notice_months=0, parties=parties,
        created_by_id=actor.id if actor is not None else None)
    db.session.add(avenant)
    avenant.parent = convention
    db.session.flush()
    record_audit("convention.avenant", avenant, f"Avenant {avenant.reference} créé : {title}"[:500],
                 hospital=convention.hospital, actor=actor)
    return avenant


def delete_unsigned_convention(convention: Convention, *, reason: str, actor=None) -> None:
    """Abandon a convention (or avenant) that never went to signature: it is deleted, the audit trail keeps it.

    Its reference number is not given again; its stored drafts stay in the store (never deleted).
    """
    problems = []
    if not convention.status.deletable:
        problems.append(f"une convention « {convention.status.label} » ne se supprime pas"
                        + (" : repassez-la en négociation d'abord" if convention.status == Status.A_SIGNER
                           else " : résiliez-la" if convention.status == Status.SIGNEE else ""))
    if convention.avenants:
        problems.append("elle a des avenants")
    if not (reason or "").strip():
        problems.append("indiquez le motif de l'abandon")
    if problems:
        raise TransitionRefused("Suppression refusée : " + " ; ".join(problems) + ".", details=problems)
    for replaced in convention.supersedes:
        replaced.superseded_by = None
    record_audit("convention.delete", convention,
                 f"Convention {convention.reference} abandonnée et supprimée : {reason.strip()}"[:500],
                 hospital=convention.hospital, actor=actor)
    db.session.delete(convention)
    db.session.flush()
