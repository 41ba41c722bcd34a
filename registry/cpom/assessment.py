"""Whether an engagement is met in a year, from its target and the value declared (or read from the registry):
a pure function, so the campaign, the API and the exports give the same answer."""

from registry.cpom.catalogue import LISTE, OUI_NON, POURCENTAGE, TEXTE
from registry.cpom.workflow import CONTESTEE

ATTEINT, NON_ATTEINT, NON_EVALUABLE, NON_APPLICABLE = ASSESSMENTS = (
    "atteint", "non_atteint", "non_evaluable", "non_applicable")
ASSESSMENT_LABELS = {ATTEINT: "Atteint", NON_ATTEINT: "Non atteint", NON_EVALUABLE: "Non évaluable",
                     NON_APPLICABLE: "Non applicable"}
#: Comparators of a target: a number compared with the value, or « present » (yes, an item ticked, some text).
COMPARATORS = (">=", "<=", "=", "present")


def computed_value(kind: str, numerator: float | None, denominator: float | None):
    """A ratio (a fraction: 120/1000 = 0.12) or a percentage (12) from its numerator and denominator."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    fraction = numerator / denominator
    return round(fraction * 100 if kind == POURCENTAGE else fraction, 6)


def assess(kind: str, comparator: str, target, applicable: bool, value, items=(), status: str | None = None) -> str:
    """atteint, non_atteint, non_evaluable (no value, a contested one, or a target left to negotiation) or
    non_applicable."""
    if not applicable:
        return NON_APPLICABLE
    if status == CONTESTEE:
        return NON_EVALUABLE
    if comparator == "present":
        if kind == LISTE:
            return ATTEINT if items else (NON_ATTEINT if value is not None or status else NON_EVALUABLE)
        if value is None:
            return NON_EVALUABLE
        if kind == OUI_NON:
            return ATTEINT if value is True else NON_ATTEINT
        if kind == TEXTE:
            return ATTEINT if str(value).strip() else NON_ATTEINT
        return ATTEINT if value else NON_ATTEINT
    if value is None or target is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return NON_EVALUABLE
    met = {">=": value >= target, "<=": value <= target, "=": abs(value - target) < 1e-9}[comparator]
    return ATTEINT if met else NON_ATTEINT
