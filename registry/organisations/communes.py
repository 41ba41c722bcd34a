"""The official list of communes (INSEE's Code officiel géographique): a commune found by name, postcode or code.

The list (data/communes.csv.gz, see data/SOURCES.md) is read on first use, never at start-up.
"""

import csv
import difflib
import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from registry.core.errors import DomainError
from registry.core.geography import OVERSEAS_INSEE_PREFIX

COMMUNES_FILE = Path(__file__).parent / "data" / "communes.csv.gz"
#: An INSEE commune code or a postcode: five characters, 2A/2B for Corsica.
CODE_PATTERN = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
#: « Saint-Martin (21) », « Les Abymes (971) » or « Is-sur-Tille (21317) »: a name and what tells it apart.
HINTED = re.compile(r"^(?P<name>.*?)\s*\((?P<hint>[0-9A-Za-z]{2,5})\)$")
#: Abbreviations common in addresses (and in FINESS), read as the words of the official names.
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
#: How many candidates an error message or the suggestions list at most.
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    #: The département as the registry writes it (FINESS codes: 9A for Guadeloupe...).
    departement: str
    postal_codes: tuple[str, ...]

    @property
    def departement_number(self) -> str:
        """The département as people write it: 21, 2A, 971."""
        return OVERSEAS_INSEE_PREFIX.get(self.departement, self.departement)

    @property
    def label(self) -> str:
        """« Saint-Martin (21) »: unique, since no two communes of a département share a name."""
        return f"{self.name} ({self.departement_number})"

    @property
    def postal_code(self) -> str | None:
        """The commune's postcode when it has only one."""
        return self.postal_codes[0] if len(self.postal_codes) == 1 else None


class CommuneError(DomainError):
    """The text names no commune, or several; ``candidates`` are those to choose from."""

    def __init__(self, message: str, candidates: list[Commune] = ()):
        super().__init__(message, details=[message])
        self.candidates = list(candidates)


def name_key(text: str) -> str:
    """« Is-sur-Tille », « IS SUR TILLE » and « is sur tille » → « is sur tille »; « ST JEAN » → « saint jean »."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(ABBREVIATIONS.get(word, word) for word in re.split(r"[^a-z0-9]+", plain) if word)


@dataclass(frozen=True)
class _Index:
    #: Every commune with its name key, in code order.
    keyed: tuple[tuple[str, Commune], ...]
    by_code: dict[str, Commune]
    by_name: dict[str, list[Commune]]
    by_postal_code: dict[str, list[Commune]]


@cache
def _index() -> _Index:
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8", newline="") as source:
        communes = tuple(Commune(row["code"], row["nom"], row["departement"], tuple(row["codes_postaux"].split()))
                         for row in csv.DictReader(source))
    keyed = tuple((name_key(commune.name), commune) for commune in communes)
    by_name: dict[str, list[Commune]] = {}
    by_postal_code: dict[str, list[Commune]] = {}
    for key, commune in keyed:
        by_name.setdefault(key, []).append(commune)
        for postal_code in commune.postal_codes:
            by_postal_code.setdefault(postal_code, []).append(commune)
    return _Index(keyed, {commune.code: commune for commune in communes}, by_name, by_postal_code)


def find_commune(code: str | None) -> Commune | None:
    """The current commune with this INSEE code, or None."""
    return _index().by_code.get((code or "").strip().upper()) if code else None


def _labels(communes: list[Commune]) -> str:
    shown = ", ".join(commune.label for commune in communes[:MAX_CANDIDATES])
    return shown + (f" (et {len(communes) - MAX_CANDIDATES} autres)" if len(communes) > MAX_CANDIDATES else "")


def _matches_hint(commune: Commune, hint: str) -> bool:
    hint = hint.upper()
    return hint in (commune.code, commune.departement, commune.departement_number)


def resolve_commune(text: str, departement: str | None = None, *, postcodes: bool = True) -> Commune:
    """The one commune this text names: an INSEE code, a postcode, a name, or a name with its département or
    code in brackets (« Saint-Martin (21) »).

    A 5-character code is both an INSEE code and a postcode (21120 is La Bussière-sur-Ouche's code and
    Is-sur-Tille's postcode): when it names several communes, the user chooses. With ``postcodes=False`` (the
    API, whose ``commune`` is an INSEE code) a code is only an INSEE code. ``departement`` (FINESS code) narrows
    a name or code shared by several communes. Raises CommuneError with a French message listing the
    candidates when the text names none or several.
    """
    text = " ".join((text or "").split())
    if not text:
        raise CommuneError("indiquez la commune")
    index = _index()
    hinted = HINTED.match(text)
    name, hint = (hinted["name"], hinted["hint"]) if hinted else (text, None)
    if CODE_PATTERN.match(text.upper()):
        code = text.upper()
        commune = index.by_code.get(code)
        candidates = [commune] if commune else []
        if postcodes or not commune:
            candidates += [other for other in index.by_postal_code.get(code, []) if other is not commune]
        kind = f"le code {code} (code INSEE ou code postal)"
    else:
        candidates = list(index.by_name.get(name_key(name), []))
        if hint:
            candidates = [commune for commune in candidates if _matches_hint(commune, hint)]
        kind = f"le nom « {text} »"
    if len(candidates) > 1 and departement:
        candidates = [commune for commune in candidates if commune.departement == departement] or candidates
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise CommuneError(f"plusieurs communes portent {kind} : précisez laquelle, par exemple « "
                           f"{candidates[0].label} » (communes possibles : {_labels(candidates)})", candidates)
    near = suggest_communes(name, departement=departement, limit=5) or _close_names(name)
    hint_text = f" ; communes approchantes : {_labels(near)}" if near else ""
    raise CommuneError(f"aucune commune ne correspond à « {text} »{hint_text}", near)


def _close_names(name: str) -> list[Commune]:
    """Communes whose name is spelt nearly the same (« Is-sur-Tile » → Is-sur-Tille)."""
    by_name = _index().by_name
    keys = difflib.get_close_matches(name_key(name), by_name.keys(), n=5, cutoff=0.85)
    return [commune for key in keys for commune in by_name[key]][:5]


def suggest_communes(text: str, *, departement: str | None = None, limit: int = MAX_CANDIDATES) -> list[Commune]:
    """Communes whose name starts with the text (or whose code or postcode does), for a list to choose from."""
    text = " ".join((text or "").split())
    if len(text) < 2:
        return []
    key, code = name_key(text), text.upper()
    digits = code[:2].isdigit() or code[:2] in ("2A", "2B")
    found = []
    for commune_key, commune in _index().keyed:
        if departement and commune.departement != departement:
            continue
        if (commune.code.startswith(code) or any(p.startswith(code) for p in commune.postal_codes)) if digits \
                else commune_key.startswith(key):
            found.append(commune)
    if not digits:  # the nearest names first: « Is-sur-Tille » before « Is-sur-Tille-… » would be
        found.sort(key=lambda commune: (len(commune.name), commune.name, commune.code))
    return found[:limit]
