"""The manifest beside each template: its name, partner types, form fields and optional clauses.

Format (docs/interface.md): ``{"code", "name", "partner_types": [type], "fields": [{"name", "label", "type":
text|date|int|bool|choice|list, "required", "choices"}], "clauses": [{"code", "label"}]}``; also accepted:
``description``, ``themes`` (theme codes), a field's ``help`` and a clause's ``default`` (ticked at first).

Texts in force (December 2026):

- ``legal_bases``: the articles the convention is concluded under, as the code writes them (« L6111-3-2 »,
  « D6124-204 »); a convention drafted from the template gets them.
- ``legal_texts``: ``[{"article": "L6111-3-2", "version": "ordonnance n° 2021-582 du 12 mai 2021"}]``, which texts
  the template rests on and in which version (kept for review; shown nowhere yet).
- ``themes`` at the top level: only the themes the ALWAYS-PRESENT articles evidence; a clause's own ``themes``
  are those the optional clause evidences when ticked. ``Manifest.themes_for(clauses)`` gives a drafted
  convention's themes from the clauses actually ticked.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from registry.core import vocabulary
from registry.core.vocabulary import PARTNER_TYPES, THEMES
from registry.documents.problems import Problem

FIELD_TYPES = ("text", "date", "int", "bool", "choice", "list")
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,59}")  # 60 characters: the width of TemplateVersion.code
#: Longest template name TemplateVersion.name holds.
MAX_NAME = 200
#: Names the context always provides (context.build_context) or Jinja reserves; no field may take them.
CONTEXT_NAMES = frozenset({"reference", "hospital", "partners", "parties", "partner_names", "territory", "dates",
                           "convention", "clauses", "jurisdiction", "avenant", "parent"})
RESERVED_NAMES = CONTEXT_NAMES | {"loop", "self", "super", "caller", "varargs", "kwargs", "range", "dict",
                                  "namespace", "true", "false", "none", "not", "and", "or", "in", "is", "if",
                                  "else", "for"}
TOP_KEYS = {"code", "name", "partner_types", "fields", "clauses", "description", "themes", "legal_bases",
            "legal_texts"}
FIELD_KEYS = {"name", "label", "type", "required", "choices", "help"}
CLAUSE_KEYS = {"code", "label", "default", "themes"}
LEGAL_TEXT_KEYS = {"article", "version"}
#: An article as the code writes it: L6111-3-2, R6111-24, D6124-204 (legislative, regulatory, decree).
ARTICLE = re.compile(r"[LRD]\d{4}(-\d+)+")


@dataclass(frozen=True)
class ManifestField:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class ManifestClause:
    code: str
    label: str
    default: bool = False
    #: Themes (core.vocabulary.THEMES) the clause evidences when ticked.
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LegalText:
    article: str
    version: str


@dataclass(frozen=True)
class Manifest:
    code: str
    name: str
    partner_types: tuple[str, ...] = ()
    fields: tuple[ManifestField, ...] = ()
    clauses: tuple[ManifestClause, ...] = ()
    description: str = ""
    #: Themes of the articles always present in the template (not of the optional clauses).
    themes: tuple[str, ...] = ()
    legal_bases: tuple[str, ...] = ()
    legal_texts: tuple[LegalText, ...] = ()
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def themes_for(self, clauses) -> tuple[str, ...]:
        """The themes of a convention drafted with the optional clauses ``clauses`` ticked: the template's own
        themes, then those of each ticked clause, each once, in the manifest's order."""
        chosen = set(clauses or ())
        themes = [*self.themes]
        for clause in self.clauses:
            if clause.code in chosen:
                themes.extend(clause.themes)
        return tuple(dict.fromkeys(themes))

    @property
    def field_names(self) -> set[str]:
        return {f.name for f in self.fields}

    @property
    def clause_codes(self) -> set[str]:
        return {c.code for c in self.clauses}

    def as_dict(self) -> dict:
        """The manifest as ``GET /templates`` lists it."""
        return {
            "code": self.code, "name": self.name, "description": self.description,
            "partner_types": list(self.partner_types), "themes": list(self.themes),
            "legal_bases": list(self.legal_bases),
            "legal_texts": [{"article": t.article, "version": t.version} for t in self.legal_texts],
            "fields": [{"name": f.name, "label": f.label, "type": f.type, "required": f.required,
                        "choices": list(f.choices), "help": f.help} for f in self.fields],
            "clauses": [{"code": c.code, "label": c.label, "default": c.default, "themes": list(c.themes)}
                        for c in self.clauses],
        }


class ManifestError(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _problem(message: str, where: str = "") -> Problem:
    return Problem(message=message, part="manifest", paragraph=where, code="invalid_manifest")


def _check_text(data: dict, key: str, where: str, problems: list[Problem]) -> None:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(_problem(f"« {key} » doit être un texte non vide.", where))


def _check_codes(values, vocabulary: dict, key: str, problems: list[Problem], where: str = "") -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        problems.append(_problem(f"« {key} » doit être une liste de codes.", where))
        return
    for value in values:
        if value not in vocabulary:
            problems.append(_problem(f"Code inconnu « {value} » dans « {key} » (attendus : {', '.join(vocabulary)}).",
                                     where))


def _check_entry(item, what: str, key: str, allowed: set[str], seen: set[str], problems: list[Problem],
                 reserved=frozenset()) -> str | None:
    """What fields and clauses share: an object of known keys, an identifier unique in its list, a label.
    Returns where the entry is (for the messages), or None when it is not even an object."""
    feminine = what == "clause"
    if not isinstance(item, dict):
        problems.append(_problem(f"Chaque {what} doit être un objet JSON."))
        return None
    where = f"{what} {item.get(key)!r}"
    for extra in sorted(set(item) - allowed):
        problems.append(_problem(f"Clé inconnue « {extra} » dans {'une' if feminine else 'un'} {what}.", where))
    ident = item.get(key)
    if not isinstance(ident, str) or not IDENTIFIER.fullmatch(ident):
        problems.append(_problem(f"« {key} » ({what}) doit commencer par une lettre minuscule et ne contenir que "
                                 "des lettres minuscules non accentuées, des chiffres et « _ ».", where))
    elif ident in reserved:
        problems.append(_problem(f"Le nom de champ « {ident} » est réservé par le contexte des modèles.", where))
    elif ident in seen:
        problems.append(_problem(f"{what.capitalize()} « {ident} » {'déclarée' if feminine else 'déclaré'} deux fois.",
                                 where))
    else:
        seen.add(ident)
    _check_text(item, "label", where, problems)
    return where


def _check_flag(item: dict, key: str, where: str, problems: list[Problem]) -> None:
    if not isinstance(item.get(key, False), bool):
        problems.append(_problem(f"« {key} » doit valoir true ou false.", where))


def _check_field(item, seen: set[str], problems: list[Problem]) -> None:
    where = _check_entry(item, "champ", "name", FIELD_KEYS, seen, problems, RESERVED_NAMES)
    if where is None:
        return
    kind = item.get("type", "text")
    if kind not in FIELD_TYPES:
        problems.append(_problem(f"Type de champ inconnu « {kind} » (attendus : {', '.join(FIELD_TYPES)}).", where))
    _check_flag(item, "required", where, problems)
    choices = item.get("choices")
    if kind == "choice" and (not isinstance(choices, list) or not choices
                             or not all(isinstance(c, str) and c for c in choices)):
        problems.append(_problem("Un champ de type « choice » doit avoir une liste « choices » non vide.", where))
    elif choices not in (None, []) and kind != "choice":
        problems.append(_problem("« choices » n'a de sens que pour un champ de type « choice ».", where))


def _check_clause(item, seen: set[str], problems: list[Problem]) -> None:
    where = _check_entry(item, "clause", "code", CLAUSE_KEYS, seen, problems)
    if where is not None:
        _check_flag(item, "default", where, problems)
        if "themes" in item:
            _check_codes(item["themes"], THEMES, "themes", problems, where)


def _check_legal_bases(values, problems: list[Problem]) -> None:
    if not isinstance(values, list):
        problems.append(_problem("« legal_bases » doit être une liste d'articles (par exemple « L6111-3-2 »)."))
        return
    known = getattr(vocabulary, "LEGAL_BASES", None)  # the bases the registry's conventions and verdicts know
    for value in values:
        if not isinstance(value, str) or not ARTICLE.fullmatch(value):
            problems.append(_problem(f"Article invalide {value!r} dans « legal_bases » : écrivez-le comme le code, "
                                     "par exemple « L6111-3-2 » ou « D6124-204 »."))
        elif known is not None and value not in known:
            problems.append(_problem(f"Article « {value} » inconnu du registre dans « legal_bases » (attendus : "
                                     f"{', '.join(known)})."))
    if len(set(v for v in values if isinstance(v, str))) != len(values):
        problems.append(_problem("« legal_bases » cite deux fois le même article."))


def _check_legal_texts(values, problems: list[Problem]) -> None:
    if not isinstance(values, list):
        problems.append(_problem("« legal_texts » doit être une liste d'objets {« article », « version »}."))
        return
    for item in values:
        if not isinstance(item, dict):
            problems.append(_problem("Chaque texte de « legal_texts » doit être un objet {« article », « version »}."))
            continue
        where = f"texte {item.get('article')!r}"
        for extra in sorted(set(item) - LEGAL_TEXT_KEYS):
            problems.append(_problem(f"Clé inconnue « {extra} » dans un texte de « legal_texts ».", where))
        for key in ("article", "version"):
            _check_text(item, key, where, problems)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(value) -> bool:
    """Whether a manifest holds text no database stores (NUL, lone UTF-16 surrogate), in its keys or values at any
    depth (walked with a list, not recursion: every draft's context checks its template's manifest)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def validate_manifest(data) -> list[Problem]:
    """Every problem of a manifest (never raises)."""
    if not isinstance(data, dict):
        return [_problem("Le manifeste doit être un objet JSON.")]
    problems: list[Problem] = []
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(_problem(f"Clé inconnue « {key} » dans le manifeste."))
    code = data.get("code")
    if not isinstance(code, str) or not IDENTIFIER.fullmatch(code):
        problems.append(_problem("« code » doit être un identifiant en minuscules (lettres, chiffres, « _ »)."))
    _check_text(data, "name", "", problems)
    if isinstance(data.get("name"), str) and len(data["name"].strip()) > MAX_NAME:
        problems.append(_problem(f"« name » compte plus de {MAX_NAME} caractères."))
    if _unstorable(data):
        problems.append(_problem("Le manifeste contient un caractère non autorisé (caractère nul ou UTF-16 isolé)."))
    _check_codes(data.get("partner_types", []), PARTNER_TYPES, "partner_types", problems)
    _check_codes(data.get("themes", []), THEMES, "themes", problems)
    _check_legal_bases(data.get("legal_bases", []), problems)
    _check_legal_texts(data.get("legal_texts", []), problems)
    for key, check in (("fields", _check_field), ("clauses", _check_clause)):
        items = data.get(key, [])
        if not isinstance(items, list):
            problems.append(_problem(f"« {key} » doit être une liste."))
            continue
        seen: set[str] = set()
        for item in items:
            check(item, seen, problems)
    return problems


def parse_manifest(data) -> Manifest:
    """A Manifest from its JSON form; ``ManifestError`` lists every problem when it is invalid."""
    problems = validate_manifest(data)
    if problems:
        raise ManifestError(problems)
    return Manifest(
        code=data["code"], name=data["name"].strip(), description=data.get("description", ""),
        partner_types=tuple(data.get("partner_types", [])), themes=tuple(data.get("themes", [])),
        fields=tuple(ManifestField(name=f["name"], label=f["label"], type=f.get("type", "text"),
                                   required=f.get("required", False), choices=tuple(f.get("choices") or ()),
                                   help=f.get("help", "")) for f in data.get("fields", [])),
        clauses=tuple(ManifestClause(code=c["code"], label=c["label"], default=c.get("default", False),
                                     themes=tuple(c.get("themes", ()))) for c in data.get("clauses", [])),
        legal_bases=tuple(data.get("legal_bases", [])),
        legal_texts=tuple(LegalText(article=t["article"], version=t["version"]) for t in data.get("legal_texts", [])),
        raw=data,
    )


def load_manifest(path: str | Path) -> Manifest:
    return parse_manifest(json.loads(Path(path).read_text(encoding="utf-8")))
