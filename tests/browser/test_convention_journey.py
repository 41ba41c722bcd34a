"""From the partner page to the Word draft: choose a template, fill the prefilled form, download the .docx."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from registry.documents.text import document_text
from tests.factories import PASSWORD
from tests.web.convention_helpers import drafting  # noqa: F401

pytestmark = pytest.mark.browser


def test_draft_a_convention_from_a_partner_page(live_server, browser_page, screenshot, drafting):
    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(drafting.staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # a user of one hospital lands on its page
    expect(page.get_by_role("heading", level=1)).to_have_text("CH D'IS-SUR-TILLE")
    expect(page.locator("section[aria-labelledby=conventions]")).to_contain_text("Aucune convention enregistrée")
    page.locator("#type-second_recours").get_by_role("link", name="CHU DIJON BOURGOGNE", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CHU DIJON BOURGOGNE")
    page.get_by_role("link", name="Rédiger une convention").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rédiger une convention")
    first = page.get_by_role("listitem").filter(has=page.get_by_role("article")).first
    expect(first).to_contain_text("Suggéré pour ce partenaire")
    screenshot(page, "10-choix-modele")
    page.get_by_role("link", name=re.compile("Utiliser ce modèle : Second recours")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle convention")
    expect(page.get_by_role("checkbox", name="CHU DIJON BOURGOGNE")).to_be_checked()
    expect(page.get_by_role("checkbox", name="EHPAD LE CHAMP DE MARS")).not_to_be_checked()
    expect(page.get_by_label("Lieu de signature")).to_have_value("Is-sur-Tille")
    page.get_by_label("Date d'effet").fill("2027-01-01")
    page.get_by_label("Nom du signataire pour CH D'IS-SUR-TILLE").fill("Marie Durand")
    page.get_by_label("Qualité du signataire pour CH D'IS-SUR-TILLE").fill("Directrice")
    page.get_by_label("Nom du signataire pour CHU DIJON BOURGOGNE").fill("Paul Martin")
    page.get_by_label("Qualité du signataire pour CHU DIJON BOURGOGNE").fill("Directeur général")
    page.get_by_role("checkbox", name="Postes médicaux partagés").check()
    screenshot(page, "11-formulaire-convention")
    page.get_by_role("button", name="Produire le projet de convention").click()

    expect(page.get_by_role("alert").filter(has_text="Le formulaire n'a pas été enregistré")).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text("Spécialités des consultations avancées")
    expect(page.get_by_label("Nom du signataire pour CHU DIJON BOURGOGNE")).to_have_value("Paul Martin")
    screenshot(page, "11-formulaire-convention-erreur")
    page.get_by_label("Spécialités des consultations avancées (une par ligne)").fill("Cardiologie\nGériatrie")
    page.get_by_role("button", name="Produire le projet de convention").click()

    reference = f"{drafting.hospital.finess_et}-2027-001"
    expect(page.get_by_role("status").filter(has_text=f"La convention {reference} est créée")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CHU DIJON BOURGOGNE")
    expect(page.get_by_role("table", name=re.compile("Projets de la convention"))).to_contain_text("v1")
    screenshot(page, "12-convention")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Télécharger le projet v1")).click()
    download = download_info.value
    assert download.suggested_filename == f"{reference} projet v1.docx"
    text = document_text(Path(download.path()).read_bytes())
    for expected in ("CHU Dijon Bourgogne", drafting.chu.partner.finess_et, "Paul Martin",
                     "1er janvier 2027", "Postes médicaux partagés", "Cardiologie",
                     "tribunal administratif territorialement compétent"):  # two public establishments
        assert expected in text, expected
    assert "R. 6111-26" not in text and "R6111-26" not in text

    page.get_by_role("link", name="Aperçu du projet v1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu du projet v1")
    expect(page.get_by_role("article")).to_contain_text("Article 1 – Objet")
    screenshot(page, "13-apercu")

    page.get_by_role("link", name="CH D'IS-SUR-TILLE").click()
    conventions = page.get_by_role("table", name=re.compile("Conventions de l'hôpital"))
    expect(conventions).to_contain_text(reference)
    expect(conventions).to_contain_text("Brouillon")
    screenshot(page, "14-hopital-conventions")
