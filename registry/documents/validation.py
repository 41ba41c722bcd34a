"""Validating an uploaded template against its manifest: the complete list of located problems, never a crash.

Checks, in order: the manifest; the package (a real .docx within the size, entry-count and unzipped-size
caps); every XML part parses; every tag of the body, headers, footers and footnotes (paragraph by paragraph,
tags split across Word runs joined); each part as a whole; the variables and clauses used against those the
manifest declares (both ways); then, when nothing blocks it, a test render with sample data (every clause on,
then every clause off) whose XML must be well-formed and which python-docx must open.
"""

import io
import re

import docx
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta
from lxml import etree

from registry.documents.manifest import CONTEXT_NAMES, Manifest, parse_manifest, validate_manifest
from registry.documents.package import DEFAULT_LIMITS, Limits, PackageError, open_package, read_entry
from registry.documents.prepare import compile_sources, load_sources, syntax_problem
from registry.documents.problems import Problem, RenderError, french_jinja_message
from registry.documents.render import bounded, render_parts, render_prepared
from registry.documents.samples import sample_context
from registry.documents.sandbox import ENVIRONMENT
from registry.documents.tags import REFUSED_NAMES, SAFE_PARSER, analyse_paragraphs, paragraph_texts

JINJA_NAMES = {"loop", "caller", "varargs", "kwargs"}
#: Problems that do not prevent a test render.
NON_BLOCKING = {"unused_field", "unused_clause"}
STRICT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)


def part_of(entry: str) -> str:
    match = re.fullmatch(r"word/(document|header|footer|footnotes)\d*\.xml", entry)
    return match.group(1) if match else "package"


def _declared(manifest) -> tuple[set[str], set[str]]:
    """Field names and clause codes a manifest declares, read leniently (it may itself be invalid)."""
    if isinstance(manifest, Manifest):
        return manifest.field_names, manifest.clause_codes
    if not isinstance(manifest, dict):
        return set(), set()

    def names(key: str, attr: str) -> set[str]:
        items = manifest.get(key)
        return {i.get(attr) for i in items if isinstance(i, dict) and isinstance(i.get(attr), str)} \
            if isinstance(items, list) else set()

    return names("fields", "name"), names("clauses", "code")


def _xml_problems(archive, limits: Limits) -> list[Problem]:
    problems = []
    for name in archive.namelist():
        if not name.endswith((".xml", ".rels")):
            continue
        try:
            etree.fromstring(read_entry(archive, name, limits), SAFE_PARSER)
        except PackageError as exc:
            problems.append(exc.problem)
        except etree.XMLSyntaxError as exc:
            problems.append(Problem(message=f"XML invalide dans « {name} » : {exc}", part=part_of(name),
                                    code="invalid_xml", entry=name))
    return problems


def _usage_problems(sources, archive, fields: set[str], clauses: set[str], env, limits) -> list[Problem]:
    problems, used_names, used_clauses = [], set(), set()
    allowed = CONTEXT_NAMES | fields | set(env.globals) | JINJA_NAMES
    for part in sources.parts:
        root = etree.fromstring(read_entry(archive, part.entry, limits), SAFE_PARSER)
        analysis = analyse_paragraphs(paragraph_texts(root), env, part.kind, part.entry)
        problems.extend(analysis.problems)
        try:
            undeclared = meta.find_undeclared_variables(env.parse(part.source))
        except TemplateSyntaxError as exc:
            if not analysis.problems:
                problems.append(syntax_problem(exc, part))
            undeclared = set(analysis.loaded) - analysis.stored
        used_names |= undeclared
        for name in sorted(undeclared - allowed - REFUSED_NAMES):
            if not name.startswith("_"):
                problems.append(Problem(
                    message=f"Variable « {name} » utilisée mais non déclarée dans le manifeste (ni champ du "
                            "formulaire ni donnée de la convention).", part=part.kind,
                    paragraph=analysis.loaded.get(name, ""), code="undeclared_variable", entry=part.entry))
        for code, paragraph in analysis.clauses.items():
            used_clauses.add(code)
            if code not in clauses:
                problems.append(Problem(message=f"Clause « {code} » utilisée mais non déclarée dans le manifeste.",
                                        part=part.kind, paragraph=paragraph, code="undeclared_clause",
                                        entry=part.entry))
    for name, text in sources.properties.items():
        try:
            used_names |= meta.find_undeclared_variables(env.parse(text))
        except TemplateSyntaxError as exc:
            problems.append(Problem(message=f"Erreur de syntaxe dans la propriété « {name} » du document : "
                                    f"{french_jinja_message(exc.message)}", part="properties", paragraph=text,
                                    code="syntax_error"))
    for name in sorted(fields - used_names):
        problems.append(Problem(message=f"Le champ « {name} » est déclaré dans le manifeste mais le modèle ne "
                                "l'utilise pas.", part="manifest", code="unused_field"))
    for code in sorted(clauses - used_clauses):
        problems.append(Problem(message=f"La clause « {code} » est déclarée dans le manifeste mais le modèle ne "
                                f"l'utilise pas (« clauses.{code} »).", part="manifest",
                                code="unused_clause"))
    return problems


def _test_render(sources, manifest: Manifest, env) -> list[Problem]:
    """The trial renders with sample values, in a child process under the render limits (render.bounded)."""
    try:
        prepared = compile_sources(sources, env)
        return bounded(_trial_renders, prepared, manifest)
    except RenderError as exc:
        return [exc.problem]


def _trial_renders(prepared, manifest: Manifest) -> list[Problem]:
    problems = []
    for all_clauses in (True, False):
        context = sample_context(manifest, all_clauses)
        try:
            for part, xml in render_parts(prepared, context, DocxTemplate(io.BytesIO())):
                try:
                    etree.fromstring(xml.encode(part.encoding), STRICT_PARSER)
                except etree.XMLSyntaxError as exc:
                    problems.append(Problem(
                        message="Le rendu d'essai produit un XML Word invalide (une balise « {%p », « {%tr » ou "
                                f"« {{r » est sans doute mal placée) : {exc}", part=part.kind, code="invalid_output",
                        entry=part.entry))
            docx.Document(io.BytesIO(render_prepared(prepared, context)))
        except RenderError as exc:
            problems.append(exc.problem)
        except MemoryError:
            raise  # past the memory cap: the bounded render says so
        except Exception as exc:  # python-docx cannot open what was produced
            problems.append(Problem(message=f"Le document produit par le rendu d'essai est illisible : {exc}",
                                    part="package", code="invalid_output"))
    return problems


def _validate(data: bytes, manifest, limits: Limits, env) -> list[Problem]:
    problems = [] if isinstance(manifest, Manifest) else validate_manifest(manifest)
    fields, clauses = _declared(manifest)
    try:
        archive = open_package(data, limits)
    except PackageError as exc:
        return problems + [exc.problem]
    with archive:
        xml_problems = _xml_problems(archive, limits)
        if xml_problems:
            return problems + xml_problems
        try:
            sources = load_sources(data, limits)
        except PackageError as exc:
            return problems + [exc.problem]
        problems += _usage_problems(sources, archive, fields, clauses, env, limits)
    if all(p.code in NON_BLOCKING for p in problems):
        parsed = manifest if isinstance(manifest, Manifest) else parse_manifest(manifest)
        problems += _test_render(sources, parsed, env)
    return problems


def validate_template(data: bytes, manifest, *, limits: Limits = DEFAULT_LIMITS, env=ENVIRONMENT) -> list[Problem]:
    """Every problem of a template and its manifest (a dict, or a Manifest); never raises on bad input."""
    try:
        problems = _validate(bytes(data or b""), manifest, limits, env)
    except Exception as exc:  # the last guard: a malformed upload must get an answer, not a 500
        problems = [Problem(message=f"Le modèle n'a pas pu être analysé ({type(exc).__name__} : {exc}).",
                            part="package", code="unreadable")]
    return list(dict.fromkeys(problems))
