"""A year's CPOM campaign as rows and files: one row per hospital (FINESS ET) × engagement, and a matrix of the
hospitals by engagement, as CSV (French headings, `;`, UTF-8 with BOM so that Excel opens it, like the compliance
export) and XLSX. Every value is ``campaign.year_state``'s, so the exports say what the API and the pages say.

The caller chooses the CPOMs (``campaign_cpoms`` gives those a user sees, in force in the year): the pages pass the
current user's, the command an operator's. Text a spreadsheet would take for a formula is exported with a leading
quote (``compliance.exports``' guard).
"""

import io
from dataclasses import dataclass
from datetime import date

from flask import Response

from registry.compliance.exports import to_csv
from registry.core import clock
from registry.core.geography import region_label
from registry.core.scope import visible_cpoms
from registry.core.spreadsheets import XLSX
from registry.core.spreadsheets import safe as safe_cell
from registry.cpom import workflow
from registry.cpom.assessment import ASSESSMENT_LABELS
from registry.cpom.campaign import YearState, year_state
from registry.cpom.catalogue import (LISTE, NOMBRE, OUI_NON, POURCENTAGE, RATIO, REGISTRY, TEXTE, Indicator,
                                     catalogue_of, spec_of)
from registry.cpom.models import Cpom, CpomEngagement
from registry.cpom.wording import shown_value, target_text
from registry.extensions import db

KIND_LABELS = {OUI_NON: "Oui/non", LISTE: "Liste d'actions", RATIO: "Ratio", POURCENTAGE: "Pourcentage",
               NOMBRE: "Nombre", TEXTE: "Texte"}
#: Who gave the value (CpomDeclaration.source, or the registry for the engagement it proves itself).
SOURCE_LABELS = {**workflow.SOURCE_LABELS, REGISTRY: "Registre des conventions"}

#: (key, French heading) of each column of the campaign's rows.
COLUMNS = (
    ("finess_et", "FINESS ET"),
    ("name", "Hôpital"),
    ("cpom", "CPOM n°"),
    ("finess_ej", "FINESS EJ"),
    ("theme", "Thème"),
    ("indicator", "Code indicateur"),
    ("label", "Indicateur"),
    ("kind", "Type"),
    ("year", "Année"),
    ("target", "Cible"),
    ("target_comparator", "Comparateur cible"),
    ("target_value", "Valeur cible"),
    ("applicable", "Applicable"),
    ("reason", "Motif de non-application"),
    ("status_label", "Statut"),
    ("status", "Code statut"),
    ("value", "Valeur"),
    ("numerator", "Numérateur"),
    ("denominator", "Dénominateur"),
    ("items", "Actions cochées"),
    ("comment", "Commentaire"),
    ("proofs", "Preuves"),
    ("proof_due", "Preuve attendue le"),
    ("review_comment", "Commentaire de l'ARS"),
    ("assessment_label", "Évaluation"),
    ("assessment", "Code évaluation"),
    ("source", "Source"),
)
WIDTHS = (12, 34, 9, 12, 30, 24, 50, 14, 7, 16, 10, 10, 10, 30, 16, 16, 12, 11, 12, 30, 40, 8, 12, 40, 14, 14, 22)


@dataclass(frozen=True)
class Line:
    """An engagement of a CPOM in the year: its catalogue entry and its state."""

    cpom: Cpom
    spec: Indicator
    state: YearState

    @property
    def engagement(self) -> CpomEngagement:
        return self.state.engagement


def covers_year(cpom: Cpom, year: int) -> bool:
    """Whether the CPOM is in force during ``year`` (the campaign API's reading)."""
    return cpom.effective_on.year <= year <= cpom.ends_on.year


def campaign_cpoms(year: int, region: str | None = None, user=None) -> list[Cpom]:
    """The CPOMs ``user`` (default: the signed-in one) sees that are in force during ``year``, of ``region``."""
    query = visible_cpoms(user)
    if region:
        query = query.where(Cpom.region == region)
    return [cpom for cpom in db.session.scalars(query.order_by(Cpom.id)) if covers_year(cpom, year)]


def campaign_lines(cpoms: list[Cpom], year: int) -> list[Line]:
    """Each engagement of each CPOM with its state in ``year``, in the CPOMs' and engagements' order."""
    return [Line(cpom, spec_of(engagement), year_state(engagement, year))
            for cpom in cpoms for engagement in cpom.engagements]


def _numeric(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def line_record(line: Line) -> dict:
    """The columns of an engagement in the year that do not depend on the hospital, values typed (numbers stay
    numbers, the value as ``year_state`` gives it)."""
    state, spec, engagement = line.state, line.spec, line.engagement
    declaration = state.declaration
    source = REGISTRY if spec.origin == REGISTRY else (declaration.source if declaration else "")
    return {
        "cpom": line.cpom.id, "finess_ej": line.cpom.finess_ej or "", "theme": spec.theme,
        "indicator": engagement.indicator, "label": spec.label, "kind": KIND_LABELS.get(spec.kind, spec.kind),
        "year": state.year, "target": target_text(state.target, spec), "target_comparator": state.target.comparator,
        "target_value": state.target.value, "applicable": state.target.applicable,
        "reason": "" if state.target.applicable else (engagement.reason or ""),
        "status_label": workflow.STATUS_LABELS[state.status], "status": state.status, "value": state.value,
        "numerator": declaration.numerator if declaration else None,
        "denominator": declaration.denominator if declaration else None,
        "items": " | ".join(declaration.items or ()) if declaration else "",
        "comment": (declaration.comment or "") if declaration else "",
        "proofs": len(declaration.proofs) if declaration else 0,
        "proof_due": declaration.proof_due if declaration else None,
        "review_comment": (declaration.review_comment or "") if declaration else "",
        "assessment_label": ASSESSMENT_LABELS[state.assessment], "assessment": state.assessment,
        "source": SOURCE_LABELS.get(source, source),
    }


def records(cpoms: list[Cpom], year: int) -> list[dict]:
    """One record per hospital covered × engagement, sorted by FINESS ET (then CPOM and engagement)."""
    rows = []
    for line in campaign_lines(cpoms, year):
        common = line_record(line)
        rows.extend({"finess_et": site.finess_et or "", "name": site.name, **common} for site in line.cpom.sites)
    return sorted(rows, key=lambda row: row["finess_et"])  # stable: CPOM and engagement order kept


def _cell_text(value) -> str:
    """A typed value as CSV text: dates in ISO, booleans « oui »/« non », numbers with a decimal comma."""
    if isinstance(value, date):
        return value.isoformat()
    return shown_value(value)


def table(cpoms: list[Cpom], year: int, *, typed: bool = False) -> list[list]:
    """The records as rows, French headings first, text guarded against formulas; ``typed`` keeps numbers and
    dates as they are (for XLSX), otherwise everything is CSV text."""
    rows = [[heading for _, heading in COLUMNS]]
    for record in records(cpoms, year):
        row = []
        for key, _ in COLUMNS:
            value = record[key]
            if typed and (isinstance(value, date) or _numeric(value) is not None):
                row.append(value)
            elif isinstance(value, str):
                row.append(safe_cell(value))
            else:
                row.append(_cell_text(value))
        rows.append(row)
    return rows


def indicator_codes(lines: list[Line]) -> list[str]:
    """The indicators of the lines, in the order they first appear."""
    return list(dict.fromkeys(line.engagement.indicator for line in lines))


def matrix(cpoms: list[Cpom], year: int, *, with_values: bool = False) -> list[list[str]]:
    """Rows = hospitals, columns = the engagements' indicator codes, cells = the assessment's label (and the value,
    with ``with_values``); empty where the hospital's CPOM has no such engagement."""
    lines = campaign_lines(cpoms, year)
    codes = indicator_codes(lines)
    hospitals: dict[str, dict] = {}
    for line in lines:
        cell = ASSESSMENT_LABELS[line.state.assessment]
        if with_values and line.state.value is not None:
            cell += f" ({shown_value(line.state.value)})"
        for site in line.cpom.sites:
            row = hospitals.setdefault(site.finess_et or "", {"name": site.name, "cells": {}})
            row["cells"].setdefault(line.engagement.indicator, []).append(cell)
    rows = [["FINESS ET", "Hôpital", *codes]]
    for finess, row in sorted(hospitals.items()):
        rows.append([finess, safe_cell(row["name"]), *(safe_cell(" / ".join(row["cells"].get(code, ()))) for code in codes)])
    return rows


def csv_bytes(cpoms: list[Cpom], year: int, *, matrix_only: bool = False, with_values: bool = False) -> bytes:
    """The campaign's rows (or its matrix) as CSV: `;`, CRLF, UTF-8 with BOM."""
    rows = matrix(cpoms, year, with_values=with_values) if matrix_only else table(cpoms, year)
    return ("\ufeff" + to_csv(rows)).encode("utf-8")


def _append_sheet(workbook, title: str, rows: list[list], widths=()) -> None:
    """A sheet of rows, the first in bold, frozen and filterable; text is always text, never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if rows and rows[0]:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
            if index == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)


def xlsx_bytes(cpoms: list[Cpom], year: int, *, region: str | None = None, matrix_only: bool = False,
               with_values: bool = False) -> bytes:
    """A workbook: the campaign's rows (unless ``matrix_only``), the matrix, the indicators and the criteria."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    if not matrix_only:
        _append_sheet(workbook, f"Campagne {year}", table(cpoms, year, typed=True), WIDTHS)
    grid = matrix(cpoms, year, with_values=with_values)
    _append_sheet(workbook, f"Matrice {year}", grid, (12, 34, *(18 for _ in grid[0][2:])))
    indicators: dict[str, Indicator] = {}
    for cpom in cpoms:
        for engagement in cpom.engagements:
            indicators.setdefault(engagement.indicator, spec_of(engagement))
    _append_sheet(workbook, "Indicateurs", [["Code indicateur", "Thème", "Indicateur", "Type", "Unité", "Source"]] + [
        [code, spec.theme, safe_cell(spec.label), KIND_LABELS.get(spec.kind, spec.kind), spec.unit, safe_cell(spec.source)]
        for code, spec in indicators.items()], (24, 30, 60, 14, 24, 60))
    catalogues = list(dict.fromkeys(catalogue_of(cpom).name for cpom in cpoms))
    _append_sheet(workbook, "Critères", [
        ["Critère", "Valeur"], ["Année", year], ["Région", region_label(region) if region else "toutes"],
        ["Date de l'export", clock.today()], ["CPOM", len(cpoms)],
        ["Catalogue", safe_cell(" ; ".join(catalogues)) or "—"]], (20, 60))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def filename(year: int, extension: str, *, region: str | None = None, matrix_only: bool = False) -> str:
    """« cpom-campagne-2025-84.csv », « cpom-matrice-2025.xlsx »."""
    parts = ["cpom", "matrice" if matrix_only else "campagne", str(year)] + ([region] if region else [])
    return "-".join(parts) + "." + extension


def download(cpoms: list[Cpom], year: int, export_format: str, *, region: str | None = None,
             matrix_only: bool = False, with_values: bool = False) -> Response:
    """The export as an attachment, ``export_format`` "csv" or "xlsx" (for the pages)."""
    if export_format == "xlsx":
        body, mimetype = xlsx_bytes(cpoms, year, region=region, matrix_only=matrix_only,
                                    with_values=with_values), XLSX
    else:
        body, mimetype = csv_bytes(cpoms, year, matrix_only=matrix_only, with_values=with_values), "text/csv"
    name = filename(year, "xlsx" if export_format == "xlsx" else "csv", region=region, matrix_only=matrix_only)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})

