"""The year's campaign page (``/cpom/campagne``): for the ARS its region (an administrator: any), each hospital ×
engagement with its status, value, target and assessment; counters, filters and the indicators' charts."""

from collections import Counter
from dataclasses import dataclass, field

from flask import Response, render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from registry.accounts.models import ROLE_ADMIN, ROLE_ARS
from registry.core import clock
from registry.core.access import signed_in
from registry.core.geography import REGIONS, departement_label, region_label
from registry.core.scope import visible_cpoms
from registry.cpom import campaign, exports, workflow
from registry.cpom.assessment import ASSESSMENT_LABELS, ATTEINT
from registry.cpom.catalogue import spec_of
from registry.cpom.charts import indicator_charts
from registry.cpom.models import Cpom, CpomEngagement
from registry.cpom.report import render_report, report_filename
from registry.cpom.routes import LATE, STATUS_FILTERS, bp, is_late, read_year
from registry.conventions.services import DOCX
from registry.extensions import db
from registry.hospitals.models import HospitalProfile

@dataclass(frozen=True)
class CampaignRow:
    hospital: HospitalProfile
    cpom: Cpom
    spec: object
    state: object
    late: bool


@dataclass
class CampaignFilters:
    region: str | None = None
    departement: str | None = None
    status: str | None = None
    assessment: str | None = None
    indicator: str | None = None
    errors: list = field(default_factory=list)

    @classmethod
    def read(cls, args) -> "CampaignFilters":
        filters = cls()
        for name, key, allowed in (("departement", "departement", None), ("status", "statut", STATUS_FILTERS),
                                   ("assessment", "evaluation", ASSESSMENT_LABELS), ("indicator", "indicateur", None),
                                   ("region", "region", REGIONS)):
            value = (args.get(key) or "").strip()
            if value and allowed is not None and value not in allowed:
                filters.errors.append(f"Critère « {key} » ignoré : valeur inconnue.")
            elif value:
                setattr(filters, name, value[:60])
        if current_user.role == ROLE_ARS:
            filters.region = current_user.region  # an ARS sees its own region, whatever is asked
        return filters

    def keeps(self, row: CampaignRow) -> bool:
        return ((self.departement is None or row.hospital.organisation.departement == self.departement)
                and (self.indicator is None or row.spec.code == self.indicator)
                and (self.assessment is None or row.state.assessment == self.assessment)
                and (self.status is None or (row.late if self.status == LATE else row.state.status == self.status)))

    def query(self) -> dict:
        return {key: value for key, value in (("departement", self.departement), ("statut", self.status),
                                              ("evaluation", self.assessment), ("indicateur", self.indicator),
                                              ("region", self.region)) if value}


def _campaign_cpoms(filters: CampaignFilters, year: int) -> list[Cpom]:
    query = visible_cpoms().options(
        selectinload(Cpom.sites).selectinload(HospitalProfile.organisation), selectinload(Cpom.catalogue),
        selectinload(Cpom.engagements).selectinload(CpomEngagement.declarations),
        selectinload(Cpom.engagements).selectinload(CpomEngagement.target_changes))
    if filters.region:
        query = query.where(Cpom.region == filters.region)
    return [cpom for cpom in db.session.scalars(query.order_by(Cpom.name, Cpom.id))
            if cpom.effective_on.year <= year <= cpom.ends_on.year]


def campaign_counters(rows: list[CampaignRow]) -> list[tuple[str, int]]:
    statuses = Counter(row.state.status for row in rows)
    return [("Déclarées", sum(count for status, count in statuses.items() if status != workflow.NON_DECLAREE)),
            ("Non déclarées", statuses[workflow.NON_DECLAREE]),
            ("Preuves demandées", statuses[workflow.PREUVE_DEMANDEE]),
            ("Preuves en retard", sum(row.late for row in rows)),
            ("Validées", statuses[workflow.VALIDEE]),
            ("Contestées", statuses[workflow.CONTESTEE]),
            ("Cibles atteintes", sum(row.state.assessment == ATTEINT for row in rows))]


@bp.route("/cpom/campagne")
@signed_in
def campaign_page():
    year, year_error = read_year()
    filters = CampaignFilters.read(request.args)
    if year_error:
        filters.errors.append(year_error)
    every = []
    for cpom in _campaign_cpoms(filters, year):
        states = [(spec_of(engagement), campaign.year_state(engagement, year)) for engagement in cpom.engagements]
        for site in cpom.sites:
            every.extend(CampaignRow(site, cpom, spec, state, is_late(state.declaration)) for spec, state in states)
    rows = [row for row in every if filters.keeps(row)]
    indicators = {row.spec.code: row.spec.label for row in every}
    departements = sorted({row.hospital.organisation.departement for row in every
                           if row.hospital.organisation.departement} | ({filters.departement} - {None}))
    return render_template(
        "cpom/campaign.html", year=year, filters=filters, rows=rows, counters=campaign_counters(rows),
        status_filters=STATUS_FILTERS.items(), assessments=ASSESSMENT_LABELS.items(),
        indicators=sorted(indicators.items(), key=lambda item: item[1]),
        departements=[(code, departement_label(code)) for code in departements],
        regions=[(code, region_label(code)) for code in REGIONS] if current_user.role == ROLE_ADMIN else [],
        charts=indicator_charts(rows), years=range(clock.today().year, 1999, -1)[:12],
        region_name=region_label(filters.region) if filters.region else None)




def _download_scope() -> tuple[int, str | None]:
    """The year and region of a download: the page's, the ARS's own region whatever is asked."""
    year, _error = read_year()
    region = request.args.get("region") if request.args.get("region") in REGIONS else None
    if current_user.role == ROLE_ARS:
        region = current_user.region
    return year, region


@bp.route("/cpom/campagne/export")
@signed_in
def campaign_export():
    """The year's campaign as CSV or XLSX (``?format=``), or with ``?matrice=1`` the matrix, of the CPOMs the user
    sees: the same rows as the page without its filters."""
    year, region = _download_scope()
    export_format = "xlsx" if request.args.get("format") == "xlsx" else "csv"
    return exports.download(exports.campaign_cpoms(year, region), year, export_format, region=region,
                            matrix_only=request.args.get("matrice") == "1")


@bp.route("/cpom/campagne/rapport")
@signed_in
def campaign_report():
    year, region = _download_scope()
    body = render_report(exports.campaign_cpoms(year, region), year, region)
    return Response(body, mimetype=DOCX,
                    headers={"Content-Disposition": f'attachment; filename="{report_filename(year, region)}"'})
