"""The preparation runs docxtpl's own patch_xml with the passes that cannot match skipped: same result."""

import io
import re

import pytest
from docxtpl import DocxTemplate

from registry.documents import patching
from tests.documents.builders import make_docx
from tests.documents.data import CODES

EVERY_KIND_OF_TAG = make_docx(
    paragraphs=[
        ["{%p if a %}", "Clause ", "conditionnelle"],
        "{%p endif %}",
        ["Texte {{", "r nom", " }} en gras"],
        "{%r if b %}un run{%r endif %}",
        "{#p un commentaire #}",
        ["avant ", "{%- if c %}", "collé"],
        "{% endif -%} après",
        "« {{ titre }} » ‘guillemets’ &lt; {{ x &gt; 1 }}",
    ],
    table=["{% colspan span %}{{ a }}", "{% cellbg colour %}b", "{% vm %}{{ c }}", "{% hm %}d",
           "{%tc if e %}e{%tc endif %}", "{#tc rien #}"],
    header=["{{ reference }}"], footer=["Page 1"])
#: A row tag takes its whole row away: the row tags are in a document of their own.
ROW_TAGS = make_docx(paragraphs=["{#tr un commentaire de ligne #}"],
                     table=["{%tr for row in rows %}", "{{ row.a }}", "{%tr endfor %}"])


def template_of(data: bytes) -> DocxTemplate:
    template = DocxTemplate(io.BytesIO(data))
    template.init_docx()
    return template


def parts(template: DocxTemplate) -> list[str]:
    xml = [template.get_xml()]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        xml += [template.get_part_xml(part) for _, part in template.get_headers_footers(uri)]
    return xml


@pytest.mark.parametrize("data", [EVERY_KIND_OF_TAG, ROW_TAGS, make_docx(paragraphs=["Aucune balise"])],
                         ids=["every-kind-of-tag", "row-tags", "no-tag"])
def test_patching_gives_docxtpl_own_result(data):
    template = template_of(data)
    for xml in parts(template):
        assert patching.patch_xml(template, xml) == template.patch_xml(xml)


@pytest.mark.parametrize("code", CODES)
def test_patching_gives_docxtpl_own_result_on_the_shipped_templates(library, code):
    template = template_of(library.get(code).read())
    for xml in parts(template):
        assert patching.patch_xml(template, xml) == template.patch_xml(xml)


def test_every_listed_pattern_is_one_docxtpl_uses(monkeypatch):
    """The table names docxtpl's patterns as docxtpl writes them; a pattern docxtpl no longer uses would
    silently stop being skipped."""
    used = set()
    original = re.sub

    def recording_sub(pattern, *args, **kwargs):
        used.add(pattern)
        return original(pattern, *args, **kwargs)

    monkeypatch.setattr(re, "sub", recording_sub)
    for data in (EVERY_KIND_OF_TAG, ROW_TAGS):
        template = template_of(data)
        template.patch_xml(template.get_xml())
    assert set(patching.NEEDED_LITERALS) <= used


def test_passes_are_skipped_only_when_their_literal_is_absent(monkeypatch):
    applied = []
    original = re.sub

    def recording_sub(pattern, *args, **kwargs):
        applied.append(pattern)
        return original(pattern, *args, **kwargs)

    monkeypatch.setattr(re, "sub", recording_sub)  # the module's `re` hands its own calls to re.sub
    template = template_of(make_docx(paragraphs=["{{ a }} sans autre balise"]))
    patching.patch_xml(template, template.get_xml())
    assert not set(patching.NEEDED_LITERALS) & set(applied)
    applied.clear()
    for data in (EVERY_KIND_OF_TAG, ROW_TAGS):
        template = template_of(data)
        patching.patch_xml(template, template.get_xml())
    assert set(patching.NEEDED_LITERALS) <= set(applied)
