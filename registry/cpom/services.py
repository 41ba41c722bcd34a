"""A CPOM and its engagements: create it for a legal entity and the HdP sites it covers, keep its signed copy, choose
its engagements from its catalogue with their targets, link them to conventions. Each operation flushes and leaves an
audit entry; the caller commits. Targets change later only through an avenant (``avenants.py``); the yearly campaign
is ``campaign.py``.

Who may: the ARS of the region and administrators write CPOMs, engagements, proof requests and reviews; the users of
a covered hospital (and administrators) write declarations and proofs; nobody else reads any of it
(``core.scope.visible_cpoms``).
"""

from datetime import date

from sqlalchemy import select

from registry.audit.services import record_audit
from registry.conventions.models import Convention
from registry.core import clock
from registry.core.french import french_date
from registry.core.storage import document_store
from registry.cpom.assessment import COMPARATORS
from registry.cpom.catalogue import NOMBRE, POURCENTAGE, RATIO, catalogue_of, spec_of
from registry.cpom.errors import refuse
from registry.cpom.models import Cpom, CpomAvenant, CpomCatalogue, CpomDeclaration, CpomEngagement
from registry.cpom.proofs import check_proof
from registry.extensions import db
from registry.hospitals.models import HospitalProfile

#: Kinds whose target is a number compared with the value (the others use « present »).
NUMERIC_KINDS = (RATIO, POURCENTAGE, NOMBRE)


def latest_catalogue(region: str | None) -> CpomCatalogue | None:
    """The region's most recently loaded sheet, if its ARS loaded one (else CPOMs use the built-in catalogue)."""
    if not region:
        return None
    return db.session.scalar(select(CpomCatalogue).where(CpomCatalogue.region == region)
                             .order_by(CpomCatalogue.id.desc()).limit(1))


def create_cpom(hospital: HospitalProfile, *, signed_on: date | None, effective_on: date | None,
                duration_years: int = 5, sites: tuple[HospitalProfile, ...] = (),
                catalogue: CpomCatalogue | None = None, actor=None) -> Cpom:
    """A CPOM of the hospital's legal entity, covering this hospital and ``sites`` (the entity's other HdP sites);
    its engagements come from ``catalogue``, by default the region's latest loaded sheet or the built-in one."""
    organisation = hospital.organisation
    problems = []
    if signed_on is None:
        problems.append("indiquez la date de signature")
    elif signed_on > clock.today():
        problems.append("la date de signature ne peut pas être dans le futur")
    if effective_on is None:
        problems.append("indiquez la date d'effet")
    if isinstance(duration_years, bool) or not isinstance(duration_years, int) or not 1 <= duration_years <= 10:
        problems.append("la durée doit être un nombre d'années entre 1 et 10 (cinq ans selon L6114-1)")
    problems += _site_problems(organisation.finess_ej, sites)
    if catalogue is not None and catalogue.region != organisation.region:
        problems.append("le catalogue choisi est celui d'une autre région")
    refuse("CPOM refusé", problems)
    cpom = Cpom(finess_ej=organisation.finess_ej, name=organisation.display_name, region=organisation.region,
                signed_on=signed_on, effective_on=effective_on, duration_years=duration_years,
                catalogue=catalogue or latest_catalogue(organisation.region),
                created_by_id=getattr(actor, "id", None))
    for site in dict.fromkeys((hospital, *sites)):
        cpom.sites.append(site)
    db.session.add(cpom)
    db.session.flush()
    record_audit("cpom.create", cpom, f"CPOM de {cpom.name} du {french_date(effective_on)} enregistré",
                 hospital=hospital, actor=actor)
    return cpom


def _site_problems(finess_ej: str | None, sites) -> list[str]:
    return [f"l'hôpital {site.finess_et} ne relève pas de l'entité juridique {finess_ej or '(inconnue)'}"
            for site in sites if not finess_ej or site.organisation.finess_ej != finess_ej]


def add_site(cpom: Cpom, hospital: HospitalProfile, *, actor=None) -> None:
    """Cover one more HdP site of the same legal entity."""
    problems = _site_problems(cpom.finess_ej, (hospital,))
    if hospital in cpom.sites:
        problems.append(f"l'hôpital {hospital.finess_et} est déjà couvert par ce CPOM")
    refuse("Site refusé", problems)
    cpom.sites.append(hospital)
    db.session.flush()
    record_audit("cpom.site", cpom, f"CPOM {cpom.id} : couvre aussi {hospital.name}", hospital=hospital,
                 actor=actor)


def attach_signed_copy(target: Cpom | CpomAvenant, data: bytes, filename: str, *, actor=None) -> None:
    """The signed CPOM or avenant (PDF or office file checked by content), stored by SHA-256."""
    check_proof(data)
    sha256, _size = document_store().store(data)
    target.signed_copy_sha256, target.signed_copy_filename = sha256, (filename or "cpom-signe")[:255]
    db.session.flush()
    cpom = target if isinstance(target, Cpom) else target.cpom
    what = "CPOM" if isinstance(target, Cpom) else f"avenant n° {target.number}"
    record_audit("cpom.signed_copy", cpom, f"CPOM {cpom.id} : exemplaire signé du {what} déposé",
                 hospital=first_site(cpom), actor=actor)


def first_site(cpom: Cpom) -> HospitalProfile | None:
    return cpom.sites[0] if cpom.sites else None


def campaign_started(cpom: Cpom) -> bool:
    """Whether a value was declared for any of its engagements: from then on, engagements change by avenant."""
    return db.session.scalar(select(CpomDeclaration.id).join(CpomEngagement)
                             .where(CpomEngagement.cpom_id == cpom.id).limit(1)) is not None


def target_problems(spec, comparator: str, target_value) -> list[str]:
    problems = []
    if comparator not in COMPARATORS:
        problems.append(f"comparateur inconnu : « {comparator} » (" + ", ".join(COMPARATORS) + ")")
    elif spec and comparator != "present" and spec.kind not in NUMERIC_KINDS:
        problems.append(f"l'indicateur « {spec.code} » ({spec.kind}) se compare avec « present »")
    if target_value is not None and (isinstance(target_value, bool) or not isinstance(target_value, (int, float))):
        problems.append("la valeur cible doit être un nombre")
    return problems


def add_engagement(cpom: Cpom, *, indicator: str, comparator: str, target_value: float | None,
                   applicable: bool = True, reason: str | None = None, conventions: tuple[int, ...] = (),
                   avenant: CpomAvenant | None = None, actor=None) -> CpomEngagement:
    """An engagement of the CPOM's catalogue with its target; once the campaign has begun, only by an avenant."""
    spec = catalogue_of(cpom).by_code.get(indicator)
    problems = [] if spec else [f"indicateur inconnu du catalogue : « {indicator} »"]
    problems += target_problems(spec, comparator, target_value)
    if not applicable and not (reason or "").strip():
        problems.append("dites pourquoi l'engagement ne s'applique pas à l'établissement")
    if any(engagement.indicator == indicator for engagement in cpom.engagements):
        problems.append(f"l'engagement « {indicator} » figure déjà dans ce CPOM")
    if avenant is None and campaign_started(cpom):
        problems.append("des valeurs ont déjà été déclarées : un engagement s'ajoute désormais par avenant")
    if avenant is not None and avenant.cpom_id != cpom.id:
        problems.append("l'avenant est celui d'un autre CPOM")
    linked, missing = _conventions(cpom, conventions)
    problems += missing
    refuse("Engagement refusé", problems)
    engagement = CpomEngagement(cpom=cpom, indicator=indicator, comparator=comparator,
                                target_value=None if target_value is None else float(target_value),
                                applicable=applicable, reason=(reason or "").strip() or None,
                                avenant_id=avenant.id if avenant else None)
    engagement.conventions.extend(linked)
    db.session.add(engagement)
    db.session.flush()
    by = f" (avenant n° {avenant.number})" if avenant else ""
    record_audit("cpom.engagement", engagement, f"CPOM {cpom.id} : engagement « {spec.label} »{by}",
                 hospital=first_site(cpom), actor=actor)
    return engagement


def _conventions(cpom: Cpom, ids) -> tuple[list[Convention], list[str]]:
    """The conventions of the covered hospitals among ``ids``, and a problem for each other id."""
    ids = list(dict.fromkeys(ids or ()))
    if not ids:
        return [], []
    sites = [site.id for site in cpom.sites]
    found = {convention.id: convention for convention in db.session.scalars(
        select(Convention).where(Convention.id.in_(ids), Convention.hospital_id.in_(sites)))}
    return ([found[item] for item in ids if item in found],
            [f"convention {item} introuvable parmi celles des hôpitaux couverts" for item in ids if item not in found])


def link_conventions(engagement: CpomEngagement, convention_ids, *, actor=None) -> None:
    """The conventions that carry out the engagement (listed in the annex with their state)."""
    linked, problems = _conventions(engagement.cpom, convention_ids)
    refuse("Liens refusés", problems)
    engagement.conventions[:] = linked
    db.session.flush()
    references = ", ".join(convention.reference or str(convention.id) for convention in linked) or "aucune"
    record_audit("cpom.conventions", engagement, f"CPOM {engagement.cpom_id} : conventions liées à « "
                 f"{spec_of(engagement).label} » : {references}", hospital=first_site(engagement.cpom), actor=actor)
