"""Rendering a prepared template: docxtpl's own post-processing on the compiled parts, then a deterministic zip.

Per render this does only what depends on the context: run the compiled Jinja templates, then the same steps
as ``DocxTemplate.render`` (``render_xml_part``'s clean-up and ``resolve_listing``, ``fix_tables``,
``fix_docpr_ids``, the body put back in the document element), and fixed core properties.
"""

import copy
import functools
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from flask import current_app, has_app_context

from registry.core.bounded import ChildOutdated, LimitExceeded, ResidentCall, run_bounded
from registry.documents.cache import TemplateCache, default_cache
from registry.documents.package import write_package
from registry.documents.prepare import PartSource, PreparedTemplate, fill, paragraph_at
from registry.documents.problems import Problem, RenderError


@dataclass(frozen=True)
class DocumentProperties:
    """Core properties written into every generated document, fixed so that output is reproducible."""

    created: datetime = datetime(2000, 1, 1, tzinfo=timezone.utc)
    last_modified_by: str = "Registre des hôpitaux de proximité"
    revision: int = 1


DEFAULT_PROPERTIES = DocumentProperties()
_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")


def _template_line(exc: BaseException) -> int | None:
    """The template line an exception was raised at (Jinja rewrites tracebacks to point into templates)."""
    lineno, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def _render_part(template, part: PartSource, context: dict, helper: DocxTemplate) -> str:
    try:
        xml = fill(template, context)
    except MemoryError:
        raise  # past the memory cap: the bounded render says so
    except Exception as exc:  # a template can raise anything its expressions raise
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        raise RenderError(Problem(message=f"Le modèle n'a pas pu être rempli : {message}", part=part.kind,
                                  paragraph=paragraph_at(part.source, _template_line(exc)),
                                  code="render_error", entry=part.entry)) from exc
    # The clean-up of DocxTemplate.render_xml_part after Jinja has run (its re.sub(r"\n<w:p([ >])", r"<w:p\1"), as
    # two plain replacements: no match can span both, and a hundred group expansions cost a tenth of a render).
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    # resolve_listing only turns tabs and line, paragraph and page breaks inside text into Word markup.
    return helper.resolve_listing(xml) if _LISTING_CHARACTERS.search(xml) else xml


def _core_properties(prepared: PreparedTemplate, blob: bytes, context: dict, fixed: DocumentProperties) -> bytes:
    filled = []
    for name, template in prepared.property_templates.items():
        try:
            filled.append((name, fill(template, context)))
        except MemoryError:
            raise
        except Exception as exc:
            raise _property_error(name, exc) from exc
    return _core_properties_xml(blob, tuple(filled), fixed)


@functools.lru_cache(maxsize=32)
def _core_properties_xml(blob: bytes, filled: tuple[tuple[str, str], ...], fixed: DocumentProperties) -> bytes:
    """The core properties' part with the filled properties and the fixed ones: the same for every draft of a
    convention whose titles did not change, so kept (a few small parts) rather than parsed and written again."""
    element = parse_xml(blob)
    properties = CoreProperties(element)
    for name, value in filled:
        try:
            setattr(properties, name, value)
        except Exception as exc:  # python-docx refuses a text over 255 characters
            raise _property_error(name, exc) from exc
    created = fixed.created
    if created.tzinfo is not None:
        created = created.astimezone(timezone.utc).replace(tzinfo=None)
    properties.created = properties.modified = created
    properties.last_modified_by = fixed.last_modified_by
    properties.revision = fixed.revision
    return serialize_part_xml(element)


def _property_error(name: str, exc: Exception) -> RenderError:
    return RenderError(Problem(message=f"La propriété « {name} » du document n'a pas pu être remplie : {exc}",
                               part="properties", code="render_error"))


def render_parts(prepared: PreparedTemplate, context: dict, helper: DocxTemplate):
    """Each part's rendered XML, as docxtpl has it before parsing it back (``(part, xml)`` pairs)."""
    for template, part in zip(prepared.templates, prepared.sources.parts):
        yield part, _render_part(template, part, context, helper)


def render_prepared(prepared: PreparedTemplate, context: dict,
                    properties: DocumentProperties = DEFAULT_PROPERTIES) -> bytes:
    """The .docx bytes of a prepared template filled with ``context``; ``RenderError`` when it fails."""
    sources = prepared.sources
    helper = DocxTemplate(io.BytesIO())  # docxtpl's post-processing methods, fresh per render (thread safety)
    helper.docx_ids_index = 1000
    rendered: dict[str, bytes] = {}
    for part, xml in render_parts(prepared, context, helper):
        if part.kind == "document":
            tree = helper.fix_tables(xml)
            helper.fix_docpr_ids(tree)
            document = copy.deepcopy(sources.shell)
            document.replace(document[sources.body_index], tree)
            rendered[part.entry] = serialize_part_xml(document)
        elif part.kind in ("header", "footer"):
            rendered[part.entry] = serialize_part_xml(parse_xml(xml.encode(part.encoding)))
        else:
            rendered[part.entry] = xml.encode("utf-8")
    entries = dict(sources.entries)
    rendered[sources.properties_entry] = _core_properties(prepared, entries[sources.properties_entry], context,
                                                          properties)
    return write_package(sources.packed.get(name) or (name, rendered.get(name, blob)) for name, blob in sources.entries)


def read_template(template: str | Path | bytes) -> bytes:
    if isinstance(template, (bytes, bytearray, memoryview)):
        return bytes(template)
    return Path(template).read_bytes()


def render_convention(template: str | Path | bytes, context: dict, *, cache: TemplateCache | None = None,
                      properties: DocumentProperties = DEFAULT_PROPERTIES, name: str | None = None) -> bytes:
    """Render a convention template (a path or the .docx bytes) with a context from ``build_context``.

    The template is prepared once per SHA-256 and kept in ``cache`` (the process-wide one by default); ``name``
    (the template's code) lets a new version of a template evict the previous one. Raises ``PackageError``
    when the file is not a Word package and ``RenderError`` (with its located problem) when it cannot be filled.

    Through the process-wide cache, the render runs in a resident child (core/bounded.py), which holds the prepared
    templates it inherited; through another cache, in a child forked for this render.
    """
    if cache is None or cache is default_cache():
        return start_render(template, context, properties=properties, name=name).result()
    return bounded(render_prepared, cache.get(read_template(template), name=name), context, properties)


class StartedRender:
    """A render running in its resident child while the caller goes on (``start_render``): ``result()`` gives its
    bytes or raises as ``render_convention`` would; ``cancel()`` stops a render whose result will not be read (a
    no-op once it was). ``then``: a follow-up the child runs on the bytes it rendered (core.bounded.ResidentCall),
    in ``follow_up`` once ``result()`` has given them."""

    def __init__(self, sha256: str, context: dict, properties: DocumentProperties, then: tuple | None = None):
        self._seconds, self._megabytes = render_limits()
        self._call = ResidentCall(_render_inherited, (sha256, context, properties), seconds=self._seconds,
                                  memory_mb=self._megabytes, then=then)

    @property
    def follow_up(self):
        return self._call.follow_up

    def result(self) -> bytes:
        try:
            return self._call.result()
        except LimitExceeded as exc:
            raise _limit_error(exc, self._seconds, self._megabytes) from None

    def cancel(self) -> None:
        self._call.cancel()


def start_render(template: str | Path | bytes, context: dict, *, properties: DocumentProperties = DEFAULT_PROPERTIES,
                 name: str | None = None, then: tuple | None = None) -> StartedRender:
    """``render_convention`` through the process-wide cache, started: the template is prepared here (RenderError
    or PackageError at once), the render runs in a resident child while the caller does other work; ``then``: what
    that child does next with the bytes (a store's ``writer()``)."""
    sha256 = default_cache().key(read_template(template), name=name)  # prepared here, for children forked later
    return StartedRender(sha256, context, properties, then)


def _render_inherited(sha256: str, context: dict, properties: DocumentProperties) -> bytes:
    """In a resident child: the render of a template its parent had prepared before forking it."""
    prepared = default_cache().prepared(sha256)
    if prepared is None:
        raise ChildOutdated(sha256)
    return render_prepared(prepared, context, properties)


def render_limits() -> tuple[float, int]:
    """(seconds, megabytes) a render may take: RENDER_TIMEOUT_SECONDS and RENDER_MEMORY_MB."""
    config = current_app.config if has_app_context() else {}
    return float(config.get("RENDER_TIMEOUT_SECONDS", 20)), int(config.get("RENDER_MEMORY_MB", 512))


def bounded(function, *args):
    """``function(*args)`` (a render of a template) in a child process forked for it, under render_limits(): a
    template that loops for ever or swells beyond reason is stopped, refused with a RenderError, and the server goes
    on (``StartedRender``: the same in a resident child)."""
    seconds, megabytes = render_limits()
    try:
        return run_bounded(function, *args, seconds=seconds, memory_mb=megabytes)
    except LimitExceeded as exc:
        raise _limit_error(exc, seconds, megabytes) from None


def _limit_error(exc: LimitExceeded, seconds: float, megabytes: int) -> RenderError:
    message = (f"Le modèle a dépassé le temps de rendu autorisé ({seconds:g} s) : une boucle sans fin ou "
               "beaucoup trop longue ? Le rendu a été arrêté, rien n'a été produit."
               if exc.kind == "time" else
               f"Le rendu du modèle a demandé plus de {megabytes} Mo de mémoire (un texte ou une boucle "
               "démesurés ?) : il a été arrêté, rien n'a été produit.")
    return RenderError(Problem(message=message, part="document", code="render_limit"))


def render_with_docxtpl(template: str | Path | bytes, context: dict, env=None) -> bytes:
    """The plain docxtpl path (load, render, save) in the same sandbox: the reference the cached renderer is
    compared with in the tests and the benchmark. Not deterministic (python-docx stamps the save)."""
    from registry.documents.sandbox import make_environment

    document = DocxTemplate(io.BytesIO(read_template(template)))
    document.render(context, env or make_environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
