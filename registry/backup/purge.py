"""Crash leftovers, found and removed: the store's interrupted writes (``.incoming-*``), stored documents no row
names (an upload rolled back, a race lost, an import killed), and uploads held for a confirmation that never came
(``instance/imports/``). Each is removed only once older than a grace period, so that work in flight is never
touched. ``purge --dry-run`` lists without removing.

With DOCUMENT_STORE = "database" the documents and held uploads are rows (``stored_documents``, ``held_uploads``):
the same rules apply to them, their age read from their ``created_at`` (the application's clock). A document
stored there by a transaction that rolled back leaves no row, so orphans are rarer; and a PDF preview is named
by the ``pdf_previews`` table, so it is no orphan.
"""

import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select, text

from registry.backup.services import INCOMING_PREFIX, STORED_HASH_COLUMNS
from registry.core import clock
from registry.core.holding import DatabaseHolding
from registry.core.storage import DATABASE, store_kind
from registry.core.storage_models import StoredDocument
from registry.extensions import db

#: An interrupted write is older than any write in progress; an unreferenced file older than any transaction.
INCOMING_GRACE_HOURS = 1
ORPHAN_GRACE_HOURS = 24
HELD_GRACE_HOURS = 24


@dataclass(frozen=True)
class Row:
    """A leftover in the database: a stored document or a held upload, named by its key."""

    table: str
    key: str

    def __str__(self) -> str:
        return f"{self.table}/{self.key}"


@dataclass
class Leftovers:
    incoming: list[Path] = field(default_factory=list)
    orphans: list[Path | Row] = field(default_factory=list)
    held: list[Path | Row] = field(default_factory=list)

    @property
    def all(self) -> list[Path | Row]:
        return self.incoming + self.orphans + self.held


def _older(path: Path, hours: float, now: float) -> bool:
    try:
        return now - path.stat().st_mtime > hours * 3600
    except FileNotFoundError:
        return False


def _referenced() -> set[str]:
    names = set()
    for table, column in STORED_HASH_COLUMNS:
        names.update(row[0] for row in db.session.execute(
            text(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')))
    return names


def find_leftovers(now: float | None = None) -> Leftovers:
    """What a crash or a lost race left behind, past its grace period (file times are the file system's)."""
    now = time.time() if now is None else now  # system clock: file modification times are the system's
    found = Leftovers()
    store = Path(current_app.config["STORAGE_DIR"])
    if store_kind() == DATABASE:
        _database_leftovers(found)
    elif store.is_dir():
        referenced = _referenced()
        for path in store.rglob("*"):
            if not path.is_file():
                continue
            if path.name.startswith(INCOMING_PREFIX):
                if _older(path, INCOMING_GRACE_HOURS, now):
                    found.incoming.append(path)
            elif path.name not in referenced and _older(path, ORPHAN_GRACE_HOURS, now):
                found.orphans.append(path)
    imports = Path(current_app.instance_path) / "imports"
    if imports.is_dir():  # also with the database store: what a node held before it was switched over
        for path in imports.rglob("*"):
            if path.parent != imports and path.parent.name != "held":
                continue  # inside a held upload's folder: the folder is judged as a whole
            if path.name != "held" and _older(path, HELD_GRACE_HOURS, now):
                found.held.append(path)
    return found


def _database_leftovers(found: Leftovers) -> None:
    referenced = _referenced()
    old = clock.now() - timedelta(hours=ORPHAN_GRACE_HOURS)
    found.orphans += [Row("stored_documents", sha256) for sha256 in db.session.scalars(
        select(StoredDocument.sha256).where(StoredDocument.created_at < old).order_by(StoredDocument.sha256))
        if sha256 not in referenced]
    found.held += [Row("held_uploads", token) for token in DatabaseHolding().stale_tokens(HELD_GRACE_HOURS)]


def purge(leftovers: Leftovers) -> None:
    rows = [item for item in leftovers.all if isinstance(item, Row)]
    for path in leftovers.all:
        if isinstance(path, Row):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if rows:
        referenced = _referenced()  # read again: a row may have come to name a document since it was listed
        orphans = [row.key for row in rows if row.table == "stored_documents" and row.key not in referenced]
        for start in range(0, len(orphans), 500):
            db.session.execute(delete(StoredDocument).where(StoredDocument.sha256.in_(orphans[start:start + 500])))
        DatabaseHolding().delete_all([row.key for row in rows if row.table == "held_uploads"])
        db.session.commit()
