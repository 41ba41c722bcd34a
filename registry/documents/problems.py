"""A problem found in a template or a manifest, located so that an administrator can fix it in Word."""

from dataclasses import dataclass

#: Longest paragraph text quoted in a problem; a paragraph of a broken template can be a whole page.
MAX_QUOTE = 300


def quote(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One problem; ``as_dict()`` is the item of the 422 ``error.details`` list (INTERFACE.md)."""

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
