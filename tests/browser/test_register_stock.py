"""A hospital registers its stock: a spreadsheet of three conventions and a ZIP of their PDFs, one row refused with
its reason in the preview; a corrected spreadsheet of two is confirmed and both conventions show « Signée »."""

import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from tests.conventions.test_bulk_import import csv_bytes, pdf, values
from tests.factories import PASSWORD
from tests.signatures.pdf_factory import make_identity, signed_pdf
from tests.web.convention_helpers import drafting  # noqa: F401

pytestmark = pytest.mark.browser


def open_hospital_page(page, live_server: str, user) -> None:
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CH D'IS-SUR-TILLE")  # their one hospital's page


def test_register_a_stock_of_conventions_from_a_spreadsheet_and_a_zip(live_server, browser_page, screenshot,
                                                                       drafting, tmp_path):
    good = [values(drafting.chu, titre="Télémédecine avec le CHU", fichier_pdf="chu-2019.pdf"),
            values(drafting.ehpad, titre="Partenariat EHPAD", types_partenaires="ehpad", themes="retour_domicile",
                   date_effet="2020-03-01", fichier_pdf="ehpad-2020.pdf", signataires_partenaires="Anne Roy",
                   qualites_signataires_partenaires="Directrice")]
    refused = values(drafting.chu, titre="Convention HAD", types_partenaires="hospitalisation_domicile",
                     fichier_pdf="had.pdf")
    first, corrected = tmp_path / "stock.csv", tmp_path / "stock-corrige.csv"
    first.write_bytes(csv_bytes([good[0], refused, good[1]]))
    corrected.write_bytes(csv_bytes(good))
    archive = tmp_path / "copies-signees.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        with ThreadPoolExecutor(1) as thread:  # pyHanko runs its own event loop; Playwright's holds this thread
            zipped.writestr("chu-2019.pdf", thread.submit(lambda: signed_pdf(make_identity())).result())
        zipped.writestr("had.pdf", pdf(1))
        zipped.writestr("ehpad-2020.pdf", pdf(2))

    page = browser_page
    open_hospital_page(page, live_server, drafting.staff)
    page.get_by_role("link", name="Importer un lot de conventions").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Importer un lot de conventions")
    page.get_by_label("Tableur des conventions (.xlsx ou .csv)").set_input_files(first)
    page.get_by_label("Archive ZIP des copies signées").set_input_files(archive)
    screenshot(page, "30-import-depot")
    page.get_by_role("button", name="Vérifier avant d'importer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu de l'import")
    expect(page.locator("#bilan")).to_contain_text("1 ligne sur 3 à corriger")
    refused_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="3", exact=True))
    expect(refused_row).to_contain_text("À corriger")
    expect(refused_row).to_contain_text("type de partenariat inconnu « hospitalisation_domicile »")
    expect(page.get_by_role("row").filter(has_text="Télémédecine avec le CHU")).to_contain_text("Prête")
    expect(page.get_by_role("button", name="Confirmer l'import")).to_be_disabled()
    screenshot(page, "31-import-apercu-refus")

    page.get_by_role("link", name="déposez-les à nouveau").click()
    expect(page.get_by_role("status").filter(has_text="attend votre confirmation")).to_be_visible()
    page.get_by_label("Tableur des conventions (.xlsx ou .csv)").set_input_files(corrected)
    page.get_by_label("Archive ZIP des copies signées").set_input_files(archive)
    page.get_by_role("button", name="Vérifier avant d'importer").click()

    expect(page.locator("#bilan")).to_contain_text("2 conventions prêtes à être enregistrées comme signées")
    expect(page.get_by_text("had.pdf")).to_be_visible()  # in the archive, cited by no row: listed, not imported
    screenshot(page, "32-import-apercu-pret")
    page.get_by_role("button", name="Confirmer l'import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("CH D'IS-SUR-TILLE")
    expect(page.get_by_role("status").filter(has_text="2 conventions enregistrées comme signées")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Conventions de l'hôpital"))
    for title in ("Télémédecine avec le CHU", "Partenariat EHPAD"):
        expect(table.get_by_role("row").filter(has_text=title)).to_contain_text("Signée")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and the two conventions
    screenshot(page, "33-hopital-conventions-importees")


def test_register_one_existing_convention_with_its_signed_pdf(live_server, browser_page, screenshot, drafting,
                                                              tmp_path):
    not_a_pdf, scan = tmp_path / "convention.pdf", tmp_path / "convention-scannee.pdf"
    not_a_pdf.write_bytes(b"PK\x03\x04 ceci est une archive renommee")
    scan.write_bytes(pdf(3))
    page = browser_page
    open_hospital_page(page, live_server, drafting.staff)
    page.get_by_role("link", name="Enregistrer une convention existante").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une convention existante")
    page.get_by_role("checkbox", name="EHPAD LE CHAMP DE MARS").check()
    page.get_by_label("Nom du signataire pour EHPAD LE CHAMP DE MARS").fill("Anne Roy")
    page.get_by_label("Intitulé de la convention").fill("Convention EHPAD de 2018")
    page.get_by_label("Date d'effet").fill("2018-01-01")
    page.get_by_label("Durée (en mois)").fill("60")
    page.get_by_role("checkbox", name="EHPAD", exact=True).check()
    page.get_by_role("checkbox", name="Retour et maintien à domicile").check()
    page.get_by_label("Date de signature").fill("2017-12-20")
    page.get_by_label("Copie signée (PDF)").set_input_files(not_a_pdf)
    screenshot(page, "20-enregistrer-formulaire")
    page.get_by_role("button", name="Enregistrer la convention signée").click()

    expect(page.get_by_role("alert").filter(has_text="Le formulaire n'a pas été enregistré")).to_contain_text(
        "Le fichier n'est pas un PDF : son contenu ressemble à une archive ZIP")
    expect(page.get_by_role("note")).to_contain_text("sélectionnez à nouveau la copie signée")
    expect(page.get_by_label("Intitulé de la convention")).to_have_value("Convention EHPAD de 2018")
    expect(page.get_by_role("checkbox", name="EHPAD LE CHAMP DE MARS")).to_be_checked()
    screenshot(page, "21-enregistrer-erreur")
    page.get_by_label("Copie signée (PDF)").set_input_files(scan)
    page.get_by_role("button", name="Enregistrer la convention signée").click()

    reference = f"{drafting.hospital.finess_et}-2018-001"
    expect(page.get_by_role("status").filter(has_text=f"La convention {reference} est enregistrée comme signée"))\
        .to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Convention EHPAD de 2018")
    expect(page.get_by_text("Signée", exact=True).first).to_be_visible()
    screenshot(page, "22-convention-enregistree")
