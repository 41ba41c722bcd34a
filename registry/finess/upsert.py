"""OrganisationWriter: upsert by FINESS ET in batches, with one SELECT and bulk INSERT/UPDATE per batch (a first
import, where nothing can match, only inserts: through one COPY on PostgreSQL)."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from registry.finess.bulk_insert import RowInserter
from registry.finess.rows import COORDINATE_COLUMNS, IMPORTED_COLUMNS
from registry.organisations.models import SOURCE_FINESS, Organisation

ORGANISATIONS = Organisation.__table__
#: What a batch reads back to compare: the id (for the update by primary key) and every imported column.
COMPARED_NAMES = ("id", *IMPORTED_COLUMNS, *COORDINATE_COLUMNS)  # finess_et second
COMPARED = [ORGANISATIONS.c[name] for name in COMPARED_NAMES]
#: Bulk inserts do not run the ORM's Python defaults: every column is given.
COORDINATES_UNKNOWN = {"latitude": None, "longitude": None}


class OrganisationWriter:
    """Collects rows and writes them batch by batch; the caller's transaction stays open. A context manager: the
    last batch is written when the block ends normally, and nothing else may use the session inside the block."""

    def __init__(self, session: Session, now: datetime, batch_size: int = 2000):
        self.session = session
        self.now = now
        self.batch_size = batch_size
        self._batch: dict[str, dict] = {}
        #: Rows written so far, by outcome (the import's report takes them at the end).
        self.created = self.updated = self.unchanged = 0
        #: On a first import nothing can match, so the per-batch lookups are skipped (the importer never
        #: hands the same FINESS ET twice).
        self._lookup = session.scalar(
            select(ORGANISATIONS.c.id).where(ORGANISATIONS.c.finess_et.is_not(None)).limit(1)) is not None
        constants = {"source": SOURCE_FINESS, "manual_partner_types": [], "notes": None, "rna": None,
                     "created_at": now, "updated_at": now}
        self._inserter = RowInserter(session.connection(), ORGANISATIONS, constants, keep_open=not self._lookup)

    def __enter__(self):
        self._inserter.__enter__()
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            try:
                self.flush()
            except BaseException as error:
                self._inserter.__exit__(type(error), error, error.__traceback__)
                raise
        self._inserter.__exit__(exc_type, exc, traceback)

    def add(self, values: dict) -> None:
        self._batch[values["finess_et"]] = values
        if len(self._batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        existing = self._existing(list(self._batch)) if self._lookup else {}
        inserts, updates = [], []
        for finess_et, values in self._batch.items():
            current = existing.get(finess_et)
            if current is None:
                inserts.append(values if "latitude" in values else {**values, **COORDINATES_UNKNOWN})
                continue
            merged = {**current, **values}
            if merged == current:
                self.unchanged += 1
            else:
                merged["updated_at"] = self.now
                updates.append(merged)
        if inserts:
            inserts.sort(key=lambda row: row["finess_et"])  # B-tree friendly: neighbours land together
            self._inserter.insert(inserts)
        if updates:
            self.session.execute(update(Organisation), updates)
        self.created += len(inserts)
        self.updated += len(updates)
        self._batch.clear()

    def _existing(self, finess_numbers: list[str]) -> dict[str, dict]:
        rows = self.session.execute(select(*COMPARED).where(ORGANISATIONS.c.finess_et.in_(finess_numbers)))
        return {row[1]: dict(zip(COMPARED_NAMES, row)) for row in rows}
