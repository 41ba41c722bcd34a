"""Tables for people, as files: CSV that Excel opens (`;`, CRLF, UTF-8 with BOM) and XLSX workbooks whose text is
always text, and the formula guard every export uses (``safe``)."""

import csv
import io
from datetime import date

#: A cell starting with one of these is a formula for a spreadsheet: such text is exported with a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value):
    """Text a spreadsheet would take for a formula gets a leading quote; other values are kept as they are."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def csv_bytes(rows: list[list]) -> bytes:
    """Rows as CSV for Excel: dates as AAAA-MM-JJ, None as empty, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([["" if value is None else safe(str(value)) for value in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: list[tuple[str, list[list], tuple[int, ...]]]) -> bytes:
    """A workbook of (title, rows, column widths) sheets: the first row bold, frozen and filterable; dates shown
    « jj/mm/aaaa »; text stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows, widths in sheets:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        for number, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        if rows and rows[0]:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
        for heading, row in zip([True] + [False] * (len(rows) - 1), rows):
            line = [WriteOnlyCell(sheet, value=value) for value in row]
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                elif isinstance(cell.value, date):
                    cell.number_format = "dd/mm/yyyy"
                if heading:
                    cell.font = bold
            sheet.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
