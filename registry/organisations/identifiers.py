"""Identifiers of organisations: FINESS (ET/EJ), SIRET and RNA, with their check rules."""

import re

from registry.core.geography import DEPARTEMENTS

FINESS_PATTERN = re.compile(r"^[0-9][0-9AB][0-9]{7}$")
SIRET_PATTERN = re.compile(r"^[0-9]{14}$")
RNA_PATTERN = re.compile(r"^W[0-9A-Z][0-9]{8}$")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def finess_problem(number: str | None) -> str | None:
    """Why a FINESS number is invalid (French), or None when it is valid.

    Nine characters: the département code (01…95, 2A, 2B, 9A…9J), six digits, and a Luhn check key. For
    Corsica the letter is read as 0 when computing the key (2A → 20), as the key predates the split of the
    département.
    """
    if not number:
        return "numéro FINESS manquant"
    if len(number) != 9:
        return f"le numéro FINESS « {number} » doit compter 9 caractères (il en a {len(number)})"
    if not FINESS_PATTERN.match(number):
        return f"le numéro FINESS « {number} » contient des caractères non autorisés"
    if number[:2] not in DEPARTEMENTS:
        return f"le numéro FINESS « {number} » ne commence pas par un code de département connu"
    digits = number[0] + ("0" if number[1] in "AB" else number[1]) + number[2:]
    if not luhn_ok(digits):
        return f"la clé de contrôle du numéro FINESS « {number} » est fausse"
    return None


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
