"""The .docx as a zip: refusing what is not a Word package or could exhaust memory, and writing it back
deterministically (fixed entry order and timestamps, so equal inputs give equal bytes)."""

import copy
import io
import zipfile
from dataclasses import dataclass

from registry.core.french import french_size
from registry.documents.problems import Problem

REQUIRED_ENTRIES = ("[Content_Types].xml", "word/document.xml")
#: Zip timestamps of every written entry: the earliest date a zip can hold.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps against oversized uploads and zip bombs; a 6-page convention is about 40 KB, 300 KB unzipped."""

    max_bytes: int = 25 * MIB
    max_entries: int = 1000
    max_uncompressed: int = 100 * MIB
    #: Highest compression ratio accepted for an entry larger than ``ratio_floor`` once unzipped.
    max_ratio: int = 200
    ratio_floor: int = MIB


DEFAULT_LIMITS = Limits()


def limits_for(config) -> Limits:
    """The caps of an application: its upload size (``MAX_UPLOAD_MB``), the defaults for the rest."""
    return Limits(max_bytes=int(config.get("MAX_UPLOAD_MB", 25)) * MIB)


class PackageError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.problem = Problem(message=message, part="package", code="invalid_package")


def open_package(data: bytes, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """The zip of a .docx, after the checks that need no decompression; ``PackageError`` otherwise."""
    if not data:
        raise PackageError("Le fichier est vide.")
    if len(data) > limits.max_bytes:
        raise PackageError(f"Le fichier pèse {french_size(len(data))} ; le maximum accepté est {french_size(limits.max_bytes)}.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise PackageError("Le fichier n'est pas un document Word (.docx) : ce n'est pas une archive ZIP valide.")
    if len(infos) > limits.max_entries:
        raise PackageError(f"L'archive contient {len(infos)} fichiers ; le maximum accepté est {limits.max_entries}.")
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed:
        raise PackageError(f"Le document décompressé pèserait {french_size(total)} ; le maximum accepté est "
                           f"{french_size(limits.max_uncompressed)} (possible bombe de décompression).")
    for info in infos:
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise PackageError(f"L'élément « {info.filename} » est compressé {ratio} fois : taux anormal, le "
                               "fichier est refusé (possible bombe de décompression).")
    names = {info.filename for info in infos}
    missing = [name for name in REQUIRED_ENTRIES if name not in names]
    if missing:
        raise PackageError("Le fichier n'est pas un document Word (.docx) : il manque "
                           + ", ".join(f"« {name} »" for name in missing) + ".")
    return archive


def read_entry(archive: zipfile.ZipFile, name: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """An entry's bytes, never more than the cap (a header that lies about its size fails its CRC check)."""
    try:
        with archive.open(name) as handle:
            data = handle.read(limits.max_uncompressed + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError) as exc:
        raise PackageError(f"L'élément « {name} » de l'archive est illisible ({exc}).")
    if len(data) > limits.max_uncompressed:
        raise PackageError(f"L'élément « {name} » dépasse la taille maximale une fois décompressé.")
    return data


#: zlib's fastest level: a draft's parts are XML, which it already shrinks five- to tenfold; the default level (6)
#: saves a tenth more bytes for twice the time, a fifth of a draft's render.
COMPRESS_LEVEL = 1


@dataclass(frozen=True)
class PackedEntry:
    """An entry compressed once, as ``write_package`` writes it: a template's part that no render changes is packed
    when the template is prepared, then copied into every draft instead of being compressed again (with zipfile's
    bookkeeping, ten of a draft's fourteen entries: a third of its render)."""

    info: zipfile.ZipInfo
    compressed: bytes


def _entry_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info


def pack_entry(name: str, data: bytes) -> PackedEntry:
    """``(name, data)`` as ``write_package`` would write it: its header fields and its compressed bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry_info(name), data, compresslevel=COMPRESS_LEVEL)
        info = archive.getinfo(name)
    start = len(info.FileHeader(False))
    return PackedEntry(info, buffer.getvalue()[start:start + info.compress_size])


def write_package(entries) -> bytes:
    """A zip of ``(name, bytes)`` pairs and ``PackedEntry``s in the order given, with fixed timestamps and
    attributes; a packed entry gives the same bytes as its pair would."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            if isinstance(entry, PackedEntry):
                _append_packed(archive, entry)
            else:
                name, data = entry
                archive.writestr(_entry_info(name), data, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def _append_packed(archive: zipfile.ZipFile, entry: PackedEntry) -> None:
    """What ``ZipFile.writestr`` leaves in a seekable archive, without compressing again: the local header and the
    bytes after the last entry, the entry in the central directory (tests/documents/test_rendering.py compares)."""
    info = copy.copy(entry.info)
    archive.fp.seek(archive.start_dir)
    info.header_offset = archive.fp.tell()
    archive.fp.write(info.FileHeader(False))
    archive.fp.write(entry.compressed)
    archive.start_dir = archive.fp.tell()
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info
