"""Word files made in the tests with python-docx: plain ones, with tracked changes (w:ins / w:del), and the bad
uploads a partner's version must refuse (macros, a PDF renamed, a corrupt or oversized archive)."""

import io
import itertools
import zipfile

import docx
from docx.oxml.ns import qn
from docx.oxml import OxmlElement

_IDS = itertools.count(1)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def word_file(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _tracked(tag: str, text: str, author: str = "Juriste du CHU"):
    change = OxmlElement(tag)
    change.set(qn("w:id"), str(next(_IDS)))
    change.set(qn("w:author"), author)
    change.set(qn("w:date"), "2026-12-01T10:00:00Z")
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:delText" if tag == "w:del" else "w:t")
    text_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text_element.text = text
    run.append(text_element)
    change.append(run)
    return change


def with_tracked_changes(before: list[str], parts: list[tuple[str, str]], after: list[str] = ()) -> bytes:
    """A document whose paragraphs are ``before``, one paragraph made of ``parts`` — (kind, text) with kind
    « keep », « ins » or « del » (a tracked insertion or deletion) — then ``after``."""
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    paragraph = document.add_paragraph()
    for kind, text in parts:
        if kind == "keep":
            paragraph.add_run(text)
        else:
            paragraph._p.append(_tracked(f"w:{kind}", text))
    for text in after:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewritten(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same package with entries replaced or added (to make a .docm or a broken part)."""
    replace, add = replace or {}, add or {}
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


def macro_file() -> bytes:
    """A .docm: the main part's type says macros, and a VBA project is inside."""
    data = word_file("Convention avec macros")
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    return rewritten(data, replace={"[Content_Types].xml": types}, add={"word/vbaProject.bin": b"\x00" * 64})


def bomb_file() -> bytes:
    """A package with one entry compressed far beyond any real document's ratio."""
    return rewritten(word_file("Bombe"), add={"word/media/zeros.bin": b"\x00" * (8 * 1024 * 1024)})


def corrupt_file() -> bytes:
    data = word_file("Tronqué")
    return data[: len(data) // 2]
