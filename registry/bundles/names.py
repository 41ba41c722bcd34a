"""Safe names for the files of a bundle: one path component each, readable on every system, never a way out.

Names come from the registry (hospital and partner names, typed by people or imported): accents are folded
(« Côte-d'Or » → « Cote-d'Or »), anything but plain ASCII letters, digits and a few punctuation marks becomes a
space, so no separator, control character or `..` survives; the length is bounded so that the longest path stays
far below the 260 characters Windows allows. Two names that end up equal (truncation, folding, letter case on
Windows and macOS) get « (2) », « (3) »... in the order they are given, which the caller makes deterministic.
"""

import re
import unicodedata
from functools import lru_cache

#: Longest path component, extension included (a bundle path has three: département, hospital, file).
MAX_COMPONENT = 100
#: Characters kept as they are besides ASCII letters and digits; every other one becomes a space.
PUNCTUATION = " -_.,'()&+"
#: Letters NFKD does not decompose.
LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "Ø": "O", "ø": "o",
                           "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "’": "'", "‘": "'"})
#: Device names Windows refuses as a file name, with or without an extension.
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
_UNSAFE = re.compile(r"[^A-Za-z0-9" + re.escape(PUNCTUATION) + r"]")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The text in plain ASCII: accents dropped, ligatures spelt out, any other character a space. Memoised: a
    bundle folds the same partner and hospital names for many files (``fold(a + b) == fold(a) + fold(b)``, as every
    character is folded on its own and combining marks are dropped, so a name can be folded alone)."""
    if (text or "").isascii():  # nothing to decompose nor to spell out
        return _UNSAFE.sub(" ", text or "")
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    kept = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _UNSAFE.sub(" ", kept)


def safe_name(text: str, *, extension: str = "", max_length: int = MAX_COMPONENT, fallback: str = "sans nom") -> str:
    """One path component made of ``text`` and ``extension`` (".pdf"), at most ``max_length`` characters.

    No separator (/ and \\ become spaces), no run of dots, no leading or trailing dot, dash or space, no control
    character, no Windows device name.
    """
    stem = re.sub(r"\.{2,}", ".", fold(text))
    stem = re.sub(r"\s+", " ", stem)
    stem = _trimmed(stem[:max_length - len(extension)]) or fallback
    if stem.split(".")[0].upper() in WINDOWS_RESERVED:
        stem = "_" + stem
    return stem + extension


def _trimmed(stem: str) -> str:
    return stem.strip(" .-")


def unique_names(names: list[str], *, extension: str = "", max_length: int = MAX_COMPONENT) -> list[str]:
    """The names (each ending with ``extension``) made unique, ignoring letter case, in the order given: a
    repeated one gets « (2) », « (3) »... before its extension, still within ``max_length``."""
    taken: set[str] = set()
    result = []
    for name in names:
        stem = name[:len(name) - len(extension)]
        candidate, number = name, 1
        while candidate.lower() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = _trimmed(stem[:max_length - len(suffix) - len(extension)]) + suffix + extension
        taken.add(candidate.lower())
        result.append(candidate)
    return result
