"""The ZIP of signed PDFs: ``PdfArchive`` opens it in place, without extracting anything, after refusing
dangerous archives (too many entries, decompression bombs, absolute or « .. » paths, symbolic links), and finds
and reads the file a row names, never more than the signed-copy size cap.
"""

import io
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from registry.conventions.bulk_import import limits
from registry.conventions.bulk_import.errors import ImportRefused
from registry.core.french import french_size
from registry.signatures.sniff import describe

#: Files that archiving tools add beside the PDFs; never matched, never listed as unused.
SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})


@dataclass(frozen=True)
class ArchiveEntry:
    name: str
    info: zipfile.ZipInfo

    @property
    def key(self) -> str:
        return _path_key(self.name)


def _path_key(name: str) -> str:
    key = unicodedata.normalize("NFC", name).replace("\\", "/").strip()
    while key.startswith("./"):
        key = key[2:]
    return key.casefold()


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its author saw it: names without the UTF-8 flag are read as UTF-8, else as the
    DOS code page French Windows writes (cp850), not as cp437 like zipfile does."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp850")


def _unsafe(name: str) -> str | None:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "est un chemin absolu"
    if ".." in re.split(r"[\\/]", name):
        return "remonte hors du dossier de l'archive (« .. »)"
    if any(ord(char) < 32 for char in name):
        return "contient des caractères de contrôle"
    return None


def _declared_entries(handle) -> int | None:
    """The number of entries the end record announces, read before zipfile loads the whole directory."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - 22 - 65535))
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    return struct.unpack("<H", tail[at + 10:at + 12])[0]


def _archive_refused(message: str) -> ImportRefused:
    return ImportRefused(f"L'archive ZIP est refusée : {message}.")


def _too_many_entries() -> ImportRefused:
    return _archive_refused(f"elle contient plus de {limits.MAX_ENTRIES} fichiers ; découpez le stock en "
                            "plusieurs imports")


class PdfArchive:
    """A ZIP of signed PDFs, read in place: nothing is ever extracted to disk, no name from it is a path."""

    def __init__(self, source: str | Path | bytes, *, max_entry_bytes: int):
        self.max_entry_bytes = max_entry_bytes
        self._handle = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
        try:
            self._open()
        except BaseException:
            self._handle.close()
            raise

    def _open(self) -> None:
        declared = _declared_entries(self._handle)
        if declared is None:
            self._handle.seek(0)
            head = self._handle.read(4096)
            looks_like = "un PDF" if head.startswith(b"%PDF-") else describe(head) or "un fichier binaire"
            raise _archive_refused(f"ce fichier n'est pas une archive ZIP (il ressemble à {looks_like})")
        if declared > limits.MAX_ENTRIES:
            raise _too_many_entries()
        try:
            self._zip = zipfile.ZipFile(self._handle)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise _archive_refused("elle est endommagée et ne peut pas être ouverte")
        self.entries: list[ArchiveEntry] = []
        total = 0
        for info in self._zip.infolist():
            name = _entry_name(info)
            problem = _unsafe(name)
            if problem:
                raise _archive_refused(f"le fichier « {name} » {problem} ; créez l'archive à partir du dossier des PDF")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _archive_refused(f"« {name} » est un lien symbolique, pas un fichier")
            total += info.file_size
            if info.file_size > limits.MIB and info.file_size > limits.MAX_RATIO * max(info.compress_size, 1):
                raise _archive_refused(f"« {name} » se décompresserait de {french_size(info.compress_size)} à "
                                       f"{french_size(info.file_size)}, ce qui n'est pas le cas d'un PDF")
            if not (info.is_dir() or self._is_system_file(name)):
                self.entries.append(ArchiveEntry(name, info))
        if len(self._zip.infolist()) > limits.MAX_ENTRIES:
            raise _too_many_entries()
        if total > limits.ARCHIVE_MAX_UNCOMPRESSED:
            raise _archive_refused("une fois décompressée, elle ferait plus de "
                                   f"{french_size(limits.ARCHIVE_MAX_UNCOMPRESSED)}")
        if not self.entries:
            raise _archive_refused("elle ne contient aucun fichier")

    @staticmethod
    def _is_system_file(name: str) -> bool:
        parts = name.replace("\\", "/").split("/")
        return "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1].lower() in SYSTEM_FILES

    def close(self) -> None:
        self._zip.close()
        self._handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def find(self, filename: str) -> tuple[ArchiveEntry | None, str | None]:
        """The entry a row names, by its path in the archive, else by its file name alone; or the problem."""
        for key in dict.fromkeys([_path_key(filename), _path_key(filename) + ".pdf"]):
            matches = [e for e in self.entries if e.key == key] or (
                [e for e in self.entries if e.key.rsplit("/", 1)[-1] == key] if "/" not in key else [])
            if len(matches) == 1:
                return matches[0], None
            if matches:
                return None, (f"plusieurs fichiers « {filename} » dans l'archive ("
                              + ", ".join(e.name for e in matches) + ") : indiquez le chemin complet")
        return None, f"le fichier « {filename} » est absent de l'archive ZIP"

    def read(self, entry: ArchiveEntry) -> tuple[bytes | None, str | None]:
        """The entry's bytes, never more than the signed-copy size cap; or the problem."""
        info = entry.info
        if info.flag_bits & 0x1:
            return None, f"« {entry.name} » est protégé par un mot de passe dans l'archive : recréez-la sans"
        too_big = (f"« {entry.name} » fait plus de {french_size(self.max_entry_bytes)}, la taille maximale d'une "
                   "copie signée")
        if info.file_size > self.max_entry_bytes:
            return None, too_big
        try:
            with self._zip.open(info) as handle:
                data = handle.read(self.max_entry_bytes + 1)
        except NotImplementedError:
            return None, (f"« {entry.name} » est compressé par une méthode non prise en charge : recréez l'archive "
                          "avec l'outil de compression de Windows ou de macOS")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            return None, f"« {entry.name} » est endommagé dans l'archive"
        return (None, too_big) if len(data) > self.max_entry_bytes else (data, None)
