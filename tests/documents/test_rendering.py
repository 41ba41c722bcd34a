"""Rendering: values stay data, the sandbox holds, output is reproducible, and the preparation cache gives the
same document as docxtpl itself."""

import io
import threading
import zipfile
from datetime import date, datetime

import pytest
from lxml import etree

from registry.documents import (DocumentProperties, Party, RenderError, Representative, TemplateCache,
                                render_convention)
from registry.documents.render import render_with_docxtpl
from registry.documents.text import document_text
from tests.documents.builders import make_docx
from tests.documents.data import CODES, convention_context

PROBES = ["{{ ''.__class__.__mro__ }}", "{% for x in partners %}BOUCLE{% endfor %}", "{{ config.SECRET_KEY }}",
          "<w:p>injecté</w:p> & </w:t>", "{%p if true %}", "{_{ x }_}"]


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("probe", PROBES)
def test_field_and_party_values_are_printed_literally_never_run(library, cache, probe):
    template = library.get("premier_recours")
    hospital = Party(name=f"CH {probe}", finess_et="210987681", address=probe, postal_code="21210", city="Saulieu",
                     representative=Representative(probe, "Directrice"))
    context = convention_context(template, hospital=hospital, reference=probe,
                                 fields={"signing_place": probe, "notice_months": 3, "administrative_court": "Dijon",
                                         "mixed_practice_gps": [probe]})
    data = render_convention(template.read(), context, cache=cache)
    for name, blob in parts_of(data).items():
        if name.endswith(".xml"):
            etree.fromstring(blob)  # every part is still well-formed XML
    text = document_text(data)
    expected = probe.replace("{_{", "{{").replace("}_}", "}}")  # docxtpl's own escape for a literal {{
    assert f"CH {expected}" in text
    assert f"Fait à {expected}, le" in text
    assert f"Convention n° {expected}" in text
    assert "BOUCLEBOUCLE" not in text and "test-secret-key" not in text and "<class" not in text


def test_characters_xml_forbids_are_dropped_from_values(library, cache):
    template = library.get("dac")
    context = convention_context(template, reference="REF\x00\x01\x07\x0c-1\ud800")
    text = document_text(render_convention(template.read(), context, cache=cache))
    assert "Convention n° REF-1" in text


@pytest.mark.parametrize("tag, refused", [
    ("{{ ''.__class__.__mro__ }}", "__class__"),
    ("{{ reference.__class__.__base__.__subclasses__() }}", "__class__"),
    ("{{ hospital.update({'name': 'x'}) }}", "update"),
    ("{{ partners.append(1) }}", "append"),
    ("{{ range(10**9)|list }}", "range"),
])
def test_the_sandbox_refuses_at_render_time(cache, tag, refused):
    data = make_docx(["Avant", tag, "Après"])
    with pytest.raises(RenderError) as caught:
        render_convention(data, {"reference": "R", "hospital": {"name": "H"}, "partners": []}, cache=cache)
    assert caught.value.problem.paragraph == tag
    assert caught.value.problem.code == "render_error"


@pytest.mark.parametrize("tag", ["{% include 'x.docx' %}", "{% import 'x' as y %}", "{% extends 'base' %}",
                                 "{% autoescape false %}{{ reference }}{% endautoescape %}", "{{ reference|safe }}"])
def test_tags_that_reach_other_templates_or_unescape_do_not_compile(cache, tag):
    with pytest.raises(RenderError) as caught:
        render_convention(make_docx([tag]), {"reference": "<b>"}, cache=cache)
    assert caught.value.problem.code == "syntax_error"
    assert caught.value.problem.paragraph == tag


@pytest.mark.parametrize("code", CODES)
def test_two_renders_are_byte_identical(library, code):
    template = library.get(code)
    context = convention_context(template)
    first = render_convention(template.read(), context, cache=TemplateCache())
    second = render_convention(template.read(), context, cache=TemplateCache())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core and "<cp:revision>1</cp:revision>" in core



@pytest.mark.parametrize("code", CODES)
def test_parts_packed_once_give_the_bytes_compressing_them_again_would(library, code, monkeypatch):
    """A template's unchanged parts are compressed when it is prepared and copied into every render
    (documents.package.PackedEntry): the draft is byte for byte the one compressing every part gives."""
    from registry.documents import prepare

    template = library.get(code)
    context = convention_context(template)
    packed_cache = TemplateCache()
    packed = render_convention(template.read(), context, cache=packed_cache)
    assert packed_cache.get(template.read()).sources.packed  # the shipped templates have unchanged parts
    monkeypatch.setattr(prepare, "pack_entry", lambda name, data: None)  # prepared without: nothing is packed
    plain_cache = TemplateCache()
    plain = render_convention(template.read(), context, cache=plain_cache)
    assert not any(plain_cache.get(template.read()).sources.packed.values())
    assert packed == plain
    with zipfile.ZipFile(io.BytesIO(packed)) as archive:
        assert archive.testzip() is None

def test_core_properties_are_the_ones_asked_for(library, cache):
    template = library.get("ehpad")
    properties = DocumentProperties(created=datetime(2026, 11, 20, 9, 30),
                                    last_modified_by="Direction des affaires juridiques", revision=3)
    data = render_convention(template.read(), convention_context(template), cache=cache, properties=properties)
    core = parts_of(data)["docProps/core.xml"].decode()
    assert "2026-11-20T09:30:00Z" in core and "Direction des affaires juridiques" in core and ">3<" in core


def test_filled_properties_are_each_render_s_own_and_one_too_long_is_a_render_error(cache):
    """The core properties' part is kept per filled values (render._core_properties_xml): a render with other
    values gets its own, and python-docx's refusal (over 255 characters) is still the template's error."""
    template = make_docx(["x"], properties={"title": "Convention {{ reference }}", "subject": "{{ title }}"})
    first, second = ({"reference": reference, "title": "Objet"} for reference in ("2026-001", "2026-002"))
    for context in (first, second, first):
        core = parts_of(render_convention(template, context, cache=cache))["docProps/core.xml"].decode()
        assert f"<dc:title>Convention {context['reference']}</dc:title>" in core and "Objet" in core
    with pytest.raises(RenderError) as caught:
        render_convention(template, {"reference": "x" * 300, "title": "Objet"}, cache=cache)
    assert caught.value.problem.part == "properties" and "« title »" in caught.value.problem.message


@pytest.mark.parametrize("code", CODES)
def test_cached_rendering_gives_docxtpl_own_document(library, cache, code):
    template = library.get(code)
    context = convention_context(template)
    cached = render_convention(template.read(), context, cache=cache)
    again = render_convention(template.read(), context, cache=cache)  # from the cache this time
    raw = render_with_docxtpl(template.read(), context)
    assert cache.preparations == 1 and again == cached
    assert document_text(cached) == document_text(raw)
    ours, theirs = parts_of(cached), parts_of(raw)
    assert list(ours) == list(theirs)
    assert [n for n in ours if ours[n] != theirs[n]] == ["docProps/core.xml"]  # only the fixed properties differ


def test_a_new_version_of_a_template_is_prepared_again_and_replaces_the_old(cache):
    context = {"reference": "R-1"}
    first, second = make_docx(["Version 1 : {{ reference }}"]), make_docx(["Version 2 : {{ reference }}"])
    assert "Version 1 : R-1" in document_text(render_convention(first, context, cache=cache, name="essai"))
    assert "Version 2 : R-1" in document_text(render_convention(second, context, cache=cache, name="essai"))
    assert cache.preparations == 2 and len(cache) == 1
    render_convention(second, context, cache=cache, name="essai")
    assert cache.preparations == 2


def test_the_cache_is_bounded():
    cache = TemplateCache(max_entries=2)
    versions = [make_docx([f"Version {i} {{{{ reference }}}}"]) for i in range(3)]
    for data in versions:
        render_convention(data, {"reference": "R"}, cache=cache)
    assert len(cache) == 2
    render_convention(versions[0], {"reference": "R"}, cache=cache)
    assert cache.preparations == 4


def test_concurrent_first_renders_prepare_once_and_agree(library):
    cache, template = TemplateCache(), library.get("second_recours")
    context = convention_context(template, signed_on=date(2027, 1, 5))
    results, barrier = [], threading.Barrier(6)

    def work():
        barrier.wait()
        results.append(render_convention(template.read(), context, cache=cache))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.preparations == 1 and len(results) == 6 and len(set(results)) == 1


def test_line_breaks_and_tabs_in_values_become_word_breaks_as_with_docxtpl(library, cache):
    template = library.get("dac")
    context = convention_context(template, fields={"dac_contact": "03 80 50 00 00\ndac21@mssante.fr\tguichet",
                                                   "notice_months": 3, "administrative_court": "Dijon",
                                                   "signing_place": "Saulieu"})
    ours = render_convention(template.read(), context, cache=cache)
    assert parts_of(ours)["word/document.xml"] == parts_of(render_with_docxtpl(template.read(), context))[
        "word/document.xml"]
    body = parts_of(ours)["word/document.xml"].decode()
    assert "03 80 50 00 00</w:t><w:br/>" in body and "<w:tab/>" in body


def test_through_the_process_cache_a_resident_child_renders_old_and_new_templates_alike(cache):
    """The server's path: the process-wide cache, rendered in a resident child (core/bounded.run_resident). A
    template prepared after the child was forked is rendered by a child forked then."""
    import uuid

    from registry.documents.cache import default_cache

    context = {"reference": "R-1"}
    first = make_docx([f"Premier {uuid.uuid4().hex} : {{{{ reference }}}}"])
    assert render_convention(first, context) == render_convention(first, context, cache=cache)
    second = make_docx([f"Second {uuid.uuid4().hex} : {{{{ reference }}}}"])  # prepared after the child's fork
    assert render_convention(second, context) == render_convention(second, context, cache=cache)
    assert default_cache().prepared(default_cache().key(second)) is not None
