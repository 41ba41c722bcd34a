"""A year's campaign exported: one row per hospital × engagement agreeing with campaign.year_state, the year's own
target (an avenant does not rewrite an earlier year), CSV for Excel with formulas neutralised, XLSX, the matrix."""

import csv
import io

from openpyxl import load_workbook

from registry.compliance.cli import OPERATOR
from registry.cpom.campaign import year_state
from registry.cpom.exports import (COLUMNS, campaign_cpoms, csv_bytes, download, filename, matrix, records,
                                   xlsx_bytes)
from tests.cpom.conftest import FORMULA, PREVIOUS, YEAR

HEADINGS = [heading for _, heading in COLUMNS]


def cpoms_of(held_out):
    return [held_out.cpoms.beaune, held_out.cpoms.semur, held_out.cpoms.givors]


def by_key(rows):
    return {(row["finess_et"], row["indicator"]): row for row in rows}


def test_the_campaign_s_cpoms_are_those_in_force_that_year_in_the_region(held_out):
    cpoms = held_out.cpoms
    assert campaign_cpoms(YEAR, user=OPERATOR) == [cpoms.beaune, cpoms.semur, cpoms.givors]
    assert campaign_cpoms(YEAR, "27", user=OPERATOR) == [cpoms.beaune, cpoms.semur]
    assert campaign_cpoms(YEAR + 1, "27", user=OPERATOR) == [cpoms.beaune, cpoms.semur, cpoms.later]


def test_one_row_per_hospital_and_engagement_agreeing_with_year_state(held_out):
    rows = records(cpoms_of(held_out), YEAR)

    cpoms = cpoms_of(held_out)
    expected = sum(len(cpom.sites) * len(cpom.engagements) for cpom in cpoms)
    assert len(rows) == expected == 2 * 7 + 3 + 1
    assert [row["finess_et"] for row in rows] == sorted(row["finess_et"] for row in rows)
    engagements = {(cpom.id, engagement.indicator): engagement for cpom in cpoms for engagement in cpom.engagements}
    for row in rows:
        state = year_state(engagements[(row["cpom"], row["indicator"])], YEAR)
        assert (row["status"], row["value"], row["assessment"], row["year"]) == (
            state.status, state.value, state.assessment, YEAR), row
        assert (row["target_comparator"], row["target_value"], row["applicable"]) == (
            state.target.comparator, state.target.value, state.target.applicable), row
        assert row["proofs"] == (len(state.declaration.proofs) if state.declaration else 0)
    # both sites of the legal entity carry its CPOM's engagements
    assert {row["finess_et"] for row in rows if row["cpom"] == held_out.cpoms.beaune.id} == {
        held_out.beaune.finess_et, held_out.nuits.finess_et}


def test_the_row_s_columns(held_out):
    rows = by_key(records(cpoms_of(held_out), YEAR))
    beaune = held_out.beaune.finess_et

    ratio = rows[(beaune, "admissions_urgences")]
    assert (ratio["value"], ratio["numerator"], ratio["denominator"]) == (0.12, 120, 1000)
    assert (ratio["target"], ratio["assessment"], ratio["assessment_label"]) == ("≤ 0,15", "atteint", "Atteint")
    assert (ratio["finess_ej"], ratio["theme"], ratio["kind"]) == (
        held_out.beaune.organisation.finess_ej, "Coordination / Parcours / Transversalité", "Ratio")
    validated = rows[(beaune, "connaissance_offre")]
    assert (validated["status"], validated["status_label"], validated["proofs"], validated["value"]) == (
        "validee", "Validée", 1, True)
    assert (validated["review_comment"], validated["comment"], validated["source"]) == (
        "Compte rendu reçu", FORMULA, "Déclaration de l'établissement")
    contested = rows[(beaune, "ph_centres_sante")]
    assert (contested["value"], contested["status"], contested["assessment"]) == (2.5, "contestee", "non_evaluable")
    assert (contested["review_comment"], contested["target"]) == ("Effectif non justifié", "≥ 5 %")
    checklist = rows[(beaune, "collaborations_ville")]
    assert (checklist["items"], checklist["assessment"]) == ("Social | Urgence", "atteint")
    not_applicable = rows[(beaune, "articulation_pdsa")]
    assert (not_applicable["applicable"], not_applicable["assessment"], not_applicable["target"]) == (
        False, "non_applicable", "non applicable")
    assert not_applicable["reason"] == "Pas de maison médicale de garde à proximité"
    negotiated = rows[(beaune, "ip_dms")]
    assert (negotiated["target"], negotiated["assessment"], negotiated["value"]) == ("à négocier", "non_evaluable",
                                                                                     0.96)
    registry = rows[(beaune, "convention_l6111_3_2")]
    assert (registry["status"], registry["value"], registry["source"], registry["assessment"]) == (
        "validee", True, "Registre des conventions", "atteint")
    overdue = rows[(held_out.semur.finess_et, "connaissance_offre")]
    assert (overdue["status"], overdue["proof_due"]) == ("preuve_demandee", held_out.s["connaissance_offre"]
                                                         .declarations[0].proof_due)
    missing = rows[(held_out.semur.finess_et, "admissions_urgences")]
    assert (missing["status_label"], missing["value"], missing["proofs"], missing["source"]) == (
        "Non déclarée", None, 0, "")


def test_an_earlier_year_keeps_the_target_before_the_avenant(held_out):
    beaune = held_out.beaune.finess_et
    before = by_key(records([held_out.cpoms.beaune], PREVIOUS))[(beaune, "admissions_urgences")]
    after = by_key(records([held_out.cpoms.beaune], YEAR))[(beaune, "admissions_urgences")]

    assert (before["target_value"], before["value"], before["assessment"]) == (0.2, 0.18, "atteint")
    assert (after["target_value"], after["value"], after["assessment"]) == (0.15, 0.12, "atteint")
    assert year_state(held_out.b["admissions_urgences"], PREVIOUS).target.value == 0.2


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_for_excel_with_french_headings_numbers_and_no_formula(held_out):
    rows = read_csv(csv_bytes(cpoms_of(held_out), YEAR))

    assert rows[0] == HEADINGS
    assert len(rows) == 1 + 18
    column = {heading: index for index, heading in enumerate(HEADINGS)}
    beaune = [row for row in rows[1:] if row[0] == held_out.beaune.finess_et]
    ratio = next(row for row in beaune if row[column["Code indicateur"]] == "admissions_urgences")
    assert [ratio[column[name]] for name in ("Valeur", "Numérateur", "Dénominateur", "Valeur cible", "Année")] == [
        "0,12", "120", "1000", "0,15", str(YEAR)]
    known = next(row for row in beaune if row[column["Code indicateur"]] == "connaissance_offre")
    assert known[column["Commentaire"]] == "'" + FORMULA
    assert (known[column["Valeur"]], known[column["Applicable"]], known[column["Preuves"]]) == ("oui", "oui", "1")
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_xlsx_rows_matrix_indicators_and_criteria(held_out):
    workbook = load_workbook(io.BytesIO(xlsx_bytes(cpoms_of(held_out), YEAR, region="27")))

    assert workbook.sheetnames == [f"Campagne {YEAR}", f"Matrice {YEAR}", "Indicateurs", "Critères"]
    sheet = workbook[f"Campagne {YEAR}"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADINGS and len(rows) == 19
    column = {heading: index for index, heading in enumerate(HEADINGS)}
    ratio = next(row for row in rows if row[column["Code indicateur"]] == "admissions_urgences"
                 and row[0] == held_out.beaune.finess_et)
    assert (ratio[column["Valeur"]], ratio[column["Numérateur"]], ratio[column["Valeur cible"]]) == (0.12, 120, 0.15)
    comment = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "'" + FORMULA)
    assert comment.data_type == "s"
    criteria = {row[0].value: row[1].value for row in workbook["Critères"].iter_rows()}
    assert criteria["Année"] == YEAR and criteria["Région"].startswith("Bourgogne")
    codes = [row[0].value for row in workbook["Indicateurs"].iter_rows()][1:]
    assert "convention_l6111_3_2" in codes and "outils_communication" in codes

    only = load_workbook(io.BytesIO(xlsx_bytes(cpoms_of(held_out), YEAR, matrix_only=True)))
    assert only.sheetnames == [f"Matrice {YEAR}", "Indicateurs", "Critères"]


def test_the_matrix_one_row_per_hospital_one_column_per_engagement(held_out):
    grid = matrix(cpoms_of(held_out), YEAR)

    head = grid[0]
    assert head[:2] == ["FINESS ET", "Hôpital"]
    assert set(head[2:]) == {engagement.indicator for cpom in cpoms_of(held_out) for engagement in cpom.engagements}
    rows = {row[0]: dict(zip(head, row)) for row in grid[1:]}
    assert set(rows) == {held_out.beaune.finess_et, held_out.nuits.finess_et, held_out.semur.finess_et,
                         held_out.givors.finess_et}
    beaune = rows[held_out.beaune.finess_et]
    assert (beaune["Hôpital"], beaune["admissions_urgences"], beaune["ph_centres_sante"]) == (
        "CH BEAUNE & NUITS <SUD>", "Atteint", "Non évaluable")
    assert beaune["articulation_pdsa"] == "Non applicable" and beaune["outils_communication"] == ""
    semur = rows[held_out.semur.finess_et]
    assert (semur["outils_communication"], semur["admissions_urgences"]) == ("Non atteint", "Non évaluable")

    valued = {row[0]: dict(zip(head, row)) for row in matrix(cpoms_of(held_out), YEAR, with_values=True)[1:]}
    assert valued[held_out.beaune.finess_et]["admissions_urgences"] == "Atteint (0,12)"
    assert valued[held_out.semur.finess_et]["outils_communication"] == "Non atteint (non)"

    csv_grid = read_csv(csv_bytes(cpoms_of(held_out), YEAR, matrix_only=True))
    assert csv_grid == grid


def test_the_download_names_the_file(app, held_out):
    with app.test_request_context():
        response = download(cpoms_of(held_out), YEAR, "xlsx", region="27", matrix_only=True)
    assert response.headers["Content-Disposition"] == f'attachment; filename="cpom-matrice-{YEAR}-27.xlsx"'
    assert filename(YEAR, "csv") == f"cpom-campagne-{YEAR}.csv"
