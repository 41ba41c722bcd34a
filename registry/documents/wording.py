"""French wording for generated conventions: numbers in letters, FINESS addresses and city names in long form,
a name with its article (« le Centre hospitalier … », « l'Association … »).

Kept deliberately simple and predictable: only all-capital FINESS values are rewritten, so a value already
typed in mixed case by a person is left as it is.
"""

import re

_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
          "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf")
_TENS = {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante"}


def _below_hundred(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n < 70:
        tens, unit = divmod(n, 10)
        word = _TENS[tens * 10]
        if unit == 0:
            return word
        return f"{word}-et-un" if unit == 1 else f"{word}-{_UNITS[unit]}"
    if n < 80:
        return "soixante-et-onze" if n == 71 else f"soixante-{_UNITS[n - 60]}"
    if n == 80:
        return "quatre-vingts"
    return f"quatre-vingt-{_UNITS[n - 80]}"


def number_in_letters(value) -> str:
    """``{{ n|letters }}``: 0 to 999 in French words (1990 spelling with hyphens: « vingt-et-un »); other values
    (None, text, larger numbers) are returned as they are."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1000:
        return value
    hundreds, rest = divmod(value, 100)
    if not hundreds:
        return _below_hundred(rest)
    head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]}-cent" + ("s" if not rest else "")
    return head if not rest else f"{head}-{_below_hundred(rest)}"


def duration_in_letters(months: int) -> str:
    """« trois ans », « un an », « dix-huit mois », « deux ans et six mois »."""
    years, rest = divmod(int(months), 12)
    if years and not rest:
        return f"{number_in_letters(years)} an" + ("s" if years > 1 else "")
    if years < 2:
        return f"{number_in_letters(int(months))} mois"
    return f"{number_in_letters(years)} ans et {number_in_letters(rest)} mois"


#: FINESS street-type abbreviations (etalab extract, « typvoie ») and their long form.
STREET_TYPES = {
    "R": "rue", "RUE": "rue", "AV": "avenue", "AVE": "avenue", "BD": "boulevard", "BLD": "boulevard",
    "RTE": "route", "PL": "place", "CHE": "chemin", "CHEM": "chemin", "IMP": "impasse", "ALL": "allée",
    "ALLEE": "allée", "QUA": "quai", "QU": "quai", "CRS": "cours", "SQ": "square", "PASS": "passage",
    "FG": "faubourg", "FBG": "faubourg", "LOT": "lotissement", "RES": "résidence", "HAM": "hameau",
    "PROM": "promenade", "PRT": "porte", "VC": "voie communale", "ZA": "zone d'activités",
    "ZI": "zone industrielle", "CHS": "chaussée", "MTE": "montée", "SEN": "sentier", "TRA": "traverse",
    "PARC": "parc", "ESP": "esplanade", "CAR": "carrefour", "RPT": "rond-point",
}
#: Words written in lower case inside a street or place name.
_SMALL_WORDS = {"DE", "DU", "DES", "LA", "LE", "LES", "ET", "EN", "SUR", "SOUS", "AUX", "AU", "LES", "LÈS", "LEZ",
                "D", "L"}
_STREET_NUMBER = re.compile(r"^\d+[A-Z]?$|^(BIS|TER|QUATER)$")


def _is_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _capitalise(word: str) -> str:
    """« GENERAL » → « General », « D'ARC » → « d'Arc » handled by the caller's apostrophe split."""
    return word[:1].upper() + word[1:].lower()


def _name_words(words: list[str], first_capital: bool) -> list[str]:
    out = []
    for i, word in enumerate(words):
        if "'" in word:
            head, _, tail = word.partition("'")
            elided = head.lower() if head.upper() in {"D", "L"} and (i or not first_capital) else _capitalise(head)
            out.append(f"{elided}'{_capitalise(tail)}")
        elif word.upper() in _SMALL_WORDS and (i or not first_capital):
            out.append(word.lower())
        elif _STREET_NUMBER.match(word) or any(c.isdigit() for c in word):
            out.append(word.lower() if word in ("BIS", "TER", "QUATER") else word)
        else:
            out.append(_capitalise(word))
    return out


def long_street(address: str | None) -> str:
    """« 21 R VICTOR HUGO » → « 21 rue Victor Hugo », « 1 BD JEANNE D'ARC » → « 1 boulevard Jeanne d'Arc »;
    a value not written in capitals is returned unchanged."""
    if not address or not _is_capitals(address):
        return address or ""
    words = address.split()
    out, i = [], 0
    while i < len(words) and _STREET_NUMBER.match(words[i]):
        out.append(words[i].lower() if words[i] in ("BIS", "TER", "QUATER") else words[i])
        i += 1
    if i < len(words) and words[i] in STREET_TYPES and i + 1 < len(words):
        out.append(STREET_TYPES[words[i]])
        i += 1
    out.extend(_name_words(words[i:], first_capital=not out or out[-1][:1].isdigit()))
    return " ".join(out)


def long_city(city: str | None) -> str:
    """« IS SUR TILLE » → « Is-sur-Tille », « ST JEAN DE LOSNE » → « Saint-Jean-de-Losne », « LE CREUSOT » →
    « Le Creusot », « DIJON CEDEX » → « Dijon Cedex ». Used when the INSEE name is not at hand; a value not
    written in capitals is returned unchanged."""
    if not city or not _is_capitals(city):
        return city or ""
    words = city.replace("-", " ").split()
    cedex = []
    while words and (words[-1] == "CEDEX" or words[-1].isdigit()):
        cedex.insert(0, "Cedex" if words[-1] == "CEDEX" else words[-1])
        words.pop()
    article = ""
    if len(words) > 1 and words[0] in ("LE", "LA", "LES"):
        article = _capitalise(words.pop(0)) + " "
    elif len(words) > 1 and words[0].startswith(("L'",)):
        article = "L'"
        words[0] = words[0][2:]
    expanded = []
    for word in words:
        expanded.append({"ST": "SAINT", "STE": "SAINTE", "STES": "SAINTES", "STS": "SAINTS"}.get(word, word))
    name = "-".join(_name_words(expanded, first_capital=True))
    return " ".join(filter(None, [article + name, *cedex]))


#: First words of a name and the article they take: « Pour le Centre hospitalier … », « Pour l'Association … ».
_MASCULINE = {"centre", "groupement", "groupe", "hôpital", "hopital", "établissement", "etablissement", "service",
              "dispositif", "institut", "syndicat", "pôle", "pole", "office", "cabinet", "conseil", "département",
              "ch", "chu", "chr", "chi", "gcs", "gip", "ehpad", "smr", "ssr", "dac", "cias", "ccas", "centres",
              "réseau", "reseau", "foyer", "village"}
_FEMININE = {"association", "maison", "fondation", "clinique", "polyclinique", "communauté", "communaute",
             "société", "societe", "mutualité", "mutualite", "mutuelle", "résidence", "residence", "union",
             "fédération", "federation", "congrégation", "commune", "ville", "sisa", "cpts", "msp", "mmg", "selarl",
             "sas", "sarl", "scm", "unité", "unite", "plateforme", "structure", "croix-rouge"}
_ARTICLES = ("le ", "la ", "les ", "l'", "l’")


def with_article(name: str) -> str:
    """« le Centre hospitalier de Semur », « la CPTS du Pays … », « l'Établissement … »; a name that starts with an
    article, or whose first word is not known, is returned as it is (« Korian », « Le Village … »)."""
    if not name:
        return ""
    if name.lower().startswith(_ARTICLES):
        return name
    first = re.split(r"[\s'’]", name, maxsplit=1)[0].lower()
    if first not in _MASCULINE and first not in _FEMININE:
        return name
    if first[:1] in "aeiouyéèêâîôh":
        return f"l'{name}"
    return ("le " if first in _MASCULINE else "la ") + name
