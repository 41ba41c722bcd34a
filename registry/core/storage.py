"""Content-addressed, write-once document store.

Bytes are written to a temporary file in the same folder, fsynced, then renamed to their SHA-256 name; a file
is never overwritten, so a database row written after `store()` returns always points at complete bytes.
"""

import errno
import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app

from registry.core.errors import DomainError

CHUNK = 1024 * 1024
#: What the file system answers when the store cannot take a document: full, read-only, or not ours to write.
UNAVAILABLE = {errno.ENOSPC: "le disque est plein", errno.EDQUOT: "le quota de stockage est atteint",
               errno.EROFS: "le stockage est en lecture seule", errno.EACCES: "le stockage refuse l'écriture",
               errno.EPERM: "le stockage refuse l'écriture"}


class StorageUnavailable(DomainError):
    """The document store cannot write (503): the operator must act; nothing was recorded."""

    status = 503
    code = "storage_unavailable"


class DocumentStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def store(self, data: bytes) -> tuple[str, int]:
        """Store bytes; returns (sha256, size). Storing the same bytes twice keeps the first copy. A store that
        cannot write (full, read-only) raises StorageUnavailable, with a French message and a line in the log."""
        try:
            return self._store(data)
        except OSError as error:
            if error.errno not in UNAVAILABLE:
                raise
            current_app.logger.error("Document store %s cannot write: %s", self.root, error)
            raise StorageUnavailable(f"Stockage des documents indisponible : {UNAVAILABLE[error.errno]}. Rien n'a "
                                     "été enregistré ; réessayez plus tard ou prévenez l'administrateur.") from None

    def _store(self, data: bytes) -> tuple[str, int]:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_for(sha256)
        if target.exists():
            return sha256, len(data)
        target.parent.mkdir(parents=True, exist_ok=True)
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
        return sha256, len(data)

    def open(self, sha256: str):
        return self.path_for(sha256).open("rb")

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def verify(self, sha256: str) -> bool:
        """Whether the stored bytes still hash to their name."""
        digest = hashlib.sha256()
        with self.open(sha256) as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
        return digest.hexdigest() == sha256


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def document_store() -> DocumentStore:
    return DocumentStore(current_app.config["STORAGE_DIR"])
