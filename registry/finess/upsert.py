"""OrganisationWriter: upsert by FINESS ET in batches, with one SELECT and bulk INSERT/UPDATE per batch."""

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from registry.finess.report import ImportReport
from registry.finess.rows import COORDINATE_COLUMNS, IMPORTED_COLUMNS
from registry.organisations.models import SOURCE_FINESS, Organisation

ORGANISATIONS = Organisation.__table__
#: What a batch reads back to compare: the id (for the update by primary key) and every imported column.
COMPARED = [ORGANISATIONS.c.id, *(ORGANISATIONS.c[name] for name in (*IMPORTED_COLUMNS, *COORDINATE_COLUMNS))]
#: Core inserts do not run the ORM's Python defaults: every column is given.
INSERT_DEFAULTS = {"latitude": None, "longitude": None, "source": SOURCE_FINESS, "notes": None, "rna": None}


class OrganisationWriter:
    """Collects rows and writes them batch by batch; the caller's transaction stays open."""

    def __init__(self, session: Session, report: ImportReport, now: datetime, batch_size: int = 2000):
        self.session = session
        self.report = report
        self.now = now
        self.batch_size = batch_size
        self._batch: dict[str, dict] = {}

    def add(self, values: dict) -> None:
        self._batch[values["finess_et"]] = values
        if len(self._batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        existing = self._existing(list(self._batch))
        inserts, updates = [], []
        for finess_et, values in self._batch.items():
            current = existing.get(finess_et)
            if current is None:
                inserts.append({**INSERT_DEFAULTS, **values, "manual_partner_types": [],
                                "created_at": self.now, "updated_at": self.now})
                continue
            merged = {**current, **values}
            if merged == current:
                self.report.unchanged += 1
            else:
                merged["updated_at"] = self.now
                updates.append(merged)
        if inserts:
            self.session.execute(insert(ORGANISATIONS), inserts)
        if updates:
            self.session.execute(update(Organisation), updates)
        self.report.created += len(inserts)
        self.report.updated += len(updates)
        self._batch.clear()

    def _existing(self, finess_numbers: list[str]) -> dict[str, dict]:
        rows = self.session.execute(select(*COMPARED).where(ORGANISATIONS.c.finess_et.in_(finess_numbers)))
        return {row.finess_et: dict(row._mapping) for row in rows}
