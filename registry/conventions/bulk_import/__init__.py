"""Registering a hospital's stock of existing conventions: a spreadsheet (one row per convention) and a ZIP of
their signed PDFs (docs/registering-conventions.md gives the columns, the limits and the decisions).

- ``read_spreadsheet(data)`` reads a CSV or XLSX file, told by its content, into rows of raw cells;
- ``PdfArchive(source)`` opens the ZIP without extracting anything, after refusing dangerous archives;
- ``check_stock(hospital, sheet, archive)`` checks every row (values, partners in the registry, file present and
  a real PDF, duplicates) and returns an ``ImportPlan``: what would be created and each row's problems. It
  writes nothing;
- ``import_stock(hospital, plan, archive)`` creates everything of a plan without problems: the partners to add,
  then per row registering.register_signed (register_convention → attach_signed_copy → « signée »). It
  flushes and never commits: the caller commits once, so a failure on any row leaves nothing behind.

The modules, in the order of an import:

- ``limits``: what one import may hold (rows, sizes, archive entries);
- ``errors``: ``ImportRefused``, the refusal of a whole file;
- ``columns``: the spreadsheet's columns, the contract shared by the reader and the model file;
- ``spreadsheet``: reading the CSV or XLSX file into rows of raw cells;
- ``rows``: one row's cells typed into a ``Row``, with its problems;
- ``archive``: the ZIP of signed PDFs, read in place;
- ``partners``: the rows' FINESS numbers matched to organisations, and the partners the import adds;
- ``checking``: ``check_stock`` and its ``ImportPlan`` (files, duplicates);
- ``creating``: ``import_stock``;
- ``model_file``: the model offered for download.

The names below are re-exported for callers. They are bindings, not the modules' own variables: to change a
limit or a function in a test, patch the module that reads it at run time (``limits.MAX_ROWS``,
``registering.transition``), never this package.
"""

from registry.conventions.bulk_import.archive import SYSTEM_FILES, ArchiveEntry, PdfArchive
from registry.conventions.bulk_import.checking import ImportPlan, check_stock
from registry.conventions.bulk_import.columns import COLUMN_NAMES, COLUMNS, DATE_HELP, REQUIRED_COLUMNS, Column
from registry.conventions.bulk_import.creating import ADDED_PARTNER_NOTE, import_stock
from registry.conventions.bulk_import.errors import ImportRefused
from registry.conventions.bulk_import.limits import (ARCHIVE_MAX_UNCOMPRESSED, MAX_ENTRIES, MAX_RATIO, MAX_ROWS, MIB,
                                                     SPREADSHEET_MAX_BYTES, XLSX_MAX_UNCOMPRESSED)
from registry.conventions.bulk_import.model_file import model_csv, model_values, model_xlsx
from registry.conventions.bulk_import.partners import NewPartner
from registry.conventions.bulk_import.rows import NO, SEPARATORS, YES, PartnerLine, Row, parse_row
from registry.conventions.bulk_import.spreadsheet import Sheet, read_spreadsheet

__all__ = [
    "ADDED_PARTNER_NOTE", "ARCHIVE_MAX_UNCOMPRESSED", "COLUMNS", "COLUMN_NAMES", "DATE_HELP", "MAX_ENTRIES",
    "MAX_RATIO", "MAX_ROWS", "MIB", "NO", "REQUIRED_COLUMNS", "SEPARATORS", "SPREADSHEET_MAX_BYTES", "SYSTEM_FILES",
    "XLSX_MAX_UNCOMPRESSED", "YES", "ArchiveEntry", "Column", "ImportPlan", "ImportRefused", "NewPartner",
    "PartnerLine", "PdfArchive", "Row", "Sheet", "check_stock", "import_stock", "model_csv", "model_values",
    "model_xlsx", "parse_row", "read_spreadsheet",
]
