"""The shapes of a requirement: its citation, the ways a convention meets it, when the hospital's own activity
meets it or makes it unnecessary, and the application's reading of the text."""

from dataclasses import dataclass
from datetime import date

SATISFAIT, A_RISQUE, MANQUANT, NON_REQUIS, NON_EVALUE = VERDICTS = (
    "satisfait", "a_risque", "manquant", "non_requis", "non_evalue")
VERDICT_LABELS = {SATISFAIT: "Satisfait", A_RISQUE: "À risque", MANQUANT: "Manquant", NON_REQUIS: "Non requis",
                  NON_EVALUE: "Non évalué"}
#: What each verdict means, for a legend beside the verdicts and for docs/compliance-rules.md.
VERDICT_MEANINGS = {
    SATISFAIT: "une convention signée et en vigueur à la date d'évaluation remplit l'exigence (et, pour une "
               "convention que la loi demande de transmettre, elle a été transmise à l'ARS), ou une activité que "
               "l'hôpital exerce lui-même, confirmée par l'ARS, quand le texte le permet",
    A_RISQUE: "une convention qui remplirait l'exigence existe mais n'est pas encore signée, pas encore en vigueur, "
              "prend fin bientôt ou n'a pas été transmise à l'ARS ; ou bien le délai légal pour la conclure court "
              "encore",
    MANQUANT: "aucune convention ne remplit l'exigence (et, pour une convention à conclure dans un délai, ce délai "
              "est passé) ; le motif dit ce qui manque et pourquoi les conventions examinées ne comptent pas",
    NON_REQUIS: "l'exigence ne s'applique pas à cet hôpital (activité exercée lui-même et confirmée par l'ARS, "
                "hôpital privé pour la convention avec le GHT, hôpital retiré de la liste), ou le partenariat n'est "
                "que recommandé et aucune convention ne le porte",
    NON_EVALUE: "les données enregistrées ne permettent pas de trancher (CPOM non enregistré, établissement support "
                "du GHT inconnu, équipements non déclarés, déclaration de l'hôpital à confirmer par l'ARS…) ; le "
                "motif dit ce qui manque",
}

#: How a requirement is evaluated (checker.py has one function per way).
BY_CONVENTIONS, BY_EQUIPMENT, BY_CPOM, BY_STATUTORY = "conventions", "equipment", "cpom", "statutory"


@dataclass(frozen=True)
class Citation:
    """Where a requirement comes from, as data: a renumbering of the texts is a change of data, not of code."""

    article: str
    #: The paragraph and item inside the article, as the text numbers them: "I, 2° b)".
    item: str
    #: The text that gives the article the wording applied: "décret n° 2016-658 du 20 mai 2016".
    text_version: str
    text_date: date
    #: A short extract of the text (French wording, unless ``note`` says otherwise).
    quote: str
    #: What the reader must know about the source (translation, numbering to check...).
    note: str = ""
    code: str = "code de la santé publique"

    def __str__(self) -> str:
        item = f", {self.item}" if self.item else ""
        return f"Art. {self.article}{item} du {self.code} ({self.text_version})"


@dataclass(frozen=True)
class Route:
    """One way a signed convention in force meets a requirement."""

    #: The convention must declare one of these partner types; empty: any partner type.
    partner_types: frozenset[str] = frozenset()
    #: Every group must be covered by one of its themes: ((a,), (b, c)) reads "a and (b or c)".
    themes: tuple[frozenset[str], ...] = ()
    #: The partner holding the type must be on the hospital's territory.
    on_territory: bool = False
    #: French wording of the partner when the generated one (from the type labels) reads badly.
    label: str = ""
    #: The partner holding the type must hold these types too (2016, 2° b: an EHPAD off the territory counts
    #: only when it also runs an HAD).
    also_types: frozenset[str] = frozenset()
    #: Only conventions resting on this article count (core.vocabulary.LEGAL_BASES); empty: any.
    legal_basis: str = ""
    #: One of the partners must be the support establishment of the hospital's GHT (L6111-3-3).
    ght_support: bool = False


@dataclass(frozen=True)
class EquipmentNeed:
    """An equipment the hospital has itself or reaches under a convention (R6111-24 II)."""

    code: str
    label: str
    route: Route


@dataclass(frozen=True)
class Requirement:
    code: str
    #: French title shown in tables and on the hospital's page.
    title: str
    citation: Citation
    #: The application's reading of the text, in French, shown next to every verdict of this requirement.
    reading: str
    evaluation: str = BY_CONVENTIONS
    routes: tuple[Route, ...] = ()
    #: Activities run by the hospital itself that meet the requirement (satisfait without a convention).
    met_by_activities: frozenset[str] = frozenset()
    #: Activities run by the hospital itself that make the requirement unnecessary (non_requis).
    waived_by_activities: frozenset[str] = frozenset()
    #: For BY_EQUIPMENT: the equipment needed, each with the convention that gives access to it.
    equipment: tuple[EquipmentNeed, ...] = ()
    #: For BY_CPOM: the requirements whose partnerships the CPOM must contain.
    refers_to: tuple[str, ...] = ()
    #: For BY_STATUTORY: months after the listing within which the convention must be concluded.
    deadline_months: int = 0
    #: For BY_STATUTORY: only a public HdP must conclude it (L6111-3-3).
    public_only: bool = False
    #: A partnership the texts in force no longer require: shown with its state, never « manquant ».
    recommended: bool = False
    #: (verdict, sentence put before the reason) given instead of « manquant » when nothing meets it: what the
    #: recorded data cannot show is « non évalué », a recommended partnership « non requis ».
    when_absent: tuple[str, str] | None = None
    #: False for a requirement added beyond docs/interface.md's list of R6111-26 codes.
    in_interface: bool = True
    #: Why it is there when ``in_interface`` is False.
    addition_note: str = ""

    @property
    def all_routes(self) -> tuple[Route, ...]:
        return self.routes + tuple(need.route for need in self.equipment)
