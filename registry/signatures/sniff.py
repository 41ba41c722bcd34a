"""What a file that is not a PDF looks like, told from its first bytes (never from its name)."""

import re

#: Leading bytes of common formats, in the order they are tried.
MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "un ancien document Office (.doc, .xls, .ppt)"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"\x89PNG\r\n\x1a\n", "une image PNG"),
    (b"GIF87a", "une image GIF"),
    (b"GIF89a", "une image GIF"),
    (b"II*\x00", "une image TIFF"),
    (b"MM\x00*", "une image TIFF"),
    (b"{\\rtf", "un document RTF"),
    (b"%!PS", "un fichier PostScript"),
    (b"\x1f\x8b", "une archive compressée (gzip)"),
    (b"Rar!\x1a\x07", "une archive RAR"),
    (b"7z\xbc\xaf\x27\x1c", "une archive 7-Zip"),
)
#: Entries that tell which kind of Office package a ZIP is (they sit in its central directory, at the end).
ZIP_KINDS = (
    (b"word/document.xml", "un document Word (.docx)"),
    (b"xl/workbook.xml", "un classeur Excel (.xlsx)"),
    (b"ppt/presentation.xml", "une présentation PowerPoint (.pptx)"),
    (b"mimetypeapplication/vnd.oasis.opendocument", "un document OpenDocument (LibreOffice)"),
)
MARKUP = re.compile(rb"^\s*<(!doctype\s+html|html|head|body|\?xml|svg)", re.IGNORECASE)
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def describe(data: bytes) -> str | None:
    """« une image JPEG », « un document Word (.docx) »…; ``None`` when the content is not recognised."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return next((kind for marker, kind in ZIP_KINDS if marker in data), "une archive ZIP")
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "une image WebP"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "une image HEIC (photo de téléphone)"
    head = data[:1024]
    for bom in BOMS:
        head = head.removeprefix(bom)
    match = MARKUP.match(head)
    if match:
        if b"<svg" in head.lower():
            return "une image SVG"
        return "un fichier XML" if match.group(1).startswith(b"?") else "une page web (HTML)"
    if _looks_like_text(data[:4096]):
        return "un fichier texte"
    return None


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            return False
    printable = sum(1 for char in text if char.isprintable() or char in "\r\n\t")
    return printable >= 0.95 * len(text)
