"""Repairs of single values damaged by a spreadsheet (Excel re-save), done only when nothing is guessed.

Each function returns the repaired value, or raises ValueProblem with a French reason when the value cannot be
trusted. What is repaired: leading zeros stripped from codes of a known width, dd/mm/yyyy dates, phone numbers
that lost their leading 0. What is not: SIRET numbers written in scientific notation (digits are lost).
"""

import re
from datetime import date
from functools import lru_cache

from registry.organisations.identifiers import siret_problem

SCIENTIFIC_NOTATION = re.compile(r"^\d+([.,]\d+)?[eE][+-]?\d+$")
FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ROUTING_LINE = re.compile(r"^(\d{4,5})\s+(.*)$")
CEDEX_SUFFIX = re.compile(r"\s+CEDEX(\s+\d+)?$", re.IGNORECASE)


class ValueProblem(ValueError):
    """A value that cannot be repaired without guessing; the message is French and names the value."""


def repair_finess(value: str) -> str:
    """FINESS numbers have 9 characters; a spreadsheet drops the leading 0 of 01…09 (8 digits left)."""
    value = value.strip().upper()
    if len(value) == 8 and value.isdigit():
        return "0" + value
    return value


def repair_departement(value: str) -> str:
    """Département codes have 2 characters; a spreadsheet turns 01…09 into 1…9."""
    value = value.strip().upper()
    if len(value) == 1 and value.isdigit():
        return "0" + value
    return value


def repair_commune(value: str) -> str:
    """Commune numbers within a département have 3 digits; a spreadsheet turns 012 into 12."""
    value = value.strip()
    if value.isdigit() and len(value) < 3:
        return value.zfill(3)
    return value


def parse_date(value: str, label: str) -> date | None:
    """ISO dates as published, or dd/mm/yyyy as a spreadsheet rewrites them."""
    try:
        return _date(value)
    except ValueError:
        raise ValueProblem(f"{label} « {value.strip()} » invalide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)") from None


@lru_cache(maxsize=1 << 16)
def _date(value: str) -> date | None:
    """Dates repeat a lot in an extract (update days, opening days): each distinct value is read once."""
    value = value.strip()
    if not value:
        return None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return date.fromisoformat(value)
    match = FRENCH_DATE.match(value)
    if not match:
        raise ValueError(value)
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def repair_phone(value: str, label: str) -> str | None:
    """Ten digits; nine digits means a spreadsheet dropped the leading 0."""
    if len(value) == 10 and value.isdigit():
        return value
    digits = re.sub(r"[\s.\-]", "", value)
    if not digits:
        return None
    if digits.isdigit() and len(digits) == 9:
        return "0" + digits
    if digits.isdigit() and len(digits) == 10:
        return digits
    raise ValueProblem(f"{label} « {value.strip()} » invalide (10 chiffres attendus), valeur ignorée")


def repair_siret(value: str) -> str | None:
    """Fourteen digits with a valid key; scientific notation has lost digits and cannot be repaired."""
    value = value.strip().replace(" ", "")
    if not value:
        return None
    if len(value) == 14 and value.isdigit() and not siret_problem(value):
        return value
    if SCIENTIFIC_NOTATION.match(value):
        raise ValueProblem(f"SIRET « {value} » en notation scientifique (chiffres perdus par un tableur), "
                           "valeur ignorée")
    problem = siret_problem(value)
    if problem:
        raise ValueProblem(f"{problem}, valeur ignorée")
    return value


def optional(repair, value: str | None, warnings: list[str], *label: str):
    """A value the row can live without: blank is None, and when it cannot be repaired it is dropped with a
    warning."""
    if value is None:
        return None
    value = str(value)
    if not value.strip():
        return None  # what every repair makes of it, without the call
    try:
        return repair(value, *label)
    except ValueProblem as problem:
        warnings.append(str(problem))
        return None


def split_routing_line(value: str) -> tuple[str | None, str | None]:
    """'01440 VIRIAT' → ('01440', 'VIRIAT'); the CEDEX mention is routing, not part of the city."""
    value = value.strip()
    match = ROUTING_LINE.match(value)
    if not match:
        return None, clean_city(value)
    return match.group(1).zfill(5), clean_city(match.group(2))


def clean_city(value: str | None) -> str | None:
    value = (value or "").strip()
    if "CEDEX" in value.upper():
        value = CEDEX_SUFFIX.sub("", value)
    return value or None


def text(value: str | None) -> str | None:
    """Trimmed text, None when empty (inner spaces are kept as FINESS prints them)."""
    return (value or "").strip() or None
