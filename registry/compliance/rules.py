"""Versioned rule sets: which requirements apply, from which texts, read how. A verdict names the rule set
it rests on, so a change of text or of reading is a new version here, never a silent change of verdicts."""

from dataclasses import dataclass
from datetime import date

from registry.compliance import r6111_26, texts_in_force
from registry.compliance.requirements import Requirement

#: A convention in force that stops within this many days puts its requirement « à risque ».
RISK_WINDOW_DAYS = 90

#: Readings that apply to every requirement (docs/compliance-rules.md shows them first).
COMMON_READINGS = (
    "Seule une convention signée et en vigueur à la date d'évaluation satisfait une exigence. Une convention "
    "résiliée (à partir du jour où la résiliation prend effet) ou expirée (après le dernier jour de sa période) "
    "ne compte pas.",
    f"« À risque » : une convention qui compterait existe mais n'est pas encore signée, ou est signée mais pas "
    f"encore en vigueur, ou est en vigueur mais prend fin dans les {RISK_WINDOW_DAYS} jours. Une convention à "
    "reconduction tacite ne prend pas fin au terme de sa période ; seule une résiliation datée l'arrête. Une "
    "convention qui prend fin mais qu'une convention signée relaie sans interruption laisse l'exigence "
    "satisfaite.",
    "Une convention compte pour chaque type de partenaire qu'elle déclare (par exemple EHPAD et SSR/SMR) : une "
    "même convention peut satisfaire plusieurs exigences. Le partenaire qui tient un type est celui des "
    "signataires dont le partenariat porte ce type ; si aucun ne le porte, la convention ne compte pas à ce titre "
    "(un type coché sans partenaire qui le tienne ne prouve rien), sauf quand plus aucun de ses signataires n'est "
    "enregistré comme partenaire de l'hôpital : leurs types étant alors inconnus, tous les signataires comptent.",
    "Les thèmes sont ceux de la convention : pour une convention rédigée dans l'application, ceux des articles "
    "qu'elle contient ; pour une convention enregistrée, ceux que l'hôpital a déclarés (à vérifier sur la copie "
    "signée). L'application ne lit pas le texte signé.",
    "Ce que l'hôpital déclare de lui-même (activités exercées en son sein, équipements) ne prouve rien tant que "
    "l'ARS ne l'a pas confirmé : une déclaration seule laisse l'exigence « non évaluée ».",
    "Territoire : un partenaire est sur le territoire de l'hôpital quand sa commune ou son département figure dans "
    "le territoire déclaré au profil de l'hôpital ; un partenaire sans localisation n'y est pas. La condition ne "
    "s'applique que là où le texte la pose (1° et 2° b) de l'article R6111-26 dans sa rédaction de 2016 ; les "
    "textes en vigueur n'en posent pas).",
    "Une évaluation à une date passée se fonde sur les dates de signature, d'effet, de fin et de résiliation ; "
    "une convention créée dans l'application après cette date, et non signée avant, n'existait pas encore.",
    "Quand plusieurs conventions comptent, la preuve retenue est la meilleure : satisfait avant à risque, puis "
    "celle qui finit le plus tard, puis la référence.",
)


@dataclass(frozen=True)
class RuleSet:
    #: Stable identifier, kept in exports beside the version.
    id: str
    version: int
    title: str
    #: Date of the most recent text the rule set applies.
    text_date: date
    requirements: tuple[Requirement, ...]
    readings: tuple[str, ...] = COMMON_READINGS
    risk_window_days: int = RISK_WINDOW_DAYS

    @property
    def label(self) -> str:
        """What a verdict says it rests on: « R6111-26 (décret n° 2016-658 du 20 mai 2016), version 1 »."""
        return f"{self.title}, version {self.version}"

    @property
    def short_title(self) -> str:
        """The title without the references in parentheses, where room is short (the dashboard's filter)."""
        return self.title.split(" (")[0]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(requirement.code for requirement in self.requirements)

    def requirement(self, code: str) -> Requirement:
        for requirement in self.requirements:
            if requirement.code == code:
                return requirement
        raise KeyError(code)


R6111_26_2016 = RuleSet(
    id="r6111-26-2016", version=2, title=f"R6111-26 ({r6111_26.TEXT_VERSION})", text_date=r6111_26.TEXT_DATE,
    requirements=r6111_26.REQUIREMENTS)

#: The texts in force since 2021 (texts_in_force.py): the default rule set of every page, export, command and API.
TEXTS_IN_FORCE = RuleSet(
    id="hdp-textes-en-vigueur", version=2,
    title="Textes en vigueur : L6111-3-2, L6111-3-3 et R6111-24 (ordonnance n° 2021-582 et décret n° 2021-586)",
    text_date=texts_in_force.TEXT_DATE, requirements=texts_in_force.REQUIREMENTS)
CURRENT = TEXTS_IN_FORCE

RULESETS = {ruleset.id: ruleset for ruleset in (TEXTS_IN_FORCE, R6111_26_2016)}


def ruleset_for(code: str | None) -> RuleSet:
    """The rule set of that code, the default (texts in force) when None; KeyError for an unknown code."""
    return CURRENT if code is None else RULESETS[code]
