"""Realistic conventions of a Bourgogne hôpital de proximité (real FINESS numbers, Côte-d'Or) for each template."""

from datetime import date
from pathlib import Path

from registry.documents import Party, Representative, build_context

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "convention_templates"
CODES = ["dac", "ehpad", "had", "pdsa_mmg", "premier_recours", "second_recours", "ssr_usld"]

HOSPITAL = Party(
    name="Centre hospitalier de Haute Côte-d'Or – site de Saulieu", legal_status="établissement public de santé",
    finess_ej="210012142", finess_et="210987681", address="2 rue Courtépée", postal_code="21210", city="Saulieu",
    representative=Representative("Claire Martin", "Directrice"), short_name="le CHHCO",
    signing_basis="délibération du conseil de surveillance du 12 octobre 2026")


def _party(name, finess_ej, finess_et, address, postal_code, city, who, title, short, siret="", status=""):
    return Party(name=name, finess_ej=finess_ej, finess_et=finess_et, address=address, postal_code=postal_code,
                 city=city, representative=Representative(who, title), short_name=short, siret=siret,
                 legal_status=status)


PARTNERS = {
    "second_recours": [_party("Centre hospitalier universitaire Dijon Bourgogne", "210780581", "210987558",
                              "1 boulevard Jeanne d'Arc", "21000", "Dijon", "Paul Bernard", "Directeur général",
                              "le CHU Dijon Bourgogne", status="établissement public de santé")],
    "ehpad": [_party("EHPAD Résidence médicalisée de l'Auxois", "210780706", "210781589", "5 avenue Pasteur",
                     "21140", "Semur-en-Auxois", "Sophie Durand", "Directrice", "l'EHPAD de l'Auxois")],
    "ssr_usld": [_party("Centre de rééducation fonctionnelle Divio", "750721235", "210780144",
                        "12 rue Saint-Vincent-de-Paul", "21000", "Dijon", "Marc Petit", "Directeur", "le CRF Divio"),
                 _party("USLD du CHU de Dijon – Champmaillot", "210780581", "210013447", "2 rue Jules Violle",
                        "21079", "Dijon Cedex", "Paul Bernard", "Directeur général", "l'USLD Champmaillot")],
    "had": [_party("Service d'hospitalisation à domicile de Dijon", "210987400", "210003059",
                   "15 avenue Jean Bertin", "21072", "Dijon Cedex", "Hélène Moreau", "Directrice", "l'HAD de Dijon")],
    "premier_recours": [_party("Maison de santé pluriprofessionnelle de Saulieu", "210012340", "210012357",
                               "rue Courtépée", "21210", "Saulieu", "Dr Anne Roux", "Gérante", "la MSP de Saulieu"),
                        _party("CPTS du Pays de l'Auxois-Morvan", "", "", "1 place du Marché", "21210", "Saulieu",
                               "Dr Luc Girard", "Président", "la CPTS Auxois-Morvan", siret="90123456700012",
                               status="association régie par la loi du 1er juillet 1901")],
    "pdsa_mmg": [_party("Maison médicale de garde du Morvan", "", "", "2 rue Courtépée", "21210", "Saulieu",
                        "Dr Jean Lefèvre", "Président", "la MMG du Morvan", siret="51234567800019",
                        status="association régie par la loi du 1er juillet 1901")],
    "dac": [_party("Dispositif d'appui à la coordination de Côte-d'Or", "", "", "9 rue de Mayence", "21000", "Dijon",
                   "Isabelle Faure", "Directrice", "le DAC 21", siret="84567891200015")],
}

FIELD_VALUES = {
    "listing_decision": "arrêté ARS BFC/DOS/2022-118 du 3 mars 2022",
    "ght_name": "Côte-d'Or Sud", "specialties": ["Cardiologie", "Pneumologie", "Gériatrie"],
    "consultation_schedule": "un mardi sur deux, de 9 heures à 17 heures", "consultations_start": "2027-02-01",
    "telemedicine_platform": "e-Santé BFC", "expertise_response_time": "48 heures ouvrées",
    "platform_services": ["imagerie : radiologie et scanner", "biologie médicale"], "direct_line": "03 80 64 00 00",
    "notice_months": 6, "administrative_court": "Dijon", "signing_place": "Saulieu",
    "annexes": ["Annexe 2 – Planning des consultations avancées"],
    "geriatric_advice_hours": "du lundi au vendredi de 9 heures à 18 heures", "emg_contact": "03 80 64 12 34",
    "coordinating_physician": "Dr Paul Blanc", "ht_places": 2,
    "partner_activity": "soins médicaux et de réadaptation (SMR) et soins de longue durée (USLD)",
    "admission_response_time": "72 heures", "had_on_call_number": "03 80 70 00 00",
    "mixed_practice_gps": ["Dr Marie Lambert", "Dr Yves Carré"],
    "pdsa_order_reference": "arrêté ARS BFC du 5 juin 2023",
    "pdsa_sector": "Saulieu – Morvan", "opening_hours": "chaque jour de 20 heures à minuit",
    "saturday_afternoon": True, "bridge_days": False, "regulation_number": "15",
    "dac_contact": "03 80 50 00 00, dac21@mssante.fr", "hospital_referent": "Mme Nadia Colin, assistante sociale",
}


def convention_context(template, clauses=None, **overrides) -> dict:
    manifest = template.manifest
    values = {"reference": "HDP-21-2027-0004", "hospital": HOSPITAL, "partners": PARTNERS[manifest.code],
              "effective_date": date(2027, 1, 1), "duration_months": 36, "tacit_renewal": True,
              "territory": {"label": "Auxois-Morvan", "departements": ["21"]}, "signed_on": date(2026, 12, 2),
              "generated_on": date(2026, 11, 20),
              "fields": {spec.name: FIELD_VALUES[spec.name] for spec in manifest.fields},
              "clauses": manifest.clause_codes if clauses is None else clauses}
    values.update(overrides)
    return build_context(manifest, **values)
