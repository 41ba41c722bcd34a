"""The Jinja environment every convention template runs in: sandboxed, escaping for Word XML, strict.

- ``ImmutableSandboxedEnvironment``: no access to ``__class__``, ``__mro__``, function globals and the like,
  and no mutation of the context's lists and dicts from a template.
- ``autoescape=True``: the template is WordprocessingML, so every value goes through ``markupsafe.escape``
  (``<``, ``>``, ``&``, quotes) and appears literally; a value is data, never parsed as a template.
- ``finalize`` drops the characters XML 1.0 forbids (and the ``\\a``/``\\f`` docxtpl would turn into paragraph
  and page breaks), so no value can produce an unreadable part.
- Tags that reach other templates or switch escaping off are refused when a template is compiled.
- Filters that return markup unescaped (``safe``, ``urlize``, ``xmlattr``) are removed.
- ``StrictUndefined``: a missing value is an error, never a silently empty clause in a legal document.
"""

import re
from datetime import date, datetime

from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

from registry.documents.context import french_date
from registry.documents.wording import non_breaking, number_in_letters

#: Statement tags no convention template may use: they load other templates or switch escaping off.
FORBIDDEN_TAGS = {
    "extends": "l'héritage de modèle ({% extends %})",
    "include": "l'inclusion d'un autre modèle ({% include %})",
    "import": "l'import d'un autre modèle ({% import %})",
    "from": "l'import d'un autre modèle ({% from … import %})",
    "block": "les blocs d'héritage ({% block %})",
    "autoescape": "la désactivation de l'échappement ({% autoescape %})",
}
REMOVED_FILTERS = ("safe", "urlize", "xmlattr")
REMOVED_GLOBALS = ("lipsum", "cycler", "joiner")

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class ForbiddenTags(Extension):
    """Refuses the forbidden statement tags while the template is tokenised, with their line number."""

    def filter_stream(self, stream):
        previous = None
        for token in stream:
            if previous is not None and previous.type == "block_begin" and token.type == "name":
                if token.value in FORBIDDEN_TAGS or token.value.startswith("end") and token.value[3:] in FORBIDDEN_TAGS:
                    keyword = token.value[3:] if token.value.startswith("end") else token.value
                    raise TemplateSyntaxError(
                        f"Balise refusée : {FORBIDDEN_TAGS[keyword]} n'est pas autorisée dans un modèle de convention.",
                        token.lineno, stream.name, stream.filename)
            previous = token
            yield token


def clean_value(value):
    """What a ``{{ value }}`` prints: None as nothing, strings without characters XML forbids."""
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value


def date_fr(value) -> str:
    """``{{ x|date_fr }}``: a date, datetime or ISO string as « 1er janvier 2027 »; other values unchanged."""
    if isinstance(value, datetime):
        return french_date(value.date())
    if isinstance(value, date):
        return french_date(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return french_date(date.fromisoformat(value.strip()))
        except ValueError:
            return value
    return value


def make_environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined, finalize=clean_value, extensions=[ForbiddenTags])
    for name in REMOVED_FILTERS:
        env.filters.pop(name, None)
    for name in REMOVED_GLOBALS:
        env.globals.pop(name, None)
    env.filters["date_fr"] = date_fr
    env.filters["letters"] = number_in_letters
    env.filters["nobreak"] = non_breaking
    return env


#: The shared environment: compiled templates are bound to it and render safely from several threads.
ENVIRONMENT = make_environment()
