"""What a convention template sees: the parties, dates in French, the form's fields and the ticked clauses.

The context is a plain JSON-able dict, so the drafts can keep it as their snapshot and render it again:

    reference                       "HDP-21-2027-0004"
    partner_names                   the partners' short names joined in French: « A, B et C »
    hospital, partners[], parties[] each a party: name, legal_status, finess_et, finess_ej, siret, rna,
                                    address, postal_code, city, address_line, representative{name, title},
                                    signing_basis, short_name, email, phone
    territory                       {"label", "departements", "communes"}
    dates                           {"effective", "end", "signature", "document"} in French, « 1er janvier 2027 »
    convention                      {"duration", "duration_months", "tacit_renewal", "party_count"}
    clauses                         {code: true|false} for every optional clause of the manifest
    <field name>                    every manifest field, at the top level (dates in French)
"""

import calendar
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from registry.core.french import french_date, french_duration, french_join
from registry.documents.manifest import Manifest, ManifestField

def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def end_date(effective: date, duration_months: int) -> date:
    """Last day in force: a convention of 12 months from 1 January ends on 31 December."""
    return add_months(effective, duration_months) - timedelta(days=1)


class ContextError(ValueError):
    """The data given for a convention do not fit its template; ``messages`` are in French."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass
class Representative:
    name: str = ""
    #: Qualité: « Directeur », « Présidente »…
    title: str = ""


@dataclass
class Party:
    name: str
    legal_status: str = ""
    finess_et: str = ""
    finess_ej: str = ""
    siret: str = ""
    rna: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    representative: Representative = field(default_factory=Representative)
    #: What empowers the representative to sign (« délibération du conseil d'administration du … »).
    signing_basis: str = ""
    #: The « ci-après dénommé » name; the party's name when empty.
    short_name: str = ""
    email: str = ""
    phone: str = ""

    def as_context(self) -> dict:
        data = asdict(self)
        data["short_name"] = self.short_name or self.name
        data["address_line"] = ", ".join(x for x in (self.address, f"{self.postal_code} {self.city}".strip()) if x)
        return data


def party_from_organisation(organisation, *, representative: Representative | None = None, **overrides) -> Party:
    """A party from a registry organisation (any object with the Organisation attributes)."""
    values = {key: getattr(organisation, key, None) or "" for key in
              ("finess_et", "finess_ej", "siret", "rna", "address", "postal_code", "city", "phone")}
    values["name"] = getattr(organisation, "display_name", None) or organisation.name
    values["legal_status"] = getattr(organisation, "sph_label", None) or ""
    values.update(overrides)
    return Party(representative=representative or Representative(), **values)


def _coerce(spec: ManifestField, value, errors: list[str]):
    empty = value is None or value == "" or value == []
    if empty:
        if spec.required and spec.type != "bool":
            errors.append(f"Le champ « {spec.label} » est obligatoire.")
        return {"bool": False, "list": [], "int": None}.get(spec.type, "")
    try:
        if spec.type == "date":
            return french_date(value if isinstance(value, date) else date.fromisoformat(str(value)))
        if spec.type == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if spec.type == "bool":
            return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "oui", "on")
        if spec.type == "list":
            items = value.splitlines() if isinstance(value, str) else list(value)
            return [str(item).strip() for item in items if str(item).strip()]
    except (TypeError, ValueError):
        kind = {"date": "une date (AAAA-MM-JJ)", "int": "un nombre entier"}.get(spec.type, "une valeur valide")
        errors.append(f"Le champ « {spec.label} » doit être {kind}.")
        return ""
    text = str(value)
    if spec.type == "choice" and text not in spec.choices:
        errors.append(f"Le champ « {spec.label} » doit valoir l'une de ces valeurs : {', '.join(spec.choices)}.")
    return text


def build_context(manifest: Manifest, *, reference: str, hospital: Party, partners: list[Party],
                  effective_date: date, duration_months: int, tacit_renewal: bool = True,
                  territory: dict | str | None = None, signed_on: date | None = None,
                  generated_on: date | None = None, fields: dict | None = None, clauses=()) -> dict:
    """The context of one convention; ``ContextError`` lists every value that does not fit the manifest."""
    errors: list[str] = []
    fields = fields or {}
    if not partners:
        errors.append("Une convention doit avoir au moins un partenaire.")
    if not isinstance(duration_months, int) or duration_months <= 0:
        errors.append("La durée de la convention doit être un nombre de mois positif.")
    for name in sorted(set(fields) - manifest.field_names):
        errors.append(f"Le champ « {name} » n'existe pas dans le modèle « {manifest.name} ».")
    chosen = set(clauses)
    for code in sorted(chosen - manifest.clause_codes):
        errors.append(f"La clause « {code} » n'existe pas dans le modèle « {manifest.name} ».")
    values = {spec.name: _coerce(spec, fields.get(spec.name), errors) for spec in manifest.fields}
    if errors:
        raise ContextError(errors)
    if isinstance(territory, dict):
        territory = {"label": territory.get("label", ""), "departements": list(territory.get("departements", [])),
                     "communes": list(territory.get("communes", []))}
    else:
        territory = {"label": territory or "", "departements": [], "communes": []}
    hospital_data = hospital.as_context()
    partner_data = [partner.as_context() for partner in partners]
    return {
        **values,
        "reference": reference,
        "hospital": hospital_data,
        "partners": partner_data,
        "parties": [hospital_data, *partner_data],
        "partner_names": french_join([partner["short_name"] for partner in partner_data]),
        "territory": territory,
        "dates": {"effective": french_date(effective_date),
                  "end": french_date(end_date(effective_date, duration_months)),
                  "signature": french_date(signed_on), "document": french_date(generated_on)},
        "convention": {"duration": french_duration(duration_months), "duration_months": duration_months,
                       "tacit_renewal": bool(tacit_renewal), "party_count": 1 + len(partners)},
        "clauses": {clause.code: clause.code in chosen for clause in manifest.clauses},
    }
