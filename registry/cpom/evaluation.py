"""The evaluations of a CPOM (L6114-1): at mid-term, at the end, or yearly when the DG ARS decides it. Each gathers
the years it covers: per engagement, every year's assessment and an overall one; once recorded with its minutes, it
keeps the assessments as they were that day.
"""

from datetime import date

from registry.audit.services import record_audit
from registry.core import clock
from registry.core.french import french_date
from registry.cpom.assessment import ATTEINT, NON_APPLICABLE, NON_ATTEINT, NON_EVALUABLE
from registry.cpom.campaign import year_state
from registry.cpom.errors import refuse
from registry.cpom.models import Cpom, CpomEvaluation
from registry.cpom.services import first_site
from registry.extensions import db

MI_PARCOURS, FINALE, ANNUELLE = KINDS = ("mi_parcours", "finale", "annuelle")
KIND_LABELS = {MI_PARCOURS: "Évaluation à mi-parcours", FINALE: "Évaluation finale", ANNUELLE: "Évaluation annuelle"}
#: Overall: every evaluable year met, some, or none.
PARTIELLEMENT_ATTEINT = "partiellement_atteint"
OVERALL_LABELS = {ATTEINT: "Atteint", PARTIELLEMENT_ATTEINT: "Partiellement atteint", NON_ATTEINT: "Non atteint",
                  NON_EVALUABLE: "Non évaluable", NON_APPLICABLE: "Non applicable"}


def years_of(cpom: Cpom, kind: str, held_on: date) -> tuple[int, int]:
    """The years an evaluation gathers: from the CPOM's first year to the last one ended at ``held_on`` (mid-term:
    no later than the year before the mid-term date; annual: the year before ``held_on`` alone)."""
    first, last = cpom.effective_on.year, min(held_on.year - 1, cpom.ends_on.year)
    if kind == MI_PARCOURS:
        last = min(last, cpom.midterm_due.year - 1)
    if kind == ANNUELLE:
        first = last
    return first, last


def overall(assessments: list[str]) -> str:
    """atteint when every evaluable year is met, non_atteint when none is, partiellement_atteint otherwise."""
    if assessments and all(item == NON_APPLICABLE for item in assessments):
        return NON_APPLICABLE
    decided = [item for item in assessments if item in (ATTEINT, NON_ATTEINT)]
    if not decided:
        return NON_EVALUABLE
    met = decided.count(ATTEINT)
    return ATTEINT if met == len(decided) else NON_ATTEINT if met == 0 else PARTIELLEMENT_ATTEINT


def gather(cpom: Cpom, first_year: int, last_year: int) -> list[dict]:
    """Per engagement: each year's assessment (against that year's target) and the overall one."""
    results = []
    for engagement in cpom.engagements:
        years = {str(year): year_state(engagement, year).assessment for year in range(first_year, last_year + 1)}
        results.append({"engagement": engagement.id, "indicator": engagement.indicator, "years": years,
                        "overall": overall(list(years.values()))})
    return results


def record_evaluation(cpom: Cpom, *, kind: str, held_on: date | None, minutes: str | None,
                      actor=None) -> CpomEvaluation:
    """The evaluation held on ``held_on``, with its minutes and the assessments of the years it gathers."""
    problems = [] if kind in KINDS else [f"type d'évaluation inconnu : « {kind} » (" + ", ".join(KINDS) + ")"]
    if held_on is None:
        problems.append("indiquez la date de l'évaluation")
    elif held_on > clock.today():
        problems.append("une évaluation ne peut pas être datée du futur")
    elif held_on < cpom.effective_on:
        problems.append("l'évaluation ne peut précéder la date d'effet du CPOM")
    elif problems == []:
        first, last = years_of(cpom, kind, held_on)
        if last < first:
            problems.append("aucune année du CPOM n'est encore achevée à cette date")
    refuse("Évaluation refusée", problems)
    first, last = years_of(cpom, kind, held_on)
    evaluation = CpomEvaluation(cpom=cpom, kind=kind, held_on=held_on, first_year=first, last_year=last,
                                minutes=(minutes or "").strip() or None, results=gather(cpom, first, last),
                                created_by_id=getattr(actor, "id", None))
    db.session.add(evaluation)
    db.session.flush()
    record_audit("cpom.evaluation", cpom, f"CPOM {cpom.id} : {KIND_LABELS[kind].lower()} du {french_date(held_on)} "
                 f"({first}–{last})", hospital=first_site(cpom), actor=actor)
    return evaluation


def evaluation_dict(evaluation: CpomEvaluation) -> dict:
    return {"id": evaluation.id, "kind": evaluation.kind, "held_on": evaluation.held_on.isoformat(),
            "years": [evaluation.first_year, evaluation.last_year], "minutes": evaluation.minutes,
            "results": evaluation.results}
