"""Checking a Word document received from outside (a partner's marked-up draft) by its content, never its name.

It must be a real .docx: within the upload caps (size, entry count, unzipped size, compression ratio: the same
package checks as a template upload, package.py), a word-processing document (not a template, not a .docm: no
macros), with XML parts that parse safely and that python-docx opens. Nothing is rewritten: the caller stores
the bytes as they came, tracked changes and comments included.
"""

import io

from lxml import etree

from registry.core.errors import DomainError
from registry.documents.package import DEFAULT_LIMITS, Limits, PackageError, open_package, read_entry
from registry.documents.tags import SAFE_PARSER

WORD_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_TYPES = ("application/vnd.ms-word.document.macroEnabled.main+xml",
                    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
#: Parts that carry VBA code in an OOXML package, whatever the main part claims.
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")


class DocumentRejected(DomainError):
    """A received Word document refused for its content (422); nothing was stored."""

    code = "document_rejected"


def _refuse(reason: str) -> DocumentRejected:
    return DocumentRejected(f"Document refusé : {reason}")


def _main_content_type(archive, limits: Limits) -> str | None:
    try:
        types = etree.fromstring(read_entry(archive, "[Content_Types].xml", limits), SAFE_PARSER)
    except etree.XMLSyntaxError:
        raise _refuse("la liste des contenus de l'archive (« [Content_Types].xml ») est illisible.")
    for override in types.iter(f"{CONTENT_TYPES_NS}Override"):
        if override.get("PartName", "").lower() == "/word/document.xml":
            return override.get("ContentType")
    return None


def check_word_document(data: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise ``DocumentRejected`` (French message) unless ``data`` is a readable .docx without macros."""
    try:
        archive = open_package(data, limits)
    except PackageError as error:
        raise _refuse(error.problem.message[0].lower() + error.problem.message[1:]) from None
    with archive:
        names = [name.lower() for name in archive.namelist()]
        content_type = _main_content_type(archive, limits)
        if content_type in WORD_MACRO_TYPES or any(name.rsplit("/", 1)[-1] in MACRO_PARTS for name in names):
            raise _refuse("le fichier contient des macros (document .docm). Enregistrez-le au format "
                          "« Document Word (.docx) » puis déposez-le à nouveau.")
        if content_type != WORD_DOCUMENT:
            raise _refuse("ce n'est pas un document Word (.docx) : un modèle (.dotx) ou un autre type de fichier "
                          "Office n'est pas accepté.")
        for name in archive.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                try:
                    etree.fromstring(read_entry(archive, name, limits), SAFE_PARSER)
                except PackageError as error:
                    raise _refuse(error.problem.message[0].lower() + error.problem.message[1:]) from None
                except etree.XMLSyntaxError:
                    raise _refuse(f"le document est endommagé (partie « {name} » illisible).") from None
    try:
        import docx  # python-docx, loaded by the first upload (as rendering loads it by the first draft)

        docx.Document(io.BytesIO(data))
    except Exception:  # python-docx cannot open it: Word would not either
        raise _refuse("le document Word est endommagé ou illisible.") from None
