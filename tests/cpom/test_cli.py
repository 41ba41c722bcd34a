"""The `cpom` commands: export (CSV, XLSX, matrix, region), annex, report, and their French errors."""

import csv
import io

import docx
import pytest
from openpyxl import load_workbook

from tests.clock import TODAY
from tests.cpom.conftest import YEAR


def run(runner, *args):
    return runner.invoke(args=["cpom", *args])


def test_export_csv_of_a_region(runner, held_out, tmp_path):
    output = tmp_path / "campagne.csv"
    result = run(runner, "export", "--year", str(YEAR), "--region", "27", "--output", str(output))

    assert result.exit_code == 0, result.output
    assert f"Campagne {YEAR} (CSV) écrit dans {output}." in result.output
    rows = list(csv.DictReader(io.StringIO(output.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert {row["FINESS ET"] for row in rows} == {held_out.beaune.finess_et, held_out.nuits.finess_et,
                                                  held_out.semur.finess_et}
    assert len(rows) == 2 * 7 + 3 and {row["Année"] for row in rows} == {str(YEAR)}


def test_export_xlsx_from_the_extension_and_the_matrix(runner, held_out, tmp_path):
    output = tmp_path / "campagne.xlsx"
    assert run(runner, "export", "--year", str(YEAR), "--output", str(output)).exit_code == 0
    workbook = load_workbook(output)
    assert workbook.sheetnames[:2] == [f"Campagne {YEAR}", f"Matrice {YEAR}"]
    assert workbook[f"Campagne {YEAR}"].max_row == 1 + 2 * 7 + 3 + 1  # givors (region 84) included

    matrix = tmp_path / "matrice.csv"
    result = run(runner, "export", "--year", str(YEAR), "--matrix", "--values", "--format", "csv", "--output",
                 str(matrix))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(matrix.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["FINESS ET", "Hôpital"] and len(rows) == 1 + 4
    beaune = dict(zip(rows[0], next(row for row in rows if row[0] == held_out.beaune.finess_et)))
    assert beaune["admissions_urgences"] == "Atteint (0,12)"


def test_an_empty_year_warns_but_writes_the_headings(runner, held_out, tmp_path):
    output = tmp_path / "vide.csv"
    result = run(runner, "export", "--year", "2001", "--output", str(output))
    assert result.exit_code == 0
    assert "aucun CPOM en vigueur en 2001" in result.output
    assert output.read_bytes().decode("utf-8-sig").startswith("FINESS ET;Hôpital;CPOM n°")


@pytest.mark.parametrize("year, message", [
    ("20x5", "--year : année attendue sur quatre chiffres (reçu « 20x5 »)."),
    (str(TODAY.year + 1), f"--year : la campagne {TODAY.year + 1} n'est pas encore commencée."),
    ("0999", "--year : année invalide « 0999 »."),
])
def test_a_bad_year_is_one_french_line(runner, held_out, tmp_path, year, message):
    result = run(runner, "export", "--year", year, "--output", str(tmp_path / "x.csv"))
    assert result.exit_code != 0 and message in result.output
    assert not (tmp_path / "x.csv").exists()


def test_an_unknown_region_is_refused(runner, held_out, tmp_path):
    result = run(runner, "report", "--year", str(YEAR), "--region", "99", "--output", str(tmp_path / "r.docx"))
    assert result.exit_code != 0 and "--region : code de région INSEE inconnu « 99 »" in result.output


def test_annex(runner, held_out, tmp_path):
    output = tmp_path / "annexe.docx"
    result = run(runner, "annex", str(held_out.cpoms.beaune.id), "--output", str(output))

    assert result.exit_code == 0, result.output
    assert f"Annexe du CPOM n° {held_out.cpoms.beaune.id} écrit" in result.output
    paragraphs = [paragraph.text for paragraph in docx.Document(str(output)).paragraphs]
    assert "Volet « lien ville-hôpital »" in paragraphs


@pytest.mark.parametrize("cpom_id, message", [("999", "CPOM introuvable : n° 999."),
                                              ("abc", "CPOM_ID : numéro de CPOM attendu (reçu « abc »).")])
def test_an_unknown_cpom_is_one_french_line(runner, held_out, tmp_path, cpom_id, message):
    result = run(runner, "annex", cpom_id, "--output", str(tmp_path / "a.docx"))
    assert result.exit_code != 0 and message in result.output


def test_report(runner, held_out, tmp_path):
    output = tmp_path / "rapport.docx"
    result = run(runner, "report", "--year", str(YEAR), "--region", "84", "--output", str(output))

    assert result.exit_code == 0, result.output
    paragraphs = [paragraph.text for paragraph in docx.Document(str(output)).paragraphs]
    assert paragraphs[0] == f"Campagne CPOM {YEAR} – volet « lien ville-hôpital »"
    assert "1 CPOM, 1 hôpital, 1 engagement." in paragraphs[1]
    assert f"HOPITAL DE GIVORS – FINESS ET {held_out.givors.finess_et}" in paragraphs


def test_an_unwritable_output_is_one_french_line(runner, held_out, tmp_path):
    result = run(runner, "report", "--year", str(YEAR), "--output", str(tmp_path / "absent" / "r.docx"))
    assert result.exit_code != 0 and "Impossible d'écrire" in result.output
