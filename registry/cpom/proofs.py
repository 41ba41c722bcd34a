"""What a proof may be: a PDF or an office document (Word, Excel, OpenDocument), recognised by its content, never
by its name; anything else is refused with a French message and nothing is stored."""

import io
import zipfile

from registry.core.errors import DomainError

PDF = "application/pdf"
#: Office documents are ZIP packages; the entry that tells each kind apart, and the media type stored.
OFFICE = (("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
          ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"))
ODF = {b"application/vnd.oasis.opendocument.text", b"application/vnd.oasis.opendocument.spreadsheet"}
#: A ZIP whose entries would inflate beyond this is refused without being inflated (a decompression bomb).
MAX_INFLATED = 200 * 1024 * 1024


class ProofRejected(DomainError):
    """A file that is no proof (422)."""


def check_proof(data: bytes) -> str:
    """The media type of an acceptable proof; ProofRejected otherwise."""
    if not data:
        raise ProofRejected("Preuve refusée : le fichier est vide.")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ProofRejected("Preuve refusée : le PDF est incomplet (fin de fichier absente).")
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    raise ProofRejected("Preuve refusée : seuls un PDF ou un document bureautique (Word, Excel, OpenDocument) sont "
                        "acceptés, reconnus par leur contenu.")


def _office(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            if sum(entry.file_size for entry in entries) > MAX_INFLATED:
                raise ProofRejected("Preuve refusée : le document décompressé serait trop volumineux.")
            names = {entry.filename for entry in entries}
            for marker, media_type in OFFICE:
                if marker in names and "[Content_Types].xml" in names:
                    return media_type
            if "mimetype" in names and package.read("mimetype").strip() in ODF:
                return package.read("mimetype").strip().decode("ascii")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ProofRejected("Preuve refusée : le document bureautique est illisible.") from None
    raise ProofRejected("Preuve refusée : archive ZIP qui n'est pas un document bureautique.")
