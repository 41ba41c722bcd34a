"""The etalab CSV extract (cs1100502/cs1100507): `structureet` lines into Organisation values.

Layout in tests/data/finess/SOURCES.md: tag + 31 fields, `;`
separated, trailing `;`. Spreadsheet re-saves pad lines with empty fields and damage some values (see repair).
"""

from collections.abc import Iterable, Iterator

from registry.core.geography import OVERSEAS_INSEE_PREFIX
from registry.finess.repair import (
    ValueProblem, optional, parse_date, repair_commune, repair_departement, repair_finess, repair_phone,
    repair_siret, split_routing_line,
)
from registry.finess.report import ImportReport
from registry.finess.rows import ParsedRow, finish_row
from registry.organisations.identifiers import departement_of_finess

STRUCTURE_TAG = "structureet"
GEOLOCATION_TAG = "geolocalisation"
STRUCTURE_FIELDS = 32

# Positions in a structureet line (0 is the tag).
(FINESS_ET, FINESS_EJ, NAME, LONG_NAME, NAME_COMPLEMENT, DISTRIBUTION_COMPLEMENT, STREET_NUMBER, STREET_TYPE,
 STREET, STREET_NUMBER_SUFFIX, LOCALITY, COMMUNE, DEPARTEMENT, DEPARTEMENT_LABEL, ROUTING_LINE, PHONE, FAX,
 CATEGORY, CATEGORY_LABEL, AGGREGATE, AGGREGATE_LABEL, SIRET, APE, MFT, MFT_LABEL, SPH, SPH_LABEL, OPENED_ON,
 AUTHORISED_ON, UPDATED_ON, UAI) = range(1, STRUCTURE_FIELDS)


def is_header(fields: list[str]) -> bool:
    """`finess;etalab;<n>;<date>`, possibly padded with empty fields by a spreadsheet."""
    return len(fields) >= 2 and fields[0].lstrip("\ufeff").strip().lower() == "finess" \
        and fields[1].strip().lower() == "etalab"


def parse_structure(fields: list[str]) -> ParsedRow:
    """One `structureet` line; a line of the wrong width is refused before any value is read."""
    while len(fields) > STRUCTURE_FIELDS and not fields[-1].strip():
        fields = fields[:-1]  # padding added by a spreadsheet
    if len(fields) != STRUCTURE_FIELDS:
        kind = "tronquée" if len(fields) < STRUCTURE_FIELDS else "trop longue"
        problem = f"ligne {kind} : {len(fields)} champs au lieu de {STRUCTURE_FIELDS}"
        return ParsedRow(None, _departement_hint(fields), problem)
    warnings: list[str] = []
    try:
        values = _values(fields, warnings)
    except ValueProblem as problem:
        return ParsedRow(None, _departement_hint(fields), str(problem))
    return finish_row(values, warnings)


def _values(fields: list[str], warnings: list[str]) -> dict:
    """Every column of the row, in one pass over its fields (a national extract has a hundred thousand rows)."""
    (_tag, finess_et, finess_ej, name, long_name, name_complement, distribution_complement, street_number,
     street_type, street, street_number_suffix, locality, commune, departement, _departement_label, routing_line,
     phone, fax, category, category_label, aggregate, aggregate_label, siret, ape, _mft, _mft_label, sph,
     sph_label, opened_on, authorised_on, updated_on, _uai) = fields
    departement = repair_departement(departement)
    if not departement:
        raise ValueProblem("département manquant")
    postal_code, city = split_routing_line(routing_line)
    address = " ".join(filter(None, (street_number.strip(), street_number_suffix.strip(), street_type.strip(),
                                     street.strip())))
    return {
        "name": name.strip() or None,
        "long_name": long_name.strip() or None,
        "name_complement": name_complement.strip() or None,
        "category_code": category.strip() or None,
        "category_label": category_label.strip() or None,
        "aggregate_code": aggregate.strip() or None,
        "aggregate_label": aggregate_label.strip() or None,
        "address_complement": distribution_complement.strip() or None,
        "locality": locality.strip() or None,
        "ape_code": ape.strip() or None,
        "sph_code": sph.strip() or None,
        "sph_label": sph_label.strip() or None,
        "postal_code": postal_code,
        "city": city,
        "finess_et": repair_finess(finess_et),
        "finess_ej": repair_finess(finess_ej),
        "address": address or None,
        "commune_code": commune_code(departement, repair_commune(commune)),
        "departement": departement,
        "siret": optional(repair_siret, siret, warnings),
        "phone": optional(repair_phone, phone, warnings, "téléphone"),
        "fax": optional(repair_phone, fax, warnings, "télécopie"),
        "opened_on": parse_date(opened_on, "date d'ouverture"),
        "authorised_on": parse_date(authorised_on, "date d'autorisation"),
        "finess_updated_on": parse_date(updated_on, "date de mise à jour"),
    }


def commune_code(departement: str | None, commune: str) -> str | None:
    """INSEE code: département + commune (01 + 451); overseas 9A + 123 → 97123, 9J + 613 → 98613."""
    if not departement or len(commune) != 3 or not commune.isdigit():
        return None
    prefix = OVERSEAS_INSEE_PREFIX.get(departement)
    if prefix is None:
        return departement + commune
    # FINESS writes the commune with the third digit of the INSEE prefix first (971 + 23 → 123).
    return prefix + commune[1:] if commune[0] == prefix[2] else None


def _departement_hint(fields: list[str]) -> str | None:
    if len(fields) > DEPARTEMENT and fields[DEPARTEMENT].strip():
        return repair_departement(fields[DEPARTEMENT])
    if len(fields) > FINESS_ET:
        return departement_of_finess(repair_finess(fields[FINESS_ET]))
    return None


def read_rows(records: Iterable[tuple[int, list[str]]], report: ImportReport) -> Iterator[tuple[int, ParsedRow]]:
    """Establishment rows of the file; geolocation lines were read by the first pass, other tags are refused."""
    for line, fields in records:
        tag = fields[0].strip() if fields else ""
        if tag == STRUCTURE_TAG:
            yield line, parse_structure(fields)
        elif tag == GEOLOCATION_TAG or not any(field.strip() for field in fields):
            continue
        elif line == 1 and is_header(fields):
            continue
        else:
            report.reject(line, f"type de ligne « {tag[:40]} » inconnu (attendu : structureet ou geolocalisation)")
