"""Validation of uploaded templates: every problem, located by part and paragraph, and never a crash."""

import pytest

from registry.documents import Limits, limits_for, validate_manifest, validate_template
from tests.documents.builders import make_docx, make_zip, manifest, one_run_per_character, zip_bomb


def found(problems, code, part=None):
    return [p for p in problems if p.code == code and (part is None or p.part == part)]


def test_a_clean_template_has_no_problem():
    data = make_docx(["{{ specialty }} {% if clauses.extra %}texte{% endif %}", "{%p for p in partners %}",
                      "{{ p.name }} {{ p.finess_et }}", "{%p endfor %}"], header=["{{ reference }}"],
                     footer=["{{ hospital.name }}"])
    assert validate_template(data, manifest(fields=["specialty"], clauses=["extra"])) == []


def test_syntax_errors_are_each_reported_with_their_paragraph():
    data = make_docx(["Bonjour {{ reference }", "{% if reference %}oui", "{{ reference + }}", "{% endfor %}",
                      "{% frobnicate %}"])
    problems = validate_template(data, manifest())
    messages = {p.paragraph: p.message for p in found(problems, "syntax_error")}
    assert "non fermée" in messages["Bonjour {{ reference }"]
    assert "« }} » inattendu" in messages["{{ reference + }}"]
    assert "ne ferme aucun bloc" in messages["{% endfor %}"]
    assert "jamais fermé" in messages["{% if reference %}oui"]
    assert "Balise inconnue « frobnicate »" in messages["{% frobnicate %}"]
    assert all(p.part == "document" and p.entry == "word/document.xml" for p in problems)


def test_a_tag_split_across_hundreds_of_runs_is_read_as_one():
    tag = "{{ hospital.name|unknown_filter }} et {{ undeclared_thing }}"
    data = make_docx(["Avant", one_run_per_character(f"Partenaire : {tag}") * 8, "Après"])
    problems = validate_template(data, manifest())
    paragraph = f"Partenaire : {tag}" * 8
    assert [p.paragraph for p in found(problems, "unknown_filter")] == [paragraph]  # the same problem, once
    assert [(p.message, p.paragraph) for p in found(problems, "undeclared_variable")] == [
        ("Variable « undeclared_thing » utilisée mais non déclarée dans le manifeste (ni champ du formulaire ni "
         "donnée de la convention).", paragraph)]


def test_a_split_tag_that_is_correct_renders_and_validates():
    data = make_docx([one_run_per_character("Convention {{ reference }} de {{ hospital.name }}")])
    assert validate_template(data, manifest()) == []


def test_undeclared_variables_in_headers_and_footers_are_located_there():
    data = make_docx(["{{ reference }}"], header=["Dossier {{ dossier_number }}"], footer=["{{ footer_text }}"])
    problems = found(validate_template(data, manifest()), "undeclared_variable")
    assert [(p.part, p.paragraph, p.entry.startswith(f"word/{p.part}")) for p in problems] == [
        ("header", "Dossier {{ dossier_number }}", True), ("footer", "{{ footer_text }}", True)]


def test_declared_but_unused_fields_and_clauses_are_listed():
    problems = validate_template(make_docx(["{{ used }}"]), manifest(fields=["used", "unused"], clauses=["never"]))
    assert [(p.code, p.part) for p in problems] == [("unused_field", "manifest"), ("unused_clause", "manifest")]
    assert "« unused »" in problems[0].message and "« never »" in problems[1].message


def test_an_undeclared_clause_is_located():
    problems = validate_template(make_docx(["{%p if clauses.ghost %}", "x", "{%p endif %}"]), manifest())
    assert [(p.code, p.paragraph) for p in problems] == [("undeclared_clause", "{%p if clauses.ghost %}")]


def test_an_unknown_filter_is_reported():
    problems = validate_template(make_docx(["Total : {{ reference|money }}"]), manifest())
    assert [(p.code, p.paragraph) for p in problems] == [("unknown_filter", "Total : {{ reference|money }}")]
    assert "« money »" in problems[0].message


@pytest.mark.parametrize("tag, what", [
    ("{{ ''.__class__.__mro__ }}", "__mro__"),
    ("{{ reference['__class__'] }}", "__class__"),
    ("{{ config.SECRET_KEY }}", "config"),
    ("{{ os.system('ls') }}", "os"),
    ("{{ self.__dict__ }}", "self"),
    ("{{ hospital.__init__.__globals__ }}", "__globals__"),
    ("{% include 'conditions.docx' %}", "include"),
    ("{% import 'macros' as m %}", "import"),
    ("{% extends 'base.docx' %}", "extends"),
    ("{% autoescape false %}{{ reference }}{% endautoescape %}", "autoescape"),
])
def test_constructs_the_sandbox_refuses_are_located(tag, what):
    problems = validate_template(make_docx(["Préambule", f"Article : {tag}"]), manifest())
    refused = found(problems, "sandbox_refused")
    assert refused and all(p.paragraph == f"Article : {tag}" for p in refused)
    assert any(what in p.message for p in refused)


def test_safe_filter_is_not_available():
    problems = validate_template(make_docx(["{{ reference|safe }}"]), manifest())
    assert [p.code for p in problems] == ["unknown_filter"]


def test_a_paragraph_tag_with_text_beside_it_would_lose_the_text():
    problems = validate_template(make_docx(["{%p if clauses.a %}Texte perdu", "{%p endif %}"]), manifest(clauses=["a"]))
    assert [(p.code, p.paragraph) for p in problems] == [("text_lost", "{%p if clauses.a %}Texte perdu")]


def test_a_template_from_another_application_gets_its_complete_list_of_problems():
    runs = one_run_per_character
    data = make_docx(
        [runs("Client : {{ client.raison_sociale|money }}")] * 3
        + [runs("{% for l in lignes %}{{ l.montant|format_eur }}{% endfor %}"), "{% include 'cgv.html' %}",
           "{% if total > %}", "{{ ''.__class__ }}"],
        header=["{{ company.name }} – {{ page_title }}"], footer=["{{ footer_text|upper }} page {{ page }}"])
    problems = validate_template(data, manifest(fields=["convention_date"]))
    summary = {(p.code, p.part) for p in problems}
    assert summary == {("unknown_filter", "document"), ("sandbox_refused", "document"), ("syntax_error", "document"),
                       ("undeclared_variable", "document"), ("undeclared_variable", "header"),
                       ("undeclared_variable", "footer"), ("unused_field", "manifest")}
    undeclared = {p.message.split("«")[1].split("»")[0].strip() for p in found(problems, "undeclared_variable")}
    assert undeclared == {"client", "lignes", "company", "page_title", "footer_text", "page"}
    assert {p.message.split("«")[1].split("»")[0].strip() for p in found(problems, "unknown_filter")} == {
        "money", "format_eur"}
    assert all(p.paragraph for p in problems if p.part != "manifest")


@pytest.mark.parametrize("data, message", [
    (b"", "vide"),
    (b"%PDF-1.7 not a docx", "pas une archive ZIP"),
    (b"PK\x03\x04 truncated", "pas une archive ZIP"),
    (make_zip({"notes.txt": b"hello"}), "il manque"),
])
def test_files_that_are_not_word_documents_are_refused(data, message):
    problems = validate_template(data, manifest())
    assert len(problems) == 1 and problems[0].part == "package" and message in problems[0].message


def test_zip_bombs_are_refused_before_decompression():
    (by_size,) = validate_template(zip_bomb(120), manifest())
    assert "100,0 Mo" in by_size.message and by_size.part == "package"
    (by_ratio,) = validate_template(zip_bomb(5), manifest())
    assert "taux anormal" in by_ratio.message


def test_caps_on_upload_size_and_entry_count():
    data = make_docx(["{{ reference }}"])
    (too_big,) = validate_template(data, manifest(), limits=Limits(max_bytes=1000))
    assert "maximum accepté" in too_big.message
    (too_many,) = validate_template(data, manifest(), limits=Limits(max_entries=3))
    assert "fichiers" in too_many.message


def test_the_upload_cap_follows_the_application_setting(app):
    assert limits_for(app.config).max_bytes == 25 * 1024 * 1024
    assert limits_for({"MAX_UPLOAD_MB": 2}).max_bytes == 2 * 1024 * 1024


def test_broken_xml_is_located_in_its_part():
    data = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document><w:body>"})
    (problem,) = validate_template(data, manifest())
    assert problem.part == "document" and problem.code == "invalid_xml"


def test_a_block_opened_in_the_text_and_closed_in_a_table_breaks_the_word_xml():
    data = make_docx(["Intro", "{%p if clauses.a %}", "Texte"], table=["{%p endif %}", "cellule"])
    problems = validate_template(data, manifest(clauses=["a"]))
    assert [(p.code, p.part) for p in problems] == [("invalid_output", "document")]
    assert "XML Word invalide" in problems[0].message


def test_a_failing_test_render_is_located():
    problems = validate_template(make_docx(["Intro", "{{ convention.duration_months // 0 }}"]), manifest())
    assert [(p.code, p.paragraph) for p in problems] == [("render_error", "{{ convention.duration_months // 0 }}")] * 1


def test_a_broken_document_property_is_reported():
    problems = validate_template(make_docx(["x"], properties={"title": "{{ reference "}), manifest())
    assert [(p.code, p.part) for p in problems] == [("syntax_error", "properties")]


@pytest.mark.parametrize("bad", [None, "x", 3, [], {"code": "x"}])
def test_garbage_input_never_raises(bad):
    assert validate_template(bad, bad)


def test_manifest_problems_are_all_listed():
    problems = validate_manifest({"code": "Mauvais Code", "partner_types": ["ehpad", "boulangerie"], "oops": 1,
                                  "fields": [{"name": "hospital", "label": "", "type": "zzz"},
                                             {"name": "x", "label": "X", "type": "choice"},
                                             {"name": "x", "label": "X", "required": "oui"}],
                                  "clauses": [{"code": "a", "label": "A"}, {"code": "a", "label": "A"}, "b"]})
    messages = " | ".join(p.message for p in problems)
    for expected in ("Clé inconnue « oops »", "« code »", "« name »", "boulangerie", "réservé", "« label »",
                     "Type de champ inconnu « zzz »", "« choices »", "déclaré deux fois", "« required »",
                     "déclarée deux fois", "Chaque clause"):
        assert expected in messages
    assert {p.part for p in problems} == {"manifest"}
    assert validate_manifest(manifest(fields=["a"], clauses=["b"])) == []


def test_problems_serialise_as_the_api_details():
    (problem,) = validate_template(make_docx(["{{ reference|money }}"]), manifest())
    assert problem.as_dict() == {"message": problem.message, "part": "document",
                                 "paragraph": "{{ reference|money }}", "code": "unknown_filter",
                                 "entry": "word/document.xml"}
