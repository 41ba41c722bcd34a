"""What the checker answers: one Verdict per requirement, with its French reason, citation and evidence."""

from dataclasses import dataclass
from datetime import date

from registry.compliance.requirements import VERDICT_LABELS


#: Verdict.flags: the convention in force has not been sent to the ARS.
NOT_TRANSMITTED = "non_transmise"


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
    #: ConventionFacts.copy_alert: its signed copy is set aside (signature not proven) or confirmed despite an alert.
    copy_alert: str | None = None


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
    #: For a convention the law asks for within a delay: the last day to conclude it (None otherwise or unknown).
    deadline: date | None = None
    #: Codes of what is pending, for filters: NOT_TRANSMITTED when the convention in force was not sent to the ARS.
    flags: tuple[str, ...] = ()
    #: A partnership the texts in force only recommend (Requirement.recommended).
    recommended: bool = False

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def references(self) -> list[str]:
        return [item.reference for item in self.evidence]

    def as_dict(self) -> dict:
        """The GET /compliance requirement entry (docs/interface.md), with the title, reading and rule set added."""
        return {"code": self.code, "verdict": self.verdict, "reason": self.reason, "citation": self.citation,
                "evidence": self.references, "title": self.title, "reading": self.reading, "ruleset": self.ruleset,
                "deadline": self.deadline.isoformat() if self.deadline else None, "flags": list(self.flags),
                "recommended": self.recommended}
