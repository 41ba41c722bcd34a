"""Comparing the text of two Word documents paragraph by paragraph (difflib), words inside a changed paragraph,
and writing the comparison as a .docx.

The text is read in the *accepted view*: what the document says once every tracked change is accepted, i.e.
insertions (``w:ins``, ``w:moveTo``) included and deletions (``w:del``, ``w:moveFrom``) left out. Only the body
is compared (headers, footers and comments aside); empty paragraphs are skipped. A text box's paragraphs count
once (Word's ``mc:Fallback`` copy of them is skipped).
"""

import difflib
import io
import re
from dataclasses import dataclass, field

from lxml import etree

from registry.documents.package import DEFAULT_LIMITS, Limits, open_package, read_entry
from registry.documents.tags import SAFE_PARSER

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: Subtrees whose text the accepted view leaves out, or that hold no text of the paragraph itself.
_SKIPPED = {f"{W}p", f"{W}del", f"{W}moveFrom", f"{W}pPr", f"{W}rPr", MC_FALLBACK}
_CHARACTERS = {f"{W}tab": " ", f"{W}br": " ", f"{W}cr": " ", f"{W}noBreakHyphen": "\u2011",
               f"{W}softHyphen": ""}
#: Two paragraphs of a replaced run are shown word by word when at least this similar; else deleted + added.
PAIRING_RATIO = 0.5
#: Beyond this many paragraphs in either document the comparison is refused (a convention has a few hundred).
MAX_PARAGRAPHS = 20_000
EQUAL, INSERT, DELETE, CHANGE = "equal", "insert", "delete", "change"


def _paragraph_text(paragraph) -> str:
    parts = []

    def walk(element):
        for child in element:
            if child.tag in _SKIPPED:
                continue
            if child.tag == f"{W}t":
                parts.append(child.text or "")
            elif child.tag in _CHARACTERS:
                parts.append(_CHARACTERS[child.tag])
            else:
                walk(child)
    walk(paragraph)
    return " ".join("".join(parts).split())


def _in_fallback(paragraph) -> bool:
    return any(ancestor.tag == MC_FALLBACK for ancestor in paragraph.iterancestors())


def accepted_paragraphs(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The body's non-empty paragraphs (tables' cells included, in document order), tracked changes accepted."""
    with open_package(data, limits) as archive:
        root = etree.fromstring(read_entry(archive, "word/document.xml", limits), SAFE_PARSER)
    body = root.find(f"{W}body")
    if body is None:
        return []
    texts = (_paragraph_text(paragraph) for paragraph in body.iter(f"{W}p") if not _in_fallback(paragraph))
    return [text for text in texts if text]


@dataclass
class Segment:
    kind: str  # EQUAL, INSERT or DELETE
    text: str


@dataclass
class Block:
    """A run of paragraphs: unchanged, added or deleted (``paragraphs``), or one changed paragraph (``segments``)."""

    kind: str
    paragraphs: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Summary:
    unchanged: int = 0
    added: int = 0
    deleted: int = 0
    changed: int = 0

    @property
    def identical(self) -> bool:
        return not (self.added or self.deleted or self.changed)


def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


def _word_segments(old: str, new: str) -> list[Segment]:
    before, after = _words(old), _words(new)
    segments: list[Segment] = []

    def add(kind: str, words: list[str]) -> None:
        if not words:
            return
        if segments and segments[-1].kind == kind:
            segments[-1].text += "".join(words)
        else:
            segments.append(Segment(kind, "".join(words)))
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            add(EQUAL, before[i1:i2])
        else:
            add(DELETE, before[i1:i2])
            add(INSERT, after[j1:j2])
    return segments


def _similar(old: str, new: str) -> bool:
    return difflib.SequenceMatcher(None, _words(old), _words(new), autojunk=False).ratio() >= PAIRING_RATIO


def _replaced(old: list[str], new: list[str]) -> list[Block]:
    """A replaced run: paragraphs paired in order, word by word when similar enough; the rest deleted or added."""
    blocks: list[Block] = []
    for before, after in zip(old, new):
        if _similar(before, after):
            blocks.append(Block(CHANGE, segments=_word_segments(before, after)))
        else:
            blocks += [Block(DELETE, [before]), Block(INSERT, [after])]
    paired = min(len(old), len(new))
    if old[paired:]:
        blocks.append(Block(DELETE, old[paired:]))
    if new[paired:]:
        blocks.append(Block(INSERT, new[paired:]))
    return blocks


class TooLong(ValueError):
    """A document has more paragraphs than a comparison reads (MAX_PARAGRAPHS)."""


def compare_paragraphs(old: list[str], new: list[str]) -> list[Block]:
    """The blocks that turn ``old`` into ``new``, in the order of the documents."""
    if max(len(old), len(new)) > MAX_PARAGRAPHS:
        raise TooLong(f"more than {MAX_PARAGRAPHS} paragraphs")
    blocks: list[Block] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            blocks.append(Block(EQUAL, old[i1:i2]))
        elif tag == "delete":
            blocks.append(Block(DELETE, old[i1:i2]))
        elif tag == "insert":
            blocks.append(Block(INSERT, new[j1:j2]))
        else:
            blocks += _replaced(old[i1:i2], new[j1:j2])
    return blocks


def summarise(blocks: list[Block]) -> Summary:
    summary = Summary()
    for block in blocks:
        if block.kind == EQUAL:
            summary.unchanged += len(block.paragraphs)
        elif block.kind == INSERT:
            summary.added += len(block.paragraphs)
        elif block.kind == DELETE:
            summary.deleted += len(block.paragraphs)
        else:
            summary.changed += 1
    return summary


def comparison_docx(blocks: list[Block], *, heading: str, lines: list[str]) -> bytes:
    """A Word document of the comparison: ``heading``, the ``lines`` below it (versions, date, legend), then
    every paragraph, additions underlined in green and deletions struck through in red."""
    import docx
    from docx.shared import RGBColor

    green, red = RGBColor(0x1A, 0x6B, 0x2E), RGBColor(0xB0, 0x1C, 0x1C)
    document = docx.Document()
    document.core_properties.title = heading
    document.add_heading(heading, level=1)
    for line in lines:
        document.add_paragraph(line)

    def write(paragraph, kind: str, text: str) -> None:
        run = paragraph.add_run(text)
        if kind == INSERT:
            run.font.underline, run.font.color.rgb = True, green
        elif kind == DELETE:
            run.font.strike, run.font.color.rgb = True, red
    for block in blocks:
        if block.kind == CHANGE:
            paragraph = document.add_paragraph()
            for segment in block.segments:
                write(paragraph, segment.kind, segment.text)
        else:
            for text in block.paragraphs:
                write(document.add_paragraph(), block.kind, text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
