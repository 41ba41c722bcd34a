"""A problem found in a template or a manifest, located so that an administrator can fix it in Word."""

import re
from dataclasses import dataclass

#: Longest paragraph text quoted in a problem; a paragraph of a broken template can be a whole page.
MAX_QUOTE = 300


def quote(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One problem; ``as_dict()`` is the item of the 422 ``error.details`` list (docs/interface.md)."""

    message: str
    #: "document", "header", "footer", "footnotes", "properties", "manifest" or "package".
    part: str = "document"
    #: The text of the paragraph where the problem is, tags split across Word runs joined.
    paragraph: str = ""
    #: Machine code of the kind of problem, e.g. "undeclared_variable".
    code: str = "invalid"
    #: Entry of the .docx archive, e.g. "word/footer2.xml", when the part has several files.
    entry: str = ""

    def as_dict(self) -> dict:
        return {"message": self.message, "part": self.part, "paragraph": quote(self.paragraph),
                "code": self.code, "entry": self.entry}


class RenderError(Exception):
    """A template failed while rendering; carries the located problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem

    def __reduce__(self):  # back from a bounded render's child process whole
        return type(self), (self.problem,)


_JINJA_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "begin of print statement": "{{",
                 "end of template": "fin du modèle", "name": "nom", "string": "texte", "integer": "nombre"}
_JINJA_MESSAGES = (
    (r"unexpected end of template, expected '(.+?)'\.?", "le modèle se termine alors que « {0} » est attendu"),
    (r"expected token '(.+?)', got '(.+?)'", "« {0} » attendu, « {1} » trouvé"),
    (r"unexpected '(.+?)'", "« {0} » inattendu"),
    (r"unexpected char '(.+?)' at \d+", "caractère « {0} » inattendu"),
    (r"Encountered unknown tag '(.+?)'.*", "balise inconnue « {0} »"),
    (r"No (filter|test) named '(.+?)'.*", "{0} inconnu « {1} »"),
)


def french_jinja_message(message: str) -> str:
    """Jinja's usual syntax messages in French (others are kept as Jinja wrote them)."""
    for pattern, french in _JINJA_MESSAGES:
        match = re.fullmatch(pattern, (message or "").strip(), re.S)
        if match:
            words = [_JINJA_TOKENS.get(g, {"filter": "filtre", "test": "test"}.get(g, g)) for g in match.groups()]
            return french.format(*words)
    return message
