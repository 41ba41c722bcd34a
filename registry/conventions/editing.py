"""Changing a convention after its creation: edit it while it is negotiated, correct it once signed.

- ``edit_convention``: « brouillon » and « en négociation » only (Conflict, 409, from « à signer » on); every value
  the creation sets, checked as at the creation; the next draft renders the new values.
- ``correct_convention``: « signée » and « résiliée » only (the record of a signed document: a date, a party, a
  signatory typed wrong); a reason is required; the template's clauses and fields stay those of the signed copy.

Both lock the row first (two edits at once run one after the other), change only what ``changes`` names, and
record one audit entry listing each changed value (old → new), which the convention's timeline shows. A change
that changes nothing records nothing. Both flush and never commit: the caller commits. docs/lifecycle.md.
"""

from datetime import date

from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.audit.services import record_audit
from registry.conventions.context import ARTICLES_KEY, convention_context
from registry.conventions.models import PARTY_HOSPITAL, PARTY_PARTNER, Convention, ConventionParty
from registry.conventions.services import TITLE_LENGTH, _notice, partnership_problems, terms_problems
from registry.conventions.statuses import Status
from registry.conventions.terms import Signatory
from registry.core import clock
from registry.core.errors import Conflict, DomainError
from registry.core.french import french_date
from registry.core.transaction import lock_row
from registry.documents.context import ContextError
from registry.documents.manifest import parse_manifest
from registry.extensions import db
from registry.hospitals.models import Partnership

EDIT_ACTION, CORRECTION_ACTION = "convention.edit", "convention.correct"
#: What an edit may change: what the creation sets (``partnerships`` and ``signatories`` are the parties).
EDITABLE = frozenset({"title", "partnerships", "signatories", "clauses", "fields", "partner_types", "themes",
                      "legal_bases", "effective_date", "duration_months", "tacit_renewal", "notice_months"})
#: What a correction may change: the record of the signed convention, its dates and its termination.
#: (clauses, fields: named only to be refused with a reason, DOCUMENT_VALUES).
CORRECTABLE = EDITABLE | {"signed_on", "terminated_on", "termination_reason"}
#: A drafted convention's clauses, fields, themes and legal bases are those of its signed document.
DOCUMENT_VALUES = frozenset({"clauses", "fields", "themes", "legal_bases"})
AVENANT_VALUES = frozenset({"title", "signatories", "effective_date", "signed_on", "terminated_on",
                            "termination_reason"})
REASON_LENGTH = 2000
#: The audit entry's key for the correction's reason (the summary says it too).
REASON_KEY = "reason"
#: Audit keys of a template field's value and of a party's signatory: « champ : <label> », « signataire : <name> ».
FIELD_KEY, SIGNATORY_KEY = "champ : ", "signataire : "


def snapshot(convention: Convention) -> dict:
    """The convention's values as an audit entry lists them (dates in ISO, booleans in French)."""
    labels = _field_labels(convention)
    values = {
        "title": convention.title, "effective_date": _iso(convention.effective_date),
        "duration_months": convention.duration_months, "tacit_renewal": "oui" if convention.tacit_renewal else "non",
        "notice_months": convention.notice_months, "partner_types": list(convention.partner_types or ()),
        "themes": list(convention.themes or ()), "legal_bases": list(convention.legal_bases or ()),
        "clauses": list(convention.clauses or ()), "signed_on": _iso(convention.signed_on),
        "terminated_on": _iso(convention.terminated_on), "termination_reason": convention.termination_reason,
        "partners": [party.organisation.display_name for party in convention.parties if party.role == PARTY_PARTNER],
    }
    for party in convention.parties:
        said = " – ".join(value for value in (party.signatory_name, party.signatory_title) if value)
        values[SIGNATORY_KEY + party.organisation.display_name] = said or None
    for name, value in (convention.fields or {}).items():
        values[FIELD_KEY + labels.get(name, name)] = value
    return values


def changes_between(before: dict, after: dict) -> dict:
    """{key: [before, after]} for every value that differs, in ``after``'s order then the removed ones."""
    keys = list(after) + [key for key in before if key not in after]
    return {key: [before.get(key), after.get(key)] for key in keys
            if before.get(key) != after.get(key) and not (before.get(key) in (None, "", [])
                                                           and after.get(key) in (None, "", []))}


def edit_convention(convention: Convention, changes: dict, *, actor=None) -> dict:
    """Change the values named in ``changes`` of a convention still negotiated; the changes recorded, or {}.

    Keys are those of ``EDITABLE``: ``partnerships`` a list of the hospital's Partnership rows, ``signatories``
    {organisation id: Signatory}, ``fields`` the template's values to change (the others are kept).
    """
    lock_row(convention)  # two edits at once: the second waits, then reads what the first wrote
    _refuse_unknown(changes, _allowed(convention, EDITABLE), "modifier")
    convention.ensure_editable()
    before = snapshot(convention)
    problems = _apply(convention, changes)
    if convention.template_version_id is not None:
        problems += _document_problems(convention, changes)
    _refuse(problems, "Modification refusée")
    return _record(convention, before, EDIT_ACTION, actor=actor)


def correct_convention(convention: Convention, changes: dict, *, reason: str | None, actor=None) -> dict:
    """Correct a signed (or terminated) convention's record, with a reason; the changes recorded, or {}."""
    lock_row(convention)
    _refuse_unknown(changes, _allowed(convention, CORRECTABLE), "corriger")
    ensure_correctable(convention)
    problems = []
    reason = (reason or "").strip()
    if not reason:
        problems.append("indiquez le motif de la correction")
    elif len(reason) > REASON_LENGTH:
        problems.append(f"le motif dépasse {REASON_LENGTH} caractères")
    if convention.template_version_id is not None:
        problems += [f"« {name} » est celui du document signé et ne se corrige pas"
                     for name in sorted(DOCUMENT_VALUES & set(changes))]
    else:
        problems += [f"« {name} » n'existe que pour une convention rédigée d'après un modèle"
                     for name in ("clauses", "fields") if changes.get(name)]
    if convention.status != Status.RESILIEE:
        problems += ["seule une convention résiliée a une date et un motif de résiliation"
                     for name in ("terminated_on", "termination_reason") if name in changes][:1]
    _refuse(problems, "Correction refusée")
    before = snapshot(convention)
    problems = _apply(convention, changes)
    problems += _signature_problems(convention, changes)
    _refuse(problems, "Correction refusée")
    return _record(convention, before, CORRECTION_ACTION, actor=actor, reason=reason)


def ensure_correctable(convention: Convention) -> None:
    """Conflict (409) unless the convention is signed or terminated, saying how to change it instead."""
    if not convention.status.correctable:
        label = convention.status.label
        advice = ("modifiez-la directement (bouton « Modifier »)" if convention.status.editable
                  else "repassez-la « en négociation » (avec un motif) pour la modifier")
        raise Conflict(f"Seule une convention signée ou résiliée se corrige ; celle-ci est « {label} » : {advice}.")


# --- Applying and checking ---------------------------------------------------------------------------------------

def _allowed(convention: Convention, keys: frozenset) -> frozenset:
    """An avenant has its title, the day it applies, its signatories and its own dates; its term is the parent's.
    One drafted from the avenant template also has its template's values (conventions/avenants.py)."""
    if not convention.is_avenant:
        return keys
    return keys & (AVENANT_VALUES | ({"fields"} if convention.template_version_id is not None else set()))


def _refuse_unknown(changes: dict, allowed: frozenset, verb: str) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise DomainError(f"Impossible de {verb} : " + ", ".join(f"« {name} »" for name in unknown) + ".",
                          details={name: ["ne se modifie pas ici"] for name in unknown})


def _refuse(problems: list[str], what: str) -> None:
    if problems:
        raise DomainError(f"{what} : " + " ; ".join(problems) + ".", details=problems)


def _apply(convention: Convention, changes: dict) -> list[str]:
    """Set the values ``changes`` names; what is wrong with the result, in French (the caller rolls back)."""
    problems = []
    if "title" in changes:
        title = (changes["title"] or "").strip()
        if not title:
            problems.append("indiquez l'intitulé de la convention")
        elif len(title) > TITLE_LENGTH:
            problems.append(f"l'intitulé dépasse {TITLE_LENGTH} caractères")
        convention.title = title[:TITLE_LENGTH]
    if "notice_months" in changes:
        convention.notice_months = _notice(changes["notice_months"])
    for name in ("effective_date", "duration_months", "signed_on", "terminated_on"):
        if name in changes:
            setattr(convention, name, changes[name])
    if "tacit_renewal" in changes:
        convention.tacit_renewal = bool(changes["tacit_renewal"])
    if "termination_reason" in changes:
        convention.termination_reason = (changes["termination_reason"] or "").strip() or None
    for name in ("partner_types", "themes", "legal_bases", "clauses"):
        if name in changes:
            setattr(convention, name, list(dict.fromkeys(changes[name] or ())))
    if "fields" in changes:
        fields = dict(changes["fields"] or {})
        if "notice_months" in fields:
            convention.notice_months = _notice(fields.pop("notice_months"))
        convention.fields = {**(convention.fields or {}), **fields}
    if "partnerships" in changes:
        problems += partnership_problems(convention.hospital, changes["partnerships"])
        if not problems:
            _set_partners(convention, changes["partnerships"])
    if "signatories" in changes:
        _set_signatories(convention, changes["signatories"] or {})
    if convention.is_avenant:
        return problems
    problems += terms_problems(partner_types=convention.partner_types, themes=convention.themes,
                               duration_months=convention.duration_months, effective_date=convention.effective_date,
                               notice_months=convention.notice_months, legal_bases=convention.legal_bases)
    if convention.template_version_id is None:
        if not convention.partner_types:
            problems.append("indiquez au moins un type de partenaire couvert par la convention")
        if not convention.themes:
            problems.append("indiquez au moins un thème couvert par la convention")
    return problems


def _document_problems(convention: Convention, changes: dict) -> list[str]:
    """A drafted convention: clauses of its template, themes and legal bases those of its articles, and values
    from which a draft renders (checked as at the creation)."""
    manifest = parse_manifest(convention.template_version.manifest)
    problems = [f"clause inconnue du modèle : « {code} »" for code in convention.clauses
                if code not in manifest.clause_codes]
    document_themes = list(manifest.themes_for(set(convention.clauses)))
    beyond = [code for code in changes.get("themes") or () if code not in document_themes]
    if beyond:
        problems.append("les thèmes d'une convention rédigée d'après un modèle sont ceux de ses articles ("
                        + (", ".join(document_themes) or "aucun") + ") ; aucun article ne couvre : "
                        + ", ".join(beyond) + " (cochez la clause qui le traite)")
    if changes.get("legal_bases") and set(changes["legal_bases"]) != set(manifest.legal_bases):
        problems.append("le fondement juridique d'une convention rédigée d'après un modèle est celui du modèle ("
                        + (", ".join(manifest.legal_bases) or "aucun") + ")")
    convention.themes, convention.legal_bases = document_themes, list(manifest.legal_bases)
    if convention.is_avenant:
        from registry.conventions.avenants import recorded_article_problems  # avenants.py builds on this module

        problems += recorded_article_problems(convention)
    if not problems:
        try:
            convention_context(convention, generated_on=clock.today())
        except ContextError as error:
            problems += error.messages
    return problems


def _signature_problems(convention: Convention, changes: dict) -> list[str]:
    """The dates of a signed convention stay consistent: signed, not in the future, terminated after."""
    problems, today = [], clock.today()
    if convention.signed_on is None:
        problems.append("indiquez la date de signature")
    elif convention.signed_on > today:
        problems.append("la date de signature ne peut pas être dans le futur")
    if convention.status == Status.RESILIEE:
        if convention.terminated_on is None:
            problems.append("indiquez la date d'effet de la résiliation")
        elif convention.signed_on is not None and convention.terminated_on < convention.signed_on:
            problems.append("la résiliation ne peut pas prendre effet avant la signature")
        if not convention.termination_reason:
            problems.append("indiquez le motif de la résiliation")
    sent = convention.transmitted_to_ars_on
    if sent is not None and convention.signed_on is not None and sent < convention.signed_on:
        problems.append(f"la convention a été transmise à l'ARS le {french_date(sent)}, avant la date de "
                        "signature indiquée : corrigez d'abord la date de transmission")
    return problems


def _set_partners(convention: Convention, partnerships: list[Partnership]) -> None:
    """The parties become the hospital then these partners, in this order; a party that stays keeps its row (and
    its signatory), so the unique (convention, organisation) pair is never written twice."""
    existing = {party.organisation_id: party for party in convention.parties}
    hospital_party = next(party for party in convention.parties if party.role == PARTY_HOSPITAL)
    parties = [hospital_party]
    for position, partnership in enumerate(dict.fromkeys(partnerships), start=1):
        party = existing.get(partnership.partner_id) or ConventionParty(
            organisation=partnership.partner, role=PARTY_PARTNER)
        party.position = position
        parties.append(party)
    convention.parties = parties  # the parties left out are deleted (delete-orphan)


def _set_signatories(convention: Convention, signatories: dict[int, Signatory]) -> None:
    """Who signs for each party named in ``signatories`` (others unchanged; a blank value clears it)."""
    for party in convention.parties:
        signatory = signatories.get(party.organisation.id)
        if signatory is not None:
            party.signatory_name = (signatory.name or "").strip()[:120] or None
            party.signatory_title = (signatory.title or "").strip()[:120] or None


def _record(convention: Convention, before: dict, action: str, *, actor, reason: str | None = None) -> dict:
    changes = changes_between(before, snapshot(convention))
    if not changes:
        return {}
    db.session.flush()
    labels = ", ".join(change_label(key) for key in changes)
    if action == EDIT_ACTION:
        summary = f"Convention {convention.reference} modifiée : {labels}"
    else:
        summary = f"Convention {convention.reference} corrigée ({reason}) : {labels}"
        changes[REASON_KEY] = [None, reason]
    record_audit(action, convention, summary[:500], hospital=convention.hospital, actor=actor, changes=changes)
    return changes


def change_history(convention: Convention) -> list[AuditLog]:
    """The audit entries of the convention's edits and corrections, oldest first (one query)."""
    return list(db.session.scalars(select(AuditLog).where(
        AuditLog.object_type == Convention.__name__, AuditLog.object_id == convention.id,
        AuditLog.action.in_((EDIT_ACTION, CORRECTION_ACTION))).order_by(AuditLog.id)))


#: French names of a convention's values in the timeline and the hospital's history.
CHANGE_LABELS = {
    "title": "Intitulé", "effective_date": "Date d'effet", "duration_months": "Durée (mois)",
    "tacit_renewal": "Reconduction tacite", "notice_months": "Préavis (mois)", "partner_types": "Types de partenaire",
    "themes": "Thèmes", "legal_bases": "Fondements juridiques", "clauses": "Clauses facultatives",
    "signed_on": "Date de signature", "terminated_on": "Date d'effet de la résiliation",
    "termination_reason": "Motif de la résiliation", "partners": "Partenaires",
}


def change_label(key: str) -> str:
    if key.startswith(FIELD_KEY):
        return "Champ « " + key.removeprefix(FIELD_KEY) + " »"
    if key.startswith(SIGNATORY_KEY):
        return "Signataire pour " + key.removeprefix(SIGNATORY_KEY)
    return CHANGE_LABELS.get(key, key)


def _field_labels(convention: Convention) -> dict:
    manifest = convention.template_version.manifest if convention.template_version else {}
    return {ARTICLES_KEY: "articles modifiés",
            **{spec["name"]: spec.get("label", spec["name"]) for spec in manifest.get("fields", [])}}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
