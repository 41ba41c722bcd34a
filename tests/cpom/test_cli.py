"""The `cpom` commands: export (CSV, XLSX, matrix, region), annex, report, and their French errors."""

import csv
import io

import docx
import pytest
from openpyxl import load_workbook

from registry.cpom import campaign
from registry.cpom.models import CpomCatalogue
from registry.extensions import db
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


CATALOGUE = ("code;theme;objectif;indicateur;type;unite;cible\r\n"
             "reunions_ville;Coordination;Rencontrer la ville;Réunions tenues;nombre;Réunions;Au moins 4\r\n")


def test_load_catalogue_checks_then_loads(runner, tmp_path):
    sheet = tmp_path / "fiche.csv"
    sheet.write_bytes(CATALOGUE.encode())
    args = ["load-catalogue", str(sheet), "--region", "27", "--name", "Fiche BFC", "--source", "ARS BFC"]
    checked = run(runner, *args, "--dry-run")
    assert checked.exit_code == 0 and "1 engagement(s) valides" in checked.output
    assert db.session.query(CpomCatalogue).count() == 0
    loaded = run(runner, *args)
    assert loaded.exit_code == 0, loaded.output
    assert "chargé pour la région 27 : 1 engagement(s)" in loaded.output
    assert db.session.query(CpomCatalogue).count() == 1


def test_a_bad_catalogue_loads_nothing_and_lists_each_row(runner, tmp_path):
    sheet = tmp_path / "fiche.csv"
    sheet.write_bytes((CATALOGUE + "MAUVAIS;x;x;x;inconnu;x;x\r\n").encode())
    result = run(runner, "load-catalogue", str(sheet), "--region", "27", "--name", "x", "--source", "y")
    assert result.exit_code == 1
    assert "ligne 3 : type « inconnu » inconnu" in result.output and "rien n'a été enregistré" in result.output
    assert db.session.query(CpomCatalogue).count() == 0
    pdf = tmp_path / "fiche.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert "Le tableur doit être" in run(runner, "load-catalogue", str(pdf), "--region", "27", "--name", "x",
                                         "--source", "y").output


def test_import_activity_values(runner, held_out, tmp_path):
    sheet = tmp_path / "activite.csv"
    sheet.write_bytes((f"finess;annee;indicateur;valeur\r\n{held_out.beaune.finess_et};{YEAR};ip_dms;1,02\r\n"
                       f"{held_out.semur.finess_et};{YEAR};admissions_urgences;0,3\r\n").encode())
    result = run(runner, "import-activity", str(sheet))
    assert result.exit_code == 0, result.output
    assert "2 valeur(s) importée(s)" in result.output
    declaration = campaign.declaration_of(held_out.s["admissions_urgences"], YEAR)
    assert (declaration.value, declaration.source) == (0.3, "donnees_activite")


def test_import_activity_refuses_the_whole_file(runner, held_out, tmp_path):
    sheet = tmp_path / "activite.csv"
    sheet.write_bytes((f"finess;annee;indicateur;valeur\r\n{held_out.beaune.finess_et};{YEAR};ip_dms;1,02\r\n"
                       f"{held_out.beaune.finess_et};{YEAR};connaissance_offre;1\r\n").encode())
    result = run(runner, "import-activity", str(sheet))
    assert result.exit_code == 1 and "ligne 3" in result.output
    assert campaign.declaration_of(held_out.b["ip_dms"], YEAR).value == 0.96
