"""The model file offered for download: the header and one example row, as CSV (``model_csv``) or as a workbook
(``model_xlsx``) whose two more sheets explain the columns and the codes, with drop-down lists for the kinds,
themes and yes/no columns.
"""

import codecs
import csv
import io

from registry.conventions.bulk_import import limits
from registry.conventions.bulk_import.columns import COLUMN_NAMES, COLUMNS
from registry.conventions.services import TITLE_LENGTH
from registry.core.vocabulary import PARTNER_TYPES, THEMES

#: Themes a convention with a partner of each kind usually covers: the example row's, when the hospital has
#: declared none for that partner.
EXAMPLE_THEMES = {
    "second_recours": ("orientation", "consultations_avancees"), "ehpad": ("coordination", "retour_domicile"),
    "ssr": ("orientation", "retour_domicile"), "usld": ("orientation", "retour_domicile"),
    "had": ("retour_domicile", "continuite_soins"), "cpts": ("continuite_soins", "retour_domicile"),
    "msp": ("continuite_soins", "retour_domicile"), "centre_sante": ("continuite_soins", "retour_domicile"),
    "mmg": ("pdsa", "continuite_soins"), "dac": ("coordination", "retour_domicile"), "other": ("coordination",),
}
#: The example row's legal basis for a kind whose conventions rest on one article (the others leave it empty).
EXAMPLE_BASES = {"mmg": "R6315-3", "dac": "L6327-2"}
#: The yes/no columns, offered as a drop-down « oui » / « non ».
YES_NO_COLUMNS = ("reconduction_tacite",)


def model_values(hospital) -> list[str]:
    """The model's example row: one convention told consistently (partner, kinds, themes, legal basis, file),
    about one of the hospital's partners in FINESS when it has one, else about an EHPAD."""
    values = {column.name: column.example for column in COLUMNS}
    values["fondements"] = ""
    partnership = next((p for p in hospital.partnerships if p.partner.finess_et and p.partner_types), None)
    if partnership is not None:
        kind = partnership.partner_types[0]
        themes = [theme for theme in partnership.themes or () if theme in THEMES] or EXAMPLE_THEMES[kind]
        values.update(titre=f"Convention de partenariat avec {partnership.partner.display_name}"[:TITLE_LENGTH],
                      finess_partenaires=partnership.partner.finess_et,
                      types_partenaires=",".join(partnership.partner_types), themes=",".join(themes),
                      fondements=EXAMPLE_BASES.get(kind, ""),
                      fichier_pdf=f"convention-{kind.replace('_', '-')}-2019.pdf")
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
    codes.append(("colonne", "code", "libellé (accepté aussi)"))
    for column, vocabulary in (("types_partenaires", PARTNER_TYPES), ("themes", THEMES)):
        first = codes.max_row + 1
        for code, label in vocabulary.items():
            codes.append((column, code, label))
        _drop_down(sheet, column, f"Codes!$C${first}:$C${codes.max_row}", strict=False)
    for column in YES_NO_COLUMNS:
        _drop_down(sheet, column, '"oui,non"', strict=True)
    for extra in (columns, codes):
        for cell in extra[1]:
            cell.font = Font(bold=True)
        extra.column_dimensions["A"].width, extra.column_dimensions["B"].width = 34, 24
        extra.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _drop_down(sheet, column: str, formula: str, *, strict: bool) -> None:
    """An Excel drop-down list on ``column`` for every row an import may hold. A kinds or themes cell may hold
    several values, so anything typed is kept there (``strict=False``); a yes/no cell accepts only the list."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(COLUMN_NAMES.index(column) + 1)
    if strict:
        validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                                    errorTitle="Valeur refusée", error="Choisissez « oui » ou « non ».")
    else:
        validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False,
                                    showInputMessage=True, promptTitle="Un ou plusieurs",
                                    prompt="Choisissez dans la liste, ou tapez plusieurs codes ou libellés séparés "
                                           "par des virgules.")
    validation.add(f"{letter}2:{letter}{limits.MAX_ROWS + 1}")
    sheet.add_data_validation(validation)
