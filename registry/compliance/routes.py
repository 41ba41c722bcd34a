"""Compliance pages: the dashboard of every visible hôpital de proximité × requirement (the ARS's regional view;
an administrator sees all, a hospital user its own), its exports, and one hospital's compliance page.

Every page reads its hospitals through core.scope.visible_hospitals and its verdicts through
adapter.evaluate_hospitals: a constant number of queries, the same verdicts as the API and the command line.
"""


from flask import Blueprint, abort, render_template, request, url_for
from flask_sqlalchemy.pagination import Pagination

from registry.compliance import charts, drafting, exports, report
from registry.compliance.adapter import HospitalCompliance, evaluate_hospitals, filter_hospitals
from registry.compliance.overview import (BORDER_CLASSES, CELL_CLASSES, LABELS, ORDER, PENDING, STANDING_LABELS,
                                          SYMBOLS, Filters, by_departement, short_title, totals, verdict_summary)
from registry.compliance.requirements import VERDICT_MEANINGS
from registry.compliance.rules import CURRENT, RULESETS
from registry.core import clock
from registry.core.access import signed_in
from registry.core.errors import DomainError, NotFound
from registry.core.french import french_date
from registry.core.geography import departement_label
from registry.core.scope import can_edit_hospital, get_hospital, visible_hospitals
from registry.documents.versions import latest_versions
from registry.hospitals.services import hospital_departements

bp = Blueprint("compliance", __name__)

#: Hospitals per page of the dashboard's table; its totals and charts cover every hospital of the filters.
PAGE_SIZE = 50
#: The dashboard's exports by ``format``: the long table (CSV, XLSX) and the hospital × requirement matrix.
EXPORTS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response, "xlsx-matrice": exports.matrix_response}


class ResultsPage(Pagination):
    """One page of already evaluated hospitals, with the pagination macro's interface (no query of its own)."""

    def __init__(self, results: list, page: int, per_page: int):
        self._results = results
        super().__init__(page=page, per_page=per_page, error_out=False, max_per_page=None)

    def _query_items(self) -> list:
        return self._results[self._query_offset:self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._results)


@bp.record_once
def _verdict_vocabulary(state) -> None:
    """Globals, so that the macros of templates/compliance/_macros.html see them wherever they are imported."""
    state.app.jinja_env.globals.update(VERDICT_SYMBOLS=SYMBOLS, VERDICT_CLASSES=CELL_CLASSES, VERDICT_LABELS=LABELS,
                                       VERDICT_BORDERS=BORDER_CLASSES)


def _evaluated(filters: Filters) -> list[HospitalCompliance]:
    """The visible hospitals of the chosen département (all when none), evaluated on the chosen day."""
    return evaluate_hospitals(filter_hospitals(visible_hospitals(), departement=filters.departement), filters.at,
                              filters.ruleset)


def _filtered(filters: Filters) -> list[HospitalCompliance]:
    return [result for result in _evaluated(filters) if filters.keeps(result)]


def _departements(filters: Filters, evaluated: list[HospitalCompliance]) -> list[str]:
    """The départements of the visible hospitals, for the filter: from the results when they cover them all."""
    if filters.departement is None:
        return sorted({result.departement for result in evaluated if result.departement})
    return hospital_departements(visible_hospitals())


@bp.route("/conformite")
@signed_in
def dashboard():
    filters = Filters.read(request.args)
    evaluated = _evaluated(filters)
    results = [result for result in evaluated if filters.keeps(result)]
    at = filters.at or clock.today()
    ruleset = filters.ruleset
    counts = totals(results, ruleset)
    titles = {code: short_title(code, ruleset) for code in ruleset.codes}
    page = ResultsPage(results, max(request.args.get("page", 1, type=int) or 1, 1), PAGE_SIZE)
    return render_template(
        "compliance/dashboard.html", filters=filters, at=at, page=page, hospitals=len(results),
        titles=titles, ruleset=ruleset, rulesets=RULESETS.values(), pending=PENDING, order=ORDER,
        meanings=VERDICT_MEANINGS,
        departements=[(code, departement_label(code)) for code in _departements(filters, evaluated)],
        verdicts=[(code, LABELS[code]) for code in ORDER],
        requirement_chart=charts.requirement_chart(counts, titles, len(results)),
        departement_chart=charts.departement_chart(by_departement(results), departement_label))


@bp.route("/conformite/export")
@signed_in
def export():
    """The dashboard's hospitals (same filters, every page) as ``?format=csv`` (default), ``?format=xlsx`` or
    ``?format=xlsx-matrice`` (one row per hospital, one column per requirement)."""
    write = EXPORTS.get(request.args.get("format", "csv"))
    if write is None:
        abort(404)
    filters = Filters.read(request.args)
    return write(_filtered(filters), filters, filters.at or clock.today())


@bp.route("/conformite/rapport.pdf")
@signed_in
def departement_report():
    """The printable report of the dashboard's hospitals of one département (same filters), as PDF."""
    filters = Filters.read(request.args)
    if filters.departement is None:
        raise DomainError("Choisissez un département pour en produire le rapport PDF.")
    results = _filtered(filters)
    if not results:
        raise NotFound(f"Aucun hôpital de proximité que vous pouvez consulter dans le département "
                       f"{departement_label(filters.departement)} ne correspond à ces critères.")
    at = filters.at or clock.today()
    document = report.group_report(results, filters.ruleset, at, departement_label(filters.departement))
    return report.pdf_response(document, exports.filename(filters, at, "pdf", "rapport-conformite"))


def _hospital_result(finess: str):
    """The hospital (404 out of the user's scope), the page's criteria (day, rule set) and its verdicts."""
    profile = get_hospital(finess)
    filters = Filters.read({"at": request.args.get("at"), "regles": request.args.get("regles")})
    return profile, filters, evaluate_hospitals(filter_hospitals(visible_hospitals(), finess_et=finess), filters.at,
                                                filters.ruleset)[0]


@bp.route("/hopitaux/<finess>/conformite/rapport.pdf")
@signed_in
def hospital_report(finess: str):
    """One hospital's printable report on the day and under the rule set of its compliance page, as PDF."""
    profile, filters, result = _hospital_result(finess)
    document = report.hospital_report(result, filters.ruleset, departement_label(profile.organisation.departement))
    name = "-".join(["rapport-conformite", finess, result.at.isoformat()]
                    + ([filters.ruleset.id] if filters.ruleset is not CURRENT else [])) + ".pdf"
    return report.pdf_response(document, name)


@bp.route("/hopitaux/<finess>/conformite")
@signed_in
def hospital(finess: str):
    profile, filters, result = _hospital_result(finess)
    ruleset = filters.ruleset
    can_edit = can_edit_hospital(profile)
    suggestions = _suggestions(result, ruleset) if can_edit else {}
    return render_template("compliance/hospital.html", hospital=profile, result=result, filters=filters,
                           at=result.at, ruleset=ruleset, rulesets=RULESETS.values(), can_edit=can_edit,
                           suggestions=suggestions,
                           summary=verdict_summary(result), standing_labels=STANDING_LABELS,
                           meanings=VERDICT_MEANINGS)


def _suggestions(result: HospitalCompliance, ruleset=CURRENT) -> dict[str, str]:
    """The drafting page's address for each requirement a new convention could meet, by requirement code."""
    wanted = [item for item in result.verdicts
              if drafting.needs_drafting(ruleset.requirement(item.code), item.verdict)]
    if not wanted:
        return {}
    templates = [drafting.TemplateChoice.from_manifest(version.manifest) for version in latest_versions()]
    links = {}
    for item in wanted:
        suggestion = drafting.suggest(ruleset.requirement(item.code), result, templates)
        partnership = suggestion.partnership.id if suggestion.partnership else None
        if suggestion.template is None:
            links[item.code] = url_for("conventions.choose_template", finess=result.finess_et, partenariat=partnership)
        else:
            links[item.code] = url_for("conventions.new_convention", finess=result.finess_et,
                                       code=suggestion.template.code, partenariat=partnership)
    return links


@bp.app_template_global("deadline_words")
def deadline_words(item, at) -> str:
    """How a verdict stands with its legal deadline: « respectée (convention signée le 3 mars 2023) », « convention
    signée le 9 juin 2024, après l'échéance », or while none is signed « 120 jours restants », « dernier jour »,
    « dépassée de 15 jours »."""
    deadline = item.deadline
    signed = min((evidence.signed_on for evidence in item.evidence if evidence.signed_on is not None), default=None)
    if signed is not None:
        if signed <= deadline:
            return f"respectée : convention signée le {french_date(signed)}"
        return f"convention signée le {french_date(signed)}, après l'échéance"
    days = (deadline - at).days
    if days > 0:
        return f"{days} jour{'s' if days > 1 else ''} restant{'s' if days > 1 else ''}"
    if days == 0:
        return "dernier jour"
    return f"dépassée de {-days} jour{'s' if days < -1 else ''}"
