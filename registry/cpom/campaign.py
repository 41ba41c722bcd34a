"""A year's campaign: the establishment declares a value and brings proof, the ARS asks for proof and validates or
contests; ``year_state`` gives an engagement's status, value, target and assessment in a year, reading what the
registry proves itself. Each step flushes and leaves an audit entry; the caller commits.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from registry.audit.services import record_audit
from registry.conventions import lifecycle
from registry.conventions.models import Convention
from registry.core import clock
from registry.core.errors import Conflict
from registry.core.french import french_date
from registry.core.storage import document_store
from registry.core.transaction import lock_row
from registry.cpom import workflow
from registry.cpom.assessment import assess, computed_value
from registry.cpom.avenants import Target, target_for
from registry.cpom.catalogue import LISTE, NOMBRE, OUI_NON, POURCENTAGE, RATIO, REGISTRY, TEXTE, spec_of
from registry.cpom.errors import refuse
from registry.cpom.models import Cpom, CpomDeclaration, CpomEngagement, CpomProof
from registry.cpom.proofs import check_proof
from registry.cpom.services import first_site
from registry.cpom.wording import declared_words
from registry.extensions import db


def declaration_of(engagement: CpomEngagement, year: int) -> CpomDeclaration | None:
    return next((item for item in engagement.declarations if item.year == year), None)


def _check_year(engagement: CpomEngagement, year: int) -> list[str]:
    cpom = engagement.cpom
    if not cpom.effective_on.year - 1 <= year <= cpom.ends_on.year:
        return [f"l'année {year} est hors du CPOM ({cpom.effective_on.year} à {cpom.ends_on.year})"]
    if year > clock.today().year:
        return [f"l'année {year} n'est pas encore commencée"]
    return []


def declare(engagement: CpomEngagement, year: int, *, value=None, numerator=None, denominator=None,
            items=(), comment: str | None = None, source: str = workflow.ESTABLISHMENT,
            actor=None) -> CpomDeclaration:
    """The establishment's value for ``year``; a ratio or percentage is computed from numerator and denominator."""
    spec = spec_of(engagement)
    existing = declaration_of(engagement, year)
    status = existing.status if existing else workflow.NON_DECLAREE
    items = list(dict.fromkeys(items or ()))
    refuse("Déclaration refusée", declaration_problems(engagement, year, value, numerator, denominator, items))
    if spec.kind in (RATIO, POURCENTAGE) and numerator is not None:
        value = computed_value(spec.kind, numerator, denominator)
    if spec.kind == LISTE:
        value = bool(items)
    actor_id = getattr(actor, "id", None)
    declaration = existing or CpomDeclaration(engagement=engagement, year=year, status=workflow.NON_DECLAREE)
    db.session.add(declaration)
    if existing is not None:
        lock_row(existing)
    declaration.value, declaration.numerator, declaration.denominator = value, numerator, denominator
    declaration.items, declaration.comment = items, (comment or "").strip() or None
    declaration.status, declaration.source = workflow.after_declaration(status), source
    declaration.declared_by_id, declaration.declared_at = actor_id, clock.now()
    db.session.flush()
    record_audit("cpom.declare", declaration, f"CPOM {engagement.cpom_id} : « {spec.label} » {year} déclaré : "
                 f"{declared_words(spec, value, declaration)}", hospital=_hospital(engagement), actor=actor,
                 changes={"value": [None, _shown(value)]})
    return declaration


def declaration_problems(engagement: CpomEngagement, year: int, value=None, numerator=None, denominator=None,
                         items=()) -> list[str]:
    """Why ``declare`` would refuse these values (in French), without writing anything."""
    spec = spec_of(engagement)
    existing = declaration_of(engagement, year)
    problems = _check_year(engagement, year)
    if spec.origin == REGISTRY:
        problems.append("cet engagement est établi d'après le registre des conventions, il ne se déclare pas")
    if (refused := workflow.refusal(existing.status if existing else workflow.NON_DECLAREE, "declare")) is not None:
        problems.append(refused)
    return problems + _value_problems(spec, value, numerator, denominator, list(items or ()))


def _value_problems(spec, value, numerator, denominator, items) -> list[str]:
    problems = []
    if spec.kind == OUI_NON and not isinstance(value, bool):
        problems.append("valeur attendue : true (oui) ou false (non)")
    elif spec.kind == LISTE:
        unknown = [item for item in items if item not in spec.items]
        if unknown:
            problems.append("action inconnue : " + ", ".join(f"« {item} »" for item in unknown)
                            + " (actions : " + ", ".join(spec.items) + ")")
    elif spec.kind in (RATIO, POURCENTAGE):
        if numerator is None and denominator is None:
            if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append("indiquez le numérateur et le dénominateur, ou la valeur")
        elif numerator is None or denominator is None:
            problems.append("indiquez à la fois le numérateur et le dénominateur")
        elif denominator <= 0 or numerator < 0:
            problems.append("le dénominateur doit être positif et le numérateur positif ou nul")
        elif numerator > denominator:
            problems.append("le numérateur ne peut dépasser le dénominateur")
    elif spec.kind == NOMBRE and (value is None or isinstance(value, bool) or not isinstance(value, (int, float))):
        problems.append("valeur numérique attendue")
    elif spec.kind == TEXTE and not (isinstance(value, str) and value.strip()):
        problems.append("texte attendu")
    return problems


def _shown(value) -> str:
    """A declared value as the audit trail's machine changes keep it: « oui », « non », « — » or the number or
    text (the summary reads it as the pages do, ``wording.declared_words``)."""
    if value is None or isinstance(value, bool):
        return {None: "—", True: "oui", False: "non"}[value]
    return str(value)


def _hospital(engagement: CpomEngagement):
    return first_site(engagement.cpom)


def _existing(engagement: CpomEngagement, year: int, action: str) -> CpomDeclaration:
    declaration = declaration_of(engagement, year)
    status = declaration.status if declaration else workflow.NON_DECLAREE
    refused = workflow.refusal(status, action)
    if refused:
        raise Conflict(refused[0].upper() + refused[1:] + ".")
    lock_row(declaration)
    return declaration


def attach_proof(engagement: CpomEngagement, year: int, data: bytes, filename: str, *, actor=None) -> CpomProof:
    """A proof document (PDF or office file, checked by content), stored by its SHA-256 like signed copies."""
    declaration = _existing(engagement, year, "proof")
    media_type = check_proof(data)
    sha256, size = document_store().store(data)
    proof = CpomProof(declaration=declaration, sha256=sha256, size=size, filename=(filename or "preuve")[:255],
                      media_type=media_type, uploaded_by_id=getattr(actor, "id", None))
    declaration.status = workflow.after_proof(declaration.status)
    db.session.add(proof)
    db.session.flush()
    record_audit("cpom.proof", declaration, f"CPOM {engagement.cpom_id} : preuve déposée pour {year}",
                 hospital=_hospital(engagement), actor=actor)
    return proof


def request_proof(engagement: CpomEngagement, year: int, *, due: date | None, actor=None) -> CpomDeclaration:
    declaration = _existing(engagement, year, "request")
    problems = ["indiquez la date attendue de la preuve"] if due is None else (
        ["la date attendue ne peut pas être passée"] if due < clock.today() else [])
    refuse("Demande refusée", problems)
    declaration.status, declaration.proof_due = workflow.PREUVE_DEMANDEE, due
    db.session.flush()
    record_audit("cpom.proof_request", declaration, f"CPOM {engagement.cpom_id} : preuve demandée pour {year} avant "
                 f"le {french_date(due)}", hospital=_hospital(engagement), actor=actor)
    return declaration


def review(engagement: CpomEngagement, year: int, *, decision: str, comment: str | None, actor=None):
    declaration = _existing(engagement, year, "review")
    problems = [] if decision in workflow.DECISIONS else [f"décision inconnue : « {decision} » (validee, contestee)"]
    if decision == workflow.CONTESTEE and not (comment or "").strip():
        problems.append("dites pourquoi la valeur est contestée")
    refuse("Revue refusée", problems)
    declaration.status, declaration.review_comment = decision, (comment or "").strip() or None
    declaration.reviewed_by_id, declaration.reviewed_at = getattr(actor, "id", None), clock.now()
    db.session.flush()
    record_audit("cpom.review", declaration, f"CPOM {engagement.cpom_id} : valeur {year} "
                 f"{workflow.STATUS_LABELS[decision].lower()}", hospital=_hospital(engagement), actor=actor)
    return declaration


@dataclass(frozen=True)
class YearState:
    """An engagement in a year, as the campaign shows it."""

    engagement: CpomEngagement
    year: int
    status: str
    value: object
    #: The target that applied that year (avenants.target_for).
    target: Target
    assessment: str
    declaration: CpomDeclaration | None = None

    def as_dict(self) -> dict:
        engagement = self.engagement
        return {"engagement": engagement.id, "indicator": engagement.indicator, "status": self.status,
                "value": self.value, "target": self.target.as_dict(), "assessment": self.assessment}


def year_state(engagement: CpomEngagement, year: int) -> YearState:
    """Status, value and assessment of an engagement in a year; the registry fills what it proves itself."""
    spec = spec_of(engagement)
    declaration = None
    if spec.origin == REGISTRY:
        value = registry_value(engagement.cpom, year)
        status, items = workflow.VALIDEE, ()
    else:
        declaration = declaration_of(engagement, year)
        status = declaration.status if declaration else workflow.NON_DECLAREE
        value = declaration.value if declaration else None
        items = declaration.items if declaration else ()
    target = target_for(engagement, year)
    assessment = assess(spec.kind, target.comparator, target.value, target.applicable, value,
                        items, None if status == workflow.NON_DECLAREE else status)
    return YearState(engagement, year, status, value, target, assessment, declaration)


def registry_value(cpom: Cpom, year: int) -> bool:
    """Whether a covered hospital had, at the end of ``year`` (or today), an L6111-3-2 convention signed, in force
    and sent to the ARS: read from the convention records, never declared."""
    day = min(date(year, 12, 31), clock.today())
    ids = [site.id for site in cpom.sites]
    for convention in db.session.scalars(select(Convention).where(
            Convention.hospital_id.in_(ids), Convention.parent_id.is_(None))):
        if ("L6111-3-2" in (convention.legal_bases or ()) and convention.state_on(day) in
                (lifecycle.EN_VIGUEUR, lifecycle.A_RENOUVELER) and convention.transmitted_to_ars_on is not None
                and convention.transmitted_to_ars_on <= day):
            return True
    return False
