"""From the registry to what a template sees: parties, signatories, territory, dates, fields, clauses, and for an
avenant the convention it amends and the articles it rewrites."""

from datetime import date

from registry.conventions.models import Convention, ConventionParty
from registry.core.geography import departement_label
from registry.core.french import french_date, french_join
from registry.documents.context import Representative, build_context, party_from_organisation
from registry.documents.manifest import parse_manifest

#: The shipped avenant template's code (convention_templates/avenant.docx): it drafts avenants, never conventions.
AVENANT_TEMPLATE = "avenant"
#: Where an avenant keeps the articles of its convention that it rewrites, among its values (``fields``):
#: ``[{"number": "5", "text": "the new wording, one paragraph a line"}]`` (conventions/avenants.py).
ARTICLES_KEY = "amended_articles"


def _party(party: ConventionParty, profile=None):
    """``profile``: the party's hôpital de proximité profile when the caller has it (else looked up)."""
    representative = Representative(*party.signatory)
    return party_from_organisation(party.organisation, representative=representative, profile=profile)


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
    avenant = convention.is_avenant  # its term is its parent's: no duration of its own
    return build_context(
        manifest, reference=convention.reference, hospital=_party(hospital, convention.hospital),
        partners=[_party(party) for party in convention.partners],
        effective_date=convention.effective_date, duration_months=None if avenant else convention.duration_months,
        tacit_renewal=convention.tacit_renewal, territory=territory_of(convention), generated_on=generated_on,
        fields=template_fields(convention, manifest), clauses=convention.clauses,
        amendment=amendment_context(convention) if avenant else None)


def amended_articles(convention: Convention) -> list[dict]:
    """The articles an avenant rewrites, as recorded: ``[{"number", "text"}]``."""
    return list((convention.fields or {}).get(ARTICLES_KEY) or ())


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def amendment_context(avenant: Convention) -> dict:
    """What an avenant's template sees beyond a convention's: the avenant and the convention it amends."""
    parent = avenant.parent
    return {
        "avenant": {"number": avenant.amendment_number, "object": avenant.title,
                    "effective": french_date(avenant.effective_date),
                    "articles": [{"number": article["number"], "paragraphs": paragraphs(article["text"])}
                                 for article in amended_articles(avenant)]},
        "parent": {"reference": parent.reference, "title": parent.title, "signed_on": french_date(parent.signed_on),
                   "effective": french_date(parent.effective_date),
                   "parties": french_join([_party(party).as_context()["designation"] for party in parent.parties])},
    }


def template_fields(convention: Convention, manifest) -> dict:
    """The form's values, plus the convention's own attributes that a template asks for by name."""
    fields = dict(convention.fields or {})
    if convention.is_avenant:
        fields.pop(ARTICLES_KEY, None)
    if "notice_months" in manifest.field_names:
        fields["notice_months"] = convention.notice_months
    return fields
