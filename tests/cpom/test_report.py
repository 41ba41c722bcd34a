"""The yearly campaign report: counts by status and assessment (an engagement once, whatever its sites), the rate
of targets met per indicator, the hospitals late (not declared, proof overdue), each hospital's engagements."""

import io

import docx

from registry.cpom.report import render_report, report_filename, summarise
from tests.cpom.conftest import YEAR


def cpoms_of(held_out):
    return [held_out.cpoms.beaune, held_out.cpoms.semur]


def test_counts_by_status_and_assessment(held_out):
    summary = summarise(cpoms_of(held_out), YEAR, "27")

    assert len(summary.lines) == 7 + 3
    assert dict(summary.by_status) == {"validee": 2, "declaree": 4, "contestee": 1, "preuve_demandee": 1,
                                       "non_declaree": 2}
    # beaune: connaissance, admissions, collaborations, L6111-3-2 met; ph contested and ip_dms to negotiate not
    # evaluable; pdsa not applicable. semur: « non » not met, proof overdue (« oui ») met, nothing declared
    assert dict(summary.by_assessment) == {"atteint": 5, "non_evaluable": 3, "non_applicable": 1, "non_atteint": 1}


def test_rate_of_targets_met_per_indicator(held_out):
    rates = {rate.code: rate for rate in summarise(cpoms_of(held_out), YEAR).rates}

    known = rates["connaissance_offre"]
    assert (known.engagements, known.met, known.not_met, known.rate) == (2, 2, 0, 1.0)
    admissions = rates["admissions_urgences"]
    assert (admissions.engagements, admissions.met, admissions.not_evaluable, admissions.rate) == (2, 1, 1, 1.0)
    tools = rates["outils_communication"]
    assert (tools.met, tools.not_met, tools.rate) == (0, 1, 0.0)
    assert rates["articulation_pdsa"].not_applicable == 1 and rates["articulation_pdsa"].rate is None
    assert rates["ph_centres_sante"].rate is None


def test_hospitals_late_not_declared_or_proof_overdue(held_out):
    late = summarise(cpoms_of(held_out), YEAR).late

    found = {(item.line.cpom.id, item.line.engagement.indicator): item.reason for item in late}
    semur = held_out.cpoms.semur.id
    assert set(found) == {(semur, "connaissance_offre"), (semur, "admissions_urgences")}
    assert found[(semur, "admissions_urgences")] == "Valeur non déclarée"
    assert found[(semur, "connaissance_offre")].startswith("Preuve attendue le ")
    # the registry-proved engagement is never « not declared », nor one that does not apply
    assert late[0].hospitals.startswith("HOPITAL DE SEMUR (")


def test_the_document(held_out):
    data = render_report(cpoms_of(held_out), YEAR, "27")
    document = docx.Document(io.BytesIO(data))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]

    assert paragraphs[0] == f"Campagne CPOM {YEAR} – volet « lien ville-hôpital »"
    assert paragraphs[1].startswith("Bourgogne-Franche-Comté – rapport établi le ")
    assert "2 CPOM, 3 hôpitaux, 10 engagements." in paragraphs[1]
    by_status, by_assessment, rates, late = tables[:4]
    assert by_status[0] == ["Statut", "Engagements", "Part"]
    assert ["Validée", "2", "20 %"] in by_status and ["Non déclarée", "2", "20 %"] in by_status
    assert ["Atteint", "5", "50 %"] in by_assessment
    assert any(row[0] == "Existence d'un outil ou réflexion en cours (outils_communication)" and row[-1] == "0 %"
               for row in rates)
    assert [row[3] for row in late[1:]][0].startswith(("Preuve attendue le", "Valeur non déclarée"))
    hospitals = [text for text in paragraphs if "– FINESS ET" in text]
    assert hospitals == sorted(hospitals, key=lambda text: text.rsplit(" ", 1)[1])
    assert f"HOPITAL DE NUITS – FINESS ET {held_out.nuits.finess_et}" in hospitals
    beaune = tables[4 + hospitals.index(f"CH BEAUNE & NUITS <SUD> – FINESS ET {held_out.beaune.finess_et}")]
    assert ["Taux d'admission via les urgences", "≤ 0,15", "0,12", "Déclarée", "Atteint"] in beaune
    assert render_report(cpoms_of(held_out), YEAR, "27") == data
    assert report_filename(YEAR, "27") == f"cpom-rapport-{YEAR}-27.docx"


def test_an_empty_campaign(app):
    document = docx.Document(io.BytesIO(render_report([], YEAR)))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert f"Aucun CPOM en vigueur en {YEAR} dans ce périmètre." in paragraphs
    assert any(text.startswith("toutes régions") for text in paragraphs)
