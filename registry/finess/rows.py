"""What every imported row must satisfy, whatever the file format, and the columns the import owns."""

import re
from dataclasses import dataclass, field
from operator import itemgetter

from registry.core.geography import DEPARTEMENTS, region_of
from registry.organisations.identifiers import finess_problem
from registry.organisations.models import Organisation

#: Columns an import writes and compares; the others (notes, manual partner types, RNA...) belong to users.
IMPORTED_COLUMNS = (
    "finess_et", "finess_ej", "name", "long_name", "name_complement", "category_code", "category_label",
    "aggregate_code", "aggregate_label", "address", "address_complement", "locality", "postal_code", "city",
    "commune_code", "departement", "region", "siret", "phone", "fax", "ape_code", "sph_code", "sph_label",
    "opened_on", "authorised_on", "finess_updated_on",
)
#: Written only when the file gives coordinates for the establishment; kept as they are otherwise.
COORDINATE_COLUMNS = ("latitude", "longitude")

CATEGORY_CODE = re.compile(r"^\d{3}$")
AGGREGATE_CODE = re.compile(r"^\d{4}$")

#: Columns whose width no other check bounds, so that PostgreSQL never refuses a value half-way through an
#: import (FINESS, SIRET, phones, codes and dates are checked by pattern before they get here).
FREE_TEXT_COLUMNS = ("name", "long_name", "name_complement", "category_label", "aggregate_label", "address",
                     "address_complement", "locality", "postal_code", "city", "ape_code", "sph_code", "sph_label")
MAX_LENGTHS = tuple((name, Organisation.__table__.c[name].type.length) for name in FREE_TEXT_COLUMNS)
#: Wide columns (names, labels, address lines) are screened together: one C-level max() per row.
WIDE = 100
_wide_texts = itemgetter(*(name for name, length in MAX_LENGTHS if length >= WIDE))
NARROW_LENGTHS = tuple((name, length) for name, length in MAX_LENGTHS if length < WIDE)

FRENCH_LABELS = {
    "name": "raison sociale", "long_name": "raison sociale longue", "name_complement": "complément de raison sociale",
    "category_label": "libellé de catégorie", "aggregate_label": "libellé d'agrégat", "address": "adresse",
    "address_complement": "complément de distribution", "locality": "lieu-dit ou boîte postale",
    "postal_code": "code postal", "city": "commune", "commune_code": "code commune", "ape_code": "code APE",
    "sph_code": "code SPH", "sph_label": "libellé SPH",
}


@dataclass
class ParsedRow:
    """One establishment read from a file: its values, or why it was refused, and what was dropped on the way."""

    values: dict | None
    #: The best-known département, even for a refused row, so that --departement can skip it silently.
    departement: str | None
    problem: str | None = None
    warnings: list[str] = field(default_factory=list)


def finish_row(values: dict, warnings: list[str]) -> ParsedRow:
    """Derive the region, check the row, and wrap it up."""
    values["region"] = region_of(values["departement"])
    aggregate = values["aggregate_code"]
    if aggregate and not AGGREGATE_CODE.match(aggregate):
        warnings.append(f"agrégat de catégorie « {aggregate} » invalide (4 chiffres attendus), valeur ignorée")
        values["aggregate_code"] = None
    problem = row_problem(values)
    return ParsedRow(None if problem else values, values["departement"], problem, warnings)


def row_problem(values: dict) -> str | None:
    """Why a row cannot be imported (French), or None."""
    problem = finess_problem(values["finess_et"])
    if problem:
        return f"FINESS ET : {problem}"
    problem = finess_problem(values["finess_ej"])
    if problem:
        return f"FINESS EJ : {problem}"
    if not values["name"]:
        return "raison sociale manquante"
    code = values["category_code"]
    if not code or not CATEGORY_CODE.match(code):
        return f"catégorie « {code or ''} » inconnue (3 chiffres attendus)"
    departement = values["departement"]
    if departement is not None and departement not in DEPARTEMENTS:
        return f"département « {departement} » inconnu"
    suspects = MAX_LENGTHS if max(map(len, filter(None, _wide_texts(values))), default=0) > WIDE \
        else NARROW_LENGTHS
    for name, length in suspects:
        if len(values[name] or "") > length:
            return f"{FRENCH_LABELS.get(name, name)} : {len(values[name])} caractères, {length} au plus"
    return None
