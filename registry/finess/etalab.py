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


#: Columns copied as they are (trimmed, None when empty), with their position in the line.
VERBATIM = (("name", NAME), ("long_name", LONG_NAME), ("name_complement", NAME_COMPLEMENT),
            ("category_code", CATEGORY), ("category_label", CATEGORY_LABEL), ("aggregate_code", AGGREGATE),
            ("aggregate_label", AGGREGATE_LABEL), ("address_complement", DISTRIBUTION_COMPLEMENT),
            ("locality", LOCALITY), ("ape_code", APE), ("sph_code", SPH), ("sph_label", SPH_LABEL))


def _values(fields: list[str], warnings: list[str]) -> dict:
    values = {name: fields[index].strip() or None for name, index in VERBATIM}
    departement = repair_departement(fields[DEPARTEMENT])
    if not departement:
        raise ValueProblem("département manquant")
    values["postal_code"], values["city"] = split_routing_line(fields[ROUTING_LINE])
    street = " ".join(filter(None, (fields[STREET_NUMBER].strip(), fields[STREET_NUMBER_SUFFIX].strip(),
                                    fields[STREET_TYPE].strip(), fields[STREET].strip())))
    values.update(
        finess_et=repair_finess(fields[FINESS_ET]),
        finess_ej=repair_finess(fields[FINESS_EJ]),
        address=street or None,
        commune_code=commune_code(departement, repair_commune(fields[COMMUNE])),
        departement=departement,
        siret=optional(repair_siret, fields[SIRET], warnings),
        phone=optional(repair_phone, fields[PHONE], warnings, "téléphone"),
        fax=optional(repair_phone, fields[FAX], warnings, "télécopie"),
        opened_on=parse_date(fields[OPENED_ON], "date d'ouverture"),
        authorised_on=parse_date(fields[AUTHORISED_ON], "date d'autorisation"),
        finess_updated_on=parse_date(fields[UPDATED_ON], "date de mise à jour"),
    )
    return values


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
