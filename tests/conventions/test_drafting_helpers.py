"""Pure helpers of the drafting pages: default dates, template suggestions, the preview's cleaning and numbering."""

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from registry.conventions.forms import _manifest_field, first_of_next_month
from registry.documents.manifest import ManifestField
from registry.conventions.preview import _article_label, clean_html
from registry.core.french import french_size as file_size
from registry.conventions.services import rank_templates

TEMPLATES = Path(__file__).resolve().parents[2] / "convention_templates"


@pytest.mark.parametrize("today, expected", [
    (date(2026, 11, 23), date(2026, 12, 1)),
    (date(2026, 12, 31), date(2027, 1, 1)),
    (date(2027, 1, 1), date(2027, 2, 1)),
])
def test_first_of_next_month(today, expected):
    assert first_of_next_month(today) == expected


def _version(name, *types):
    return SimpleNamespace(name=name, manifest={"partner_types": list(types)})


def test_templates_covering_the_partnership_come_first_then_by_name():
    versions = [_version("SSR", "ssr", "usld"), _version("EHPAD", "ehpad"), _version("DAC", "dac")]
    ranked = rank_templates(versions, ["usld", "ssr"])
    assert [(v.name, n) for v, n in ranked] == [("SSR", 2), ("DAC", 0), ("EHPAD", 0)]
    assert [v.name for v, _ in rank_templates(versions, ())] == ["DAC", "EHPAD", "SSR"]


def test_cleaning_keeps_document_tags_and_drops_anything_active():
    html = ('<h1 onclick="x()">Titre</h1><p>Texte <a href="javascript:alert(1)">lien</a> '
            '<a href="https://www.legifrance.gouv.fr/">Légifrance</a></p><script>alert(1)</script>'
            '<img src="https://evil.example/x.png" onerror="x()"><img src="data:image/png;base64,AAAA" alt="logo">'
            '<iframe src="https://evil.example"></iframe><custom>gardé</custom>'
            '<table style="x"><tr><td colspan="2" class="z">a</td></tr></table>')
    cleaned = str(clean_html(html))
    assert cleaned.startswith("<h2>Titre</h2>")
    assert "<a>lien</a>" in cleaned and '<a href="https://www.legifrance.gouv.fr/">Légifrance</a>' in cleaned
    assert "script" not in cleaned and "iframe" not in cleaned and "onerror" not in cleaned
    assert "evil" not in cleaned and '<img src="data:image/png;base64,AAAA" alt="logo">' in cleaned
    assert "gardé" in cleaned and "<custom>" not in cleaned
    assert '<table class="table table-sm table-bordered"><tr><td colspan="2">a</td></tr></table>' in cleaned


def test_cleaning_escapes_text_and_numbers_the_articles():
    cleaned = str(clean_html('&lt;b&gt; & <h3 class="article">Objet</h3><h3 class="article">Durée</h3>',
                             "Article %1 –"))
    assert cleaned.startswith("&lt;b&gt; &amp; ")
    assert "<h3>Article 1 – Objet</h3><h3>Article 2 – Durée</h3>" in cleaned


def test_the_shipped_templates_number_their_articles():
    labels = {path.stem: _article_label(path.read_bytes()) for path in TEMPLATES.glob("*.docx")}
    assert labels and set(labels.values()) == {"Article %1 –"}
    assert _article_label(b"not a zip") is None


@pytest.mark.parametrize("size, expected", [(850, "850 octets"), (14_336, "14 Ko"), (1_300_000, "1,2 Mo")])
def test_file_size_in_french(size, expected):
    assert file_size(size) == expected


def test_a_list_field_says_one_value_per_line_unless_its_label_does(app):
    from wtforms import Form

    class Probe(Form):
        plain = _manifest_field(ManifestField(name="sites", label="Sites concernés", type="list", required=True))
        said = _manifest_field(ManifestField(name="annexes", label="Annexes (une par ligne)", type="list"))
        choice = _manifest_field(ManifestField(name="kind", label="Activité", type="choice", choices=("A", "B")))

    form = Probe()
    assert form.plain.description == "Une valeur par ligne." and form.plain.flags.required
    assert form.said.description == "" and not form.said.flags.required
    assert [choice.value for choice in form.choice.choices] == ["", "A", "B"]
