"""A ZIP produced while it is sent: stored (PDFs do not compress), ZIP64 when large, in constant memory, and
deterministic: the same members give the same bytes.

The writer is the standard library's ``zipfile`` writing into a sink that is not seekable; the generator hands
over what was written after every chunk. Member timestamps are the ones given (the bundle's date), never the
clock's. zipstream-ng 1.9.3 stamps every member it reads from an iterable with the current time and takes no
timestamp, and stream-zip reads a stored member whole into memory unless its CRC is known in advance, and computes
it again when it is (docs/bundles.md).

A member whose CRC-32 is known (a signed copy records it at upload, next to its SHA-256 and size; a document made
in memory has it at once) is written with its CRC and sizes in its local header, and its bytes are passed on
without being read by the writer: computing the CRC-32 of a thousand 300 KB copies took longer than reading and
writing them (docs/performance.md). A member whose CRC-32 is not known (a copy uploaded before it was recorded) is
written by ``zipfile`` itself, with its CRC and sizes in a data descriptor after its bytes, so the writer never
seeks back.
"""

import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from registry.core.errors import DomainError

#: Bytes read from a stored file at a time.
CHUNK = 1024 * 1024
#: Unix permissions given to every member (-rw-r--r--): fixed, so the bytes do not depend on the files' modes.
FILE_MODE = 0o100644


class SizeMismatch(DomainError):
    """A member's bytes were not as many as its recorded size (a stored copy truncated or overwritten): the archive
    would be corrupt, so it is cut. Raised while the ZIP is being sent: the `bundle` command writes nothing and says
    so in one line; a download already started is cut off."""

    status = 409
    code = "conflict"


@dataclass(frozen=True)
class Member:
    """A file of the archive: its path inside, its size (to choose ZIP64), its bytes, read when its turn comes,
    and its CRC-32 when it is known in advance (None: computed while its bytes are written)."""

    path: str
    size: int
    chunks: Callable[[], Iterable[bytes]]
    crc32: int | None = None

    @classmethod
    def of_bytes(cls, path: str, data: bytes) -> "Member":
        return cls(path, len(data), lambda: (data,), zlib.crc32(data))


class _Sink:
    """Where zipfile writes: kept until the generator hands it over (zipfile wraps it to count offsets)."""

    def __init__(self):
        self.pending: list[bytes] = []

    def write(self, data) -> int:
        self.pending.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def drain(self) -> list[bytes]:
        pending, self.pending = self.pending, []
        return pending


class _Archive(zipfile.ZipFile):
    """``zipfile.ZipFile`` that also writes a stored member whose CRC-32 is given.

    ``write_known`` does what ``ZipFile.open(info, "w")`` and its handle's ``close()`` do for a stored member
    (zipfile.py of the Python the project runs: ``_open_to_write``, ``_ZipWriteFile.close``), except that the CRC
    and sizes go in the local header and the bytes are not read: the same checks before the header, the same
    bookkeeping after the bytes, from which ``close()`` writes the central directory (ZIP64 where needed).
    tests/bundles/test_stream.py reads what it writes back with ``zipfile`` (CRCs checked) and with Info-ZIP's
    ``unzip -t``.
    """

    def write_known(self, info: zipfile.ZipInfo, chunks: Iterable[bytes], *, zip64: bool) -> Iterator[None]:
        """Write ``info`` (its file_size and CRC set) with ``chunks``; yields after each chunk is written."""
        if self._writing:
            raise ValueError("another member is being written")
        info.compress_type = zipfile.ZIP_STORED
        info.compress_size = info.file_size
        info.flag_bits = 0
        info.header_offset = self.fp.tell()
        self._writecheck(info)
        self._didModify = True
        self.fp.write(info.FileHeader(zip64))
        self._writing = True
        try:
            written = 0
            for data in chunks:
                written += len(data)
                if written > info.file_size:
                    break
                self.fp.write(data)
                yield
            if written != info.file_size:
                raise SizeMismatch(f"Copie signée altérée dans le stockage : « {info.filename} » fait {written} octets "
                                   f"au lieu des {info.file_size} enregistrés. Prévenez l'administrateur.")
            self.start_dir = self.fp.tell()
            self.filelist.append(info)
            self.NameToInfo[info.filename] = info
        finally:
            self._writing = False


def zip_stream(members: Iterable[Member], *, date_time: tuple[int, int, int, int, int, int],
               zip64_from: int = zipfile.ZIP64_LIMIT) -> Iterator[bytes]:
    """The archive of ``members``, in their order, as chunks. A member of ``zip64_from`` bytes or more gets
    ZIP64 sizes (the default: when it needs them; tests lower it); the end of the archive gets ZIP64 records
    when it holds 65,535 members or more, or starts beyond 4 GiB. A member whose bytes are not as many as its size
    raises SizeMismatch before the archive ends."""
    sink = _Sink()
    with _Archive(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member in members:
            info = zipfile.ZipInfo(member.path, date_time)
            info.create_system = 3  # Unix, whatever the server
            info.external_attr = FILE_MODE << 16
            info.file_size = member.size
            zip64 = member.size >= zip64_from or member.size > zipfile.ZIP64_LIMIT
            if member.crc32 is not None:
                info.CRC = member.crc32
                for _ in archive.write_known(info, member.chunks(), zip64=zip64):
                    yield from sink.drain()
            else:
                with archive.open(info, "w", force_zip64=zip64) as target:
                    for data in member.chunks():
                        target.write(data)
                        yield from sink.drain()
            yield from sink.drain()
    yield from sink.drain()
