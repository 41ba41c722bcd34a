"""What the checker answers: one Verdict per requirement, with its French reason, citation and evidence."""

from dataclasses import dataclass
from datetime import date

from registry.compliance.requirements import VERDICT_LABELS


@dataclass(frozen=True)
class Evidence:
    """A convention that supports a verdict (satisfait or à risque)."""

    reference: str
    #: standing.py's state on the evaluation day: en_vigueur, prend_fin, pas_encore_en_vigueur, non_signee.
    state: str
    status: str
    #: The partners that make it count, by name, and the partner types counted.
    partners: tuple[str, ...]
    partner_types: tuple[str, ...]
    signed_on: date | None
    effective_date: date | None
    #: Last day in force known on the evaluation day; None: nothing ends it.
    last_day: date | None


@dataclass(frozen=True)
class Discarded:
    """A convention that looked relevant but does not count, and why (French)."""

    reference: str
    why: str


@dataclass(frozen=True)
class Verdict:
    code: str
    title: str
    verdict: str
    reason: str
    #: The citation as one string: « Art. R6111-26, I, 2° b) du code de la santé publique (décret …) ».
    citation: str
    #: The application's reading of the text, shown next to the verdict.
    reading: str
    #: The rule set the verdict rests on (RuleSet.label).
    ruleset: str
    evidence: tuple[Evidence, ...] = ()
    discarded: tuple[Discarded, ...] = ()

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def references(self) -> list[str]:
        return [item.reference for item in self.evidence]

    def as_dict(self) -> dict:
        """The GET /compliance requirement entry (INTERFACE.md), with the title, reading and rule set added."""
        return {"code": self.code, "verdict": self.verdict, "reason": self.reason, "citation": self.citation,
                "evidence": self.references, "title": self.title, "reading": self.reading, "ruleset": self.ruleset}
