"""Registry operations: search establishments, create partners outside FINESS. They flush; callers commit."""

import re

from sqlalchemy import Select, String, cast, func, or_, select

from registry.audit.services import diff, record_audit
from registry.core.errors import DomainError
from registry.core.geography import OVERSEAS_INSEE_PREFIX, is_departement, region_of
from registry.core.vocabulary import PARTNER_TYPES, unknown_codes
from registry.extensions import db
from registry.organisations.categories import categories_for_partner_type
from registry.organisations.communes import CommuneError, resolve_commune
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
    """The shape of an INSEE commune code (a hospital's territory lists codes)."""
    if not commune:
        return None
    if not COMMUNE_PATTERN.match(commune):
        return f"le code commune INSEE « {commune} » doit compter 5 chiffres (2A ou 2B pour la Corse)"
    if departement and departement in OVERSEAS_INSEE_PREFIX:
        return None
    if departement and not commune.startswith(departement):
        return f"la commune {commune} n'appartient pas au département {departement}"
    return None


#: What a partner outside FINESS records, as create_external_partner and update_external_partner take it.
EXTERNAL_PARTNER_FIELDS = ("name", "siret", "rna", "departement", "commune", "address", "postal_code",
                           "representative_name", "representative_title")
POSTAL_CODE_PATTERN = re.compile(r"^[0-9]{5}$")
#: Longest value of each free-text field (its column's length).
TEXT_LIMITS = {"name": ("le nom du partenaire", 200), "address": ("l'adresse", 200),
               "representative_name": ("le nom du représentant légal", 120),
               "representative_title": ("la fonction du représentant légal", 120)}


def _text(value) -> str | None:
    return " ".join(str(value or "").split()) or None


def external_partner_values(*, name: str | None, departement: str | None = None, siret: str | None = None,
                            rna: str | None = None, commune: str | None = None, address: str | None = None,
                            postal_code: str | None = None, city: str | None = None,
                            representative_name: str | None = None, representative_title: str | None = None,
                            postcodes: bool = True) -> tuple[dict, list[str]]:
    """The columns of a partner outside FINESS from what a user typed, and what is wrong with it (French).

    ``commune`` is a name, a postcode or an INSEE code (see communes.resolve_commune; ``city`` is read the same
    way when no commune is given); the commune found gives the INSEE code, the official name, the département
    when none is chosen, and the postcode when it has only one.
    """
    values = {"name": _text(name), "siret": (siret or "").replace(" ", "") or None,
              "rna": (rna or "").strip().upper() or None, "departement": (departement or "").strip().upper() or None,
              "address": _text(address), "postal_code": (postal_code or "").replace(" ", "") or None,
              "representative_name": _text(representative_name),
              "representative_title": _text(representative_title), "commune_code": None, "city": None}
    problems = []
    if not values["name"]:
        problems.append("le nom du partenaire est obligatoire")
    if not values["siret"] and not values["rna"]:
        problems.append("indiquez le SIRET ou le numéro RNA du partenaire")
    problems += [p for p in (siret_problem(values["siret"]), rna_problem(values["rna"])) if p]
    problems += [f"{label} ne peut dépasser {limit} caractères" for key, (label, limit) in TEXT_LIMITS.items()
                 if len(values[key] or "") > limit]
    if values["postal_code"] and not POSTAL_CODE_PATTERN.match(values["postal_code"]):
        problems.append(f"le code postal « {values['postal_code']} » doit compter 5 chiffres")
    departement = values["departement"]
    if departement and not is_departement(departement):
        problems.append(f"département inconnu : « {departement} »")
    commune_text = _text(commune) or _text(city)
    if commune_text:
        try:
            found = resolve_commune(commune_text, departement, postcodes=postcodes)
        except CommuneError as error:
            problems.append(error.message)
        else:
            values.update(commune_code=found.code, city=found.name)
            given = values["postal_code"]
            if given and found.postal_codes and given not in found.postal_codes:
                known = (f"codes postaux {', '.join(found.postal_codes)}" if len(found.postal_codes) > 1
                         else f"code postal {found.postal_codes[0]}")
                problems.append(f"le code postal {given} n'est pas celui de {found.label}, qui a pour {known} : "
                                "laissez-le vide pour prendre celui de la commune")
            values["postal_code"] = given or found.postal_code
            if not departement:
                values["departement"] = found.departement
            elif is_departement(departement) and found.departement != departement:
                problems.append(f"la commune {found.label} n'appartient pas au département {departement}")
    elif not departement:
        problems.append("indiquez la commune ou le département du partenaire")
    values["region"] = region_of(values["departement"])
    return values, problems


def _refuse(problems: list[str]) -> None:
    if problems:
        raise DomainError("Partenaire refusé : " + " ; ".join(problems) + ".", details=problems)


def create_external_partner(*, partner_types: list[str], postcodes: bool = True, **fields) -> Organisation:
    """A partner outside FINESS (a CPTS association, an MMG...), identified by SIRET or RNA; ``fields`` as
    external_partner_values takes them.

    An organisation already known by the same SIRET or RNA is returned instead of being created twice.
    """
    values, problems = external_partner_values(postcodes=postcodes, **fields)
    unknown = unknown_codes(partner_types, PARTNER_TYPES)
    if unknown:
        problems.append("type de partenaire inconnu : " + ", ".join(unknown))
    if not partner_types:
        problems.append("choisissez au moins un type de partenaire")
    _refuse(problems)
    existing = _same_identifiers(values)
    if existing is not None:
        return existing
    organisation = Organisation(**values, source=SOURCE_MANUAL, manual_partner_types=list(dict.fromkeys(partner_types)))
    db.session.add(organisation)
    db.session.flush()
    record_audit("organisation.create", organisation, f"Partenaire hors FINESS « {values['name']} » créé")
    return organisation


def update_external_partner(organisation: Organisation, *, hospital=None, postcodes: bool = True,
                            **fields) -> Organisation:
    """Change what is recorded about a partner outside FINESS (FINESS rows come from the imports only)."""
    if organisation.source != SOURCE_MANUAL:
        raise DomainError("Seul un partenaire hors FINESS se modifie ici : les données FINESS viennent des imports.")
    values, problems = external_partner_values(postcodes=postcodes, **fields)
    other = _same_identifiers(values, besides=organisation)
    if other is not None:
        problems.append(f"ce SIRET ou ce numéro RNA est déjà celui de « {other.display_name} »")
    _refuse(problems)
    before = {key: getattr(organisation, key) for key in values}
    for key, value in values.items():
        setattr(organisation, key, value)
    changes = diff(before, values)
    if changes:
        record_audit("organisation.update", organisation, f"Partenaire hors FINESS « {organisation.name} » modifié",
                     hospital=hospital, changes=changes)
    return organisation


def _same_identifiers(values: dict, besides: Organisation | None = None) -> Organisation | None:
    """Another organisation known by the same SIRET or RNA."""
    siret, rna = values["siret"], values["rna"]
    query = select(Organisation).where(or_((Organisation.siret == siret) if siret else False,
                                           (Organisation.rna == rna) if rna else False))
    if besides is not None:
        query = query.where(Organisation.id != besides.id)
    return db.session.scalar(query.limit(1))


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
