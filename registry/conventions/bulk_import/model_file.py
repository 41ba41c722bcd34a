"""The model file offered for download: the header and one example row, as CSV (``model_csv``) or as a workbook
(``model_xlsx``) whose two more sheets explain the columns and the codes.
"""

import codecs
import csv
import io

from registry.conventions.bulk_import.columns import COLUMN_NAMES, COLUMNS
from registry.conventions.services import TITLE_LENGTH
from registry.core.vocabulary import PARTNER_TYPES, THEMES


def model_values(hospital) -> list[str]:
    """The model's example row, about one of the hospital's partners in FINESS when it has one."""
    values = {column.name: column.example for column in COLUMNS}
    partnership = next((p for p in hospital.partnerships if p.partner.finess_et), None)
    if partnership is not None:
        values.update(titre=f"Convention de partenariat avec {partnership.partner.display_name}"[:TITLE_LENGTH],
                      finess_partenaires=partnership.partner.finess_et,
                      types_partenaires=",".join(partnership.partner_types))
    return [values[name] for name in COLUMN_NAMES]


def model_csv(hospital) -> bytes:
    """The header and the example row, `;` separated, in UTF-8 with a BOM (so Excel reads the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow(model_values(hospital))
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def model_xlsx(hospital) -> bytes:
    """The same as a workbook: the first sheet is read by the import; two more explain the columns and codes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Conventions"
    sheet.append(COLUMN_NAMES)
    sheet.append(model_values(hospital))
    for index, name in enumerate(COLUMN_NAMES, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(name) + 4)
        sheet.column_dimensions[letter].number_format = "@"  # FINESS, codes and dates stay as typed
        sheet[f"{letter}2"].number_format = "@"
    sheet.freeze_panes = "A2"
    columns = workbook.create_sheet("Colonnes")
    columns.append(("colonne", "obligatoire", "contenu"))
    for column in COLUMNS:
        columns.append((column.name, "oui" if column.required else "non", column.help))
    codes = workbook.create_sheet("Codes")
    codes.append(("colonne", "code", "signification"))
    for column, vocabulary in (("types_partenaires", PARTNER_TYPES), ("themes", THEMES)):
        for code, label in vocabulary.items():
            codes.append((column, code, label))
    for extra in (columns, codes):
        for cell in extra[1]:
            cell.font = Font(bold=True)
        extra.column_dimensions["A"].width, extra.column_dimensions["B"].width = 34, 24
        extra.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
