"""The compliance check: a pure function of (hospital facts, its conventions, a day, a rule set) → verdicts.

No database, no HTTP: an adapter builds the facts (facts.py), calls ``evaluate`` and shows the verdicts.
"""

from dataclasses import replace
from datetime import date

from registry.compliance.facts import ConventionFacts, HospitalFacts
from registry.compliance.matching import Assessment, assess
from registry.compliance.requirements import (A_RISQUE, BY_CONVENTIONS, BY_CPOM, BY_EQUIPMENT, BY_STATUTORY, MANQUANT,
                                              NON_EVALUE, NON_REQUIS, SATISFAIT, Requirement)
from registry.compliance.rules import CURRENT, RuleSet
from registry.compliance.standing import EN_VIGUEUR, PREND_FIN, Standing, standing
from registry.compliance.verdicts import NOT_TRANSMITTED, Verdict
from registry.compliance.wording import quoted
from registry.core import clock
from registry.core.french import french_date, french_join
from registry.core.vocabulary import ACTIVITIES, GHT_SELF, PRIVE
from registry.documents.context import add_months

#: Worst first: how sub-verdicts combine (R6111-24 II needs every equipment).
SEVERITY = (MANQUANT, A_RISQUE, NON_EVALUE, SATISFAIT, NON_REQUIS)
IN_FORCE = (EN_VIGUEUR, PREND_FIN)
CONFIRMED = "déclarée dans son profil et confirmée par l'ARS"


def evaluate(hospital: HospitalFacts, conventions: list[ConventionFacts], at: date | None = None,
             ruleset: RuleSet = CURRENT) -> list[Verdict]:
    """One verdict per requirement of ``ruleset``, in its order, for ``hospital`` on ``at`` (default today)."""
    at = at or clock.today()
    conventions = sorted(conventions, key=lambda convention: convention.reference)
    standings = {convention.reference: standing(convention, at, ruleset.risk_window_days)
                 for convention in conventions}  # once per convention, whatever the requirements asking
    verdicts: dict[str, Verdict] = {}
    for requirement in sorted(ruleset.requirements, key=lambda r: r.evaluation == BY_CPOM):
        if requirement.evaluation == BY_CPOM:
            result = _by_cpom(requirement, verdicts, hospital, at)
        else:
            evaluator = EVALUATORS[requirement.evaluation]
            result = evaluator(requirement, hospital, conventions, at, standings)
        if requirement.when_absent is not None and result.verdict == MANQUANT:
            verdict, sentence = requirement.when_absent
            result = replace(result, verdict=verdict, reason=sentence + result.reason)
        verdicts[requirement.code] = Verdict(
            requirement.code, requirement.title, result.verdict, result.reason, str(requirement.citation),
            requirement.reading, ruleset.label, result.evidence, result.discarded, result.deadline, result.flags,
            requirement.recommended)
    return [verdicts[code] for code in ruleset.codes]


def _by_conventions(requirement: Requirement, hospital: HospitalFacts, conventions, at: date,
                    standings: dict[str, Standing]) -> Assessment:
    """A convention meets it; or an activity the hospital runs itself, once the ARS has confirmed it, meets it or
    makes it unnecessary. An activity only declared leaves it « non évalué » when no convention meets it."""
    waived = sorted(requirement.waived_by_activities & hospital.confirmed_activities)
    if waived:
        return Assessment(NON_REQUIS, f"L'hôpital exerce lui-même l'activité {french_join(quoted(waived, ACTIVITIES))} "
                                      f"({CONFIRMED}) : ce partenariat n'est pas requis.")
    met = sorted(requirement.met_by_activities & hospital.confirmed_activities)
    if met:
        return Assessment(SATISFAIT, "Satisfait par l'activité exercée au sein de l'hôpital : "
                                     f"{french_join(quoted(met, ACTIVITIES))} ({CONFIRMED}).")
    result = assess(requirement.routes, hospital, conventions, at, standings)
    declared = sorted((requirement.waived_by_activities | requirement.met_by_activities)
                      & hospital.internal_activities)
    if declared and result.verdict != SATISFAIT:
        return replace(result, verdict=NON_EVALUE, reason=(
            f"L'hôpital déclare exercer lui-même l'activité {french_join(quoted(declared, ACTIVITIES))}, que l'ARS "
            "n'a pas encore confirmée : à vérifier (profil de l'hôpital). " + result.reason))
    return result


def _by_equipment(requirement: Requirement, hospital: HospitalFacts, conventions, at: date,
                  standings: dict[str, Standing]) -> Assessment:
    """Each equipment the hospital does not have itself (as the ARS confirmed) must be reached under a convention;
    when none is, a declaration not yet confirmed, or no declaration at all, leaves it « non évalué »."""
    confirmed = hospital.confirmed_equipment
    declared = hospital.own_equipment
    needs = [need for need in requirement.equipment if need.code not in confirmed]
    owned = [need.label for need in requirement.equipment if need.code in confirmed]
    if not needs:
        return Assessment(NON_REQUIS, f"L'hôpital dispose en propre de : {french_join(owned)} (déclaré dans son "
                                      "profil et confirmé par l'ARS) : aucune convention n'est requise.")
    sentences = [f"En propre (confirmé par l'ARS) : {french_join(owned)}."] if owned else []
    if declared is None:
        sentences.append("Équipements propres non déclarés dans le profil de l'hôpital.")
    verdicts, evidence, discarded = [], {}, {}
    for route in dict.fromkeys(need.route for need in needs):
        route_needs = [need for need in needs if need.route == route]
        labels = french_join([need.label.lower() for need in route_needs])
        part = assess((route,), hospital, conventions, at, standings)
        verdict = part.verdict
        if verdict == MANQUANT:
            unconfirmed = [need.label.lower() for need in route_needs if declared and need.code in declared]
            if declared is None or unconfirmed:
                verdict = NON_EVALUE
            if unconfirmed:
                sentences.append("Déclaré en propre par l'hôpital, à confirmer par l'ARS : "
                                 f"{french_join(unconfirmed)}.")
        verdicts.append(verdict)
        sentences.append(f"{labels.capitalize()} : {part.reason[0].lower()}{part.reason[1:]}")
        evidence.update((item.reference, item) for item in part.evidence)
        discarded.update((item.reference, item) for item in part.discarded)
    verdict = min(verdicts, key=SEVERITY.index)
    return Assessment(verdict, " ".join(sentences), tuple(evidence.values()),
                      tuple(item for reference, item in sorted(discarded.items()) if reference not in evidence))


def _by_statutory(requirement: Requirement, hospital: HospitalFacts, conventions, at: date,
                  standings: dict[str, Standing]) -> Assessment:
    """A convention the law asks for within a delay after the listing, sent to the ARS (L6111-3-2, L6111-3-3):
    docs/interface.md's readings, with the deadline and what is missing in the reason."""
    article = f"Article {requirement.citation.article}"
    if requirement.public_only:
        exempt = _not_concerned(article, hospital)
        if exempt is not None:
            return exempt
    if hospital.removed_on is not None and hospital.removed_on <= at:
        return Assessment(NON_REQUIS, f"L'hôpital a été retiré de la liste des hôpitaux de proximité le "
                                      f"{french_date(hospital.removed_on)} : {article} ne s'applique plus.")
    listed = hospital.listed_on
    if listed is not None and listed > at:
        return Assessment(NON_REQUIS, f"L'hôpital n'est inscrit sur la liste qu'à compter du {french_date(listed)}.")
    deadline = add_months(listed, requirement.deadline_months) if listed else None
    delay = (f"{article} : convention à conclure dans un délai d'un an à compter de l'inscription sur la liste "
             f"(le {french_date(listed)}), soit au plus tard le {french_date(deadline)}. " if deadline else
             f"{article} : convention à conclure dans un délai d'un an à compter de l'inscription sur la liste, dont "
             "la date n'est pas enregistrée. ")
    part = assess(requirement.routes, hospital, conventions, at, standings)
    in_force = [item for item in part.evidence if item.state in IN_FORCE]
    if in_force:
        best = next(c for c in conventions if c.reference == in_force[0].reference)
        sent = best.transmitted_on is not None and best.transmitted_on <= at
        if sent:
            sentence = f" Transmise à l'ARS le {french_date(best.transmitted_on)}."
            verdict = part.verdict if part.verdict == SATISFAIT else A_RISQUE
            return Assessment(verdict, delay + part.reason + sentence, part.evidence, part.discarded, deadline)
        return Assessment(A_RISQUE, delay + part.reason + " Sa transmission à l'ARS n'est pas enregistrée : la loi "
                          "demande qu'elle lui soit transmise.", part.evidence, part.discarded, deadline,
                          (NOT_TRANSMITTED,))
    if deadline is None:
        return Assessment(NON_EVALUE, delay + "Sans elle, le délai ne peut être vérifié. " + part.reason,
                          part.evidence, part.discarded)
    if at <= deadline:
        left = (deadline - at).days
        return Assessment(A_RISQUE, delay + f"Le délai court encore ({left} jour{'s' if left > 1 else ''}). "
                          + part.reason, part.evidence, part.discarded, deadline)
    return Assessment(MANQUANT, delay + f"Le délai est dépassé depuis le {french_date(deadline)}. " + part.reason,
                      part.evidence, part.discarded, deadline)


def _not_concerned(article: str, hospital: HospitalFacts) -> Assessment | None:
    """L6111-3-3 applies to a public HdP that is not part of its GHT's support establishment, when known."""
    if hospital.legal_status == PRIVE:
        return Assessment(NON_REQUIS, f"Hôpital de proximité privé : {article} ne concerne que les hôpitaux de "
                                      "proximité publics.")
    if hospital.ght_support == GHT_SELF:
        return Assessment(NON_REQUIS, "L'hôpital relève de l'établissement support de son GHT lui-même : pas de "
                                      f"convention ; cet établissement informe l'ARS ({article}).")
    if hospital.legal_status is None:
        return Assessment(NON_EVALUE, f"Statut juridique (public ou privé) de l'hôpital inconnu : {article} ne "
                                      "concerne que les hôpitaux de proximité publics. À renseigner par l'ARS.")
    if hospital.ght_support is None:
        return Assessment(NON_EVALUE, "Établissement support du GHT non renseigné dans le profil de l'hôpital : "
                                      f"la convention de l'{article[0].lower()}{article[1:]} ne peut être recherchée.")
    return None


def _by_cpom(requirement: Requirement, verdicts: dict[str, Verdict], hospital: HospitalFacts, at: date) -> Assessment:
    """A CPOM in force on ``at`` that holds engagements: satisfait; none recorded: non évalué; recorded but not in
    force, or in force without any engagement: à risque. The reason names the conventions to find in it."""
    references = list(dict.fromkeys(item.reference for code in requirement.refers_to if code in verdicts
                                    for item in verdicts[code].evidence if item.state in IN_FORCE))
    conventions = (" Conventions à y retrouver : " + ", ".join(references) + "." if references else
                   " Aucune convention signée et en vigueur n'est à y retrouver.")
    if not hospital.cpoms:
        return Assessment(NON_EVALUE, "Aucun CPOM n'est enregistré dans l'application : l'inscription des "
                                      "engagements de coopération au CPOM ne peut être vérifiée." + conventions)
    current = [cpom for cpom in hospital.cpoms if cpom.effective_on <= at <= cpom.ends_on]
    if not current:
        periods = ", ".join(f"du {french_date(c.effective_on)} au {french_date(c.ends_on)}" for c in hospital.cpoms)
        return Assessment(A_RISQUE, f"Aucun CPOM en vigueur à cette date (CPOM enregistrés : {periods})."
                          + conventions)
    cpom = max(current, key=lambda item: item.engagements)
    period = f"CPOM en vigueur du {french_date(cpom.effective_on)} au {french_date(cpom.ends_on)}"
    if not cpom.engagements:
        return Assessment(A_RISQUE, f"{period}, sans engagement inscrit : les engagements de coopération sont à "
                                    "y inscrire par avenant." + conventions)
    count = f"{cpom.engagements} engagement{'s' if cpom.engagements > 1 else ''}"
    return Assessment(SATISFAIT, f"{period}, avec {count} applicable{'s' if cpom.engagements > 1 else ''} "
                                 "(suivi année par année dans l'application)." + conventions)


EVALUATORS = {BY_CONVENTIONS: _by_conventions, BY_EQUIPMENT: _by_equipment, BY_STATUTORY: _by_statutory}
