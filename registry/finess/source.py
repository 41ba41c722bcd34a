"""FinessSource: a FINESS file on disk (plain or gzip, etalab CSV or FHIR ndjson, UTF-8 or Windows-1252), read
as a stream, twice: a first pass settles the encoding and collects coordinates, a second one yields the rows."""

import csv
import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from registry.core.errors import DomainError

ETALAB = "etalab"
FHIR = "fhir"
GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
#: Lines between two progress reports (each costs a system call).
PROGRESS_EVERY = 4096

#: progress(bytes_done, bytes_total), bytes of the file as stored (compressed when gzip), both passes counted.
ProgressCallback = Callable[[int, int], None]


class FinessSource:
    def __init__(self, path, progress: ProgressCallback | None = None):
        self.path = Path(path)
        if not self.path.is_file():
            raise DomainError(f"fichier introuvable : {path}")
        self.size = self.path.stat().st_size
        with self.path.open("rb") as raw:
            self.compressed = raw.read(2) == GZIP_MAGIC
        self.progress = progress
        self.encoding = "utf-8-sig"
        self.kind = self._detect_kind()

    @contextmanager
    def _binary(self):
        """The decompressed byte stream and the raw file (whose position tells the progress)."""
        raw = self.path.open("rb")
        try:
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if self.compressed else raw
            try:
                yield stream, raw
            except (gzip.BadGzipFile, EOFError, zlib.error) as error:
                raise DomainError("fichier compressé (gzip) illisible ou tronqué : rien n'a été importé") from error
        finally:
            raw.close()

    def _detect_kind(self) -> str:
        with self._binary() as (stream, _raw):
            first = stream.readline(1 << 16).removeprefix(UTF8_BOM).strip()
        if first[:13].lower() == b"finess;etalab":
            return ETALAB
        if first.startswith(b"{"):
            try:
                resource = json.loads(first)
            except ValueError:
                resource = None
            if isinstance(resource, dict) and "resourceType" in resource:
                return FHIR
        if not first:
            raise DomainError("fichier vide : rien n'a été importé")
        raise DomainError("fichier non reconnu : ni extrait FINESS etalab (première ligne « finess;etalab;… »), "
                          "ni ressources FHIR (une ressource JSON par ligne)")

    def scan(self, wanted: Callable[[bytes], bool], collect: Callable[[int, bytes], None]) -> None:
        """First pass: settle the encoding (strict UTF-8, else Windows-1252) and collect the wanted lines."""
        utf8 = cp1252 = True
        with self._binary() as (stream, raw):
            for number, line in enumerate(stream, 1):
                if not line.isascii():
                    utf8 = utf8 and _decodes(line, "utf-8")
                    cp1252 = cp1252 and _decodes(line, "cp1252")
                    if not (utf8 or cp1252):
                        raise DomainError(f"encodage illisible : la ligne {number} n'est ni en UTF-8 ni en "
                                          "Windows-1252 (latin-1) ; rien n'a été importé")
                if wanted(line):
                    collect(number, line)
                if number % PROGRESS_EVERY == 0:
                    self._report(raw.tell())
        self.encoding = "utf-8-sig" if utf8 else "cp1252"
        self._report(self.size)

    def csv_records(self) -> Iterator[tuple[int, list[str]]]:
        """Second pass over an etalab file: (line number, fields)."""
        with self._binary() as (stream, raw):
            reader = csv.reader(io.TextIOWrapper(stream, encoding=self.encoding, newline=""), delimiter=";")
            try:
                for count, record in enumerate(reader, 1):
                    yield reader.line_num, record
                    if count % PROGRESS_EVERY == 0:
                        self._report(self.size + raw.tell())
            except csv.Error as error:
                raise DomainError(f"ligne {reader.line_num} : structure CSV illisible (guillemet non fermé ?) ; "
                                  "rien n'a été importé") from error
        self._report(2 * self.size)

    def text_lines(self) -> Iterator[tuple[int, str]]:
        """Second pass over an ndjson file: (line number, line)."""
        with self._binary() as (stream, raw):
            for number, line in enumerate(io.TextIOWrapper(stream, encoding=self.encoding, newline=""), 1):
                yield number, line
                if number % PROGRESS_EVERY == 0:
                    self._report(self.size + raw.tell())
        self._report(2 * self.size)

    def _report(self, done: int) -> None:
        if self.progress is not None:
            self.progress(min(done, 2 * self.size), 2 * self.size)


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
