"""Registry operations: search establishments, create partners outside FINESS. They flush; callers commit."""

import re

from sqlalchemy import Select, String, cast, func, or_, select

from registry.audit.services import record_audit
from registry.core.errors import DomainError
from registry.core.geography import OVERSEAS_INSEE_PREFIX, is_departement, region_of
from registry.core.vocabulary import PARTNER_TYPES, unknown_codes
from registry.extensions import db
from registry.organisations.categories import categories_for_partner_type
from registry.organisations.identifiers import rna_problem, siret_problem
from registry.organisations.models import SOURCE_MANUAL, Organisation

COMMUNE_PATTERN = re.compile(r"^[0-9][0-9AB][0-9]{3}$")


def search_establishments(q: str | None = None, *, finess: str | None = None, departement: str | None = None,
                          category: str | None = None, partner_type: str | None = None,
                          region: str | None = None) -> Select:
    """Organisations matching every given criterion, by name; ``q`` matches name, FINESS, city or postcode."""
    query = select(Organisation)
    if q:
        text = q.strip()
        if re.fullmatch(r"[0-9][0-9AB][0-9]{7}", text.upper()):
            query = query.where(Organisation.finess_et == text.upper())
        else:
            lowered = text.lower()  # LIKE wildcards typed by the user (%, _) are matched literally
            query = query.where(or_(
                func.lower(Organisation.name).contains(lowered, autoescape=True),
                func.lower(Organisation.long_name).contains(lowered, autoescape=True),
                func.lower(Organisation.city).contains(lowered, autoescape=True),
                Organisation.postal_code.startswith(text, autoescape=True),
                Organisation.finess_et.startswith(text.upper(), autoescape=True),
            ))
    if finess:
        query = query.where(or_(Organisation.finess_et == finess, Organisation.finess_ej == finess))
    if departement:
        query = query.where(Organisation.departement == departement)
    if region:
        query = query.where(Organisation.region == region)
    if category:
        query = query.where(Organisation.category_code == category)
    if partner_type:
        codes = categories_for_partner_type(partner_type)
        # Manual partner types are a short JSON list; its text form is searched for the quoted code.
        manual = cast(Organisation.manual_partner_types, String).like(f'%"{partner_type}"%')
        query = query.where(or_(Organisation.category_code.in_(codes), manual) if codes else manual)
    return query.order_by(Organisation.name, Organisation.id)


def category_choices() -> list[tuple[str, str]]:
    """(code, label) of the FINESS categories present in the registry, for search filters."""
    rows = db.session.execute(
        select(Organisation.category_code, func.min(Organisation.category_label))
        .where(Organisation.category_code.is_not(None))
        .group_by(Organisation.category_code).order_by(Organisation.category_code))
    return [(code, f"{code} – {label}") for code, label in rows]


def commune_code_problem(commune: str | None, departement: str | None) -> str | None:
    if not commune:
        return None
    if not COMMUNE_PATTERN.match(commune):
        return f"le code commune INSEE « {commune} » doit compter 5 caractères"
    if departement and departement in OVERSEAS_INSEE_PREFIX:
        return None
    if departement and not commune.startswith(departement):
        return f"la commune {commune} n'appartient pas au département {departement}"
    return None


def create_external_partner(*, name: str, partner_types: list[str], departement: str, siret: str | None = None,
                            rna: str | None = None, commune: str | None = None, address: str | None = None,
                            postal_code: str | None = None, city: str | None = None) -> Organisation:
    """A partner outside FINESS (a CPTS association, an MMG...), identified by SIRET or RNA.

    An organisation already known by the same SIRET or RNA is returned instead of being created twice.
    """
    name = (name or "").strip()
    siret = (siret or "").replace(" ", "") or None
    rna = (rna or "").strip().upper() or None
    problems = []
    if not name:
        problems.append("le nom du partenaire est obligatoire")
    if not siret and not rna:
        problems.append("indiquez le SIRET ou le numéro RNA du partenaire")
    problems += [p for p in (siret_problem(siret), rna_problem(rna)) if p]
    if not is_departement(departement):
        problems.append(f"département inconnu : « {departement} »")
    problems += [p for p in [commune_code_problem(commune, departement)] if p]
    unknown = unknown_codes(partner_types, PARTNER_TYPES)
    if unknown:
        problems.append("type de partenaire inconnu : " + ", ".join(unknown))
    if not partner_types:
        problems.append("choisissez au moins un type de partenaire")
    if problems:
        raise DomainError("Partenaire refusé : " + " ; ".join(problems) + ".", details=problems)

    existing = db.session.scalar(select(Organisation).where(or_(
        (Organisation.siret == siret) if siret else False,
        (Organisation.rna == rna) if rna else False)))
    if existing is not None:
        return existing
    organisation = Organisation(
        name=name, siret=siret, rna=rna, departement=departement, region=region_of(departement),
        commune_code=commune or None, address=address or None, postal_code=postal_code or None,
        city=city or None, source=SOURCE_MANUAL, manual_partner_types=list(dict.fromkeys(partner_types)))
    db.session.add(organisation)
    db.session.flush()
    record_audit("organisation.create", organisation, f"Partenaire hors FINESS « {name} » créé")
    return organisation


def search_registry(*, name: str | None = None, finess: str | None = None, commune: str | None = None,
                    departement: str | None = None, category: str | None = None,
                    partner_type: str | None = None) -> Select:
    """The search page's criteria on top of search_establishments: a partial FINESS and a commune.

    A complete FINESS number (9 characters) matches the ET or EJ exactly, a shorter one by prefix; the commune
    matches the city name, the postcode or the INSEE code.
    """
    finess = (finess or "").strip().upper()
    complete = finess if len(finess) == 9 else None
    query = search_establishments(name, finess=complete, departement=departement or None,
                                  category=category or None, partner_type=partner_type or None)
    if finess and not complete:
        query = query.where(or_(Organisation.finess_et.startswith(finess, autoescape=True),
                                Organisation.finess_ej.startswith(finess, autoescape=True)))
    commune = (commune or "").strip()
    if commune:
        query = query.where(or_(func.lower(Organisation.city).contains(commune.lower(), autoescape=True),
                                Organisation.postal_code.startswith(commune, autoescape=True),
                                Organisation.commune_code == commune.upper()))
    return query


def find_organisation(organisation_id: int) -> Organisation | None:
    """Any organisation by id (FINESS or not): the registry is readable by every signed-in user."""
    return db.session.get(Organisation, organisation_id)
