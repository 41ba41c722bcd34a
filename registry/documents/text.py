"""The text of a generated .docx, as a reader sees it: to compare renderings and to check drafts in tests."""

import io

import docx


def _cells_text(table) -> list[str]:
    lines = []
    for row in table.rows:
        for cell in row.cells:
            lines.extend(p.text for p in cell.paragraphs)
            for inner in cell.tables:
                lines.extend(_cells_text(inner))
    return lines


def document_text(data: bytes) -> str:
    """Headers, body paragraphs, tables and footers, one paragraph per line."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for section in document.sections:
        lines.extend(p.text for p in section.header.paragraphs)
    lines.extend(p.text for p in document.paragraphs)
    for table in document.tables:
        lines.extend(_cells_text(table))
    for section in document.sections:
        lines.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(lines)
