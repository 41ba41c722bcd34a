"""Changing a convention in a real browser: create one, « Modifier » a field, produce a new draft that shows it;
then, on a signed convention, « Corriger » its effective date with a reason and read the correction in the
timeline."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from registry.conventions import lifecycle
from registry.documents.text import document_text
from tests.conventions.builders import drafted_convention
from tests.factories import PASSWORD
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def signed(drafting):
    """Signed before Playwright starts: pyHanko runs its own event loop, Playwright's would clash."""
    return drafted_convention(drafting.hospital, drafting.chu, actor=drafting.staff, status=lifecycle.SIGNEE)


def test_edit_a_draft_then_correct_a_signed_convention(drafting, signed, live_server, browser_page, screenshot):
    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(drafting.staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CH D'IS-SUR-TILLE")

    # create a convention through the drafting form (its draft v1 is produced with it)
    page.goto(f"{live_server}/hopitaux/{drafting.hospital.finess_et}/conventions/nouvelle/ehpad"
              f"?partenariat={drafting.ehpad.id}")
    page.get_by_label("Date d'effet").fill("2027-01-01")
    page.get_by_role("button", name="Produire le projet de convention").click()
    expect(page.get_by_role("status").filter(has_text="est créée")).to_be_visible()

    # « Modifier »: the form shows the convention's values; change the place of signature
    page.get_by_role("link", name="Modifier", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Modifier la convention")
    expect(page.get_by_label("Lieu de signature")).to_have_value("Is-sur-Tille")
    expect(page.get_by_label("Date d'effet")).to_have_value("2027-01-01")
    page.get_by_label("Lieu de signature").fill("Dijon")
    screenshot(page, "60-modifier-convention")
    page.get_by_role("button", name="Enregistrer les modifications").click()

    expect(page.get_by_role("status")).to_contain_text("est modifiée")
    history = page.locator("section#historique")
    expect(history).to_contain_text("Modification")
    expect(history).to_contain_text(re.compile(r"Lieu de signature.*Dijon \(auparavant : Is-sur-Tille\)"))
    page.get_by_role("button", name="Produire un nouveau projet").click()
    expect(page.get_by_role("table", name=re.compile("Projets de la convention"))).to_contain_text("v2")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Télécharger le projet v2")).click()
    text = document_text(Path(download_info.value.path()).read_bytes())
    assert "Fait à Dijon" in text and "Is-sur-Tille, le" not in text

    # « Corriger » a signed convention: the reason is required, then the timeline shows the correction
    page.goto(f"{live_server}/conventions/{signed.id}")
    expect(page.get_by_role("link", name="Modifier", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Corriger une erreur de saisie").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Corriger la convention")
    page.get_by_label("Date d'effet").fill("2025-02-01")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_role("alert").filter(has_text="Le formulaire n'a pas été enregistré")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez le motif de la correction.")
    page.get_by_label("Motif de la correction").fill("Date d'effet mal recopiée du document signé")
    screenshot(page, "61-corriger-convention")
    page.get_by_role("button", name="Enregistrer la correction").click()

    expect(page.get_by_role("status")).to_contain_text("La correction de la convention")
    history = page.locator("section#historique")
    row = history.get_by_role("row").filter(has_text="Correction")
    expect(row).to_contain_text("Motif : Date d'effet mal recopiée du document signé")
    expect(row).to_contain_text(re.compile(r"Date d'effet : 1er février 2025 \(auparavant : 1er janvier \d{4}\)"))
    expect(page.locator("section[aria-labelledby=termes]")).to_contain_text("1er février 2025")
    screenshot(page, "62-correction-historique")
