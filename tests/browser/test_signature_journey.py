"""From a drafted convention to « Signée » on its page: negotiation, signature request, upload of the signed PDF
(checked, its report shown), then the signature date; the page ends « Signée » and « En vigueur »."""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from registry.conventions.lifecycle import RULES
from registry.core.french import french_date, french_datetime
from tests.conventions.builders import SIGNED_ON, drafted_convention
from tests.conventions.lifecycle_helpers import SIGNER, signed_copies, signed_pdf
from tests.factories import PASSWORD
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

#: The buttons are the transition table's labels.
NEGOTIATE = RULES[("brouillon", "en_negociation")].label
SEND = RULES[("en_negociation", "a_signer")].label
SIGN = RULES[("a_signer", "signee")].label


@pytest.fixture
def signed_file(tmp_path):
    """The signed PDF, made before Playwright starts: pyHanko runs its own event loop, Playwright's would clash."""
    path = tmp_path / "convention signée.pdf"
    path.write_bytes(signed_pdf())
    return path


def test_sign_a_convention_from_its_page(signed_file, drafting, live_server, browser_page, screenshot):
    convention = drafted_convention(drafting.hospital, drafting.ehpad, actor=drafting.staff)
    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(drafting.staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.goto(f"{live_server}/conventions/{convention.id}")
    cycle = page.locator("section#cycle")
    actions = page.locator("section#actions")
    expect(page.get_by_role("heading", level=1)).to_contain_text("EHPAD LE CHAMP DE MARS")
    expect(cycle).to_contain_text("Brouillon")
    expect(actions.get_by_role("button")).to_have_text([NEGOTIATE, "Abandonner et supprimer"])
    screenshot(page, "40-convention-brouillon")
    actions.get_by_role("button", name=NEGOTIATE).click()

    expect(page.get_by_role("status")).to_contain_text(
        f"La convention {convention.reference} est maintenant « En négociation »")
    expect(actions.get_by_role("button", name=SEND)).to_be_visible()
    screenshot(page, "41-convention-en-negociation")
    actions.get_by_role("button", name=SEND).click()

    expect(page.get_by_role("status")).to_contain_text("« À signer »")
    expect(actions).to_contain_text("Copie signée : à déposer d'abord")
    screenshot(page, "42-convention-a-signer")
    page.get_by_label("Copie signée (PDF)").set_input_files(signed_file)
    page.get_by_role("button", name="Déposer la copie signée").click()

    expect(page.get_by_role("status")).to_contain_text("Copie signée v1 déposée : intègre, certificat non vérifié")
    report = page.locator("#verification")
    expect(report).to_contain_text("Résultat : intègre, certificat non vérifié")
    signatures = page.get_by_role("table", name=re.compile("Signatures électroniques de la copie v1"))
    # The signing time is the PDF's own (written by pyHanko when the test signed it), shown as the pages write times.
    (copy,) = signed_copies(convention)
    signed_at = french_datetime(datetime.fromisoformat(copy.signature_report["signatures"][0]["signing_time"]))
    expect(signatures.get_by_role("row").nth(1)).to_contain_text(
        re.compile(rf"{SIGNER}\s+{re.escape(signed_at)}\s+Oui\s+Non\s+certificat non vérifié"))
    screenshot(page, "43-convention-copie-deposee")
    page.get_by_label("Date de signature").fill(SIGNED_ON.isoformat())
    actions.get_by_role("button", name=SIGN).click()

    expect(page.get_by_role("status")).to_contain_text("« Signée »")
    header = page.locator("main > div.mb-4").first
    expect(header).to_contain_text("Signée")
    expect(header).to_contain_text("En vigueur")
    expect(cycle).to_contain_text(re.compile(rf"Signée le\s*{french_date(SIGNED_ON)}"))
    expect(actions.get_by_role("button")).to_have_text(["Résilier", "Enregistrer la transmission"])
    expect(page.get_by_role("button", name="Créer un avenant")).to_be_visible()
    expect(page.locator("#historique")).to_contain_text(re.compile(r"« À signer » →\s*vers « Signée »"))
    screenshot(page, "44-convention-signee")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Télécharger la copie signée v1")).click()
    assert download_info.value.suggested_filename == f"{convention.reference} signée v1.pdf"
