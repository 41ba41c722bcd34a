"""A ZIP produced while it is sent: stored (PDFs do not compress), ZIP64 when large, in constant memory, and
deterministic: the same members give the same bytes.

The writer is the standard library's ``zipfile`` writing into a sink that is not seekable, so it puts each
member's CRC and sizes in a data descriptor after its bytes and never seeks back; the generator hands over what
was written after every chunk. Member timestamps are the ones given (the bundle's date), never the clock's.
zipstream-ng 1.9.3 stamps every member it reads from an iterable with the current time and takes no timestamp,
and stream-zip reads a stored member whole into memory unless its CRC is known in advance (docs/bundles.md).
"""

import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

#: Bytes read from a stored file at a time.
CHUNK = 1024 * 1024
#: Unix permissions given to every member (-rw-r--r--): fixed, so the bytes do not depend on the files' modes.
FILE_MODE = 0o100644


@dataclass(frozen=True)
class Member:
    """A file of the archive: its path inside, its size (to choose ZIP64), and its bytes, read when its turn
    comes."""

    path: str
    size: int
    chunks: Callable[[], Iterable[bytes]]

    @classmethod
    def of_bytes(cls, path: str, data: bytes) -> "Member":
        return cls(path, len(data), lambda: (data,))



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


def zip_stream(members: Iterable[Member], *, date_time: tuple[int, int, int, int, int, int],
               zip64_from: int = zipfile.ZIP64_LIMIT) -> Iterator[bytes]:
    """The archive of ``members``, in their order, as chunks. A member of ``zip64_from`` bytes or more gets
    ZIP64 sizes (the default: when it needs them; tests lower it); the end of the archive gets ZIP64 records
    when it holds 65,535 members or more, or starts beyond 4 GiB."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member in members:
            info = zipfile.ZipInfo(member.path, date_time)
            info.create_system = 3  # Unix, whatever the server
            info.external_attr = FILE_MODE << 16
            info.file_size = member.size
            with archive.open(info, "w", force_zip64=member.size >= zip64_from) as target:
                for data in member.chunks():
                    target.write(data)
                    yield from sink.drain()
            yield from sink.drain()
    yield from sink.drain()
