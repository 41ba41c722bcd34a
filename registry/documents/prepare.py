"""Preparing a template version once: docxtpl's own loading and XML patching, then Jinja compilation.

Raw docxtpl repeats all of this on every render (``DocxTemplate.render`` → ``build_xml`` → ``patch_xml`` →
``render_xml_part`` → ``jinja_env.from_string``), and it is most of the time a render takes. Here the
patched sources of the body, headers, footers, footnotes and core properties are compiled once per template
SHA-256, and every other part of the package is kept as python-docx would write it.
"""

import copy
import hashlib
import html
import io
import re
from dataclasses import dataclass, field

from docx.opc.constants import CONTENT_TYPE
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment, Template, TemplateSyntaxError

from registry.documents.package import DEFAULT_LIMITS, Limits, PackageError, PackedEntry, open_package, pack_entry
from registry.documents.patching import patch_xml
from registry.documents.problems import Problem, RenderError, french_jinja_message
from registry.documents.sandbox import ENVIRONMENT

#: Core properties docxtpl renders as templates (``DocxTemplate.render_properties``).
TEMPLATED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_TAG = re.compile(r"<[^>]+>")


def one_paragraph_per_line(xml: str) -> str:
    """What ``DocxTemplate.render_xml_part`` compiles: a line break before each paragraph, so that a Jinja
    line number points at a paragraph."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def paragraph_at(source: str, lineno: int | None) -> str:
    """The text of the paragraph on a line of a prepared source (Word markup removed)."""
    lines = source.splitlines()
    if not lineno or not 0 < lineno <= len(lines):
        return ""
    return html.unescape(_TAG.sub("", lines[lineno - 1]))


def is_plain(text: str) -> bool:
    """Whether Jinja would render ``text`` as it is: no delimiter, no newline to normalise or strip."""
    return "{" not in text and "\r" not in text and not text.endswith("\n")


def fill(template: Template | str, context: dict) -> str:
    """A compiled template rendered with ``context``; a plain text (``is_plain``) as it is."""
    return template if isinstance(template, str) else template.render(context)


@dataclass
class PartSource:
    #: "document", "header", "footer" or "footnotes" (the ``part`` of a Problem).
    kind: str
    #: The zip entry, e.g. "word/header1.xml".
    entry: str
    #: Patched by docxtpl, one paragraph per line: exactly what docxtpl compiles.
    source: str
    encoding: str = "utf-8"


@dataclass
class TemplateSources:
    sha256: str
    parts: list[PartSource]
    #: Core property name → its text, itself a template for docxtpl.
    properties: dict[str, str]
    properties_entry: str
    #: Every entry of the package as python-docx writes it, in its order: the parts that do not change.
    entries: list[tuple[str, bytes]]
    #: The document element with an empty body at ``body_index``: the body's rendered tree goes there.
    shell: object = None
    body_index: int = 0
    #: The entries no render changes (neither a part nor the core properties), compressed once.
    packed: dict[str, PackedEntry] = field(default_factory=dict)


@dataclass
class PreparedTemplate:
    sources: TemplateSources
    #: Per part, its compiled template, or its source itself when it holds no tag (``is_plain``).
    templates: list[Template | str] = field(default_factory=list)
    #: A compiled template, or the text itself when it holds no tag.
    property_templates: dict[str, Template | str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return self.sources.sha256


class _EntryCollector:
    """Stands for python-docx's zip writer: keeps what it would write, uncompressed and in order."""

    def __init__(self):
        self.entries: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries.append((pack_uri.membername, blob))


def _package_entries(docx) -> list[tuple[str, bytes]]:
    """The entries ``OpcPackage.save`` would write (same calls, without the zip)."""
    package = docx.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    collector = _EntryCollector()
    PackageWriter._write_content_types_stream(collector, parts)
    PackageWriter._write_pkg_rels(collector, package.rels)
    PackageWriter._write_parts(collector, parts)
    return collector.entries


def load_sources(data: bytes, limits: Limits = DEFAULT_LIMITS) -> TemplateSources:
    """Load and patch a template with docxtpl; ``PackageError`` when it is not a Word package."""
    open_package(data, limits).close()
    template = DocxTemplate(io.BytesIO(data))
    try:
        template.init_docx()
        docx = template.docx
        core = docx.core_properties  # created when missing, as docxtpl's render_properties does
        properties = {name: getattr(core, name) or "" for name in TEMPLATED_PROPERTIES}
        parts = [PartSource("document", docx.part.partname.membername,
                            one_paragraph_per_line(patch_xml(template, template.get_xml())))]
        seen = set()
        for kind, uri in (("header", template.HEADER_URI), ("footer", template.FOOTER_URI)):
            for _, part in template.get_headers_footers(uri):
                if part.partname in seen:
                    continue
                seen.add(part.partname)
                xml = template.get_part_xml(part)
                parts.append(PartSource(kind, part.partname.membername,
                                        one_paragraph_per_line(patch_xml(template, xml)),
                                        template.get_headers_footers_encoding(xml)))
        for part in docx.part.package.parts:
            if part.content_type == CONTENT_TYPE.WML_FOOTNOTES:
                xml = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
                parts.append(PartSource("footnotes", part.partname.membername,
                                        one_paragraph_per_line(patch_xml(template, xml))))
        entries = _package_entries(docx)
        properties_entry = docx.part.package._core_properties_part.partname.membername
        root = docx.element
        body_index = root.index(root.body)
        root.remove(root.body)
        shell = copy.deepcopy(root)
        shell.insert(body_index, shell.makeelement(qn("w:body")))
    except PackageError:
        raise
    except Exception as exc:  # python-docx raises many kinds of errors on a malformed package
        raise PackageError(f"Word ne peut pas ouvrir ce document : {type(exc).__name__} {exc}".strip())
    rendered = {part.entry for part in parts} | {properties_entry}
    packed = {name: pack_entry(name, blob) for name, blob in entries if name not in rendered}
    return TemplateSources(sha256=hashlib.sha256(data).hexdigest(), parts=parts, properties=properties,
                           properties_entry=properties_entry, entries=entries, shell=shell, body_index=body_index,
                           packed=packed)


def syntax_problem(exc: TemplateSyntaxError, part: PartSource) -> Problem:
    return Problem(message=f"Erreur de syntaxe dans le modèle : {french_jinja_message(exc.message)}", part=part.kind,
                   paragraph=paragraph_at(part.source, exc.lineno), code="syntax_error", entry=part.entry)


def compile_sources(sources: TemplateSources, env: Environment = ENVIRONMENT) -> PreparedTemplate:
    """Compile every part; ``RenderError`` with the located problem at the first syntax error."""
    prepared = PreparedTemplate(sources)
    for part in sources.parts:
        if is_plain(part.source):  # a footer of page numbers, say: Jinja would give it back as it is
            prepared.templates.append(part.source)
            continue
        try:
            prepared.templates.append(env.from_string(part.source))
        except TemplateSyntaxError as exc:
            raise RenderError(syntax_problem(exc, part)) from exc
    for name, text in sources.properties.items():
        if is_plain(text):
            prepared.property_templates[name] = text
            continue
        try:
            prepared.property_templates[name] = env.from_string(text)
        except TemplateSyntaxError as exc:
            raise RenderError(Problem(message=f"Erreur de syntaxe dans la propriété « {name} » du document : "
                                      f"{french_jinja_message(exc.message)}", part="properties", paragraph=text,
                                      code="syntax_error")) from exc
    return prepared


def prepare_template(data: bytes, env: Environment = ENVIRONMENT, limits: Limits = DEFAULT_LIMITS) -> PreparedTemplate:
    return compile_sources(load_sources(data, limits), env)
