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


#: Capital letters without their accents: « SANTÉ » → « SANTE ».
_FOLD = str.maketrans("ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ", "AAAEEEEIIOOUUUC")
#: FINESS street types (« typvoie », the La Poste / FANTOIR code list) and a few long forms also met in FINESS
#: addresses, with their long form.
STREET_TYPES = {
    "ALL": "allée", "ALLEE": "allée", "AV": "avenue", "AVE": "avenue", "BD": "boulevard",
    "BLD": "boulevard", "BRG": "bourg", "CAR": "carrefour", "CHE": "chemin", "CHEM": "chemin", "CHS": "chaussée",
    "CITE": "cité", "COR": "corniche", "CRS": "cours", "DOM": "domaine", "DSC": "descente", "ECA": "écart",
    "ESP": "esplanade", "FG": "faubourg", "FBG": "faubourg", "GR": "grande rue", "HAM": "hameau", "HLE": "halle",
    "IMP": "impasse", "LD": "lieu-dit", "LOT": "lotissement", "MAR": "marché", "MTE": "montée", "PAS": "passage",
    "PASS": "passage", "PL": "place", "PLN": "plaine", "PLT": "plateau", "PRO": "promenade", "PROM": "promenade",
    "PRV": "parvis", "PRT": "porte", "QUA": "quartier", "QUAI": "quai", "R": "rue", "RUE": "rue", "RES": "résidence",
    "RLE": "ruelle", "ROC": "rocade", "RPT": "rond-point", "RTE": "route", "SEN": "sentier", "SQ": "square",
    "TPL": "terre-plein", "TRA": "traverse", "VLA": "villa", "VLGE": "village", "VC": "voie communale",
    "ZA": "zone d'activités", "ZI": "zone industrielle", "PARC": "parc", "MAIL": "mail",
}
#: The long forms written out in capitals (« 1 CHEMIN DES BAINS »).
STREET_TYPES.update({long.upper().translate(_FOLD): long
                     for long in set(STREET_TYPES.values()) if " " not in long and long.upper() not in STREET_TYPES})
#: Words written in lower case inside a street or place name.
_SMALL_WORDS = {"DE", "DU", "DES", "LA", "LE", "LES", "ET", "EN", "SUR", "SOUS", "AUX", "AU", "LÈS", "LEZ", "D", "L"}
#: Small words between two names that join a commune name: « Is sur Tille » → « Is-sur-Tille ».
_COMMUNE_LINKS = {"SUR", "SOUS", "EN", "LÈS", "LEZ"}
_STREET_NUMBER = re.compile(r"^\d+[A-Z]?$|^(BIS|TER|QUATER)$")
#: Postal mentions kept in capitals: « BP 97 », « CS 70001 ».
_POSTAL = re.compile(r"^(BP|CS|TSA|CIDEX)(\W|\d|$)")
_SAINTS = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES", "SAINT": "SAINT", "SAINTE": "SAINTE"}
_VOWELS = "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜH"


def _is_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _capitalise(word: str) -> str:
    """« GENERAL » → « General », « IS-SUR-TILLE » → « Is-sur-Tille », « GEORGES/BAULCHE » → « Georges/Baulche »."""
    parts = re.split(r"([-/])", word)
    return "".join(part.lower() if i and part.upper() in _SMALL_WORDS else part[:1].upper() + part[1:].lower()
                   for i, part in enumerate(parts))


def _elide(words: list[str]) -> list[str]:
    """FINESS writes an apostrophe as a space: « L ESPERANCE » → « L'ESPERANCE », « D IS » → « D'IS »."""
    out: list[str] = []
    for word in words:
        if out and out[-1] in ("L", "D") and word[:1] in _VOWELS:
            out[-1] = f"{out[-1]}'{word}"
        else:
            out.append(word)
    return out


def _saints(words: list[str]) -> list[str]:
    """« ST GEORGES » → one word « SAINT-GEORGES » (a saint's name is hyphenated)."""
    out: list[str] = []
    for word in words:
        if out and out[-1] in _SAINTS and word[:1].isalpha() and word not in _SMALL_WORDS:
            out[-1] = f"{_SAINTS[out[-1]]}-{word}"
        else:
            out.append(word)
    return out


def _name_words(words: list[str], first_capital: bool, acronyms: bool = False) -> list[str]:
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
        elif acronyms and _acronym(word):  # « BP 89 », « ZAC du Parc »
            out.append(word)
        else:
            out.append(_capitalise(word))
    return out


def long_street(address: str | None) -> str:
    """« 21 R VICTOR HUGO » → « 21 rue Victor Hugo », « 8 PL DE L HOPITAL » → « 8 place de l'Hopital »,
    « 6 AV ST EXUPERY » → « 6 avenue Saint-Exupery »; « BP 97 » stays; a value not written in capitals is
    returned unchanged."""
    if not address or not _is_capitals(address):
        return address or ""
    if _POSTAL.match(address):
        return address
    words = _saints(_elide(address.split()))
    out, i = [], 0
    while i < len(words) and _STREET_NUMBER.match(words[i]):
        out.append(words[i].lower() if words[i] in ("BIS", "TER", "QUATER") else words[i])
        i += 1
    if i < len(words) and words[i] in STREET_TYPES and i + 1 < len(words):
        out.append(STREET_TYPES[words[i]])
        i += 1
    out.extend(_name_words(words[i:], first_capital=not out or out[-1][:1].isdigit(), acronyms=True))
    return " ".join(out)


def long_city(city: str | None) -> str:
    """« IS SUR TILLE » → « Is-sur-Tille », « ST JEAN DE LOSNE » → « Saint-Jean-de-Losne », « LE CREUSOT » →
    « Le Creusot », « L ISLE SUR SEREIN » → « L'Isle-sur-Serein », « DIJON CEDEX » → « Dijon Cedex ». FINESS
    writes a space where INSEE writes a hyphen; no accent is restored (« Chalon-sur-Saone »). A value not
    written in capitals is returned unchanged."""
    if not city or not _is_capitals(city):
        return city or ""
    words = city.replace("-", " ").split()
    cedex = []
    while words and (words[-1] in ("CEDEX", "CEDE", "CED") or words[-1].isdigit()):  # FINESS cuts at 26 letters
        cedex.insert(0, words[-1] if words[-1].isdigit() else "Cedex")
        words.pop()
    words = _elide(words)
    article = ""
    if len(words) > 1 and words[0] in ("LE", "LA", "LES"):
        article = _capitalise(words.pop(0)) + " "
    elif words and words[0].startswith("L'") and len(words[0]) > 2:
        article = "L'"
        words[0] = words[0][2:]
    expanded = [_SAINTS.get(word, word) for word in words]
    name = "-".join(_name_words(expanded, first_capital=True))
    return " ".join(filter(None, [article + name, *cedex]))


#: Acronyms of establishment names, kept in capitals (any short word without a vowel is one too: CH, MSP, CPTS).
ACRONYMS = frozenset({
    "ADMR", "ARS", "CAMSP", "CATTP", "CCAS", "CHI", "CHR", "CHRU", "CHU", "CIAS", "CMPP", "CSAPA", "CSI", "DAC", "EHPA",
    "EHPAD", "EPCAPA", "EPHAD", "EPSM", "ESAT", "EURL", "FAM", "GCS", "GHT", "GIP", "HAD", "HCO", "IFSI", "IME",
    "MAS", "MARPA", "MMG", "PASA", "PUV", "SA", "ZAC", "SAMU", "SAS", "SARL", "SAU", "SCI", "SCM", "SELARL", "SISA",
    "SMR", "SMUR", "SNCF", "SPASAD", "SSIAD", "SSR", "UHR", "USLD", "UCC"})
#: Common words of establishment names: written in lower case after the first word of a name, with their
#: accents (dictionary words, unlike proper names whose accents FINESS lost and which are left without).
_COMMON_WORDS = {
    "CENTRE": "centre", "CTRE": "centre", "HOSPITALIER": "hospitalier", "HOSPITALIERE": "hospitalière",
    "HOSPITALIERS": "hospitaliers", "UNIVERSITAIRE": "universitaire", "REGIONAL": "régional",
    "INTERCOMMUNAL": "intercommunal", "DEPARTEMENTAL": "départemental", "SPECIALISE": "spécialisé",
    "SANTE": "santé", "SOINS": "soins", "RETRAITE": "retraite", "MEDICAL": "médical", "MEDICALE": "médicale",
    "MEDICO": "médico", "MEDICO-SOCIAL": "médico-social", "PLURIPROFESSIONNELLE": "pluriprofessionnelle",
    "PLURIDISCIPLINAIRE": "pluridisciplinaire", "PSYCHOLOGIQUE": "psychologique", "DENTAIRE": "dentaire",
    "INFIRMIERS": "infirmiers", "READAPTATION": "réadaptation", "SUITE": "suite", "HOPITAL": "hôpital",
    "HEBERGEMENT": "hébergement", "DOMICILE": "domicile", "HOSPITALISATION": "hospitalisation", "JOUR": "jour",
    "MUTUALISTE": "mutualiste", "POLYVALENT": "polyvalent", "TERRITORIAL": "territorial", "CIVILS": "civils",
    "GERIATRIQUE": "gériatrique", "PSYCHIATRIE": "psychiatrie", "ADULTES": "adultes", "ENFANTS": "enfants",
    "PERSONNES": "personnes", "AGEES": "âgées", "DEPENDANTES": "dépendantes", "GARDE": "garde",
    "ETABLISSEMENT": "établissement", "RESIDENCE": "résidence", "MAISON": "maison", "CLINIQUE": "clinique",
    "POLYCLINIQUE": "polyclinique", "ASSOCIATION": "association", "FONDATION": "fondation", "UNITE": "unité",
    "SERVICE": "service", "GROUPEMENT": "groupement", "COMMUNAUTE": "communauté", "PROFESSIONNELLE":
    "professionnelle", "COOPERATION": "coopération", "DIALYSE": "dialyse", "ANTENNE": "antenne", "LOCAL": "local",
    "ACCUEIL": "accueil", "TEMPORAIRE": "temporaire", "CONVALESCENCE": "convalescence", "SEJOUR": "séjour",
    "LONGUE": "longue", "DUREE": "durée", "SITE": "site", "POLE": "pôle", "CABINET": "cabinet", "FOYER": "foyer",
    "LOGEMENT": "logement", "THERAPEUTIQUE": "thérapeutique", "MUNICIPAL": "municipal", "PRIVE": "privé",
    "PUBLIC": "public", "APPUI": "appui", "COORDINATION": "coordination", "DISPOSITIF": "dispositif", "SIEGE": "siège",
    "RESID": "résidence", "MEDICALISEE": "médicalisée", "AUTONOMIE": "autonomie", "MENTALE": "mentale",
    "BIOLOGIE": "biologie", "SOCIAL": "social", "SOCIALE": "sociale",
}


def _acronym(word: str) -> bool:
    bare = word.strip(".")
    return bare in ACRONYMS or (1 < len(bare) <= 5 and bare.isalpha() and not set(bare) & set("AEIOUYÉÈÊÂÎÔÛ"))


def typographic_name(name: str | None) -> str:
    """An establishment name from FINESS capitals to French typography, for the drafts: « EHPAD L ESPERANCE » →
    « EHPAD L'Esperance », « CENTRE HOSPITALIER D IS SUR TILLE » → « Centre hospitalier d'Is-sur-Tille »,
    « CH DU PAYS CHAROLAIS » → « CH du Pays Charolais ». Acronyms stay in capitals, the first word and a
    word after an acronym start with a capital, small words and common words are written in lower case,
    saints and communes (« X sur Y ») are hyphenated. A proper name's lost accents are not guessed. A value
    not written in capitals (typed by a person) is returned unchanged; the registry keeps FINESS's value."""
    if not name or not _is_capitals(name):
        return name or ""
    words = _saints(_elide(name.split()))
    out: list[str] = []
    previous = ""  # what the previous word was: "" (none), "acronym", "article", "small", "common" or "name"
    for word in words:
        folded = word.translate(_FOLD)
        after_acronym = previous in ("", "acronym", "article")
        if _acronym(word):
            out.append(word)
            previous = "acronym"
        elif "'" in word and word.split("'")[0] in ("L", "D"):
            head, _, tail = word.partition("'")
            head = head if after_acronym and head == "L" else head.lower()
            out.append(f"{head}'{_capitalise(tail)}")
            previous = "name"
        elif word in _SMALL_WORDS:  # an article not after « de », « sur »… starts a name: « EHPAD Les Tilleuls »
            starts_name = word in ("LE", "LA", "LES") and previous != "small"
            out.append(_capitalise(word) if starts_name or not out else word.lower())
            previous = "article" if starts_name else "small"
        elif folded in _COMMON_WORDS:
            common = _COMMON_WORDS[folded]
            out.append(common[:1].upper() + common[1:] if after_acronym else common)
            previous = "common"
        else:
            out.append(_capitalise(word))
            previous = "name"
    return " ".join(_join_communes(out))


def _join_communes(words: list[str]) -> list[str]:
    """« Is sur Tille » → « Is-sur-Tille »: a linking word between two names (capitalised, not acronyms)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if (out and i + 1 < len(words) and word.upper() in _COMMUNE_LINKS and word.islower()
                and _is_proper(out[-1]) and _is_proper(words[i + 1])):
            out[-1] = f"{out[-1]}-{word}-{words[i + 1]}"
            i += 2
            continue
        out.append(word)
        i += 1
    return out


def _is_proper(word: str) -> bool:
    last = word.split("'")[-1]
    return last[:1].isupper() and not last.isupper()


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


NON_BREAKING_HYPHEN = "\u2011"


def non_breaking(text):
    """``{{ name|nobreak }}``: hyphens become non-breaking hyphens (U+2011), so that a narrow cell (the signature
    table) never cuts « Is-sur-Tille » at the end of a line; other values are returned as they are."""
    return text.replace("-", NON_BREAKING_HYPHEN) if isinstance(text, str) else text


#: FINESS « SPH » labels (the nature of a health establishment) as a convention writes them after the name;
#: « Non concerné » (not a health establishment) and « indéterminé » say nothing about the party.
_SPH_PHRASES = {
    "etablissement public de sante": "établissement public de santé",
    "etablissement de sante prive d'interet collectif": "établissement de santé privé d'intérêt collectif",
    "etab de sante prive non lucratif, non declar interet collect": "établissement de santé privé à but non "
                                                                    "lucratif",
    "non concerne": "", "indetermine": "",
}


def legal_status_phrase(label: str | None) -> str:
    """A FINESS SPH label in the parties block: « Etablissement public de santé » → « établissement public de
    santé », « Non concerné » → « »; another label loses only its capital initial."""
    if not label:
        return ""
    key = label.strip().upper().translate(_FOLD).lower()
    if key in _SPH_PHRASES:
        return _SPH_PHRASES[key]
    return label[:1].lower() + label[1:] if label[1:2].islower() else label
