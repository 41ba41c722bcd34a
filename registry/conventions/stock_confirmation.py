"""Confirming a held stock import, inline (register_routes.import_confirm) or on the job queue (stock_jobs.py):
the held uploads are checked again (the registry, the files or the trust roots may have changed since the
preview) under the hospital's row lock, then imported all or nothing. Each row's PDF is verified once here: the
import reuses this check's report (bulk_import/creating.py).

The uploads wait in core.holding under ``held_key(hospital)``, as two files: SPREADSHEET and ARCHIVE.
"""

from flask import current_app

from registry.conventions.bulk_import import ImportRefused, PdfArchive, check_stock, import_stock, read_spreadsheet
from registry.conventions.bulk_import.limits import MIB
from registry.core import clock, holding
from registry.core.transaction import commit_or_error, lock_row

SPREADSHEET, ARCHIVE = "tableur", "archive.zip"


def max_pdf_bytes() -> int:
    """The largest signed copy accepted (MAX_UPLOAD_MB), in the archive as in the single form."""
    return int(current_app.config["MAX_UPLOAD_MB"]) * MIB


def held_key(hospital) -> str:
    return f"conventions-import-{hospital.id}"


def checked_stock(hospital, held: holding.Held):
    """(archive, plan) of held uploads; the caller closes the archive."""
    sheet = read_spreadsheet(held.read(SPREADSHEET))
    archive = PdfArchive(held.source(ARCHIVE), max_entry_bytes=max_pdf_bytes())
    try:
        return archive, check_stock(hospital, sheet, archive, today=clock.today())
    except BaseException:
        archive.close()
        raise


def confirm_stock(hospital, held: holding.Held, *, actor, progress=None) -> tuple[list | None, str | None]:
    """Check the held uploads again (the registry may have changed since the preview), then import all:
    (created conventions, None), or (None, the French refusal)."""
    lock_row(hospital)  # two confirmations of one hospital's stock, one at a time: the second re-check sees the first
    try:
        archive, plan = checked_stock(hospital, held)
    except ImportRefused as refusal:
        return None, refusal.message
    with archive:
        if not plan.ready:
            return None, (f"Import refusé : {len(plan.rows_with_problems)} ligne(s) à corriger. "
                          "Rien n'a été enregistré.")
        return commit_or_error(lambda: import_stock(hospital, plan, archive, actor=actor, progress=progress))
