"""Content-addressed, write-once document store, on the file system (the embedded default) or in the application's
database (DOCUMENT_STORE = "database", for several application nodes sharing one database).

Both answer the same calls: ``store(data) -> (sha256, size)`` (write-once: the same bytes stored twice keep the
first copy), ``storing(data)`` (the same, while the caller writes its rows), ``writer()`` (the same as the
follow-up of the child process that makes the bytes, or None), ``open``, ``read``, ``chunks``, ``exists``,
``missing``, ``verify``.

File system (``DocumentStore``, STORAGE_DIR): bytes are written to a temporary file in the same folder, fsynced,
then renamed to their SHA-256 name; a file is never overwritten, so a database row written after ``store()``
returns always points at complete bytes. ``storing()`` does the same in a resident child process
(core/bounded.py) while the caller flushes the rows that name the document, and returns once the bytes are on
disk: before the commit.

Database (``DatabaseDocumentStore``, table ``stored_documents``): the row is inserted in the caller's session and
transaction (``INSERT ... ON CONFLICT DO NOTHING``), so the document and the row that names it
are committed, or rolled back, together: a rolled-back upload leaves no orphan, and a document is durable exactly
when the row naming it is. Two transactions storing the same bytes never fail: the second one waits for the first
and keeps its row.
"""

import errno
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from registry.core import clock
from registry.core.errors import DomainError
from registry.core.storage_models import StoredDocument
from registry.extensions import db

CHUNK = 1024 * 1024
#: How long ``storing()`` waits for its child to write and sync a document before stopping it: the disk is not
#: answering.
STORING_SECONDS = 120
FILESYSTEM, DATABASE = "filesystem", "database"
KINDS = (FILESYSTEM, DATABASE)
#: What the file system answers when the store cannot take a document: full, read-only, or not ours to write.
UNAVAILABLE = {errno.ENOSPC: "le disque est plein", errno.EDQUOT: "le quota de stockage est atteint",
               errno.EROFS: "le stockage est en lecture seule", errno.EACCES: "le stockage refuse l'écriture",
               errno.EPERM: "le stockage refuse l'écriture"}
#: The same, as PostgreSQL's SQLSTATE classes say it (disk full, out of memory, too many files, read-only).
DATABASE_UNAVAILABLE = {"53100": "le disque de la base de données est plein",
                        "53200": "la base de données manque de mémoire",
                        "53300": "la base de données refuse de nouvelles connexions",
                        "53400": "la base de données a atteint une limite de configuration",
                        "25006": "la base de données est en lecture seule"}
#: And as SQLite says it.
SQLITE_UNAVAILABLE = {"database or disk is full": "le disque est plein",
                      "attempt to write a readonly database": "la base de données est en lecture seule"}


class StorageUnavailable(DomainError):
    """The document store cannot write (503): the operator must act; nothing was recorded."""

    status = 503
    code = "storage_unavailable"


def _unavailable(reason: str) -> StorageUnavailable:
    return StorageUnavailable(f"Stockage des documents indisponible : {reason}. Rien n'a été enregistré ; "
                              "réessayez plus tard ou prévenez l'administrateur.")


_SHA256 = re.compile("[0-9a-f]{64}")


def check_sha256(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class DocumentStore:
    """The file-system store under ``root`` (STORAGE_DIR)."""

    kind = FILESYSTEM

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self._root = str(self.root)

    def path_for(self, sha256: str) -> Path:
        return Path(self._file_for(sha256))

    def _file_for(self, sha256: str) -> str:
        """path_for as a string: a bundle opens a thousand files, pathlib would cost it more than their reads."""
        check_sha256(sha256)
        return os.path.join(self._root, sha256[:2], sha256[2:4], sha256)

    def store(self, data: bytes) -> tuple[str, int]:
        """Store bytes; returns (sha256, size). Storing the same bytes twice keeps the first copy. A store that
        cannot write (full, read-only) raises StorageUnavailable, with a French message and a line in the log."""
        sha256 = hashlib.sha256(data).hexdigest()
        try:
            self._write(data, sha256)
        except OSError as error:
            raise self._refused(error) from None
        return sha256, len(data)

    def writer(self) -> tuple:
        """The storing of a document as the follow-up of the resident child that makes it (``then`` of
        core.bounded.ResidentCall): that child writes and syncs its own result while its caller goes on, without
        sending the bytes to another process; ``storing(data, written=call.follow_up)`` then waits for it."""
        return _write_result, (self._root,), STORING_SECONDS

    @contextmanager
    def storing(self, data: bytes, *, written=None) -> Iterator[tuple[str, int]]:
        """``store(data)`` while the block runs: the block gets ``(sha256, size)`` at once, to write the rows that
        name the document; the file is written and synced meanwhile in a resident child process (the file, its
        folder, and the parent of each folder made for it: a draft's request waited for these syncs one after the
        other), and leaving the block waits for it, raising what store() would. A block that raises stops the
        child's work: what it leaves (an interrupted write, a document no row names) is ``purge``'s.

        ``written``: the follow-up (``writer()``) already storing these bytes in the child that made them; without
        it, the bytes are sent to a child now."""
        from registry.core.bounded import LimitExceeded, ResidentCall  # processes: loaded by the first draft

        sha256 = hashlib.sha256(data).hexdigest()
        call = written or ResidentCall(_write_result, (data, self._root), seconds=STORING_SECONDS, memory_mb=0)
        try:
            yield sha256, len(data)
        except BaseException:
            call.cancel()
            raise
        try:
            call.result()
        except OSError as error:
            raise self._refused(error) from None
        except LimitExceeded as exceeded:  # past its deadline, or its process ended without a word
            current_app.logger.error("Document store %s did not write: %s", self.root,
                                     f"no answer within {STORING_SECONDS} s" if exceeded.kind == "time"
                                     else "the writing process ended")
            raise _unavailable("le stockage ne répond pas") from None

    def _refused(self, error: OSError) -> OSError:
        """What a failed write raises: StorageUnavailable (logged) when the store cannot take documents, else the
        error itself."""
        if error.errno not in UNAVAILABLE:
            return error
        current_app.logger.error("Document store %s cannot write: %s", self.root, error)
        return _unavailable(UNAVAILABLE[error.errno])

    def _write(self, data: bytes, sha256: str) -> None:
        target = self.path_for(sha256)
        if target.exists():
            return
        _make_folders(target.parent)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o440)
            if target.exists():  # stored meanwhile by another process: keep the first copy
                os.unlink(temporary)
            else:
                os.replace(temporary, target)
            _fsync_dir(target.parent)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def open(self, sha256: str):
        return open(self._file_for(sha256), "rb")

    def read(self, sha256: str) -> bytes:
        with self.open(sha256) as handle:
            return handle.read()

    def chunks(self, sha256: str, size: int = CHUNK) -> Iterator[bytes]:
        """The document's bytes, a chunk at a time (memory-bounded)."""
        with self.open(sha256) as handle:
            while data := handle.read(size):
                yield data

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def missing(self, sha256s: Iterable[str]) -> set[str]:
        """Those of ``sha256s`` the store does not hold."""
        return {sha256 for sha256 in set(sha256s) if not os.path.isfile(self._file_for(sha256))}

    def verify(self, sha256: str) -> bool:
        """Whether the stored bytes still hash to their name."""
        return _digest(self.chunks(sha256)) == sha256


class DatabaseDocumentStore:
    """The store in the application's database (table ``stored_documents``), through the caller's session."""

    kind = DATABASE

    def store(self, data: bytes) -> tuple[str, int]:
        """Add the document to the caller's transaction (kept when it commits); the same bytes stored twice, or by
        two transactions at once, keep one row. A database that cannot write raises StorageUnavailable."""
        data = bytes(data)
        sha256 = hashlib.sha256(data).hexdigest()
        try:  # no savepoint: nothing conflicts, and a failure is the caller's rollback (SQLite's driver would
            # commit a savepoint opened first in a transaction)
            insert_unless_present(StoredDocument, sha256=sha256, size=len(data), data=data, created_at=clock.now())
        except DBAPIError as error:
            reason = _database_unavailable(error)
            if reason is None:
                raise
            current_app.logger.error("Document store (database) cannot write: %s", error.orig)
            raise _unavailable(reason) from None
        return sha256, len(data)

    def writer(self) -> None:
        """No follow-up: here a document is a row of the caller's transaction, which no child can write."""
        return None

    @contextmanager
    def storing(self, data: bytes, *, written=None) -> Iterator[tuple[str, int]]:
        """As the file store's: here the document is a row of the caller's transaction, added at once (``written``
        is always None: ``writer()`` gives no follow-up)."""
        yield self.store(data)

    def open(self, sha256: str):
        return io.BytesIO(self.read(sha256))

    def read(self, sha256: str) -> bytes:
        data = db.session.scalar(select(StoredDocument.data).where(StoredDocument.sha256 == check_sha256(sha256)))
        if data is None:
            raise FileNotFoundError(f"document {sha256} not in the database store")
        return bytes(data)

    def chunks(self, sha256: str, size: int = CHUNK) -> Iterator[bytes]:
        """The document's bytes, a chunk at a time read from the database (memory-bounded)."""
        total = db.session.scalar(select(StoredDocument.size).where(StoredDocument.sha256 == check_sha256(sha256)))
        if total is None:
            raise FileNotFoundError(f"document {sha256} not in the database store")
        for start in range(0, total, size):
            yield bytes(db.session.scalar(select(func.substr(StoredDocument.data, start + 1, size))
                                          .where(StoredDocument.sha256 == sha256)))

    def exists(self, sha256: str) -> bool:
        return not self.missing([sha256])

    def missing(self, sha256s: Iterable[str]) -> set[str]:
        wanted = sorted({check_sha256(sha256) for sha256 in sha256s})
        found = set()
        for start in range(0, len(wanted), 500):
            found.update(db.session.scalars(select(StoredDocument.sha256)
                                            .where(StoredDocument.sha256.in_(wanted[start:start + 500]))))
        return set(wanted) - found

    def verify(self, sha256: str) -> bool:
        """Whether the stored bytes still hash to their name and have their recorded size."""
        row = db.session.execute(select(func.length(StoredDocument.data), StoredDocument.size)
                                 .where(StoredDocument.sha256 == check_sha256(sha256))).first()
        if row is None:
            raise FileNotFoundError(f"document {sha256} not in the database store")
        return row[0] == row[1] and _digest(self.chunks(sha256)) == sha256


def _write_result(data: bytes, root: str) -> None:
    """The work of DocumentStore.storing and writer, in a resident child: the one sent the bytes, or the one that
    made them."""
    DocumentStore(root)._write(data, hashlib.sha256(data).hexdigest())


def insert_unless_present(model, **values) -> None:
    """INSERT ... ON CONFLICT DO NOTHING into ``model``'s table, in the session: a row already there (or being
    inserted by a concurrent transaction, which this one waits for) is kept, and nothing fails."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[db.session.get_bind().dialect.name]
    db.session.execute(insert(model.__table__).values(**values).on_conflict_do_nothing())


def _database_unavailable(error: DBAPIError) -> str | None:
    """The French reason why the database cannot take a document now, or None for another error."""
    state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    if state in DATABASE_UNAVAILABLE:
        return DATABASE_UNAVAILABLE[state]
    message = str(error.orig).lower()
    return next((reason for text, reason in SQLITE_UNAVAILABLE.items() if text in message), None)


def _digest(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _make_folders(folder: Path) -> None:
    """Create the missing folders of ``folder``, each one's parent synced once it names it: like the file's own entry
    (synced in its folder after the rename), a new folder's entry must be on disk before a commit refers to what it
    holds."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir()
        except FileExistsError:  # made meanwhile by another process, which syncs its parent too
            pass
        _fsync_dir(created.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_kind() -> str:
    """DOCUMENT_STORE: "filesystem" (default) or "database"; anything else stops the application at startup."""
    kind = current_app.config.get("DOCUMENT_STORE") or FILESYSTEM
    if kind not in KINDS:
        raise RuntimeError(f"DOCUMENT_STORE must be one of {', '.join(KINDS)}, not {kind!r}")
    return kind


def document_store() -> DocumentStore | DatabaseDocumentStore:
    if store_kind() == DATABASE:
        return DatabaseDocumentStore()
    return DocumentStore(current_app.config["STORAGE_DIR"])
