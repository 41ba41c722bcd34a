"""Crash leftovers, found and removed: the store's interrupted writes (``.incoming-*``), stored files no row names
(an upload rolled back, a race lost, an import killed), and uploads held for a confirmation that never came
(``instance/imports/``). Each is removed only once older than a grace period, so that work in flight is never
touched. ``purge --dry-run`` lists without removing.
"""

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from registry.backup.services import INCOMING_PREFIX, STORED_HASH_COLUMNS
from registry.extensions import db

#: An interrupted write is older than any write in progress; an unreferenced file older than any transaction.
INCOMING_GRACE_HOURS = 1
ORPHAN_GRACE_HOURS = 24
HELD_GRACE_HOURS = 24


@dataclass
class Leftovers:
    incoming: list[Path] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)
    held: list[Path] = field(default_factory=list)

    @property
    def all(self) -> list[Path]:
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
    if store.is_dir():
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
    if imports.is_dir():
        for path in imports.rglob("*"):
            if path.parent != imports and path.parent.name != "held":
                continue  # inside a held stock import: its folder is judged as a whole
            if path.name != "held" and _older(path, HELD_GRACE_HOURS, now):
                found.held.append(path)
    return found


def purge(leftovers: Leftovers) -> None:
    for path in leftovers.all:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
