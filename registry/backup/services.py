"""make_backup(): the database (one consistent snapshot) and the document store, verified, with a manifest.

SQLite: the online backup API copies the live file page by page under one read transaction. PostgreSQL: a
REPEATABLE READ transaction exports its snapshot, ``pg_dump --snapshot`` dumps exactly that state (custom
format) and the counts and referenced documents are read in the same snapshot. Documents are copied from
STORAGE_DIR, each hashed while copied and checked against its name. With DOCUMENT_STORE = "database" they are
in the database copy already, and are also written out of the same snapshot into ``storage/`` (the same layout,
each checked against its name and size), so that every backup holds its documents as files. ``backup.json`` is
written last: a folder without it is not a backup. On any failure the folder is emptied again and BackupError
says why.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from registry.core import clock
from registry.core.errors import DomainError
from registry.core.storage import CHUNK, DATABASE, DocumentStore, store_kind
from registry.extensions import db

MANIFEST = "backup.json"
SQLITE_FILE = "registry.sqlite3"
PG_DUMP_FILE = "registry.dump"
STORAGE = "storage"
#: The columns that name stored documents by SHA-256: each must be in the store.
STORED_HASH_COLUMNS = (("convention_documents", "sha256"), ("template_versions", "sha256"), ("cpom_proofs", "sha256"),
                       ("cpoms", "signed_copy_sha256"), ("cpom_avenants", "signed_copy_sha256"),
                       ("pdf_previews", "pdf_sha256"))
#: The database store's documents, read in the backup's snapshot.
STORED_DOCUMENTS_SQL = "SELECT sha256, size, data FROM stored_documents ORDER BY sha256"
#: Names of the store's temporary files (an interrupted write): not documents, not copied.
INCOMING_PREFIX = ".incoming-"


class BackupError(DomainError):
    """The backup could not be made completely; the target folder was left empty."""


def make_backup(target: str | os.PathLike) -> dict:
    """Write the backup into ``target`` (absent or empty) and return its manifest."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"Le dossier {target} existe et n'est pas vide : choisissez un dossier neuf ou vide.")
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _write_backup(target)
    except BaseException:
        _empty(target, remove=created)
        raise
    return manifest


def _write_backup(target: Path) -> dict:
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        database, snapshot = _backup_sqlite(target)
    elif dialect == "postgresql":
        database, snapshot = _backup_postgresql(target)
    else:
        raise BackupError(f"Base de données « {dialect} » non prise en charge par la sauvegarde.")
    files = snapshot["files"] if "files" in snapshot else _copy_store(target, snapshot["referenced"])
    manifest = {
        "format": 1,
        "created_at": clock.now().isoformat(timespec="seconds"),
        "database": database,
        "counts": snapshot["counts"],
        "documents": {"files": len(files), "bytes": sum(f["size"] for f in files),
                      "referenced": len(snapshot["referenced"])},
        "files": files,
    }
    _write_file(target / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
    return manifest


# --- Database -------------------------------------------------------------------------------------------------

def _table_names() -> list[str]:
    return [table.name for table in db.metadata.sorted_tables]


def _read_snapshot(execute) -> dict:
    """Row counts, Alembic revision and referenced document hashes, through ``execute(sql) -> rows``."""
    counts = {name: execute(f'SELECT COUNT(*) FROM "{name}"')[0][0] for name in _table_names()}
    referenced = set()
    for table, column in STORED_HASH_COLUMNS:
        referenced.update(row[0] for row in execute(f'SELECT DISTINCT "{column}" FROM "{table}" '
                                                    f'WHERE "{column}" IS NOT NULL'))
    revisions = [row[0] for row in execute("SELECT version_num FROM alembic_version")]
    return {"counts": counts, "referenced": referenced, "revision": ",".join(sorted(revisions))}


def _backup_sqlite(target: Path) -> tuple[dict, dict]:
    source = db.engine.url.database
    if not source or source == ":memory:":
        raise BackupError("La base SQLite est en mémoire : il n'y a rien à sauvegarder sur disque.")
    if not Path(source).exists():
        raise BackupError(f"Base SQLite introuvable : {source}")
    destination = target / SQLITE_FILE
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(destination)) as copy:
        live.backup(copy)
    with closing(sqlite3.connect(destination)) as copy:
        problems = copy.execute("PRAGMA integrity_check").fetchall()
        if problems != [("ok",)]:
            raise BackupError(f"La copie de la base est corrompue : {problems[0][0]}")
        snapshot = _read_snapshot(lambda sql: copy.execute(sql).fetchall())
        if store_kind() == DATABASE:
            snapshot["files"] = _copy_rows(target, snapshot["referenced"], copy.execute(STORED_DOCUMENTS_SQL))
    return _database_entry("sqlite", destination, snapshot), snapshot


def _backup_postgresql(target: Path) -> tuple[dict, dict]:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump est introuvable : installez les outils clients PostgreSQL "
                          "(paquet postgresql-client, de la version du serveur) pour sauvegarder cette base.")
    url = db.engine.url
    environment = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    libpq_url = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    destination = target / PG_DUMP_FILE
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            exported = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            result = subprocess.run(
                [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={exported}",
                 f"--file={destination}", f"--dbname={libpq_url}"],
                env=environment, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                detail = (result.stderr.strip().splitlines() or [f"code {result.returncode}"])[-1]
                raise BackupError(f"pg_dump a échoué : {detail}")
            snapshot = _read_snapshot(lambda sql: connection.execute(text(sql)).all())
            if store_kind() == DATABASE:
                rows = connection.execution_options(stream_results=True, yield_per=8).execute(
                    text(STORED_DOCUMENTS_SQL))
                snapshot["files"] = _copy_rows(target, snapshot["referenced"], rows)
    return _database_entry("postgresql", destination, snapshot), snapshot


def _database_entry(kind: str, path: Path, snapshot: dict) -> dict:
    return {"kind": kind, "file": path.name, "sha256": _hash_file(path), "size": path.stat().st_size,
            "alembic_revision": snapshot["revision"]}


# --- Documents ------------------------------------------------------------------------------------------------

def _copy_store(target: Path, referenced: set[str]) -> list[dict]:
    store = DocumentStore(current_app.config["STORAGE_DIR"])
    files, problems = [], []
    paths = sorted(p for p in store.root.rglob("*") if p.is_file()) if store.root.is_dir() else []
    for path in paths:
        if path.name.startswith(INCOMING_PREFIX):
            continue
        relative = path.relative_to(store.root)
        try:
            expected = store.path_for(path.name)
        except ValueError:
            expected = None
        if expected != path:
            problems.append(f"fichier inattendu dans le stockage : {relative}")
            continue
        digest, size = _copy_hashing(path, target / STORAGE / relative)
        if digest != path.name:
            problems.append(f"document altéré (son contenu ne correspond plus à son empreinte) : {relative}")
            continue
        files.append({"path": f"{STORAGE}/{relative.as_posix()}", "sha256": digest, "size": size})
    return _checked_copy(files, problems, referenced)


def _copy_rows(target: Path, referenced: set[str], rows) -> list[dict]:
    """Write the database store's documents, (sha256, size, data) rows, under ``storage/`` as the file store lays
    them out; each one's bytes must still hash to its name and have its recorded size."""
    layout = DocumentStore(target / STORAGE)
    files, problems = [], []
    for sha256, size, data in rows:
        data = bytes(data)
        if hashlib.sha256(data).hexdigest() != sha256 or len(data) != size:
            problems.append(f"document altéré (son contenu ne correspond plus à son empreinte) : {sha256}")
            continue
        path = layout.path_for(sha256)
        _write_file(path, data, make_parents=True)
        files.append({"path": path.relative_to(target).as_posix(), "sha256": sha256, "size": size})
    return _checked_copy(files, problems, referenced)


def _checked_copy(files: list[dict], problems: list[str], referenced: set[str]) -> list[dict]:
    """The documents copied, once every document the database names is among them and none was altered."""
    copied = {entry["sha256"] for entry in files}
    problems += [f"document référencé par la base mais absent du stockage : {sha256}"
                 for sha256 in sorted(referenced - copied)]
    if problems:
        more = f" (et {len(problems) - 5} autre(s))" if len(problems) > 5 else ""
        raise BackupError("Sauvegarde interrompue : " + " ; ".join(problems[:5]) + more + ".", details=problems)
    return files


def _copy_hashing(source: Path, destination: Path) -> tuple[str, int]:
    """Copy a file, hashing the bytes as they are written; fsynced."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reader, destination.open("xb") as writer:
        for chunk in iter(lambda: reader.read(CHUNK), b""):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest(), size


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_file(path: Path, data: bytes, *, make_parents: bool = False) -> None:
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _empty(target: Path, *, remove: bool) -> None:
    """Undo a failed backup: the folder was empty (or absent) before."""
    for child in target.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    if remove:
        target.rmdir()
