"""Is this upload a PDF the registry can archive? Checked on its bytes only, cheapest checks first."""

import hashlib
import io
import math

from pypdf import PasswordType, PdfReader

from registry.signatures.active import find_active_content
from registry.signatures.errors import SignedCopyRejected
from registry.signatures.reports import PdfInspection
from registry.signatures.sniff import describe

MIB = 1024 * 1024
HEADER = b"%PDF-"
#: Readers look for the end-of-file marker in the last kilobyte; a cut-off upload has none there.
EOF_WINDOW = 1024
REUPLOAD = "Renvoyez le fichier d'origine."


def inspect_pdf(data: bytes, *, max_bytes: int) -> PdfInspection:
    """The PDF's page count, size, SHA-256, version and active content; ``SignedCopyRejected`` otherwise."""
    if not data:
        raise SignedCopyRejected("Le fichier est vide (0 octet). " + REUPLOAD)
    if len(data) > max_bytes:
        size, cap = _sizes(len(data), max_bytes)
        raise SignedCopyRejected(f"Le fichier fait {size}, au-delà de la limite de {cap}.",
                                 details={"size": len(data), "max_bytes": max_bytes})
    if not data.startswith(HEADER):
        raise SignedCopyRejected(_not_a_pdf(data))
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise SignedCopyRejected(
            "Le PDF est incomplet : sa fin manque (fichier tronqué, sans doute un envoi ou une copie "
            "interrompus). " + REUPLOAD)
    try:
        reader, lenient = _parse(data, strict=True), False
        owner_password_only = _unlock(reader)
        page_count, version, active_content = _read(reader)
    except SignedCopyRejected as refused:
        if not (refused.details or {}).get("reason"):
            raise  # a password, not the structure
        # Some signing tools write cross-reference sections the strict rules refuse; readers take them.
        reader, lenient = _parse(data, strict=False), True
        owner_password_only = _unlock(reader)
        page_count, version, active_content = _read(reader)
    if page_count == 0:
        raise SignedCopyRejected("Le PDF ne contient aucune page.")
    return PdfInspection(size=len(data), sha256=hashlib.sha256(data).hexdigest(), page_count=page_count,
                         pdf_version=version, active_content=active_content,
                         owner_password_only=owner_password_only, lenient=lenient)


def _read(reader: PdfReader) -> tuple[int, str, tuple[str, ...]]:
    try:
        return _count_pages(reader), _version(reader), find_active_content(reader)
    except Exception as error:
        raise _damaged(error) from error


def _sizes(size: int, cap: int) -> tuple[str, str]:
    """« 12,4 Mo » and « 10 Mo »: the size rounded up and the cap down, so a size never reads as its cap
    (in Ko for a cap under 1 Mo, which only tests set)."""
    if cap < MIB:
        return f"{math.ceil(size / 1024)} Ko", f"{cap // 1024} Ko"
    return _tenths_of_mo(math.ceil(size * 10 / MIB)), _tenths_of_mo(cap * 10 // MIB)


def _tenths_of_mo(tenths: int) -> str:
    whole, tenth = divmod(tenths, 10)
    return f"{whole} Mo" if tenth == 0 else f"{whole},{tenth} Mo"


def _not_a_pdf(data: bytes) -> str:
    if HEADER in data[:1024]:
        return ("Le fichier contient des données avant l'en-tête PDF : il a été altéré ou enveloppé par un autre "
                "logiciel. " + REUPLOAD)
    kind = describe(data)
    looks_like = f" : son contenu ressemble à {kind}" if kind else ""
    return (f"Le fichier n'est pas un PDF{looks_like}. Seul le PDF de la convention signée est accepté "
            "(exportez ou numérisez le document au format PDF).")


def _parse(data: bytes, *, strict: bool) -> PdfReader:
    try:
        return PdfReader(io.BytesIO(data), strict=strict)
    except Exception as error:
        raise _damaged(error) from error


def _damaged(error: Exception) -> SignedCopyRejected:
    return SignedCopyRejected("Le PDF est endommagé ou tronqué : sa structure ne peut pas être lue. " + REUPLOAD,
                              details={"reason": f"{type(error).__name__}: {error}"})


def _unlock(reader: PdfReader) -> bool:
    """Open an encrypted PDF with the empty password; one that needs a password is refused.

    Returns whether the file is encrypted (with an owner password only, since it opened).
    """
    if not reader.is_encrypted:
        return False
    try:
        opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:  # an encryption pyPDF does not know (e.g. by certificate) cannot be opened either
        opened = False
    if not opened:
        raise SignedCopyRejected(
            "Le PDF est protégé par un mot de passe d'ouverture. Le registre conserve des copies que chacun peut "
            "ouvrir sans mot de passe, aujourd'hui comme dans dix ans : envoyez une version sans mot de passe.")
    return True


def _count_pages(reader: PdfReader) -> int:
    """Every page object is resolved, so a broken page tree is found now rather than by a reader later."""
    count = len(reader.pages)
    for page in reader.pages:
        page.get("/Contents")
    return count


def _version(reader: PdfReader) -> str:
    versions = [reader.pdf_header.removeprefix("%PDF-")]
    declared = reader.trailer["/Root"].get("/Version")
    if declared is not None:
        versions.append(str(declared).removeprefix("/"))
    return max(versions, key=_version_key)


def _version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (0,)
