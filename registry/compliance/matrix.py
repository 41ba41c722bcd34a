"""The compliance matrix an ARS pastes into a letter: an XLSX workbook whose « Matrice » sheet has one row per
hospital (FINESS, name, département) and one column per requirement, each cell the verdict's label on the tint the
pages show it with (overview.CELL_COLOURS), a legend below; and a « Critères » sheet with each requirement's
citation, the rule set, the evaluation date and the filters the dashboard was showing."""

import io
from datetime import date, datetime

from registry.compliance.adapter import HospitalCompliance
from registry.compliance.overview import CELL_COLOURS, LABELS, ORDER, PENDING, Filters, short_title
from registry.compliance.requirements import VERDICT_MEANINGS
from registry.core.french import french_datetime
from registry.core.geography import departement_label

#: The columns that name a hospital, before the requirements.
IDENTITY = ("FINESS ET", "Hôpital", "Département")
#: Column widths: FINESS, name, département, then each requirement.
WIDTHS = (12, 42, 24)
REQUIREMENT_WIDTH = 17
#: The « Critères » sheet's table, one row per requirement.
CRITERIA = ("Code exigence", "Exigence", "Citation", "Jeu de règles", "Date d'évaluation")


def to_matrix(results: list[HospitalCompliance], filters: Filters, at: date, generated: datetime) -> bytes:
    """The workbook's bytes: the hospitals of ``results`` in their order, under ``filters.ruleset``, on ``at``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ruleset = filters.ruleset
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Matrice"
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    _line(sheet, 1, [*IDENTITY, *(short_title(code, ruleset) for code in ruleset.codes)], font=bold,
          alignment=wrapped)
    for number, result in enumerate(results, start=2):
        _line(sheet, number, [result.finess_et, result.name, departement_label(result.departement)])
        for column, item in enumerate(result.verdicts, start=len(IDENTITY) + 1):
            _verdict(sheet.cell(number, column), item.verdict)
    sheet.freeze_panes = sheet.cell(2, len(IDENTITY) + 1).coordinate
    widths = WIDTHS + (REQUIREMENT_WIDTH,) * len(ruleset.codes)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = len(results) + 3
    _line(sheet, row, ["Légende"], font=bold)
    for offset, verdict in enumerate(ORDER, start=1):
        _verdict(sheet.cell(row + offset, 2), verdict)
        _line(sheet, row + offset, [VERDICT_MEANINGS[verdict]], start=3)
    _line(sheet, row + len(ORDER) + 2, [f"Verdicts au {at.isoformat()} selon le jeu de règles « {ruleset.label} » ; "
                                        f"document produit le {french_datetime(generated)}."])
    _criteria(workbook.create_sheet("Critères"), filters, at, generated, bold, wrapped)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _criteria(sheet, filters: Filters, at: date, generated: datetime, bold, wrapped) -> None:
    """Each requirement (code, title, citation, rule set, day), then what the matrix was made with."""
    ruleset = filters.ruleset
    _line(sheet, 1, CRITERIA, font=bold)
    for number, requirement in enumerate(ruleset.requirements, start=2):
        _line(sheet, number, [requirement.code, requirement.title, str(requirement.citation), ruleset.label,
                              at.isoformat()], alignment=wrapped)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDE", (30, 50, 70, 50, 16)):
        sheet.column_dimensions[column].width = width
    row = len(ruleset.requirements) + 3
    asked = filters.query()
    about = [("Jeu de règles", f"{ruleset.label} ({ruleset.id})"), ("Date d'évaluation", at.isoformat()),
             ("Département", departement_label(filters.departement) or "tous"),
             ("Exigence", short_title(filters.requirement, ruleset) if filters.requirement else "toutes"),
             ("Verdict", LABELS[filters.verdict] if filters.verdict else "tous"),
             ("À faire", PENDING[filters.pending] if filters.pending else "tout"),
             ("Produit le", french_datetime(generated))]
    for offset, (label, value) in enumerate(about):
        _line(sheet, row + offset, [label, value])
        sheet.cell(row + offset, 1).font = bold
    if "verdict" in asked or "etat" in asked:
        _line(sheet, row + len(about), ["", "Le verdict et l'état choisis s'appliquent à l'exigence choisie, ou, "
                                            "sans exigence, à l'une quelconque des exigences."])


def _line(sheet, row: int, values, *, start: int = 1, font=None, alignment=None) -> None:
    """Write ``values`` from column ``start``: text stays text (never a formula), whatever it starts with."""
    for column, value in enumerate(values, start=start):
        cell = sheet.cell(row, column)
        cell.value = value
        cell.data_type = "s"
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment


def _verdict(cell, verdict: str) -> None:
    """The verdict's label on its tint, in its text colour, bordered like the dashboard's cells."""
    from openpyxl.styles import Border, Font, PatternFill, Side

    fill, text = CELL_COLOURS[verdict]
    cell.value = LABELS[verdict]
    cell.data_type = "s"
    cell.fill = PatternFill("solid", fgColor=fill.lstrip("#").upper())
    cell.font = Font(color=text.lstrip("#").upper())
    side = Side(style="thin", color="DEE2E6")
    cell.border = Border(left=side, right=side, top=side, bottom=side)
