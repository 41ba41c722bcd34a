"""The compliance check: a pure function of (hospital facts, its conventions, a day, a rule set) → verdicts.

No database, no HTTP: an adapter builds the facts (facts.py), calls ``evaluate`` and shows the verdicts.
"""

from datetime import date

from registry.compliance.facts import ConventionFacts, HospitalFacts
from registry.compliance.matching import Assessment, assess
from registry.compliance.requirements import (A_RISQUE, BY_CPOM, BY_EQUIPMENT, MANQUANT, NON_REQUIS, SATISFAIT,
                                              Requirement)
from registry.compliance.rules import CURRENT, RuleSet
from registry.compliance.standing import EN_VIGUEUR, PREND_FIN
from registry.compliance.verdicts import Verdict
from registry.compliance.wording import quoted
from registry.core import clock
from registry.core.french import french_join
from registry.core.vocabulary import ACTIVITIES

#: Worst first: how sub-verdicts combine (R6111-24 II needs every equipment).
SEVERITY = (MANQUANT, A_RISQUE, SATISFAIT, NON_REQUIS)
IN_FORCE = (EN_VIGUEUR, PREND_FIN)


def evaluate(hospital: HospitalFacts, conventions: list[ConventionFacts], at: date | None = None,
             ruleset: RuleSet = CURRENT) -> list[Verdict]:
    """One verdict per requirement of ``ruleset``, in its order, for ``hospital`` on ``at`` (default today)."""
    at = at or clock.today()
    conventions = sorted(conventions, key=lambda convention: convention.reference)
    verdicts: dict[str, Verdict] = {}
    for requirement in sorted(ruleset.requirements, key=lambda r: r.evaluation == BY_CPOM):
        if requirement.evaluation == BY_CPOM:
            result = _by_cpom(requirement, verdicts)
        else:
            evaluator = _by_equipment if requirement.evaluation == BY_EQUIPMENT else _by_conventions
            result = evaluator(requirement, hospital, conventions, at, ruleset.risk_window_days)
        verdicts[requirement.code] = Verdict(
            requirement.code, requirement.title, result.verdict, result.reason, str(requirement.citation),
            requirement.reading, ruleset.label, result.evidence, result.discarded)
    return [verdicts[code] for code in ruleset.codes]


def _by_conventions(requirement: Requirement, hospital: HospitalFacts, conventions, at: date,
                    window_days: int) -> Assessment:
    waived = sorted(requirement.waived_by_activities & hospital.internal_activities)
    if waived:
        return Assessment(NON_REQUIS, f"L'hôpital exerce lui-même l'activité {french_join(quoted(waived, ACTIVITIES))} "
                                      "(déclarée dans son profil) : ce partenariat n'est pas requis.")
    met = sorted(requirement.met_by_activities & hospital.internal_activities)
    if met:
        return Assessment(SATISFAIT, "Satisfait par l'activité exercée au sein de l'hôpital : "
                                     f"{french_join(quoted(met, ACTIVITIES))} (déclarée dans son profil).")
    return assess(requirement.routes, hospital, conventions, at, window_days)


def _by_equipment(requirement: Requirement, hospital: HospitalFacts, conventions, at: date,
                  window_days: int) -> Assessment:
    """Each equipment the hospital does not have itself must be reached under a convention."""
    own = hospital.own_equipment
    needs = [need for need in requirement.equipment if own is None or need.code not in own]
    owned = [need.label for need in requirement.equipment if own is not None and need.code in own]
    if not needs:
        return Assessment(NON_REQUIS, f"L'hôpital dispose en propre de : {french_join(owned)} (déclaré dans son "
                                      "profil) : aucune convention n'est requise.")
    sentences = ([f"En propre : {french_join(owned)}."] if owned else []) + (
        ["Équipements propres non renseignés dans le profil de l'hôpital : à vérifier."] if own is None else [])
    verdicts, evidence, discarded = [], {}, {}
    for route in dict.fromkeys(need.route for need in needs):
        labels = french_join([need.label.lower() for need in needs if need.route == route])
        part = assess((route,), hospital, conventions, at, window_days)
        verdicts.append(A_RISQUE if own is None and part.verdict == MANQUANT else part.verdict)
        sentences.append(f"{labels.capitalize()} : {part.reason[0].lower()}{part.reason[1:]}")
        evidence.update((item.reference, item) for item in part.evidence)
        discarded.update((item.reference, item) for item in part.discarded)
    verdict = min(verdicts, key=SEVERITY.index)
    return Assessment(verdict, " ".join(sentences), tuple(evidence.values()),
                      tuple(item for reference, item in sorted(discarded.items()) if reference not in evidence))


def _by_cpom(requirement: Requirement, verdicts: dict[str, Verdict]) -> Assessment:
    """No CPOM data is recorded yet: à risque (to check), naming the conventions the CPOM must contain."""
    references = list(dict.fromkeys(item.reference for code in requirement.refers_to if code in verdicts
                                    for item in verdicts[code].evidence if item.state in IN_FORCE))
    reason = ("Les engagements du CPOM ne sont pas enregistrés dans l'application : leur inscription au CPOM est "
              "à vérifier.")
    if references:
        reason += " Partenariats du 2° à y retrouver : " + ", ".join(references) + "."
    else:
        reason += " Aucune convention du 2° signée et en vigueur n'est à y retrouver."
    return Assessment(A_RISQUE, reason)
