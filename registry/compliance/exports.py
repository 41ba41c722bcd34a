"""The verdicts as rows (one per hospital × requirement) and as documents: the dashboard's CSV (French headers,
`;`, UTF-8 with BOM so that Excel opens it) and XLSX exports (those rows, or matrix.py's hospital × requirement
matrix), the command's CSV, and the JSON document that GET /api/v1/compliance and `compliance --format json` share
(docs/interface.md)."""

import csv
import io
from datetime import date

from flask import Response

from registry.compliance import matrix
from registry.compliance.adapter import HospitalCompliance
from registry.compliance.overview import LABELS, Filters
from registry.compliance.rules import CURRENT, RuleSet
from registry.core import clock
from registry.core.spreadsheets import XLSX
from registry.core.spreadsheets import safe as safe_cell

#: (key, French heading) of each column; the command's CSV uses the keys, the exports the headings.
COLUMNS = (
    ("finess_et", "FINESS ET"),
    ("name", "Hôpital"),
    ("departement", "Département"),
    ("requirement", "Code exigence"),
    ("title", "Exigence"),
    ("verdict", "Code verdict"),
    ("verdict_label", "Verdict"),
    ("reason", "Motif"),
    ("citation", "Citation"),
    ("evidence", "Conventions retenues"),
    ("at", "Date d'évaluation"),
    ("ruleset", "Jeu de règles"),
)


def document(results: list[HospitalCompliance], at: date, ruleset: RuleSet = CURRENT) -> dict:
    """GET /compliance's payload: {"at", "rule_set", "hospitals": [{"finess_et", "name", "requirements": [...]}]},
    with the rule set's label beside its code."""
    return {"at": at.isoformat(), "rule_set": ruleset.id, "ruleset": ruleset.label,
            "hospitals": [result.as_dict() for result in results]}


def records(results: list[HospitalCompliance]) -> list[dict]:
    """One record per hospital × requirement, with codes and French labels."""
    return [{"finess_et": result.finess_et, "name": result.name, "departement": result.departement or "",
             "requirement": item.code, "title": item.title, "verdict": item.verdict,
             "verdict_label": LABELS[item.verdict], "reason": item.reason, "citation": item.citation,
             "evidence": ", ".join(item.references), "at": result.at.isoformat(), "ruleset": item.ruleset}
            for result in results for item in result.verdicts]


def table(results: list[HospitalCompliance], *, for_people: bool = True) -> list[list[str]]:
    """The records as rows of text, a heading row first: for people (the exports), French headings and no text
    a spreadsheet would take for a formula; otherwise (the command's CSV) the keys and the values as they are."""
    head = [heading if for_people else key for key, heading in COLUMNS]
    clean = safe_cell if for_people else str
    return [head] + [[clean(record[key]) for key, _ in COLUMNS] for record in records(results)]


def to_csv(rows: list[list[str]], delimiter: str = ";", lineterminator: str = "\r\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return out.getvalue()


def to_xlsx(rows: list[list[str]], at: date, filters: Filters) -> bytes:
    """A workbook: the rows on the first sheet (headings frozen and filterable), the criteria on a second."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Conformité")
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKL", (12, 36, 12, 26, 40, 12, 12, 80, 60, 30, 14, 40)):
        sheet.column_dimensions[column].width = width
    sheet.auto_filter.ref = f"A1:L{len(rows)}"
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            if index == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    about = workbook.create_sheet("Critères")
    about.append(["Date d'évaluation", at.isoformat()])
    about.append(["Jeu de règles", filters.ruleset.label])
    for key, label in (("departement", "Département"), ("exigence", "Exigence"), ("verdict", "Verdict")):
        about.append([label, filters.query().get(key, "tous")])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def filename(filters: Filters, at: date, extension: str, kind: str = "conformite") -> str:
    """« conformite-2026-06-01-21.csv »: the kind, the day, then the filters' values."""
    parts = [kind, at.isoformat()] + [value for key, value in sorted(filters.query().items()) if key != "at"]
    return "-".join(parts) + "." + extension


def csv_response(results: list[HospitalCompliance], filters: Filters, at: date) -> Response:
    body = "\ufeff" + to_csv(table(results))
    return attachment(body.encode("utf-8"), "text/csv", filename(filters, at, "csv"))


def xlsx_response(results: list[HospitalCompliance], filters: Filters, at: date) -> Response:
    return attachment(to_xlsx(table(results), at, filters), XLSX, filename(filters, at, "xlsx"))


def attachment(body: bytes, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def matrix_response(results: list[HospitalCompliance], filters: Filters, at: date) -> Response:
    return attachment(matrix.to_matrix(results, filters, at, clock.now()), XLSX,
                      filename(filters, at, "xlsx", "conformite-matrice"))
