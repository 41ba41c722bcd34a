"""What one stock import may hold: rows, sizes and archive entries (docs/registering-conventions.md).

The modules that enforce a limit read it here at run time (``limits.MAX_ROWS``, never a copy of the value), so
a test shrinks a limit with ``monkeypatch.setattr(limits, "MAX_ROWS", 2)``: patching the package's re-exported
name would change nothing.
"""

MIB = 1024 * 1024
#: One import holds at most this many conventions (split a larger stock into several imports).
MAX_ROWS = 500
SPREADSHEET_MAX_BYTES = 5 * MIB
#: An XLSX is itself a ZIP: what openpyxl may have to inflate.
XLSX_MAX_UNCOMPRESSED = 50 * MIB
#: The ZIP of PDFs: entries (folders included), total size once inflated, and the inflation ratio above which
#: an entry of more than 1 Mio is taken for a decompression bomb (PDFs barely compress).
MAX_ENTRIES = 1000
ARCHIVE_MAX_UNCOMPRESSED = 1024 * MIB
MAX_RATIO = 100
