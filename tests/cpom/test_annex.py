"""The CPOM annex « Volet lien ville-hôpital »: filled from the Word template in the sandbox, every engagement by
theme with its target and history, applicability, linked conventions and their own state, the source; opens in
LibreOffice when it is installed."""

import io
import shutil
import subprocess

import docx
import pytest
from pypdf import PdfReader

from registry.conventions.lifecycle import STATE_LABELS
from registry.conventions.statuses import Status
from registry.core.french import french_date
from registry.cpom.annex import TEMPLATE, annex_filename, context, render_annex
from registry.cpom.annex_template import build_template
from registry.cpom.catalogue import SOURCE_SHEET
from tests.cpom.conftest import START, YEAR


def text_of(data: bytes) -> tuple[list[str], list[str]]:
    """The paragraphs of the body and the texts of every table cell."""
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [paragraph.text for paragraph in document.paragraphs], cells


@pytest.fixture
def annex(held_out):
    return render_annex(held_out.cpoms.beaune)


def test_the_establishment_its_sites_and_dates(held_out, annex):
    paragraphs, cells = text_of(annex)
    cpom = held_out.cpoms.beaune
    finess_ej = held_out.beaune.organisation.finess_ej

    assert paragraphs[0] == "Annexe au contrat pluriannuel d'objectifs et de moyens"
    assert f"CH BEAUNE & NUITS <SUD> – FINESS EJ {finess_ej} – CPOM n° {cpom.id}" in paragraphs
    assert {"CH BEAUNE & NUITS <SUD>", finess_ej, "Bourgogne-Franche-Comté"} <= set(cells)
    for site in (held_out.beaune, held_out.nuits):
        assert site.finess_et in cells and site.name in cells
    assert {"BEAUNE", "NUITS-SAINT-GEORGES"} <= set(cells)
    assert french_date(START) in cells and french_date(cpom.ends_on) in cells and "5 ans" in cells
    assert french_date(cpom.midterm_due) in cells
    # the avenant
    assert "1" in cells and "Cible du taux d'admission via les urgences abaissée" in cells
    assert not any("{{" in text or "{%" in text for text in paragraphs + cells)


def test_every_engagement_by_theme_with_target_history_and_applicability(held_out, annex):
    paragraphs, cells = text_of(annex)

    themes = [text for text in paragraphs if text in ("Communication + Information",
                                                      "Coordination / Parcours / Transversalité")]
    assert themes == ["Communication + Information", "Coordination / Parcours / Transversalité"]
    assert ("Faciliter les entrées et sorties d'établissement et favoriser le maintien au domicile" in paragraphs)
    assert "Taux d'admission via les urgences" in cells and "Indice de performance de la durée moyenne de séjour " \
                                                           "(IP-DMS)" in cells
    assert "≤ 0,15" in cells and "≥ 5 %" in cells and "à négocier" in cells
    assert any(cell.startswith("Avenant n° 1 du ") and f"à compter de {YEAR} : ≤ 0,2 → ≤ 0,15" in cell
               and "(Filière d'admission directe ouverte)" in cell for cell in cells)
    assert cells.count("Cible du contrat initial, inchangée.") == len(held_out.cpoms.beaune.engagements) - 1
    assert "Non applicable : Pas de maison médicale de garde à proximité" in cells
    assert "Social, Réseau, Prescription, Urgence, 1er recours, Qualité de la lettre de liaison" in cells
    assert "Ratio" in cells and "% de l'effectif de praticiens hospitaliers" in cells


def test_linked_conventions_with_their_own_state_and_the_source(held_out, annex):
    paragraphs, cells = text_of(annex)
    statutory, draft = held_out.statutory, held_out.draft

    assert any(cell.startswith(f"{statutory.reference} – CPTS DU PAYS BEAUNOIS – "
                               f"{STATE_LABELS[statutory.state_on()]} (transmise à l'ARS le ") for cell in cells)
    assert f"{draft.reference} – MAISON MEDICALE DE GARDE – {Status.EN_NEGOCIATION.label}" in cells
    assert cells.count("Aucune convention liée.") == len(held_out.cpoms.beaune.engagements) - 2
    assert "Registre des conventions (application)" in cells
    assert any(cell.startswith("Déclaration de l'établissement") for cell in cells)
    assert any(SOURCE_SHEET in paragraph for paragraph in paragraphs)


def test_a_cpom_without_engagement_or_avenant(held_out, make_hospital):
    from registry.cpom import services
    from registry.extensions import db

    cpom = services.create_cpom(make_hospital(), signed_on=START, effective_on=START)
    db.session.commit()
    paragraphs, cells = text_of(render_annex(cpom))
    assert "Aucun engagement n'est inscrit au contrat." in paragraphs and "Aucun avenant." in paragraphs


def test_the_annex_is_deterministic_and_escapes_nothing_twice(held_out, annex):
    assert render_annex(held_out.cpoms.beaune) == annex
    assert context(held_out.cpoms.beaune)["establishment"]["name"] == "CH BEAUNE & NUITS <SUD>"
    assert annex_filename(held_out.cpoms.beaune) == f"cpom-{held_out.cpoms.beaune.id}-volet-lien-ville-hopital.docx"


def test_the_template_script_builds_the_same_template_every_time():
    assert build_template() == build_template()
    assert TEMPLATE.exists()
    # the shipped template is the script's first version, or a Word edit of it that still fills
    docx.Document(str(TEMPLATE))


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) n'est pas installé")
def test_libreoffice_converts_it_to_pdf(held_out, annex, tmp_path):
    source = tmp_path / "annexe.docx"
    source.write_bytes(annex)
    result = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "annexe.pdf"
    assert pdf.exists(), result.stdout + result.stderr
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "Volet « lien ville-hôpital »" in text and "CH BEAUNE & NUITS <SUD>" in text
    assert "Taux d'admission via les urgences" in text
