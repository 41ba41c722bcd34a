"""The dashboard's arithmetic and wording: filters read from a query string, verdict counts per requirement and per
département, the labels and symbols a verdict is shown with. No queries: it works on the adapter's results."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from registry.compliance.adapter import HospitalCompliance
from registry.compliance.requirements import A_RISQUE, MANQUANT, NON_REQUIS, SATISFAIT, VERDICT_LABELS, VERDICTS
from registry.compliance.rules import CURRENT, RuleSet
from registry.compliance.standing import EN_VIGUEUR, NON_SIGNEE, PAS_ENCORE_EN_VIGUEUR, PREND_FIN
from registry.core.geography import is_departement

#: Worst first: the order of legends, totals and chart segments.
ORDER = (MANQUANT, A_RISQUE, SATISFAIT, NON_REQUIS)
#: French label of each verdict code.
LABELS = VERDICT_LABELS
#: A symbol beside every label, so that colour is never the only signal (read by eye; the label is read aloud).
SYMBOLS = {SATISFAIT: "✓", A_RISQUE: "!", MANQUANT: "✗", NON_REQUIS: "–"}
#: Bootstrap classes of a verdict cell or badge: dark text on a light tint (contrast above 7:1).
CELL_CLASSES = {SATISFAIT: "bg-success-subtle text-success-emphasis",
                A_RISQUE: "bg-warning-subtle text-warning-emphasis",
                MANQUANT: "bg-danger-subtle text-danger-emphasis",
                NON_REQUIS: "bg-body-tertiary text-body-secondary"}
#: Border of a requirement's card on the hospital's page (the badge inside carries symbol and label).
BORDER_CLASSES = {SATISFAIT: "border-success-subtle", A_RISQUE: "border-warning", MANQUANT: "border-danger-subtle",
                  NON_REQUIS: ""}
#: Short column headings of the dashboard, by requirement code (the full title is on the hospital's page).
SHORT_TITLES = {
    "1_premier_recours": "1° Premier recours",
    "2a_second_recours": "2° a) Second recours",
    "2b_ehpad": "2° b) EHPAD",
    "2b_ssr_usld": "2° b) SSR/SMR ou USLD",
    "3_coordination": "3° Coordination",
    "II_cpom": "II CPOM",
    "R6111_24_plateau_technique": "R6111-24 Plateau technique",
}
#: Where an evidence convention stands on the evaluation day (standing.py's states), in French.
STANDING_LABELS = {EN_VIGUEUR: "En vigueur", PREND_FIN: "En vigueur, prend fin bientôt",
                   PAS_ENCORE_EN_VIGUEUR: "Signée, pas encore en vigueur", NON_SIGNEE: "Pas encore signée"}


def short_title(code: str, ruleset: RuleSet = CURRENT) -> str:
    return SHORT_TITLES.get(code) or ruleset.requirement(code).title


@dataclass
class Filters:
    """The dashboard's criteria, read from its query string; ``errors`` lists what was ignored, in French."""

    departement: str | None = None
    requirement: str | None = None
    verdict: str | None = None
    at: date | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, args, ruleset: RuleSet = CURRENT) -> "Filters":
        filters = cls()
        departement = (args.get("departement") or "").strip().upper()
        if departement:
            if is_departement(departement):
                filters.departement = departement
            else:
                filters.errors.append(f"Département inconnu : « {departement} ».")
        requirement = (args.get("exigence") or "").strip()
        if requirement:
            if requirement in ruleset.codes:
                filters.requirement = requirement
            else:
                filters.errors.append(f"Exigence inconnue : « {requirement} ».")
        verdict = (args.get("verdict") or "").strip()
        if verdict:
            if verdict in VERDICTS:
                filters.verdict = verdict
            else:
                filters.errors.append(f"Verdict inconnu : « {verdict} ».")
        at = (args.get("at") or "").strip()
        if at:
            try:
                filters.at = date.fromisoformat(at)
            except ValueError:
                filters.errors.append(f"Date invalide : « {at} » (format attendu : AAAA-MM-JJ) ; "
                                      "les verdicts sont ceux d'aujourd'hui.")
        return filters

    def keeps(self, result: HospitalCompliance) -> bool:
        """Whether a hospital passes the verdict filter: on the chosen requirement, or on any of them."""
        if self.verdict is None:
            return True
        if self.requirement is not None:
            return result.verdict(self.requirement).verdict == self.verdict
        return any(item.verdict == self.verdict for item in result.verdicts)

    def query(self) -> dict:
        """The criteria as query-string arguments (for the export links and the pages)."""
        values = {"departement": self.departement, "exigence": self.requirement, "verdict": self.verdict,
                  "at": self.at.isoformat() if self.at else None}
        return {key: value for key, value in values.items() if value}


def totals(results: list[HospitalCompliance], ruleset: RuleSet = CURRENT) -> dict[str, Counter]:
    """For each requirement, how many hospitals have each verdict."""
    counts = {code: Counter() for code in ruleset.codes}
    for result in results:
        for item in result.verdicts:
            counts[item.code][item.verdict] += 1
    return counts


def by_departement(results: list[HospitalCompliance]) -> dict[str, Counter]:
    """For each département (sorted), how many (hospital, requirement) verdicts of each kind, and hospitals."""
    counts: dict[str, Counter] = {}
    for result in results:
        counter = counts.setdefault(result.departement or "", Counter())
        counter["hospitals"] += 1
        for item in result.verdicts:
            counter[item.verdict] += 1
    return dict(sorted(counts.items()))


def verdict_summary(result: HospitalCompliance) -> list[tuple[str, int]]:
    """(verdict, count) for a hospital, worst first, leaving out verdicts it has none of."""
    counter = Counter(item.verdict for item in result.verdicts)
    return [(verdict, counter[verdict]) for verdict in ORDER if counter[verdict]]

