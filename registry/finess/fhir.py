"""FHIR R4 ndjson (one resource per line): FINESS `Organization` into Organisation values, `Location` positions.

The FHIR form carries no département nor commune code: the département is read from the FINESS ET, the commune
code stays unknown, postal code and city come from the address.
"""

import json
from collections.abc import Iterable, Iterator

from registry.finess.repair import ValueProblem, clean_city, optional, parse_date, repair_phone, repair_siret, text
from registry.finess.report import ImportReport
from registry.finess.rows import ParsedRow, finish_row
from registry.organisations.identifiers import departement_of_finess

FINESS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"
SIRET_SYSTEM = "http://sirene.fr"
CATEGORY_SYSTEM = "http://finess.sante.gouv.fr/valuesets/CAT_ETAB"
AGGREGATE_SYSTEM = "http://finess.sante.gouv.fr/valuesets/CAT_AGR_ETAB"
SPH_SYSTEM = "http://finess.sante.gouv.fr/valuesets/SPH"
APE_SYSTEM_MARK = "TRE-R75-InseeNAFrev2Niveau5"
PERIOD_EXTENSION = "http://hl7.org/fhir/StructureDefinition/organization-period"


def parse_organization(resource: dict) -> ParsedRow:
    """One Organization; the FINESS EJ is the first half of its id ("EJ-ET")."""
    identifiers = {item.get("system"): item.get("value") for item in resource.get("identifier") or []}
    finess_et = text(identifiers.get(FINESS_SYSTEM)) or ""
    codings = {coding.get("system"): coding for kind in resource.get("type") or []
               for coding in kind.get("coding") or []}
    ape = next((coding for system, coding in codings.items() if APE_SYSTEM_MARK in (system or "")), {})
    address = (resource.get("address") or [{}])[0]
    lines = [line for line in address.get("line") or [] if line and line.strip()]
    warnings: list[str] = []
    phones = {item.get("system"): item.get("value") for item in resource.get("telecom") or []}
    values = {
        "finess_et": finess_et,
        "finess_ej": str(resource.get("id") or "").split("-")[0],
        "name": text(resource.get("name")),
        "long_name": None,
        "name_complement": None,
        "category_code": text(codings.get(CATEGORY_SYSTEM, {}).get("code")),
        "category_label": text(codings.get(CATEGORY_SYSTEM, {}).get("display")),
        "aggregate_code": text(codings.get(AGGREGATE_SYSTEM, {}).get("code")),
        "aggregate_label": text(codings.get(AGGREGATE_SYSTEM, {}).get("display")),
        "address": text(lines[0]) if lines else None,
        "address_complement": None,
        "locality": text(" ".join(lines[1:])),
        "postal_code": text(address.get("postalCode")),
        "city": clean_city(address.get("city")),
        "commune_code": None,
        "departement": departement_of_finess(finess_et) if len(finess_et) == 9 else None,
        "siret": optional(repair_siret, identifiers.get(SIRET_SYSTEM), warnings),
        "phone": optional(repair_phone, phones.get("phone"), warnings, "téléphone"),
        "fax": optional(repair_phone, phones.get("fax"), warnings, "télécopie"),
        "ape_code": text(ape.get("code")),
        "sph_code": text(codings.get(SPH_SYSTEM, {}).get("code")),
        "sph_label": text(codings.get(SPH_SYSTEM, {}).get("display")),
        "opened_on": None,
        "authorised_on": None,
        "finess_updated_on": None,
    }
    try:
        values["opened_on"] = _date(_period_start(resource), "date d'ouverture")
        values["finess_updated_on"] = _date((resource.get("meta") or {}).get("lastUpdated"), "date de mise à jour")
    except ValueProblem as problem:
        return ParsedRow(None, values["departement"], str(problem))
    return finish_row(values, warnings)


def parse_location(resource: dict) -> tuple[str, float, float]:
    """(FINESS ET, latitude, longitude) of a Location; ValueProblem when it cannot be used."""
    reference = str((resource.get("managingOrganization") or {}).get("reference") or "")
    finess_et = reference.rsplit("/", 1)[-1].split("-")[-1]
    position = resource.get("position") or {}
    latitude, longitude = position.get("latitude"), position.get("longitude")
    if not finess_et:
        raise ValueProblem("position sans établissement (managingOrganization absent), ignorée")
    if not isinstance(latitude, (int, float)) or not isinstance(longitude, (int, float)) \
            or not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise ValueProblem(f"position de {finess_et} invalide, ignorée")
    return finess_et, float(latitude), float(longitude)


def _period_start(resource: dict) -> str | None:
    for extension in resource.get("extension") or []:
        if extension.get("url") == PERIOD_EXTENSION:
            return (extension.get("valuePeriod") or {}).get("start")
    return None


def _date(value, label: str):
    """FHIR dates and instants ("2020-10-23T00:00:00+00:00"): the calendar date only."""
    return parse_date(str(value)[:10], label) if value else None


def read_rows(lines: Iterable[tuple[int, str]], report: ImportReport) -> Iterator[tuple[int, ParsedRow]]:
    """Organization rows of the file; Locations were read by the first pass, other resources are ignored."""
    for line, content in lines:
        if not content.strip():
            continue
        try:
            resource = json.loads(content)
        except ValueError:
            report.reject(line, "ligne JSON illisible")
            continue
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if kind == "Organization":
            yield line, parse_organization(resource)
        elif kind != "Location":
            report.warn(line, f"ressource FHIR « {str(kind)[:40]} » ignorée (seules Organization et Location "
                              "sont lues)")
