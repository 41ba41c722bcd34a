"""The dashboard's arithmetic and wording: filters read from a query string, verdict counts per requirement and per
département, the labels and symbols a verdict is shown with. No queries: it works on the adapter's results."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from registry.compliance.adapter import HospitalCompliance
from registry.compliance.requirements import (A_RISQUE, MANQUANT, NON_EVALUE, NON_REQUIS, SATISFAIT, VERDICT_LABELS,
                                              VERDICTS)
from registry.compliance.rules import CURRENT, RULESETS, RuleSet
from registry.compliance.verdicts import NOT_TRANSMITTED, Verdict
from registry.compliance.standing import EN_VIGUEUR, NON_SIGNEE, PAS_ENCORE_EN_VIGUEUR, PREND_FIN
from registry.core.dates import parse_day
from registry.core.french import french_date
from registry.core.geography import is_departement

#: Worst first: the order of legends, totals and chart segments.
ORDER = (MANQUANT, A_RISQUE, NON_EVALUE, SATISFAIT, NON_REQUIS)
#: French label of each verdict code.
LABELS = VERDICT_LABELS
#: A symbol beside every label, so that colour is never the only signal (read by eye; the label is read aloud).
SYMBOLS = {SATISFAIT: "✓", A_RISQUE: "!", MANQUANT: "✗", NON_REQUIS: "–", NON_EVALUE: "?"}
#: Bootstrap classes of a verdict cell or badge: dark text on a light tint (contrast above 7:1).
CELL_CLASSES = {SATISFAIT: "bg-success-subtle text-success-emphasis",
                A_RISQUE: "bg-warning-subtle text-warning-emphasis",
                MANQUANT: "bg-danger-subtle text-danger-emphasis",
                NON_REQUIS: "bg-body-tertiary text-body-secondary",
                NON_EVALUE: "bg-info-subtle text-info-emphasis"}
#: The same tints as CELL_CLASSES in hex (Bootstrap 5.3's subtle background, emphasis text), for the files made
#: outside the browser: the XLSX matrix and the PDF report. (fill, text) by verdict.
CELL_COLOURS = {SATISFAIT: ("#d1e7dd", "#0a3622"), A_RISQUE: ("#fff3cd", "#664d03"),
                MANQUANT: ("#f8d7da", "#58151c"), NON_REQUIS: ("#f8f9fa", "#575a5d"),
                NON_EVALUE: ("#cff4fc", "#055160")}
#: Border of a requirement's card on the hospital's page (the badge inside carries symbol and label).
BORDER_CLASSES = {SATISFAIT: "border-success-subtle", A_RISQUE: "border-warning", MANQUANT: "border-danger-subtle",
                  NON_REQUIS: "", NON_EVALUE: "border-info-subtle"}
#: Short column headings of the dashboard, by requirement code (the full title is on the hospital's page).
SHORT_TITLES = {
    "1_premier_recours": "1° Premier recours",
    "2a_second_recours": "2° a) Second recours",
    "2b_ehpad": "2° b) EHPAD",
    "2b_ssr_usld": "2° b) SSR/SMR ou USLD",
    "3_coordination": "3° Coordination",
    "II_cpom": "II CPOM",
    "l6111_3_2": "L6111-3-2 Partenaires",
    "l6111_3_3": "L6111-3-3 GHT",
    "r6111_24_1_premier_recours": "R6111-24 1° Premier recours",
    "r6111_24_4_consultations": "R6111-24 4° Consultations",
    "r6111_24_4_plateau_technique": "R6111-24 4° Plateau technique",
    "cpom": "CPOM",
    "recommande_ehpad": "EHPAD (recommandé)",
    "recommande_ssr_usld": "SSR/SMR ou USLD (recommandé)",
    "recommande_coordination": "Coordination (recommandé)",
}
#: The quick filters on what is pending (Verdict.flags), by their code.
PENDING = {NOT_TRANSMITTED: "Convention en vigueur non transmise à l'ARS"}
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
    #: The rule set the verdicts are computed with (``regles``): the texts in force unless asked otherwise.
    ruleset: RuleSet = CURRENT
    #: Only the verdicts with this flag (``etat``, a key of PENDING): « non_transmise ».
    pending: str | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, args) -> "Filters":
        filters = cls()
        ruleset = filters._code(args, "regles", RULESETS, "Jeu de règles inconnu : « {} » ; les textes en vigueur "
                                                           "sont appliqués.")
        filters.ruleset = RULESETS[ruleset] if ruleset else CURRENT
        departement = (args.get("departement") or "").strip().upper()
        filters.departement = filters._code({"departement": departement}, "departement",
                                            {departement} if is_departement(departement) else set(),
                                            "Département inconnu : « {} ».")
        filters.requirement = filters._code(args, "exigence", filters.ruleset.codes, "Exigence inconnue : « {} ».")
        filters.verdict = filters._code(args, "verdict", VERDICTS, "Verdict inconnu : « {} ».")
        filters.pending = filters._code(args, "etat", PENDING, "État inconnu : « {} ».")
        at = (args.get("at") or "").strip()
        if at:
            try:
                filters.at = parse_day(at)
            except ValueError as error:
                filters.errors.append(f"Date invalide : {error} ; les verdicts sont ceux d'aujourd'hui.")
        return filters

    def _code(self, args, key: str, known, message: str) -> str | None:
        """The argument ``key`` when it is one of ``known``; otherwise None, and the French ``message`` noted."""
        value = (args.get(key) or "").strip()
        if value and value not in known:
            self.errors.append(message.format(value))
            return None
        return value or None

    def keeps(self, result: HospitalCompliance) -> bool:
        """Whether a hospital passes the verdict and pending filters: on the chosen requirement, or on any."""
        if self.verdict is None and self.pending is None:
            return True
        items = [result.verdict(self.requirement)] if self.requirement is not None else result.verdicts
        return any((self.verdict is None or item.verdict == self.verdict)
                   and (self.pending is None or self.pending in item.flags) for item in items)

    def query(self) -> dict:
        """The criteria as query-string arguments (for the export links and the pages)."""
        values = {"regles": None if self.ruleset is CURRENT else self.ruleset.id, "departement": self.departement,
                  "exigence": self.requirement, "verdict": self.verdict, "etat": self.pending,
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



#: Where a reason's first sentence ends: a full stop followed by the capital (or quote) of the next one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«])")


def reason_line(item: Verdict, at: date) -> str:
    """The verdict's reason in one line, for the hospital page; its compliance page gives the whole reason.

    With a convention behind the verdict: that convention and where it stands. Without one, for a convention the
    law asks for within a delay: that none is in force and the deadline. Otherwise the reason's first sentence."""
    best = item.evidence[0] if item.evidence else None
    if best is not None:
        convention = f"Convention {best.reference}"
        if NOT_TRANSMITTED in item.flags:
            return f"{convention} en vigueur, sa transmission à l'ARS n'est pas enregistrée."
        if best.state == NON_SIGNEE:
            return f"{convention} pas encore signée."
        if best.state == PAS_ENCORE_EN_VIGUEUR:
            return f"{convention} signée, en vigueur à partir du {french_date(best.effective_date)}."
        if best.state == PREND_FIN:
            relay = item.evidence[1].reference if item.verdict == SATISFAIT and len(item.evidence) > 1 else None
            return (f"{convention} en vigueur jusqu'au {french_date(best.last_day)}, "
                    + (f"relayée par la convention {relay}." if relay else "à renouveler."))
        return f"{convention} en vigueur" + (f" jusqu'au {french_date(best.last_day)}." if best.last_day else ".")
    if item.deadline is not None and item.verdict in (MANQUANT, A_RISQUE):
        if item.deadline < at:
            return f"Aucune convention en vigueur ; le délai est dépassé depuis le {french_date(item.deadline)}."
        return f"Aucune convention en vigueur ; à conclure au plus tard le {french_date(item.deadline)}."
    return _SENTENCE_END.split(item.reason.strip(), maxsplit=1)[0]
