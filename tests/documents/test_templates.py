"""Every shipped template renders into a convention that reads right, keeps its formatting, and toggles its
optional clauses exactly as ticked."""

import io
import json
import zipfile

import docx
import pytest

from registry.documents import TemplateLibrary, render_convention, validate_template
from registry.documents.text import document_text
from registry.documents.wording import non_breaking, number_in_letters, with_article
from tests.documents.data import CODES, HOSPITAL, SHIPPED_CODES, PARTNERS, TEMPLATES_DIR, convention_context

#: What shows that an optional clause is in the document: its article's heading, or a sentence of its own.
CLAUSE_MARKERS = {
    "telemedecine": "Téléconsultation et téléexpertise",
    "plateau_technique": "Accès au plateau technique",
    "entrees_directes": "Admissions directes sans passage par les urgences",
    "temps_partage": "Postes médicaux partagés",
    "consultations_avancees": "Consultations avancées",
    "hebergement_temporaire": "Hébergement temporaire en sortie d'hospitalisation",
    "formation": "Qualité des prises en charge et formation",
    "exercice_mixte": "Exercice de médecins généralistes libéraux au sein de l'hôpital de proximité",
    "locaux": "Locaux et moyens",
    "retour_domicile": "Sortie, retour et maintien à domicile",
}
ARTICLE_NUM_ID = 90
W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def render(library, code, cache, **options) -> bytes:
    template = library.get(code)
    return render_convention(template.read(), convention_context(template, **options), cache=cache)


def headings(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name == "Heading 1"]


def test_the_library_lists_every_template_with_its_manifest(library):
    listed = [template.manifest.as_dict() for template in library.templates()]
    assert [m["code"] for m in listed] == SHIPPED_CODES
    assert library.errors == {}
    for manifest in listed:
        assert manifest["name"] and manifest["fields"]
        assert manifest["partner_types"] or manifest["code"] == "avenant"  # an avenant covers its convention's
        assert all(f["label"] for f in manifest["fields"])


def test_the_library_folder_comes_from_the_application_config(app):
    assert [t.code for t in TemplateLibrary.from_app(app).templates()] == SHIPPED_CODES


@pytest.mark.parametrize("code", CODES)
def test_shipped_templates_pass_their_own_validation(code):
    data = (TEMPLATES_DIR / f"{code}.docx").read_bytes()
    manifest = json.loads((TEMPLATES_DIR / f"{code}.json").read_text(encoding="utf-8"))
    assert validate_template(data, manifest) == []


@pytest.mark.parametrize("code", CODES)
def test_a_convention_names_every_party_with_its_numbers_and_french_dates(library, code, cache):
    data = render(library, code, cache)
    text = document_text(data)
    for party in [HOSPITAL, *PARTNERS[code]]:
        assert party.name in text
        assert party.representative.name in text
        for number in (party.finess_et, party.finess_ej, party.siret):
            if number:
                assert number in text
    assert "prend effet le 1er janvier 2027." in text
    assert "première période de trois ans, qui s'achève le 31 décembre 2029" in text
    assert "au moins six mois avant le terme de la période en cours, soit, pour la première période, au plus tard " \
           "le 30 juin 2029" in text
    assert "Fait à Saulieu, le 2 décembre 2026" in text
    assert f"en {number_in_letters(1 + len(PARTNERS[code]))} exemplaires originaux" in text
    assert "{{" not in text and "{%" not in text
    signatures = docx.Document(io.BytesIO(data)).tables[-1]
    assert [row.cells[0].paragraphs[0].text for row in signatures.rows] == [
        f"Pour {non_breaking(with_article(party.name))}" for party in [HOSPITAL, *PARTNERS[code]]]
    assert "Côte\u2011d'Or" in signatures.rows[0].cells[0].paragraphs[0].text  # never cut at the end of a line


@pytest.mark.parametrize("code", CODES)
def test_header_carries_the_reference_and_footer_numbers_the_pages(library, code, cache):
    data = render(library, code, cache)
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert "Convention n° HDP-21-2027-0004" in section.header.paragraphs[0].text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        footers = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer")]
    assert any(" PAGE " in xml and " NUMPAGES " in xml for xml in footers)


@pytest.mark.parametrize("code", CODES)
def test_optional_clauses_appear_exactly_when_ticked(library, code, cache):
    template = library.get(code)
    optional = sorted(template.manifest.clause_codes)
    assert optional and set(optional) <= set(CLAUSE_MARKERS)
    for ticked in [set(optional), set(), *({code} for code in optional)]:
        text = document_text(render(library, code, cache, clauses=ticked))
        for clause in optional:
            assert (CLAUSE_MARKERS[clause] in text) == (clause in ticked), (code, clause, ticked)


def test_choices_lists_and_booleans_reach_the_text(library, cache):
    text = document_text(render(library, "pdsa_mmg", cache))
    assert "Elle est également ouverte le samedi à partir de midi." in text
    assert "après régulation médicale téléphonique par le 116 117, numéro retenu pour la région" in text
    text = document_text(render(library, "second_recours", cache))
    assert "Cardiologie\nPneumologie\nGériatrie" in text
    assert "à compter du 1er février 2027" in text
    assert "notamment par téléconsultation et téléexpertise, l'accès au plateau technique et les admissions" in text


@pytest.mark.parametrize("code", CODES)
def test_article_numbering_and_styles_survive_rendering(library, code, cache):
    template = library.get(code)
    optional = template.manifest.clause_codes
    full, bare = render(library, code, cache), render(library, code, cache, clauses=set())
    for data in (full, bare):
        document = docx.Document(io.BytesIO(data))
        heading_style = document.styles["Heading 1"]
        assert heading_style.element.pPr.numPr.numId.val == ARTICLE_NUM_ID
        numbering = document.part.numbering_part.element
        (num,) = [n for n in numbering.num_lst if n.numId == ARTICLE_NUM_ID]
        abstract = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{num.abstractNumId.val}"]')[0]
        assert abstract.xpath("string(w:lvl/w:lvlText/@w:val)", namespaces=W) == "Article %1 –"
        assert abstract.xpath("string(w:lvl/w:pStyle/@w:val)", namespaces=W) == "Heading1"
        articles = [p for p in document.paragraphs if p.style.name == "Heading 1"]
        assert articles and all(p._p.pPr.numPr is None for p in articles)  # numbered by the style alone
        assert {p.style.name for p in document.paragraphs} >= {"Title", "Intertitre", "List Bullet", "Normal"}
        assert "Balise de modèle" not in {p.style.name for p in document.paragraphs}
        with zipfile.ZipFile(io.BytesIO(data)) as out, zipfile.ZipFile(template.path) as source:
            for entry in ("word/styles.xml", "word/numbering.xml", "word/settings.xml"):
                assert out.read(entry) == source.read(entry)
    removed = [h for h in headings(full) if h not in headings(bare)]
    assert len(headings(full)) - len(headings(bare)) == len(removed) <= len(optional)
    assert headings(bare)[-7:] == ["Responsabilités et assurances", "Secret professionnel et protection des données "
                                   "personnelles", "Dispositions financières", "Date d'effet et durée",
                                   "Modification de la convention et annexes", "Résiliation", "Règlement des litiges"]


@pytest.mark.parametrize("text", ["Nom\x00", "Nom \ud83d", "\udfff"])
def test_a_manifest_with_text_no_database_stores_is_refused(text):
    from registry.documents import validate_manifest

    manifest = {"code": "essai", "name": "Essai", "fields": [{"name": "x", "label": "X", "help": text}]}
    assert [p.message for p in validate_manifest(manifest)] == [
        "Le manifeste contient un caractère non autorisé (caractère nul ou UTF-16 isolé)."]
    assert validate_manifest({**manifest, "fields": [{"name": "x", "label": "X", "help": "Nom é 😀"}]}) == []
