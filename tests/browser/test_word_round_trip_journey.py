"""A Word round trip: produce a new draft, receive the partner's marked-up version (a tracked insertion), compare
the two versions, see the addition marked, and download the comparison."""

import io
from datetime import date
import re
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from registry.core.storage import document_store
from registry.documents.comparison import accepted_paragraphs
from registry.extensions import db
from tests.conventions.builders import drafted_convention
from tests.factories import PASSWORD
from tests.web.convention_helpers import drafting  # noqa: F401
from tests.word_files import with_tracked_changes

pytestmark = pytest.mark.browser

FIELDS = {"specialties": ["Cardiologie"], "administrative_court": "Dijon", "signing_place": "Dijon"}


def test_receive_the_partners_version_and_compare_it(live_server, browser_page, screenshot, drafting, tmp_path):
    convention = drafted_convention(drafting.hospital, drafting.chu, actor=drafting.staff, template_code="second_recours",
                                    fields=FIELDS, effective_date=date(2027, 1, 1), duration_months=36)
    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(drafting.staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CH D'IS-SUR-TILLE")

    page.goto(f"{live_server}/conventions/{convention.id}")
    page.get_by_role("button", name="Produire un nouveau projet").click()
    expect(page.get_by_role("status").filter(has_text="Le projet v2 est produit.")).to_be_visible()

    db.session.expire_all()
    generated = accepted_paragraphs(document_store().read(convention.drafts[-1].sha256))
    partner_file = tmp_path / "retour du CHU.docx"
    partner_file.write_bytes(with_tracked_changes(
        generated, [("keep", "Les parties se réunissent "), ("ins", "chaque trimestre pour un bilan commun.")]))
    page.get_by_text("Déposer une version reçue du partenaire (Word)").click()
    upload = page.get_by_role("form", name="Déposer une version reçue du partenaire")
    upload.get_by_label("Document Word reçu du partenaire (.docx)").set_input_files(str(partner_file))
    upload.get_by_label("Commentaire sur cette version (facultatif)").fill("Retour du service juridique du CHU")
    upload.get_by_role("button", name="Déposer la version du partenaire").click()

    expect(page.get_by_role("status").filter(has_text="projet v3")).to_be_visible()
    versions = page.get_by_role("table", name=re.compile("Projets de la convention"))
    expect(versions).to_contain_text("Version reçue du partenaire")
    expect(versions).to_contain_text("Retour du service juridique du CHU")
    screenshot(page, "30-versions-convention")

    form = page.get_by_role("form", name="Comparer deux versions")
    expect(form.get_by_label("Comparer la version")).to_have_value("2")
    expect(form.get_by_label("avec la version")).to_have_value("3")
    form.get_by_role("button", name="Comparer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Comparaison du projet v2 et du projet v3")
    expect(page.get_by_role("status")).to_contain_text("1 paragraphe ajouté")
    addition = page.locator("article ins").filter(has_text="chaque trimestre pour un bilan commun.")
    expect(addition).to_be_visible()
    expect(addition).to_contain_text("Ajout :")  # said in words, not by colour only
    expect(page.locator("#vue-acceptee")).to_contain_text("lues acceptées")
    screenshot(page, "31-comparaison")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Télécharger la comparaison")).click()
    download = download_info.value
    assert download.suggested_filename == f"{convention.reference} comparaison v2-v3.docx"
    document = docx.Document(io.BytesIO(Path(download.path()).read_bytes()))
    assert document.paragraphs[0].text == "Comparaison du projet v2 et du projet v3"
    added = [run for p in document.paragraphs for run in p.runs if "chaque trimestre" in run.text]
    assert added and added[0].font.underline
