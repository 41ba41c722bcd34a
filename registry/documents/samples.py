"""Sample data for a test render of a template: Bourgogne establishments and a value for each manifest field."""

from datetime import date

from registry.documents.context import Party, Representative, build_context
from registry.documents.manifest import Manifest, ManifestField

SAMPLE_HOSPITAL = Party(
    name="Centre hospitalier de Haute Côte-d'Or – site de Saulieu", legal_status="établissement public de santé",
    finess_ej="210012142", finess_et="210987681", address="2 rue Courtépée", postal_code="21210", city="Saulieu",
    representative=Representative("Claire Martin", "Directrice"), short_name="le CHHCO – site de Saulieu")
SAMPLE_PARTNERS = (
    Party(name="Centre hospitalier universitaire Dijon Bourgogne", legal_status="établissement public de santé",
          finess_ej="210780581", finess_et="210987558", address="1 boulevard Jeanne d'Arc", postal_code="21000",
          city="Dijon", representative=Representative("Paul Bernard", "Directeur général"), short_name="le CHU"),
    Party(name="Maison de santé pluriprofessionnelle de Saulieu", legal_status="société interprofessionnelle de "
          "soins ambulatoires", finess_ej="210012340", finess_et="210012357", siret="82345678900017",
          address="rue Courtépée", postal_code="21210", city="Saulieu",
          representative=Representative("Dr Anne Roux", "Gérante"), short_name="la MSP de Saulieu"),
)


#: What an avenant's context adds (conventions/avenants.py); given to every trial render, used by the avenant
#: template only.
SAMPLE_AMENDMENT = {
    "avenant": {"number": 1, "object": "l'ouverture de consultations avancées de cardiologie",
                "effective": "1er mars 2027",
                "articles": [{"number": "3", "paragraphs": ["Nouvelle rédaction de l'article (exemple).",
                                                            "Second alinéa (exemple)."]}]},
    "parent": {"reference": "210987681-2027-001", "title": "Convention de partenariat (exemple)",
               "signed_on": "15 décembre 2026", "effective": "1er janvier 2027",
               "parties": "le Centre hospitalier de Haute Côte-d'Or et le Centre hospitalier universitaire Dijon "
                          "Bourgogne"},
}


def sample_value(spec: ManifestField):
    if spec.type == "date":
        return date(2027, 1, 1)
    if spec.type == "int":
        return 3
    if spec.type == "bool":
        return True
    if spec.type == "choice":
        return spec.choices[0] if spec.choices else ""
    if spec.type == "list":
        return [f"{spec.label} (exemple 1)", f"{spec.label} (exemple 2)"]
    return f"{spec.label} (exemple)"


def sample_context(manifest: Manifest, all_clauses: bool = True) -> dict:
    """A full context for ``manifest``: every field filled, every optional clause on (or off)."""
    return build_context(
        manifest, reference="HDP-21-2027-0001", hospital=SAMPLE_HOSPITAL, partners=list(SAMPLE_PARTNERS),
        effective_date=date(2027, 1, 1), duration_months=60, tacit_renewal=all_clauses,
        territory={"label": "Auxois-Morvan", "departements": ["21"], "communes": ["21551"]},
        signed_on=date(2026, 12, 15) if all_clauses else None, generated_on=date(2026, 12, 1),
        fields={spec.name: sample_value(spec) for spec in manifest.fields},
        clauses=manifest.clause_codes if all_clauses else (), amendment=SAMPLE_AMENDMENT)
