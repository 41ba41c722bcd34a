"""From the registry to what a template sees: parties, signatories, territory, dates, fields, clauses."""

from datetime import date

from registry.conventions.models import Convention, ConventionParty
from registry.core.geography import departement_label
from registry.core.french import french_join
from registry.documents.context import Representative, build_context, party_from_organisation
from registry.documents.manifest import parse_manifest


def _party(party: ConventionParty):
    representative = Representative(*party.signatory)
    return party_from_organisation(party.organisation, representative=representative)


def territory_of(convention: Convention) -> dict:
    profile = convention.hospital
    departements = list(profile.territory_departements or [])
    communes = list(profile.territory_communes or [])
    label = french_join([departement_label(code) for code in departements] +
                        [f"commune {code}" for code in communes])
    return {"label": label, "departements": departements, "communes": communes}


def convention_context(convention: Convention, *, generated_on: date) -> dict:
    """The context of a draft; raises documents.ContextError when the values do not fit the template."""
    manifest = parse_manifest(convention.template_version.manifest)
    hospital = next(party for party in convention.parties if party.role == "hospital")
    return build_context(
        manifest, reference=convention.reference, hospital=_party(hospital),
        partners=[_party(party) for party in convention.partners],
        effective_date=convention.effective_date, duration_months=convention.duration_months,
        tacit_renewal=convention.tacit_renewal, territory=territory_of(convention), generated_on=generated_on,
        fields=template_fields(convention, manifest), clauses=convention.clauses)


def template_fields(convention: Convention, manifest) -> dict:
    """The form's values, plus the convention's own attributes that a template asks for by name."""
    fields = dict(convention.fields or {})
    if "notice_months" in manifest.field_names:
        fields["notice_months"] = convention.notice_months
    return fields
