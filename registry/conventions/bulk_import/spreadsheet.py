"""Reading the spreadsheet: a CSV or XLSX file, told by its content, into rows of raw cells keyed by column.

Refuses (``ImportRefused``) a file that cannot be used at all: empty, too large, not a spreadsheet, an unknown
encoding, a damaged or oversized workbook, a missing or repeated column, no row or too many rows. The values
themselves are checked row by row later (rows.parse_row).
"""

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from registry.conventions.bulk_import import limits
from registry.conventions.bulk_import.columns import COLUMN_NAMES, REQUIRED_COLUMNS
from registry.conventions.bulk_import.errors import ImportRefused
from registry.signatures.sniff import describe


@dataclass(frozen=True)
class Layout:
    """What a spreadsheet must hold: its known columns, the required ones, and what a row is called in messages."""

    columns: frozenset[str] | dict
    required: tuple[str, ...]
    #: A row, in the plural (« conventions », « engagements »...).
    rows_name: str = "conventions"
    #: Whether the row limit is limits.MAX_ROWS (None) or this number.
    max_rows: int | None = None


#: The stock of conventions (columns.py).
STOCK = Layout(COLUMN_NAMES, REQUIRED_COLUMNS)


@dataclass
class Sheet:
    #: (line number as the spreadsheet shows it, {column: raw cell}) for each non-empty row.
    rows: list[tuple[int, dict]]
    ignored_columns: list[str] = field(default_factory=list)


def read_spreadsheet(data: bytes, layout: Layout = STOCK) -> Sheet:
    """The rows of a CSV (``;`` separated, UTF-8 with or without BOM, else cp1252) or XLSX (first sheet) file."""
    if not data:
        raise ImportRefused("Le tableur est vide (0 octet).")
    if len(data) > limits.SPREADSHEET_MAX_BYTES:
        raise ImportRefused(f"Le tableur dépasse la limite de {limits.SPREADSHEET_MAX_BYTES // limits.MIB} Mo : "
                            "découpez-le en plusieurs imports.")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, layout)
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        looks_like = _looks_like(data)
        if looks_like not in (None, "un fichier texte") or b"\x00" in data:
            raise ImportRefused("Le tableur doit être un classeur Excel (.xlsx) ou un fichier CSV : ce fichier "
                                f"ressemble à {looks_like or 'un fichier binaire'}. Enregistrez-le au format "
                                ".xlsx ou CSV (séparateur point-virgule).")
    return _read_csv(_decode(data), layout)


def _looks_like(data: bytes) -> str | None:
    return "un PDF" if data.startswith(b"%PDF-") else describe(data)


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused("L'encodage du fichier CSV n'est pas reconnu : enregistrez-le en « CSV UTF-8 ».") \
            from None


def _read_csv(text: str, layout: Layout) -> Sheet:
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in (";", "\t", ",") if d in first_line), ";")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportRefused(f"Le fichier CSV ne peut pas être lu : {error}.") from None
    if not records:
        raise ImportRefused("Le tableur ne contient pas de ligne d'en-tête.")
    return _sheet(records[0], ((line, record) for line, record in enumerate(records[1:], start=2)), layout)


def _read_xlsx(data: bytes, layout: Layout) -> Sheet:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            names = {info.filename for info in infos}
    except zipfile.BadZipFile:
        raise ImportRefused("Le classeur Excel est endommagé : il ne peut pas être ouvert.") from None
    if "xl/workbook.xml" not in names:
        raise ImportRefused(f"Le tableur doit être un classeur Excel (.xlsx) ou un fichier CSV : ce fichier "
                            f"ressemble à {_looks_like(data)}. Enregistrez-le au format .xlsx ou CSV.")
    if len(infos) > limits.MAX_ENTRIES or sum(info.file_size for info in infos) > limits.XLSX_MAX_UNCOMPRESSED:
        raise ImportRefused("Le classeur Excel est anormalement volumineux une fois décompressé : "
                            "enregistrez-le au format CSV.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged package
        raise _unreadable(error) from None
    try:  # read-only: the sheet's XML is parsed while its rows are read
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, ())
        return _sheet(header, ((line, values) for line, values in enumerate(rows, start=2)), layout)
    except ImportRefused:
        raise
    except Exception as error:
        raise _unreadable(error) from None
    finally:
        workbook.close()


def _unreadable(error: Exception) -> ImportRefused:
    cause = error
    while cause is not None and not isinstance(cause, DTDForbidden | EntitiesForbidden | ExternalReferenceForbidden):
        cause = cause.__cause__ or cause.__context__  # openpyxl wraps what the XML parser raised
    if cause is not None:
        return ImportRefused("Le classeur Excel contient des déclarations XML qu'Excel n'écrit pas (entités, DTD) : "
                             "il est refusé. Enregistrez-le à nouveau depuis Excel, ou au format CSV.")
    return ImportRefused(f"Le classeur Excel ne peut pas être lu ({type(error).__name__}) : enregistrez-le "
                         "à nouveau depuis Excel, ou au format CSV.")


def column_key(text) -> str:
    """« Date effet » → date_effet: case, accents and spaces do not matter in the header (nor in the codes and
    labels of the kinds and themes)."""
    text = unicodedata.normalize("NFKD", str(text or "").replace("’", "'")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _sheet(header, records, layout: Layout) -> Sheet:
    columns, ignored = {}, []
    for index, name in enumerate(header):
        key = column_key(name)
        if key in layout.columns:
            if key in columns.values():
                raise ImportRefused(f"La colonne « {key} » apparaît deux fois dans la ligne d'en-tête.")
            columns[index] = key
        elif key:
            ignored.append(str(name).strip())
    missing = [name for name in layout.required if name not in columns.values()]
    if missing:
        raise ImportRefused("Colonnes obligatoires absentes de la première ligne : " + ", ".join(missing)
                            + ". Partez du modèle téléchargeable : sa première ligne est l'en-tête attendu.")
    rows, max_rows = [], layout.max_rows or limits.MAX_ROWS
    for line, values in records:
        cells = {columns[i]: _cell(value) for i, value in enumerate(values) if i in columns}
        if any(value not in (None, "") for value in cells.values()):
            rows.append((line, cells))
            if len(rows) > max_rows:
                raise ImportRefused(f"Le tableur compte plus de {max_rows} {layout.rows_name} : découpez-le en "
                                    "plusieurs imports.")
    if not rows:
        raise ImportRefused("Le tableur ne contient aucune ligne de données sous sa ligne d'en-tête.")
    return Sheet(rows=rows, ignored_columns=ignored)


def _cell(value):
    return value.strip() if isinstance(value, str) else value
