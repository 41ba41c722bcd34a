"""Small .docx and zip files built on the fly for the documents tests."""

import io
import zipfile

import docx


def make_docx(paragraphs=(), header=(), footer=(), properties=None, table=()) -> bytes:
    """A .docx whose paragraphs are strings, or lists of strings each written as its own run (Word splits
    text into runs at every formatting change; alternate runs are bold to make that visible), then a
    one-row table with the ``table`` cells."""
    document = docx.Document()
    for item in paragraphs:
        paragraph = document.add_paragraph()
        for i, piece in enumerate([item] if isinstance(item, str) else item):
            paragraph.add_run(piece).bold = bool(i % 2)
    if table:
        row = document.add_table(rows=1, cols=len(table)).rows[0]
        for cell, text in zip(row.cells, table):
            cell.text = text
    section = document.sections[0]
    for target, items in ((section.header, header), (section.footer, footer)):
        for i, text in enumerate(items):
            paragraph = target.paragraphs[0] if i == 0 else target.add_paragraph()
            paragraph.text = text
    for name, value in (properties or {}).items():
        setattr(document.core_properties, name, value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def one_run_per_character(text: str) -> list[str]:
    return list(text)


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(megabytes: int) -> bytes:
    """A .docx-looking zip whose document.xml is ``megabytes`` of zeros (a few hundred KB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as handle:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                handle.write(chunk)
    return buffer.getvalue()


def manifest(fields=(), clauses=(), **overrides) -> dict:
    """A valid manifest declaring text fields ``fields`` and optional clauses ``clauses``."""
    return {"code": "essai", "name": "Modèle d'essai", "partner_types": ["other"],
            "fields": [{"name": name, "label": name.capitalize(), "type": "text", "required": False}
                       for name in fields],
            "clauses": [{"code": code, "label": code.capitalize()} for code in clauses], **overrides}
