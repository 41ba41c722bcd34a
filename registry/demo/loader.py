"""A small, real-looking demo region: Bourgogne establishments from FINESS (January 2021 extract), four
hôpitaux de proximité with partners of every type, their conventions in every state (registry.demo.conventions),
a CPOM with its campaign under way, and one account per role. Loading twice changes nothing."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from registry.accounts.models import User
from registry.accounts.services import create_user, find_user
from registry.core import clock
from registry.demo.conventions import DemoScene, load_demo_conventions
from registry.demo.pdfs import convention_pdf
from registry.documents.context import add_months
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

# (FINESS ET, listing date (None: five months ago), ARS decision, territory départements, activities run inside,
# what the ARS records (legal status, GHT support, equipment declared and confirmed), partners).
# Each partner: (FINESS ET or OUTSIDE_FINESS key, partner types, themes).
CHU_DIJON, CH_NEVERS = "210986089", "580972693"
HOSPITALS = (
    ("210987582", date(2022, 5, 2), "Arrêté DG ARS BFC n° DOS/ASPU/2022-118", ["21"], ["ehpad", "medecins_liberaux"],
     {"legal_status": "public", "ght_support": CHU_DIJON, "own_equipment": ["imagerie", "biologie"],
      "confirmed_equipment": ["imagerie", "biologie"]}, (
        (CHU_DIJON, ["second_recours"], ["orientation", "consultations_avancees", "telemedecine", "entrees_directes"]),
        ("210003059", ["had"], ["retour_domicile", "continuite_soins"]),
        ("210013611", ["cpts"], ["continuite_soins", "retour_domicile", "coordination"]),
        ("210986725", ["ssr"], ["retour_domicile"]),
        ("210986386", ["usld"], []),
        ("210781456", ["ehpad"], ["continuite_soins"]),
        ("210006078", ["centre_sante"], ["continuite_soins"]),
        ("mmg_tille", ["mmg"], ["pdsa"]),
        ("dac_21", ["dac"], ["coordination", "information_partagee"]),
    )),
    ("210987640", date(2022, 5, 2), "Arrêté DG ARS BFC n° DOS/ASPU/2022-119", ["21"], ["ehpad", "usld"],
     {"legal_status": "public", "ght_support": CHU_DIJON}, (
        (CHU_DIJON, ["second_recours"], ["orientation", "telemedecine"]),
        ("210013611", ["cpts"], ["continuite_soins"]),
    )),
    ("580972610", date(2022, 9, 15), "Arrêté DG ARS BFC n° DOS/ASPU/2022-207", ["58"], ["ehpad"],
     {"legal_status": "public", "ght_support": CH_NEVERS, "own_equipment": ["biologie", "imagerie"],
      "confirmed_equipment": ["biologie"]}, (
        (CH_NEVERS, ["second_recours"], ["orientation", "consultations_avancees"]),
        ("580001899", ["had"], ["retour_domicile"]),
        ("580006849", ["cpts"], ["continuite_soins", "retour_domicile"]),
        ("580006617", ["msp"], ["continuite_soins"]),
        ("580780203", ["ssr"], []),
    )),
    ("710978131", None, "Arrêté DG ARS BFC n° DOS/ASPU/{year}-031", ["71"], [], {"legal_status": "public"}, ()),
)
#: The hospital listed recently: the year it has to conclude its statutory conventions is still running.
RECENT_LISTING_MONTHS = 5


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
    users = {role: create_user(email, password, role, **options) for email, password, role, options in ACCOUNTS}
    hospitals, partners = {}, dict(outside)
    for finess, listed_on, decision, departements, activities, listing, partner_rows in HOSPITALS:
        listed_on = listed_on or add_months(clock.today(), -RECENT_LISTING_MONTHS)
        hospital = set_hospital_profile(
            _establishment(finess), listed_on=listed_on, decision_ref=decision.format(year=listed_on.year),
            territory_departements=departements, territory_communes=[], internal_activities=activities,
            confirmed_activities=activities, **listing)  # in the demo, the ARS confirms what each hospital declares
        hospitals[finess] = hospital
        for key, types, themes in partner_rows:
            partner = partners.setdefault(key, outside.get(key) or _establishment(key))
            already = db.session.scalar(select(Partnership.id).where(
                Partnership.hospital_id == hospital.id, Partnership.partner_id == partner.id))
            if already is None:
                add_partner(hospital, partner, partner_types=types, themes=themes, started_on=listed_on)
    partners_convention = load_demo_conventions(DemoScene(hospitals, partners, staff=users["hospital"],
                                                          admin=users["admin"]))
    _demo_cpom(hospitals["210987582"], users["ars"], users["hospital"], partners_convention)
    report.loaded = True
    return report


#: The demo hospital's CPOM: (indicator, comparator, target, {year: declaration}), years counted from the CPOM's
#: first: the first validated, the second declared (a proof asked for one engagement).
CPOM_ENGAGEMENTS = (
    ("connaissance_offre", "present", None, {0: {"value": True}, 1: {"value": True}}),
    ("admissions_urgences", "<=", 0.25, {0: {"numerator": 412, "denominator": 1530},
                                         1: {"numerator": 371, "denominator": 1602}}),
    ("collaborations_ville", "present", None, {0: {"items": ["Social", "Urgence"]},
                                               1: {"items": ["Social", "Urgence", "1er recours"]}}),
    ("ip_dms", "<=", 1.05, {0: {"value": 1.08}, 1: {"value": 1.03}}),
    ("ph_centres_sante", ">=", 5, {}),
    ("convention_l6111_3_2", "present", None, {}),
)
#: The CPOM took effect on 1 January this many years before the current year (its campaign is under way).
CPOM_AGE_YEARS = 2


def _demo_cpom(hospital, ars, staff, partners_convention) -> None:
    """The five-year CPOM of the CH d'Is-sur-Tille, in effect since 1 January two years ago, with its signed copy:
    its first year declared and validated, the second declared with a proof asked; the L6111-3-2 engagement
    linked to the hospital's convention."""
    from registry.cpom import campaign, services  # noqa: PLC0415 (demo only)

    first = clock.today().year - CPOM_AGE_YEARS
    cpom = services.create_cpom(hospital, signed_on=date(first - 1, 12, 18), effective_on=date(first, 1, 1),
                                actor=ars)
    services.attach_signed_copy(cpom, convention_pdf(
        f"Contrat pluriannuel d'objectifs et de moyens {first}-{first + 4}",
        [f"Entre l'ARS Bourgogne-Franche-Comté et {hospital.name}", "Exemplaire signé (copie numérisée)."]),
        "CPOM signé.pdf", actor=ars)
    engagements = [services.add_engagement(cpom, indicator=indicator, comparator=comparator, target_value=target,
                                           actor=ars) for indicator, comparator, target, _years in CPOM_ENGAGEMENTS]
    for engagement, (_indicator, _comparator, _target, years) in zip(engagements, CPOM_ENGAGEMENTS):
        for offset, values in years.items():
            campaign.declare(engagement, first + offset, **values, actor=staff)
            if offset == 0:
                campaign.review(engagement, first, decision="validee", comment="Validé en dialogue de gestion.",
                                actor=ars)
    urgences = next(item for item in cpom.engagements if item.indicator == "admissions_urgences")
    campaign.request_proof(urgences, first + 1, due=clock.today() + timedelta(days=60), actor=ars)
    statutory = next(item for item in cpom.engagements if item.indicator == "convention_l6111_3_2")
    services.link_conventions(statutory, [partners_convention.id], actor=ars)


def database_is_empty() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is None and \
        db.session.scalar(select(Organisation.id).limit(1)) is None


def _establishment(finess: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.finess_et == finess))
    if organisation is None:
        raise LookupError(f"établissement {finess} absent du fichier de démonstration")
    return organisation
