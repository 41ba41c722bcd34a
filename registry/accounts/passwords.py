"""What makes a password acceptable (ANSSI and NIST SP 800-63B: length, and not a known one; no composition rules):
at least MIN_LENGTH characters, not among the 30,000 most common passwords (zxcvbn's list, with any trailing
digits or punctuation removed: « motdepasse2026! » is « motdepasse »), and not the e-mail address or its name
(with the same ending removed)."""

import re
from functools import cache

MIN_LENGTH = 12
TRAILER = re.compile(r"[\d\W_]+$")


@cache
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # loaded by the first password set

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, email: str = "") -> list[str]:
    """Why this password is refused, in French; an empty list when it is acceptable."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return [f"le mot de passe doit compter au moins {MIN_LENGTH} caractères"]
    lowered = password.lower()
    stems = {lowered, TRAILER.sub("", lowered), lowered.replace(" ", "")}
    if stems & _common() or "" in stems or len(set(lowered)) <= 2:  # "": digits and punctuation only
        return ["ce mot de passe fait partie des plus courants : choisissez une phrase de passe à vous"]
    email = (email or "").lower()
    if stems & {email, email.split("@")[0]}:
        return ["le mot de passe ne doit pas reprendre l'adresse électronique"]
    return []
