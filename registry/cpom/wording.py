"""How the CPOM pages, exports and documents write numbers, values and targets in French (one place for each)."""

from typing import TYPE_CHECKING

from registry.cpom.catalogue import LISTE, OUI_NON, POURCENTAGE, RATIO, TEXTE, Indicator, spec_of

if TYPE_CHECKING:  # avenants writes its audit summaries with this module's wording
    from registry.cpom.avenants import Target

COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "=": "="}


def french_number(value) -> str:
    """12.5 → « 12,5 », 5.0 → « 5 », 0.123456789 → « 0,123457 »; anything else as it is."""
    if isinstance(value, int) or not isinstance(value, float):
        return str(value)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text != "-0" else "0").replace(".", ",")


def shown_value(value) -> str:
    """A declared value in words: « oui », « non », a French number, the text, or nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float)):
        return french_number(value)
    return str(value)


def target_text(target: "Target", spec: Indicator) -> str:
    """« ≤ 0,2 », « ≥ 5 % de l'effectif… », « oui », « au moins une action », « à négocier », « non applicable »."""
    if not target.applicable:
        return "non applicable"
    if target.comparator == "present":
        return {OUI_NON: "oui", LISTE: "au moins une action", TEXTE: "renseigné"}.get(spec.kind, "présent")
    if target.value is None:
        return "à négocier"
    unit = " %" if spec.kind == POURCENTAGE else ""
    return f"{COMPARATOR_SIGNS.get(target.comparator, target.comparator)} {french_number(target.value)}{unit}"


def value_words(state) -> str:
    """A year's value as the page reads it: « Oui », « 0,25 (250 / 1000) », « 2,5 % (1 / 40) », the actions
    ticked, the text."""
    return declared_words(spec_of(state.engagement), state.value, state.declaration)


def declared_words(spec: Indicator, value, declaration=None) -> str:
    """``value`` of an engagement of ``spec`` (with its numerator and denominator or ticked actions, from
    ``declaration``) as the pages and the audit trail read it."""
    if spec.kind == LISTE and declaration is not None:
        return ", ".join(declaration.items) or "aucune action"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    words = french_number(value) + (" %" if spec.kind == POURCENTAGE else "")
    if spec.kind in (RATIO, POURCENTAGE) and declaration is not None and declaration.numerator is not None:
        words += f" ({french_number(declaration.numerator)} / {french_number(declaration.denominator)})"
    return words
