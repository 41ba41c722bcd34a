"""Identifiers of organisations: FINESS (ET/EJ), SIRET and RNA, with their check rules."""

import re

from registry.core.geography import DEPARTEMENTS

FINESS_PATTERN = re.compile(r"^[0-9][0-9AB][0-9]{7}$")
SIRET_PATTERN = re.compile(r"^[0-9]{14}$")
RNA_PATTERN = re.compile(r"^W[0-9A-Z][0-9]{8}$")


#: Luhn's doubled digit, already reduced (2 × 7 = 14 → 5), so that a whole number is summed in one go.
_LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")


def luhn_ok(digits: str) -> bool:
    """Luhn check of a string of ASCII digits (callers check the pattern first); fast, for bulk imports."""
    return (sum((digits[-1::-2] + digits[-2::-2].translate(_LUHN_DOUBLED)).encode()) - 48 * len(digits)) % 10 == 0


#: First two characters a FINESS number can start with: metropolitan départements (2A/2B for Corsica), then
#: 97 (Guadeloupe, Martinique, Guyane, La Réunion) and 98 (Mayotte, Wallis-et-Futuna). The extract's
#: département column uses 9A…9J for those, never the number itself.
FINESS_PREFIXES = frozenset({code for code in DEPARTEMENTS if not code.startswith("9") or code.isdigit()}
                            | {"97", "98"})

#: A well-formed FINESS number, its département prefix included, in one match: only its key is left to check.
FINESS_WELL_FORMED = re.compile(f"(?:{'|'.join(sorted(FINESS_PREFIXES))})[0-9]{{7}}")

#: FINESS département code of an overseas number, from its first four characters (seen in the 2026 extract).
OVERSEAS_FINESS_DEPARTEMENT = {"9701": "9A", "9702": "9B", "9703": "9C", "9704": "9D", "9805": "9F", "9806": "9J"}

#: Corsica: the check key reads 2A as 21 and 2B as 22. Checked on real numbers published in the Journal
#: officiel (arrêté du 4 mars 2015, isolement géographique: 2A0000154, 2B0000038, 2B0004246, 2B0005342,
#: 2B0005359); reading the letter as 0 validates none of them.
CORSICA_KEY_DIGIT = {"A": "1", "B": "2"}


def finess_key_digits(number: str) -> str:
    """The digits the Luhn key is computed on (Corsica's letter replaced by its digit)."""
    if number[1] not in CORSICA_KEY_DIGIT:
        return number
    return number[0] + CORSICA_KEY_DIGIT[number[1]] + number[2:]


def finess_with_key(body: str) -> str:
    """The FINESS number made of these 8 characters and their check key (test data, benchmarks)."""
    for key in "0123456789":
        if luhn_ok(finess_key_digits(body + key)):
            return body + key
    raise AssertionError("unreachable: one Luhn key always fits")


def finess_problem(number: str | None) -> str | None:
    """Why a FINESS number is invalid (French), or None when it is valid.

    Nine characters: the département code (01…95, 2A, 2B, or 97/98 overseas), six digits, and a Luhn check
    key. For Corsica the letter is read as a digit (2A → 21, 2B → 22) when computing the key.
    """
    if number and FINESS_WELL_FORMED.fullmatch(number) and luhn_ok(finess_key_digits(number)):
        return None  # the usual case (a national import checks 200,000 numbers): one match and one sum
    if not number:
        return "numéro FINESS manquant"
    if len(number) != 9:
        return f"le numéro FINESS « {number} » doit compter 9 caractères (il en a {len(number)})"
    if not FINESS_PATTERN.match(number):
        return f"le numéro FINESS « {number} » contient des caractères non autorisés"
    if number[:2] not in FINESS_PREFIXES:
        return f"le numéro FINESS « {number} » ne commence pas par un code de département connu"
    if not luhn_ok(finess_key_digits(number)):
        return f"la clé de contrôle du numéro FINESS « {number} » est fausse"
    return None


def departement_of_finess(number: str) -> str | None:
    """The FINESS département code of a valid number (when a source gives no département column)."""
    if number[:2] in ("97", "98"):
        return OVERSEAS_FINESS_DEPARTEMENT.get(number[:4])
    return number[:2]


def is_valid_finess(number: str | None) -> bool:
    return finess_problem(number) is None


def siret_problem(siret: str | None) -> str | None:
    if not siret:
        return None
    if not SIRET_PATTERN.match(siret):
        return f"le SIRET « {siret} » doit compter 14 chiffres"
    # La Poste's establishments use a sum-of-digits rule instead of Luhn.
    if siret.startswith("356000000"):
        return None if sum(int(c) for c in siret) % 5 == 0 else f"la clé du SIRET « {siret} » est fausse"
    return None if luhn_ok(siret) else f"la clé du SIRET « {siret} » est fausse"


def rna_problem(rna: str | None) -> str | None:
    if not rna:
        return None
    return None if RNA_PATTERN.match(rna) else f"le numéro RNA « {rna} » doit s'écrire W suivi de 9 caractères"
