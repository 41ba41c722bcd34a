"""A small, real-looking demo region: Bourgogne establishments from FINESS (January 2021 extract), four
hôpitaux de proximité with partners of every type, and one account per role. Loading twice changes nothing."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from registry.accounts.models import User
from registry.accounts.services import create_user, find_user
from registry.core import clock
from registry.extensions import db
from registry.hospitals.models import Partnership
from registry.hospitals.services import add_partner, set_hospital_profile
from registry.organisations.models import Organisation
from registry.organisations.services import create_external_partner

FINESS_FILE = Path(__file__).parent / "data" / "finess-fhir-2021-bourgogne-21-58-71-89.ndjson"

#: Demo accounts: (email, password, role, options). Shown by `make run`; for a local demo only.
ACCOUNTS = (
    ("admin@demo.fr", "demo-admin-2026", "admin", {}),
    ("ars@demo.fr", "demo-ars-bfc-2026", "ars", {"region": "27"}),
    ("juriste@demo.fr", "demo-hopital-2026", "hospital", {"finess": ["210987582"]}),
)

#: Fictitious partners outside FINESS (names, addresses and representatives are made up for the demo).
OUTSIDE_FINESS = {
    "mmg_tille": {"name": "Maison médicale de garde de la Tille", "siret": "81234567800013",
                  "commune": "Is-sur-Tille", "address": "2 rue de la Gare", "representative_name": "Dr Anne Moreau",
                  "representative_title": "présidente de l'association", "partner_types": ["mmg"]},
    "dac_21": {"name": "DAC Côte-d'Or", "siret": "82345678900010", "departement": "21", "commune": "21231",
               "address": "12 avenue de la Liberté", "representative_name": "M. Julien Bernard",
               "representative_title": "directeur", "partner_types": ["dac"]},
}

# (FINESS ET, listing date, ARS decision, territory départements, activities run inside, partners)
# Each partner: (FINESS ET or OUTSIDE_FINESS key, partner types, themes).
HOSPITALS = (
    ("210987582", date(2022, 5, 2), "Arrêté DG ARS BFC n° DOS/ASPU/2022-118", ["21"], ["ehpad", "medecins_liberaux"], (
        ("210986089", ["second_recours"], ["orientation", "consultations_avancees", "telemedecine", "entrees_directes"]),
        ("210003059", ["had"], ["retour_domicile", "continuite_soins"]),
        ("210013611", ["cpts"], ["continuite_soins", "retour_domicile", "coordination"]),
        ("210986725", ["ssr"], ["retour_domicile"]),
        ("210986386", ["usld"], []),
        ("210781456", ["ehpad"], ["continuite_soins"]),
        ("210006078", ["centre_sante"], ["continuite_soins"]),
        ("mmg_tille", ["mmg"], ["pdsa"]),
        ("dac_21", ["dac"], ["coordination", "information_partagee"]),
    )),
    ("210987640", date(2022, 5, 2), "Arrêté DG ARS BFC n° DOS/ASPU/2022-119", ["21"], ["ehpad", "usld"], (
        ("210986089", ["second_recours"], ["orientation", "telemedecine"]),
        ("210013611", ["cpts"], ["continuite_soins"]),
    )),
    ("580972610", date(2022, 9, 15), "Arrêté DG ARS BFC n° DOS/ASPU/2022-207", ["58"], ["ehpad"], (
        ("580972693", ["second_recours"], ["orientation", "consultations_avancees"]),
        ("580001899", ["had"], ["retour_domicile"]),
        ("580006849", ["cpts"], ["continuite_soins", "retour_domicile"]),
        ("580006617", ["msp"], ["continuite_soins"]),
        ("580780203", ["ssr"], []),
    )),
    ("710978131", date(2023, 3, 1), "Arrêté DG ARS BFC n° DOS/ASPU/2023-031", ["71"], [], ()),
)


@dataclass
class DemoReport:
    loaded: bool
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    establishments: int = 0


def load_demo_data() -> DemoReport:
    """Load the demo region unless its accounts already exist; the caller commits."""
    report = DemoReport(loaded=False, accounts=[(email, password, role) for email, password, role, _ in ACCOUNTS])
    if find_user(ACCOUNTS[0][0]) is not None:
        return report
    from registry.finess.importer import import_finess  # noqa: PLC0415 (the import area is optional here)

    result = import_finess(FINESS_FILE)
    report.establishments = result.created + result.updated + result.unchanged
    outside = {key: create_external_partner(**values) for key, values in OUTSIDE_FINESS.items()}
    hospitals = []
    for finess, listed_on, decision, departements, activities, partners in HOSPITALS:
        hospital = set_hospital_profile(
            _establishment(finess), listed_on=listed_on, decision_ref=decision,
            territory_departements=departements, territory_communes=[], internal_activities=activities,
            confirmed_activities=activities)  # in the demo, the ARS has confirmed what each hospital declares
        hospitals.append(hospital)
        for key, types, themes in partners:
            partner = outside.get(key) or _establishment(key)
            already = db.session.scalar(select(Partnership.id).where(
                Partnership.hospital_id == hospital.id, Partnership.partner_id == partner.id))
            if already is None:
                add_partner(hospital, partner, partner_types=types, themes=themes, started_on=listed_on)
    users = {role: create_user(email, password, role, **options) for email, password, role, options in ACCOUNTS}
    _demo_cpom(hospitals[0], users["ars"], users["hospital"])
    report.loaded = True
    return report


#: The demo hospital's CPOM: (indicator, comparator, target, {year: declaration}), the first year validated.
CPOM_ENGAGEMENTS = (
    ("connaissance_offre", "present", None, {2024: {"value": True}, 2025: {"value": True}}),
    ("admissions_urgences", "<=", 0.25, {2024: {"numerator": 412, "denominator": 1530},
                                         2025: {"numerator": 371, "denominator": 1602}}),
    ("collaborations_ville", "present", None, {2024: {"items": ["Social", "Urgence"]},
                                               2025: {"items": ["Social", "Urgence", "1er recours"]}}),
    ("ip_dms", "<=", 1.05, {2024: {"value": 1.08}, 2025: {"value": 1.03}}),
    ("ph_centres_sante", ">=", 5, {}),
    ("convention_l6111_3_2", "present", None, {}),
)


def _demo_cpom(hospital, ars, staff) -> None:
    """The CPOM 2024-2028 of the CH d'Is-sur-Tille: 2024 declared and validated, 2025 declared, a proof asked."""
    from registry.cpom import campaign, services  # noqa: PLC0415 (demo only)

    cpom = services.create_cpom(hospital, signed_on=date(2023, 12, 18), effective_on=date(2024, 1, 1), actor=ars)
    engagements = [services.add_engagement(cpom, indicator=indicator, comparator=comparator, target_value=target,
                                           actor=ars) for indicator, comparator, target, _years in CPOM_ENGAGEMENTS]
    for engagement, (_indicator, _comparator, _target, years) in zip(engagements, CPOM_ENGAGEMENTS):
        for year, values in years.items():
            campaign.declare(engagement, year, **values, actor=staff)
            if year == 2024:
                campaign.review(engagement, year, decision="validee", comment="Validé en dialogue de gestion.",
                                actor=ars)
    urgences = next(item for item in cpom.engagements if item.indicator == "admissions_urgences")
    campaign.request_proof(urgences, 2025, due=clock.today() + timedelta(days=60), actor=ars)


def database_is_empty() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is None and \
        db.session.scalar(select(Organisation.id).limit(1)) is None


def _establishment(finess: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.finess_et == finess))
    if organisation is None:
        raise LookupError(f"établissement {finess} absent du fichier de démonstration")
    return organisation
