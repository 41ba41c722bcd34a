"""The documents made from the verdicts for the ARS: the XLSX matrix (hospitals × requirements, coloured cells,
the criteria sheet) and the PDF report (verdicts, reasons, citations, evidence, day and rule set), both checked
against the verdicts the service computes; the renderer's refusal to fetch anything; the command's files."""

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from registry.compliance import matrix, report
from registry.compliance.adapter import evaluate_hospitals, filter_hospitals
from registry.compliance.cli import OPERATOR
from registry.compliance.overview import CELL_COLOURS, LABELS, ORDER, SYMBOLS, Filters, short_title
from registry.compliance.rules import CURRENT, R6111_26_2016
from registry.core.scope import visible_hospitals
from registry.extensions import db
from tests.compliance.builders import AT
from tests.compliance.documents import pdf_text, weasyprint  # noqa: F401 (a fixture)

DAY = AT.isoformat()
GENERATED = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def scene(hospitals, make_organisation, make_hospital):
    """The command's hospitals (Semur and Givors), and Montbard in Côte-d'Or, whose name a spreadsheet would run."""
    hospitals["montbard"] = make_hospital(make_organisation(name="=CH MONTBARD", category_code="106",
                                                            departement="21"))
    db.session.commit()
    return hospitals


def evaluated(ruleset=CURRENT, departement=None):
    return evaluate_hospitals(filter_hospitals(visible_hospitals(OPERATOR), departement=departement), AT, ruleset)


def open_matrix(data: bytes):
    return load_workbook(io.BytesIO(data))


def rgb(cell, attribute: str) -> str:
    colour = cell.fill.fgColor if attribute == "fill" else cell.font.color
    return "#" + colour.rgb[-6:].lower()


@pytest.mark.parametrize("ruleset", [CURRENT, R6111_26_2016], ids=lambda ruleset: ruleset.id)
def test_the_matrix_gives_each_hospital_the_services_verdicts_in_their_colours(scene, ruleset):
    results = evaluated(ruleset)
    workbook = open_matrix(matrix.to_matrix(results, Filters(ruleset=ruleset, at=AT), AT, GENERATED))
    sheet = workbook["Matrice"]

    assert [cell.value for cell in sheet[1]] == ["FINESS ET", "Hôpital", "Département",
                                                 *(short_title(code, ruleset) for code in ruleset.codes)]
    assert sheet.freeze_panes == "D2"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2, max_row=1 + len(results))}
    assert set(rows) == {scene[key].finess_et for key in ("semur", "montbard", "givors")}
    for result in results:
        row = rows[result.finess_et]
        assert [row[1].value, row[2].value] == [result.name, {"21": "21 – Côte-d'Or", "69": "69 – Rhône"}[
            result.departement]]
        for cell, item in zip(row[3:], result.verdicts, strict=True):
            assert cell.value == LABELS[item.verdict], (result.name, item.code)
            assert (rgb(cell, "fill"), rgb(cell, "font")) == CELL_COLOURS[item.verdict]
    # the scenario's verdicts, read as the pages show them: Semur's EHPAD partnership is met
    semur = rows[scene["semur"].finess_et]
    if ruleset is R6111_26_2016:
        assert [cell.value for cell in semur[3:]] == ["Manquant", "À risque", "Satisfait", "Manquant", "Manquant",
                                                      "Non évalué"]
    # a name starting with « = » stays text
    assert rows[scene["montbard"].finess_et][1].data_type == "s"


def test_the_matrix_has_a_legend_and_a_criteria_sheet(scene):
    results = evaluated(R6111_26_2016, departement="21")
    filters = Filters(departement="21", verdict="manquant", ruleset=R6111_26_2016, at=AT)
    workbook = open_matrix(matrix.to_matrix(results, filters, AT, GENERATED))
    sheet = workbook["Matrice"]

    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    start = next(number for number, row in enumerate(values) if row[0] == "Légende")
    legend = sheet.iter_rows(min_row=start + 2, max_row=start + 1 + len(ORDER))
    for verdict, row in zip(ORDER, legend):
        assert row[1].value == LABELS[verdict] and rgb(row[1], "fill") == CELL_COLOURS[verdict][0]
        assert row[2].value.startswith(("une convention", "aucune", "l'exigence", "les données"))
    assert any(row[0] and row[0].startswith("Verdicts au 2026-06-01 selon le jeu de règles « R6111-26") for row in values)

    criteria = [[cell.value for cell in row] for row in workbook["Critères"].iter_rows()]
    assert criteria[0] == ["Code exigence", "Exigence", "Citation", "Jeu de règles", "Date d'évaluation"]
    ehpad = next(row for row in criteria if row[0] == "2b_ehpad")
    assert ehpad == ["2b_ehpad", "Partenariat avec un établissement gérant un EHPAD",
                     str(R6111_26_2016.requirement("2b_ehpad").citation), R6111_26_2016.label, DAY]
    about = {row[0]: row[1] for row in criteria if row[0]}
    assert about["Département"] == "21 – Côte-d'Or" and about["Verdict"] == "Manquant"
    assert about["Exigence"] == "toutes" and about["Produit le"] == "2 décembre 2026 à 10:30"


# --- The PDF report ---------------------------------------------------------------------------------------------


def test_a_hospitals_report_has_its_verdicts_reasons_citations_and_evidence(app, scene, weasyprint):
    result = next(item for item in evaluated(R6111_26_2016) if item.finess_et == scene["semur"].finess_et)
    with app.test_request_context():
        data = report.to_pdf(report.hospital_report(result, R6111_26_2016, "21 – Côte-d'Or"))
    words = pdf_text(data)

    assert data.startswith(b"%PDF-")
    assert "Conformité : CH SEMUR" in words and f"FINESS {result.finess_et} · 21 – Côte-d'Or" in words
    assert f"Jeu de règles {R6111_26_2016.label}" in words
    assert "Date d'évaluation 1er juin 2026" in words and "Document produit le 2 décembre 2026" in words
    assert "Page 1 sur" in words
    for item in result.verdicts:
        assert f"{item.title} {SYMBOLS[item.verdict]} {LABELS[item.verdict]}" in words, item.code  # the summary
        assert " ".join(item.reason.split())[:60] in words, item.code
        assert " ".join(item.citation.split())[:50] in words
    ehpad = result.verdict("2b_ehpad")
    assert ehpad.verdict == "satisfait" and scene["in_force"].reference in words
    assert "En vigueur · avec EHPAD LES TILLEULS" in words
    assert result.verdict("2a_second_recours").verdict == "a_risque" and scene["draft"].reference in words


def test_a_departements_report_has_a_matrix_then_each_hospital(app, scene, weasyprint):
    results = evaluated(CURRENT, departement="21")
    with app.test_request_context():
        document = report.group_report(results, CURRENT, AT, "21 – Côte-d'Or")
        html = report.to_html(document)
        words = pdf_text(report.to_pdf(document))

    assert "Conformité des hôpitaux de proximité : 21 – Côte-d'Or" in words and "2 hôpitaux de proximité" in words
    assert "CH SEMUR" in words and "=CH MONTBARD" in words and "GIVORS" not in words
    # the matrix's cells, in the service's order, as the HTML has them
    for result in results:
        row = html[html.index(f"FINESS {result.finess_et}</span></th>"):]
        row = row[:row.index("</tr>")]
        assert [f'v-{item.verdict}' for item in result.verdicts] == \
            [cell.split('"')[0] for cell in row.split('<td class="verdict ')[1:]]
    assert words.count("Bilan") == 2


def test_the_renderer_fetches_no_url_but_embedded_data(weasyprint):
    from weasyprint.urls import URLFetchingError, fetch

    fetcher = report.url_fetcher()
    for url in ("http://127.0.0.1:9/x.css", "https://example.org/logo.png", "file:///etc/passwd",
                "ftp://example.org/x"):
        with pytest.raises(URLFetchingError, match="disallowed protocol"):
            with fetch(fetcher, url):
                pass
    with fetch(fetcher, "data:text/css,p%7Bcolor:red%7D") as resource:
        assert resource.read() == b"p{color:red}"


def test_a_page_pointing_at_a_file_or_the_network_renders_without_them(app, weasyprint, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red } p::after { content: 'SECRET-FILE' }")
    html = f'<link rel="stylesheet" href="file://{secret}"><p>Bonjour</p>'
    # WeasyPrint's own fetcher would read it
    assert "SECRET-FILE" in pdf_text(weasyprint.HTML(string=html).write_pdf())

    data = weasyprint.HTML(string=html + '<img src="http://127.0.0.1:9/x.png" alt="">',
                           url_fetcher=report.url_fetcher()).write_pdf()
    assert "Bonjour" in pdf_text(data) and "SECRET-FILE" not in pdf_text(data)


# --- The command ------------------------------------------------------------------------------------------------


def test_the_command_writes_the_matrix(runner, scene, tmp_path):
    output = tmp_path / "matrice.xlsx"
    result = runner.invoke(args=["compliance", "--format", "xlsx-matrix", "--output", str(output), "--at", DAY,
                                 "--departement", "21", "--rule-set", "r6111-26-2016"])

    assert result.exit_code == 0, result.output
    assert f"{output} : 2 hôpitaux de proximité." in result.output
    sheet = open_matrix(output.read_bytes())["Matrice"]
    rows = {row[0]: list(row[3:]) for row in sheet.iter_rows(min_row=2, max_row=3, values_only=True)}
    semur = next(item for item in evaluated(R6111_26_2016) if item.finess_et == scene["semur"].finess_et)
    assert rows[scene["semur"].finess_et] == [item.label for item in semur.verdicts]
    assert scene["givors"].finess_et not in rows


def test_the_command_writes_the_report(runner, scene, tmp_path, weasyprint):
    output = tmp_path / "rapport.pdf"
    result = runner.invoke(args=["compliance", "--format", "pdf", "--output", str(output), "--at", DAY,
                                 "--region", "84"])

    assert result.exit_code == 0, result.output
    words = pdf_text(output.read_bytes())
    assert "Conformité des hôpitaux de proximité : région Auvergne-Rhône-Alpes" in words
    assert "HOPITAL DE GIVORS" in words and "CH SEMUR" not in words


def test_the_command_asks_for_a_file_and_says_when_there_is_nothing_to_report(runner, scene, tmp_path):
    result = runner.invoke(args=["compliance", "--format", "xlsx-matrix"])
    assert result.exit_code != 0 and "--output : indiquez le fichier où écrire le format xlsx-matrix." in result.output

    output = tmp_path / "rapport.pdf"
    result = runner.invoke(args=["compliance", "--format", "pdf", "--output", str(output), "--departement", "2A"])
    assert result.exit_code != 0 and "Aucun hôpital de proximité ne correspond à ces critères" in result.output
    assert not output.exists()

    result = runner.invoke(args=["compliance", "--format", "xlsx-matrix", "--output",
                                 str(tmp_path / "absent" / "m.xlsx")])
    assert result.exit_code != 0 and "impossible d'écrire" in result.output
