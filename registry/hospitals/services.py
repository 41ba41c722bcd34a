"""Hospital operations: list an HdP and set its profile, add and remove partners. They flush; callers commit."""

import json
from collections import Counter
from datetime import date

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import selectinload

from registry.audit.services import diff, record_audit
from registry.core import clock
from registry.core.errors import Conflict, DomainError
from registry.core.geography import is_departement
from registry.core.vocabulary import (ACTIVITIES, EQUIPMENT, GHT_SELF, LEGAL_STATUSES, PARTNER_TYPES, REMOVAL_GROUNDS,
                                      THEMES, labels, unknown_codes)
from registry.extensions import db
from registry.hospitals.models import HospitalProfile, Partnership
from registry.organisations.models import Organisation
from registry.organisations.identifiers import finess_problem
from registry.organisations.services import commune_code_problem

#: What the hospital declares about itself (and, for the territory, what either may correct).
DECLARATIONS = ("internal_activities", "own_equipment")
HOSPITAL_FIELDS = ("territory_departements", "territory_communes", *DECLARATIONS)
#: What the ARS of the region records: the listing, the removal, the legal facts, and its confirmations.
ARS_FIELDS = ("listed_on", "decision_ref", "legal_status", "ght_support", "removed_on", "removal_ground",
              "confirmed_activities", "confirmed_equipment")
PROFILE_FIELDS = ARS_FIELDS[:2] + HOSPITAL_FIELDS + ARS_FIELDS[2:]


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v.strip().upper() if isinstance(v, str) else v for v in values or () if v))


def _profile_values(profile: HospitalProfile) -> dict:
    return {field: getattr(profile, field) for field in PROFILE_FIELDS}


def profile_values(profile: HospitalProfile | None) -> dict:
    """Every argument of set_hospital_profile but the organisation: the profile's, or empty ones."""
    if profile is None:
        return {"listed_on": None, "decision_ref": None, "territory_departements": [], "territory_communes": [],
                "internal_activities": [], "own_equipment": None, "legal_status": None, "ght_support": None,
                "removed_on": None, "removal_ground": None, "confirmed_activities": [], "confirmed_equipment": []}
    return {field: getattr(profile, field) for field in PROFILE_FIELDS}


def _listing_problems(values: dict) -> list[str]:
    """What is wrong with what the ARS records (legal status, GHT support, removal, confirmations)."""
    problems = []
    if values["legal_status"] not in (None, *LEGAL_STATUSES):
        problems.append(f"statut juridique inconnu : « {values['legal_status']} » (public ou prive)")
    support = values["ght_support"]
    if support not in (None, GHT_SELF) and (problem := finess_problem(support)):
        problems.append(f"établissement support du GHT : {problem}")
    removed_on, ground = values["removed_on"], values["removal_ground"]
    if (removed_on is None) != (ground is None):
        problems.append("indiquez à la fois la date et le motif du retrait de la liste")
    if ground is not None and ground not in REMOVAL_GROUNDS:
        problems.append(f"motif de retrait inconnu : « {ground} » (a, b, c ou d de l'article R6111-25, III)")
    if removed_on is not None and values["listed_on"] and removed_on < values["listed_on"]:
        problems.append("le retrait de la liste ne peut précéder l'inscription")
    if removed_on is not None and removed_on > clock.today():
        problems.append("la date de retrait de la liste ne peut pas être dans le futur")
    problems += [f"activité inconnue : « {code} »" for code in unknown_codes(values["confirmed_activities"],
                                                                                ACTIVITIES)]
    problems += [f"équipement inconnu : « {code} »" for code in unknown_codes(
        [*(values["own_equipment"] or ()), *values["confirmed_equipment"]], EQUIPMENT)]
    undeclared = [code for code in values["confirmed_activities"] if code not in values["internal_activities"]]
    undeclared += [code for code in values["confirmed_equipment"] if code not in (values["own_equipment"] or ())]
    problems += [f"l'ARS ne peut confirmer que ce que l'hôpital déclare : « {code} » n'est pas déclaré"
                 for code in undeclared]
    return problems


def set_hospital_profile(organisation: Organisation, *, listed_on: date | None, decision_ref: str | None,
                         territory_departements: list[str], territory_communes: list[str],
                         internal_activities: list[str], own_equipment: list[str] | None = None,
                         legal_status: str | None = None, ght_support: str | None = None,
                         removed_on: date | None = None, removal_ground: str | None = None,
                         confirmed_activities: list[str] = (), confirmed_equipment: list[str] = ()
                         ) -> HospitalProfile:
    """List an establishment as hôpital de proximité, or update its profile. Who may change which field is the
    caller's check (HOSPITAL_FIELDS, ARS_FIELDS); here, that every value is valid and consistent."""
    departements = _unique(territory_departements)
    communes = _unique(territory_communes)
    activities = list(dict.fromkeys(internal_activities or ()))
    equipment = None if own_equipment is None else list(dict.fromkeys(own_equipment))
    support = (ght_support or "").strip()
    listing = {"listed_on": listed_on, "legal_status": legal_status or None,
               "ght_support": GHT_SELF if support.lower() == GHT_SELF else support.upper() or None,
               "removed_on": removed_on, "removal_ground": removal_ground or None,
               "internal_activities": activities, "own_equipment": equipment,
               "confirmed_activities": list(dict.fromkeys(confirmed_activities or ())),
               "confirmed_equipment": list(dict.fromkeys(confirmed_equipment or ()))}
    problems = [f"département inconnu : « {code} »" for code in departements if not is_departement(code)]
    problems += [p for code in communes if (p := commune_code_problem(code, None))]
    problems += [f"activité inconnue : « {code} »" for code in unknown_codes(activities, ACTIVITIES)]
    if not organisation.finess_et:
        problems.append("seul un établissement inscrit au FINESS peut être hôpital de proximité")
    if listed_on and listed_on > clock.today():
        problems.append("la date d'inscription sur la liste ne peut pas être dans le futur")
    if not departements and not communes:
        problems.append("indiquez le territoire de l'hôpital (au moins un département ou une commune)")
    problems += _listing_problems(listing)
    if problems:
        raise DomainError("Profil refusé : " + " ; ".join(problems) + ".", details=problems)

    profile = db.session.scalar(select(HospitalProfile).where(HospitalProfile.organisation_id == organisation.id))
    creating = profile is None
    before = {} if creating else _profile_values(profile)
    if creating:
        profile = HospitalProfile(organisation=organisation)
        db.session.add(profile)
    profile.decision_ref = (decision_ref or "").strip() or None
    profile.territory_departements = departements
    profile.territory_communes = communes
    for field, value in listing.items():
        setattr(profile, field, value)
    db.session.flush()
    changes = diff(before, _profile_values(profile))
    if creating:
        record_audit("hospital.list", profile, f"{organisation.display_name} inscrit comme hôpital de proximité",
                     hospital=profile, changes=changes)
    elif changes:
        record_audit("hospital.update", profile, "Profil de l'hôpital modifié", hospital=profile, changes=changes)
    return profile


def without_stale_confirmations(values: dict, given=()) -> dict:
    """A declaration the hospital withdraws takes its confirmation with it; confirmations named in ``given`` are
    kept as they are (the service refuses one of something not declared)."""
    declared = {"confirmed_activities": set(values["internal_activities"] or ()),
                "confirmed_equipment": set(values["own_equipment"] or ())}
    return {**values, **{field: [code for code in values[field] or () if code in codes]
                         for field, codes in declared.items() if field not in given}}


def _check_partnership_values(partner_types, themes) -> list[str]:
    problems = []
    if not partner_types:
        problems.append("choisissez au moins un type de partenaire")
    problems += [f"type de partenaire inconnu : « {c} »" for c in unknown_codes(partner_types, PARTNER_TYPES)]
    problems += [f"thème inconnu : « {c} »" for c in unknown_codes(themes, THEMES)]
    return problems


def add_partner(hospital: HospitalProfile, partner: Organisation, *, partner_types: list[str],
                themes: list[str] = (), notes: str | None = None, started_on: date | None = None) -> Partnership:
    problems = _check_partnership_values(partner_types, themes)
    if partner.id == hospital.organisation_id:
        problems.append("un hôpital ne peut pas être son propre partenaire")
    if problems:
        raise DomainError("Partenariat refusé : " + " ; ".join(problems) + ".", details=problems)
    existing = db.session.scalar(select(Partnership).where(
        Partnership.hospital_id == hospital.id, Partnership.partner_id == partner.id))
    if existing is not None:
        raise Conflict(f"{partner.display_name} est déjà partenaire de cet hôpital.")
    partnership = Partnership(hospital=hospital, partner=partner, partner_types=list(dict.fromkeys(partner_types)),
                              themes=list(dict.fromkeys(themes or ())), notes=(notes or "").strip() or None,
                              started_on=started_on)
    db.session.add(partnership)
    db.session.flush()
    record_audit("partnership.create", partnership,
                 f"Partenaire ajouté : {partner.display_name} ({', '.join(labels(partner_types, PARTNER_TYPES))})",
                 hospital=hospital)
    return partnership


def update_partnership(partnership: Partnership, *, partner_types: list[str], themes: list[str],
                       notes: str | None, started_on: date | None, ended_on: date | None) -> Partnership:
    problems = _check_partnership_values(partner_types, themes)
    if started_on and ended_on and ended_on < started_on:
        problems.append("la date de fin précède la date de début")
    if problems:
        raise DomainError("Partenariat refusé : " + " ; ".join(problems) + ".", details=problems)
    fields = ("partner_types", "themes", "notes", "started_on", "ended_on")
    before = {field: getattr(partnership, field) for field in fields}
    partnership.partner_types = list(dict.fromkeys(partner_types))
    partnership.themes = list(dict.fromkeys(themes or ()))
    partnership.notes = (notes or "").strip() or None
    partnership.started_on, partnership.ended_on = started_on, ended_on
    changes = diff(before, {field: getattr(partnership, field) for field in fields})
    if changes:
        record_audit("partnership.update", partnership, f"Partenariat modifié : {partnership.partner.display_name}",
                     hospital=partnership.hospital, changes=changes)
    return partnership


def remove_partner(partnership: Partnership) -> None:
    hospital, partner = partnership.hospital, partnership.partner
    record_audit("partnership.delete", partnership, f"Partenaire retiré : {partner.display_name}", hospital=hospital)
    db.session.delete(partnership)
    db.session.flush()


def partners_by_type(hospital: HospitalProfile) -> dict[str, list[Partnership]]:
    """Partnerships grouped by partner type, in the vocabulary's order; a partnership can appear twice."""
    groups: dict[str, list[Partnership]] = {code: [] for code in PARTNER_TYPES}
    for partnership in hospital.partnerships:
        for code in partnership.partner_types:
            groups.setdefault(code, []).append(partnership)
    return {code: items for code, items in groups.items() if items}


def partner_counts(hospital_ids) -> dict[int, dict]:
    """For each hospital: {"total": partners, "by_type": {type: partners}}, in one GROUP BY query.

    The types are a JSON list per partnership; rows are grouped by that list's text (portable across SQLite and
    PostgreSQL) and the lists are unfolded here.
    """
    ids = list(hospital_ids)
    if not ids:
        return {}
    types_text = cast(Partnership.partner_types, Text)
    rows = db.session.execute(
        select(Partnership.hospital_id, types_text, func.count())
        .where(Partnership.hospital_id.in_(ids))
        .group_by(Partnership.hospital_id, types_text))
    counts: dict[int, dict] = {}
    for hospital_id, types_json, number in rows:
        entry = counts.setdefault(hospital_id, {"total": 0, "by_type": Counter()})
        entry["total"] += number
        for code in dict.fromkeys(json.loads(types_json or "[]")):
            entry["by_type"][code] += number
    return counts


def hospital_departements(hospitals: Select) -> list[str]:
    """Distinct départements of the hospitals a (scoped) query returns, for a filter."""
    visible = hospitals.subquery()
    query = (select(Organisation.departement).distinct()
             .join(visible, visible.c.organisation_id == Organisation.id)
             .where(Organisation.departement.is_not(None)).order_by(Organisation.departement))
    return list(db.session.scalars(query))


def partnerships_of(partner: Organisation, hospitals: Select) -> list[Partnership]:
    """The partnerships of an organisation with the hospitals a (scoped) query returns, by hospital name."""
    visible = hospitals.subquery()
    query = (select(Partnership).join(visible, visible.c.id == Partnership.hospital_id)
             .join(Organisation, Organisation.id == visible.c.organisation_id)
             .where(Partnership.partner_id == partner.id)
             .options(selectinload(Partnership.hospital))
             .order_by(Organisation.name))
    return list(db.session.scalars(query))


def profile_of(organisation: Organisation) -> HospitalProfile | None:
    """The HdP profile of an establishment, whoever may read it (to know whether it is listed)."""
    return db.session.scalar(select(HospitalProfile).where(HospitalProfile.organisation_id == organisation.id))
