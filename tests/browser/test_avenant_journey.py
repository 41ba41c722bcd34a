"""From a signed convention: « Préparer un avenant », fill its object and an amended article, get its first
draft, then find the avenant listed on the convention's page with its status."""

import re

import pytest
from playwright.sync_api import expect

from registry.conventions import lifecycle
from tests.conventions.builders import drafted_convention
from tests.factories import PASSWORD
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

NEW_TEXT = "Les consultations avancées de cardiologie ont lieu le mardi matin."


@pytest.fixture
def signed(drafting):  # noqa: F811
    """Signed before Playwright starts: the signed copy is made by pyHanko, whose event loop would clash."""
    return drafted_convention(drafting.hospital, drafting.ehpad, actor=drafting.staff, status=lifecycle.SIGNEE)


def test_prepare_an_avenant_from_a_signed_convention(signed, drafting, live_server, browser_page,  # noqa: F811
                                                     screenshot):
    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(drafting.staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.goto(f"{live_server}/conventions/{signed.id}")
    page.get_by_role("link", name="Préparer un avenant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Préparer un avenant")
    page.get_by_label("Objet de l'avenant").fill("l'ouverture de consultations avancées de cardiologie")
    page.get_by_label("Article n°").first.fill("4")
    page.get_by_label("Nouvelle rédaction de l'article").first.fill(NEW_TEXT)
    screenshot(page, "50-avenant-formulaire")
    expect(page.get_by_role("button", name="Créer l'avenant et produire son projet")).to_be_visible()
    page.get_by_label("Article n°").first.press("Enter")  # Enter sends the form (it adds no article row)

    reference = f"{signed.reference}-A1"
    expect(page.get_by_role("status")).to_contain_text(f"L'avenant {reference} est créé")
    terms = page.locator("section[aria-labelledby=termes]")
    expect(terms).to_contain_text("Convention modifiée")
    expect(terms).to_contain_text(NEW_TEXT)
    expect(terms).not_to_contain_text("Préavis")
    expect(page.locator("#projets")).to_contain_text("v1")
    screenshot(page, "51-avenant-projet")
    with page.expect_download() as download_info:
        page.locator("#projets").get_by_role("link", name=re.compile("Télécharger")).first.click()
    assert download_info.value.suggested_filename == f"{reference} projet v1.docx"

    terms.get_by_role("link", name=signed.reference).click()
    avenants = page.get_by_role("table", name=re.compile("Avenants de la convention"))
    row = avenants.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("l'ouverture de consultations avancées de cardiologie")
    expect(row).to_contain_text("Brouillon")
