"""A juriste's whole negotiation in a real browser, on one convention: create it, « Modifier » a field, produce a
new draft, receive the partner's Word version (a tracked insertion), compare the two versions, send it to
signature, deposit the signed PDF and record the signature, then « Corriger » its effective date with a reason."""

import re

import pytest
from playwright.sync_api import expect

from registry.conventions.lifecycle import RULES
from registry.conventions.models import Convention
from registry.core.storage import document_store
from registry.documents.comparison import accepted_paragraphs
from registry.extensions import db
from tests.conventions.builders import SIGNED_ON
from tests.conventions.lifecycle_helpers import signed_pdf
from tests.factories import PASSWORD
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)
from tests.word_files import with_tracked_changes

pytestmark = pytest.mark.browser

NEGOTIATE = RULES[("brouillon", "en_negociation")].label
SEND = RULES[("en_negociation", "a_signer")].label
SIGN = RULES[("a_signer", "signee")].label
ADDED = "chaque trimestre pour un bilan commun."


@pytest.fixture
def signed_file(tmp_path):
    """The signed PDF, made before Playwright starts: pyHanko runs its own event loop, Playwright's would clash."""
    path = tmp_path / "convention signée.pdf"
    path.write_bytes(signed_pdf())
    return path


def test_negotiate_sign_and_correct_one_convention(drafting, signed_file, live_server, browser_page, screenshot,
                                                    tmp_path):
    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(drafting.staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CH D'IS-SUR-TILLE")

    # Create: the drafting form produces the convention and its draft v1.
    page.goto(f"{live_server}/hopitaux/{drafting.hospital.finess_et}/conventions/nouvelle/ehpad"
              f"?partenariat={drafting.ehpad.id}")
    page.get_by_label("Date d'effet").fill("2027-01-01")
    page.get_by_role("button", name="Produire le projet de convention").click()
    expect(page.get_by_role("status").filter(has_text="est créée")).to_be_visible()
    convention_url = page.url.split("#")[0]
    convention_id = int(re.search(r"/conventions/(\d+)", convention_url).group(1))

    # Edit, then a new draft (v2) with the new value.
    page.get_by_role("link", name="Modifier", exact=True).click()
    page.get_by_label("Lieu de signature").fill("Dijon")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_role("status")).to_contain_text("est modifiée")
    page.get_by_role("button", name="Produire un nouveau projet").click()
    expect(page.get_by_role("status").filter(has_text="Le projet v2 est produit.")).to_be_visible()

    # The partner sends back v2 with a tracked insertion: it becomes v3, kept as sent.
    db.session.expire_all()
    convention = db.session.get(Convention, convention_id)
    generated = accepted_paragraphs(document_store().read(convention.drafts[-1].sha256))
    partner_file = tmp_path / "retour de l'EHPAD.docx"
    partner_file.write_bytes(with_tracked_changes(generated, [("keep", "Les parties se réunissent "), ("ins", ADDED)]))
    page.get_by_text("Déposer une version reçue du partenaire (Word)").click()
    upload = page.get_by_role("form", name="Déposer une version reçue du partenaire")
    upload.get_by_label("Document Word reçu du partenaire (.docx)").set_input_files(str(partner_file))
    upload.get_by_role("button", name="Déposer la version du partenaire").click()
    expect(page.get_by_role("status").filter(has_text="projet v3")).to_be_visible()

    # Compare v2 and v3: the partner's addition is marked, in words.
    page.get_by_role("form", name="Comparer deux versions").get_by_role("button", name="Comparer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparaison du projet v2 et du projet v3")
    expect(page.locator("article ins").filter(has_text=ADDED)).to_contain_text("Ajout :")
    screenshot(page, "70-negociation-comparaison")

    # Agreed: to signature, the signed PDF, the signature date.
    page.goto(convention_url)
    actions = page.locator("section#actions")
    actions.get_by_role("button", name=NEGOTIATE).click()
    expect(page.get_by_role("status")).to_contain_text("« En négociation »")
    actions.get_by_role("button", name=SEND).click()
    expect(page.get_by_role("status")).to_contain_text("« À signer »")
    page.get_by_label("Copie signée (PDF)").set_input_files(signed_file)
    page.get_by_role("button", name="Déposer la copie signée").click()
    expect(page.get_by_role("status")).to_contain_text("Copie signée v1 déposée")
    page.get_by_label("Date de signature").fill(SIGNED_ON.isoformat())
    actions.get_by_role("button", name=SIGN).click()
    expect(page.get_by_role("status")).to_contain_text("« Signée »")
    expect(page.get_by_role("link", name="Modifier", exact=True)).to_have_count(0)  # frozen once signed

    # A typo in the effective date, found after signature: corrected with its reason, shown in the timeline.
    page.get_by_role("link", name="Corriger une erreur de saisie").click()
    page.get_by_label("Date d'effet").fill("2027-02-01")
    page.get_by_label("Motif de la correction").fill("Date d'effet mal recopiée du document signé")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_role("status")).to_contain_text("La correction de la convention")
    row = page.locator("section#historique").get_by_role("row").filter(has_text="Correction")
    expect(row).to_contain_text("Motif : Date d'effet mal recopiée du document signé")
    expect(row).to_contain_text("Date d'effet : 1er février 2027 (auparavant : 1er janvier 2027)")
    history = page.locator("section#historique")
    expect(history).to_contain_text("Modification")
    expect(history).to_contain_text(re.compile(r"« À signer » →\s*vers « Signée »"))
    screenshot(page, "71-negociation-signee-corrigee")
