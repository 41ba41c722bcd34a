"""Realistic conventions of a Bourgogne hôpital de proximité (real FINESS numbers, Côte-d'Or) for each template.

Each party is the LEGAL ENTITY acting for its site, with its nature (public or private person); PRIVATE_HOSPITAL
and PRIVATE_PARTNERS give a convention between private persons only (the competent court changes)."""

import json
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from registry.documents import Party, Representative, build_context

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "convention_templates"
CODES = ["dac", "ehpad", "had", "had_esms", "l6111_3_2", "l6111_3_3", "pdsa_mmg", "premier_recours", "second_recours",
         "ssr_usld"]
#: Every shipped template: the convention templates above and the avenant template (drafts avenants only).
SHIPPED_CODES = sorted([*CODES, "avenant"])
LISTING = {"decision_ref": "Arrêté DG ARS BFC n° DOS/ASPU/2022-118", "listed_on": "2022-05-02"}

HOSPITAL = Party(
    name="Centre hospitalier de Haute Côte-d'Or", legal_status="établissement public de santé",
    finess_ej="210012142", finess_et="210987681", address="9 rue du Faubourg Saint-Nicolas", postal_code="21200",
    city="Beaune", site_name="Hôpital de Saulieu", site_address="2 rue Courtépée", site_postal_code="21210",
    site_city="Saulieu", representative=Representative("Claire Martin", "Directrice"), short_name="le CHHCO",
    signing_basis="article L. 6143-7 du code de la santé publique", public_person="public", listing=LISTING)


def _party(name, finess_ej, finess_et, address, postal_code, city, who, title, short, siret="", status="",
           public="prive", **extra):
    return Party(name=name, finess_ej=finess_ej, finess_et=finess_et, address=address, postal_code=postal_code,
                 city=city, representative=Representative(who, title), short_name=short, siret=siret,
                 legal_status=status, public_person=public, **extra)


CHU = _party("Centre hospitalier universitaire Dijon Bourgogne", "210780581", "210987558",
             "1 boulevard Jeanne d'Arc", "21000", "Dijon", "Paul Bernard", "Directeur général",
             "le CHU Dijon Bourgogne", status="établissement public de santé", public="public")
HAD = _party("Association Hospitalisation à domicile de Côte-d'Or", "210987400", "210003059", "15 avenue Jean Bertin",
             "21072", "Dijon Cedex", "Hélène Moreau", "Directrice", "l'HAD de Dijon",
             status="association régie par la loi du 1er juillet 1901")
EHPAD = _party("Association Résidences de l'Auxois", "210780706", "210781589", "5 avenue Pasteur", "21140",
               "Semur-en-Auxois", "Sophie Durand", "Directrice", "l'EHPAD de l'Auxois",
               status="association régie par la loi du 1er juillet 1901", manager=True,
               site_name="EHPAD Résidence médicalisée de l'Auxois", site_address="3 rue de la Liberté",
               site_postal_code="21140", site_city="Semur-en-Auxois")
CPTS = _party("CPTS du Pays de l'Auxois-Morvan", "", "", "1 place du Marché", "21210", "Saulieu",
              "Dr Luc Girard", "Président", "la CPTS Auxois-Morvan", siret="90123456700012",
              status="association régie par la loi du 1er juillet 1901")
MSP = _party("Maison de santé pluriprofessionnelle de Saulieu", "210012340", "210012357", "rue Courtépée", "21210",
             "Saulieu", "Dr Anne Roux", "Gérante", "la MSP de Saulieu",
             status="société interprofessionnelle de soins ambulatoires")
PARTNERS = {
    "second_recours": [CHU],
    "l6111_3_3": [CHU],
    "ehpad": [EHPAD],
    "had_esms": [HAD],
    "ssr_usld": [_party("Centre de rééducation fonctionnelle Divio", "750721235", "210780144",
                        "12 rue Saint-Vincent-de-Paul", "21000", "Dijon", "Marc Petit", "Directeur", "le CRF Divio",
                        status="établissement de santé privé d'intérêt collectif"),
                 _party("Centre hospitalier universitaire Dijon Bourgogne", "210780581", "210013447",
                        "1 boulevard Jeanne d'Arc", "21000", "Dijon", "Paul Bernard", "Directeur général",
                        "le CHU – USLD Champmaillot", status="établissement public de santé", public="public",
                        site_name="USLD Champmaillot", site_address="2 rue Jules Violle", site_postal_code="21079",
                        site_city="Dijon Cedex")],
    "had": [HAD],
    "premier_recours": [MSP, CPTS],
    "l6111_3_2": [CPTS, MSP, EHPAD],
    "pdsa_mmg": [_party("Association de la maison médicale de garde du Morvan", "", "", "2 rue Courtépée", "21210",
                        "Saulieu", "Dr Jean Lefèvre", "Président", "la MMG du Morvan", siret="51234567800019",
                        status="association régie par la loi du 1er juillet 1901", manager=True,
                        site_name="Maison médicale de garde du Morvan")],
    "dac": [_party("Association Appui Santé Côte-d'Or", "", "", "9 rue de Mayence", "21000", "Dijon",
                   "Isabelle Faure", "Directrice", "le DAC 21", siret="84567891200015",
                   status="association régie par la loi du 1er juillet 1901", manager=True,
                   site_name="Dispositif d'appui à la coordination de Côte-d'Or")],
}

#: A private hôpital de proximité (an ESPIC) and private partners only: no public person is party.
PRIVATE_HOSPITAL = replace(HOSPITAL, name="Fondation hospitalière de l'Auxois", legal_status="fondation reconnue "
                           "d'utilité publique, établissement de santé privé d'intérêt collectif",
                           public_person="prive", signing_basis="statuts de la fondation, article 14")
PRIVATE_PARTNER = replace(CHU, name="Clinique de Chenôve", legal_status="société par actions simplifiée",
                          short_name="la clinique", public_person="prive")


def private_partners(code: str) -> list[Party]:
    return [replace(p, public_person="prive") if p.public_person == "public" else p for p in PARTNERS[code]] \
        if code not in ("second_recours", "l6111_3_3") else [PRIVATE_PARTNER]


FIELD_VALUES = {
    "ght_name": "Côte-d'Or Sud", "specialties": ["Cardiologie", "Pneumologie", "Gériatrie"],
    "consultation_schedule": "un mardi sur deux, de 9 heures à 17 heures", "consultations_start": "2027-02-01",
    "consultation_patients": "l'hôpital de proximité",
    "telemedicine_platform": "e-Santé BFC", "expertise_response_time": "48 heures ouvrées",
    "platform_services": ["imagerie : radiologie et scanner", "biologie médicale"], "direct_line": "03 80 64 00 00",
    "notice_months": 6, "administrative_court": "Dijon", "signing_place": "Saulieu",
    "annexes": ["Planning des consultations avancées"],
    "signing_basis_hospital": "", "signing_basis_partners": ["statuts de l'association, article 12"],
    "financial_terms": "Aucune contrepartie financière", "financial_details": "",
    "geriatric_advice_hours": "du lundi au vendredi de 9 heures à 18 heures", "emg_contact": "03 80 64 12 34",
    "coordinating_physician": "Dr Paul Blanc", "ht_places": 2,
    "partner_activity": "soins médicaux et de réadaptation (SMR) et des soins de longue durée (USLD)",
    "partner_authorisation": "autorisation de soins médicaux et de réadaptation du 1er juin 2023",
    "partner_mentions": ["système nerveux", "locomoteur"],
    "admission_response_time": "72 heures", "had_on_call_number": "03 80 70 00 00",
    "had_authorisation": "autorisation du directeur général de l'ARS du 1er juin 2023",
    "had_mentions": ["socle"], "had_holder": "le partenaire",
    "esms_scope": "Établissement autorisé au titre des b, d ou f de l'article L. 313-3 du CASF ou relevant de "
                  "l'article L. 162-31 du CSS",
    "esms_authorisation": "autorisation conjointe du 3 janvier 2017",
    "mixed_practice_gps": ["Dr Marie Lambert", "Dr Yves Carré"],
    "pdsa_order_reference": "arrêté ARS BFC du 5 juin 2023",
    "pdsa_sector": "Saulieu – Morvan", "opening_hours": "du lundi au vendredi de 20 heures à minuit",
    "saturday_afternoon": True, "bridge_days": False, "regulation_number": "116 117",
    "dac_contact": "03 80 50 00 00, dac21@mssante.fr", "hospital_referent": "Mme Nadia Colin, assistante sociale",
    "scope_access": "accès des patients du territoire aux consultations de spécialités et aux soins non programmés",
    "scope_pds": "articulation de l'accueil des soins non programmés de l'hôpital avec la permanence des soins "
                 "ambulatoires du secteur",
    "scope_pathways": "parcours des personnes âgées et des patients atteints de maladies chroniques",
    "existing_cooperations": ["convention d'admissions directes du 1er mars 2024 avec la MSP de Saulieu"],
    "planned_cooperations": ["protocole de sortie d'hospitalisation avec la CPTS", "téléexpertise gériatrique"],
    "information_tools": "outil régional de coordination des parcours",
    "follow_up_body": "l'instance de gouvernance de la communauté professionnelle territoriale de santé partie à "
                      "la convention",
    "follow_up_details": "bureau de la CPTS du Pays de l'Auxois-Morvan",
    "partners_convention": "convention du 2 avril 2023",
    "support_items": ["consultations avancées de cardiologie", "accès à l'IRM du CHU", "appui de la pharmacie"],
    "pmp_filieres": ["filière gériatrique", "filière cardiologique"],
}


def convention_context(template, clauses=None, **overrides) -> dict:
    manifest = template.manifest
    values = {"reference": "HDP-21-2027-0004", "hospital": HOSPITAL, "partners": PARTNERS[manifest.code],
              "effective_date": date(2027, 1, 1), "duration_months": 36, "tacit_renewal": True,
              "territory": {"label": "Auxois-Morvan", "departements": ["21"]}, "signed_on": date(2026, 12, 2),
              "generated_on": date(2026, 11, 20),
              "fields": {spec.name: FIELD_VALUES[spec.name] for spec in manifest.fields},
              "clauses": manifest.clause_codes if clauses is None else clauses}
    fields = overrides.pop("fields", None)
    if fields:
        values["fields"] = {**values["fields"], **fields}
    values.update(overrides)
    return build_context(manifest, **values)


@lru_cache(maxsize=1)
def demo_finess_rows() -> dict[str, dict]:
    """The establishments of the demo FINESS extract (real rows, in FINESS capitals) by FINESS ET, as the
    importer reads them."""
    from registry.demo.loader import FINESS_FILE
    from registry.finess.fhir import parse_organization

    rows = {}
    for line in FINESS_FILE.read_text(encoding="utf-8").splitlines():
        resource = json.loads(line)
        if resource["resourceType"] == "Organization":
            values = parse_organization(resource).values
            rows[values["finess_et"]] = values
    return rows
