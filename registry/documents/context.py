"""What a convention template sees: the parties, dates in French, the form's fields and the ticked clauses.

The context is a plain JSON-able dict, so the drafts can keep it as their snapshot and render it again:

    reference                       "HDP-21-2027-0004"
    partner_names                   the partners' short names joined in French: « A, B et C »
    hospital, partners[], parties[] each a party: name (the legal entity's long name, or the site's when the
                                    entity is not known), legal_status, finess_et, finess_ej, siret, rna,
                                    address, postal_code, city, address_line (long form: « 21 rue Victor Hugo,
                                    21120 Is-sur-Tille »), representative{name, title}, signing_basis,
                                    short_name (the « ci-après » name; the designation when not given),
                                    email, phone (names in French typography: FINESS capitals « CH D IS SUR
                                    TILLE » become « CH d'Is-sur-Tille », wording.typographic_name), and:
                                      designation   the name with its article: « le Centre hospitalier … »
                                      head_office   the legal entity's head-office address, « » when unknown
                                      acting_for    « agissant pour son site « … » (FINESS établissement n° …,
                                                    …) », or as managing body of an EHPAD, DAC, MMG…; « » when
                                                    the party is itself the site
                                      public_person « public », « prive » or « » (unknown)
                                      listing       the HdP listing from the registry: {"decision_ref",
                                                    "listed_on" (French date), "known"}
    territory                       {"label", "departements", "communes"}
    dates                           {"effective", "end", "signature", "document", "notice_deadline"} in French,
                                    « 1er janvier 2027 »; notice_deadline is the last day to give notice before
                                    the first term (empty without a notice_months field)
    convention                      {"duration", "duration_words" (« trois ans »), "duration_months",
                                    "tacit_renewal", "party_count", "party_count_words" (« deux »)}
    jurisdiction                    the competent court computed from the parties: {"administrative": bool
                                    (a public person is party), "judicial": bool (every party is a private
                                    person), "court": « le tribunal administratif territorialement compétent »,
                                    « le tribunal judiciaire territorialement compétent » or, when a party's
                                    nature is unknown, « la juridiction territorialement compétente »}
    clauses                         {code: true|false} for every optional clause of the manifest
    avenant, parent                 only for an avenant (``amendment``, conventions/avenants.py): the avenant
                                    {"number", "object", "effective", "articles": [{"number", "paragraphs"}]}
                                    and the convention it amends {"reference", "title", "signed_on",
                                    "effective", "parties"}; dates.effective is then the avenant's (« » when it
                                    applies from its signature); no duration (dates.end, convention.duration* empty)
    <field name>                    every manifest field, at the top level (dates in French)

Filters (registry.documents.sandbox): ``date_fr``, ``letters`` (« 6 » → « six »), ``nobreak`` (non-breaking
hyphens, for the names of the signature table).
"""

import calendar
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from registry.core.french import french_date, french_duration, french_join
from registry.documents.manifest import Manifest, ManifestField
from registry.documents.wording import (duration_in_letters, legal_status_phrase, long_city, long_street,
                                       number_in_letters, typographic_name, with_article)

PUBLIC, PRIVE = "public", "prive"
#: Partner types whose party is the managing body (organisme gestionnaire, porteur) of the structure.
MANAGED_TYPES = frozenset({"ehpad", "dac", "mmg"})
COURTS = {"administrative": "le tribunal administratif territorialement compétent",
          "judicial": "le tribunal judiciaire territorialement compétent",
          "unknown": "la juridiction territorialement compétente"}

@lru_cache(maxsize=4096)
def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` months, its day clamped to the month's end. Memoised: a pure function that a
    bundle or a national view asks about the same few days thousands of times (each convention's end and periods)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def end_date(effective: date, duration_months: int) -> date:
    """Last day in force: a convention of 12 months from 1 January ends on 31 December."""
    return add_months(effective, duration_months) - timedelta(days=1)


def notice_deadline(end: date, notice_months: int) -> date:
    """Last day to give notice so that the convention stops at ``end`` (as conventions.lifecycle computes it)."""
    return add_months(end + timedelta(days=1), -notice_months) - timedelta(days=1)


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
    """A party as the convention names it: the LEGAL ENTITY (FINESS EJ, long name, head office), acting for one
    of its sites when ``site_name`` or a distinct FINESS ET says so."""

    name: str
    legal_status: str = ""
    finess_et: str = ""
    finess_ej: str = ""
    siret: str = ""
    rna: str = ""
    #: The legal entity's head-office address (or the site's when ``address_is_site``).
    address: str = ""
    postal_code: str = ""
    city: str = ""
    representative: Representative = field(default_factory=Representative)
    #: What empowers the representative to sign (« statuts de l'association », « délégation de signature du … »).
    signing_basis: str = ""
    #: The « ci-après » name; the party's name when empty.
    short_name: str = ""
    email: str = ""
    phone: str = ""
    #: The site (FINESS ET) the legal entity acts for, when it is not the entity itself.
    site_name: str = ""
    site_address: str = ""
    site_postal_code: str = ""
    site_city: str = ""
    #: The address above is the site's, the entity's head office being unknown.
    address_is_site: bool = False
    #: The party is the managing body (organisme gestionnaire, porteur) of the site: EHPAD, DAC, MMG.
    manager: bool = False
    #: « public » (a public person), « prive » or « » when unknown.
    public_person: str = ""
    #: The HdP listing from the registry: {"decision_ref": str, "listed_on": date | ISO str | None}.
    listing: dict = field(default_factory=dict)

    def as_context(self) -> dict:
        """The party as templates see it: names in French typography (FINESS capitals rewritten, the registry
        keeping its own value); the « ci-après » name defaults to the name with its article."""
        data = asdict(self)
        data["name"] = typographic_name(self.name)
        data["site_name"] = typographic_name(self.site_name)
        data["designation"] = with_article(data["name"])
        data["short_name"] = typographic_name(self.short_name) or data["designation"]
        data["address_line"] = _address_line(self.address, self.postal_code, self.city)
        site_line = _address_line(self.site_address, self.site_postal_code, self.site_city)
        data["site_address_line"] = site_line
        data["head_office"] = "" if self.address_is_site else data["address_line"]
        data["acting_for"] = self._acting_for(data["address_line"], site_line)
        listed_on = self.listing.get("listed_on") if self.listing else None
        if isinstance(listed_on, str) and listed_on:
            listed_on = date.fromisoformat(listed_on)
        ref = (self.listing or {}).get("decision_ref") or ""
        data["listing"] = {"decision_ref": ref, "listed_on": french_date(listed_on),
                           "known": bool(ref or listed_on)}
        return data

    def _acting_for(self, address_line: str, site_line: str) -> str:
        role = "en qualité d'organisme gestionnaire de" if self.manager else "pour"
        where = []
        if self.finess_et and self.finess_et != self.finess_ej:
            where.append(f"FINESS établissement n° {self.finess_et}")
        if self.site_name:
            if site_line:
                where.append(site_line)
            detail = f" ({', '.join(where)})" if where else ""
            site = typographic_name(self.site_name)
            target = f"« {site} »" if self.manager else f"son site « {site} »"
            return f"agissant {role} {target}{detail}"
        if self.address_is_site and self.finess_et and self.finess_ej and self.finess_et != self.finess_ej:
            what = "l'établissement" if self.manager else "son site"
            located = f", situé {address_line}" if address_line else ""
            return f"agissant {role} {what} inscrit au FINESS sous le n° {self.finess_et}{located}"
        return ""


def _address_line(address: str, postal_code: str, city: str) -> str:
    street = long_street(address)
    town = f"{postal_code or ''} {long_city(city)}".strip()
    return ", ".join(x for x in (street, town) if x)


def _legal_status_of(organisation, profile) -> str:
    """« public » / « prive » / « »: the hospital profile's status when set, else what FINESS tells."""
    status = getattr(profile, "legal_status", None) if profile is not None else None
    if status:
        return status
    from registry.organisations.legal_status import finess_legal_status
    from types import SimpleNamespace

    columns = SimpleNamespace(**{key: getattr(organisation, key, None)
                                 for key in ("sph_code", "category_code", "source")})
    return finess_legal_status(columns) or ""


def _profile_of(organisation):
    """The organisation's hôpital de proximité profile, when it is a registry row that has one."""
    from registry.organisations.models import Organisation

    if not isinstance(organisation, Organisation) or organisation.id is None:
        return None
    return organisation.hospital_profile


def party_from_organisation(organisation, *, representative: Representative | None = None, profile=None,
                            **overrides) -> Party:
    """A party from a registry organisation (any object with the Organisation attributes).

    FINESS gives the site (ET); the legal entity's own row is not imported, so its name and head office are
    unknown: the party is then named after the site's long name, at the site's address, and « agissant pour
    son site inscrit au FINESS sous le n° … » is said only when the FINESS EJ differs from the ET. ``profile``
    (the HospitalProfile, looked up when not given) brings the listing and the legal status set by the ARS."""
    if profile is None:
        profile = _profile_of(organisation)
    values = {key: getattr(organisation, key, None) or "" for key in
              ("finess_et", "finess_ej", "siret", "rna", "address", "postal_code", "city", "phone")}
    values["name"] = getattr(organisation, "display_name", None) or organisation.name
    values["legal_status"] = legal_status_phrase(getattr(organisation, "sph_label", None))
    values["address_is_site"] = bool(values["finess_et"])
    types = set(getattr(organisation, "partner_types", None) or ())
    values["manager"] = bool(types & MANAGED_TYPES)
    values["public_person"] = _legal_status_of(organisation, profile)
    if profile is not None:
        values["listing"] = {"decision_ref": getattr(profile, "decision_ref", None) or "",
                             "listed_on": _iso(getattr(profile, "listed_on", None))}
    values.update(overrides)
    return Party(representative=representative or Representative(), **values)


def _iso(day) -> str | None:
    return day.isoformat() if isinstance(day, date) else day


def jurisdiction_of(parties: list[Party]) -> dict:
    """The competent court: administrative when a public person is party, judicial when every party is a
    private person, else not decided (« la juridiction territorialement compétente »)."""
    natures = [party.public_person for party in parties]
    administrative = PUBLIC in natures
    judicial = not administrative and all(nature == PRIVE for nature in natures)
    key = "administrative" if administrative else "judicial" if judicial else "unknown"
    return {"administrative": administrative, "judicial": judicial, "court": COURTS[key]}


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
                  generated_on: date | None = None, fields: dict | None = None, clauses=(),
                  amendment: dict | None = None) -> dict:
    """The context of one convention; ``ContextError`` lists every value that does not fit the manifest.

    ``amendment`` ({"avenant": …, "parent": …}) makes it an avenant's: its term is its parent's, which may have
    no duration, and its effective date may be unknown (it applies from its signature)."""
    errors: list[str] = []
    fields = fields or {}
    if not partners:
        errors.append("Une convention doit avoir au moins un partenaire.")
    if amendment is None and (not isinstance(duration_months, int) or duration_months <= 0):
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
    notice = values.get("notice_months") if "notice_months" in manifest.field_names else None
    end = end_date(effective_date, duration_months) if effective_date and duration_months else None
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
                  "end": french_date(end), "signature": french_date(signed_on),
                  "document": french_date(generated_on),
                  "notice_deadline": french_date(notice_deadline(end, notice)) if end and isinstance(notice, int)
                  else ""},
        "convention": {"duration": french_duration(duration_months) if duration_months else "",
                       "duration_words": duration_in_letters(duration_months) if duration_months else "",
                       "duration_months": duration_months,
                       "tacit_renewal": bool(tacit_renewal), "party_count": 1 + len(partners),
                       "party_count_words": number_in_letters(1 + len(partners))},
        "jurisdiction": jurisdiction_of([hospital, *partners]),
        "clauses": {clause.code: clause.code in chosen for clause in manifest.clauses},
        **({"avenant": amendment["avenant"], "parent": amendment["parent"]} if amendment is not None else {}),
    }
