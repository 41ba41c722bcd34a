"""A signed copy whose signature is altered, in a real browser: the upload is set aside with a red warning and the
current copy stays; confirmed with a reason, it becomes the current copy, flagged « confirmée malgré l'alerte »."""

import re

import pytest
from playwright.sync_api import expect

from registry.conventions import lifecycle
from registry.conventions.signed_copies import attach_signed_copy
from registry.extensions import db
from tests.conventions.builders import drafted_convention
from tests.conventions.lifecycle_helpers import signed_pdf, tampered_pdf
from tests.factories import PASSWORD
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

REASON = "Original papier vérifié avec la direction de l'EHPAD"


@pytest.fixture
def altered_file(tmp_path):
    """Made before Playwright starts: pyHanko runs its own event loop, Playwright's would clash."""
    path = tmp_path / "convention altérée.pdf"
    path.write_bytes(tampered_pdf())
    return path


@pytest.fixture
def convention(drafting):
    """« À signer », with a sound copy v1 (checked by pyHanko, so before Playwright starts too)."""
    convention = drafted_convention(drafting.hospital, drafting.ehpad, actor=drafting.staff,
                                    status=lifecycle.A_SIGNER)
    attach_signed_copy(convention, signed_pdf(), actor=drafting.staff)
    db.session.commit()
    return convention


def test_an_altered_copy_is_set_aside_then_confirmed_with_a_reason(altered_file, convention, drafting, live_server,
                                                                   browser_page, screenshot):
    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(drafting.staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.goto(f"{live_server}/conventions/{convention.id}")
    expect(page.locator("#verification")).to_contain_text("Vérification de la copie v1")
    page.get_by_text("Déposer une nouvelle version de la copie signée").click()
    page.get_by_label("Copie signée (PDF)").set_input_files(altered_file)
    page.get_by_role("button", name="Déposer la nouvelle version").click()

    expect(page.locator(".alert-danger").first).to_contain_text("Copie signée v2 mise à l'écart (altérée)")
    warning = page.locator("#copie-ecartee-v2")
    expect(warning).to_contain_text("Copie v2 mise à l'écart : altérée")
    expect(warning).to_contain_text("La signature de Marie Durand est altérée")
    expect(warning).to_contain_text("la copie en vigueur reste la v1")
    expect(page.locator("#verification")).to_contain_text("Vérification de la copie v1")  # unchanged
    screenshot(page, "47-convention-copie-ecartee")

    reason = page.get_by_label("Motif de la confirmation malgré l'alerte")
    expect(reason).to_have_attribute("required", "")  # the browser asks for it; the server refuses it empty too
    reason.fill(REASON)
    page.get_by_role("button", name="Confirmer la copie v2 malgré l'alerte").click()

    expect(page.get_by_role("alert").filter(has_text="confirmée malgré l'alerte")).to_contain_text(
        "Copie signée v2 confirmée malgré l'alerte")
    expect(page.locator("#copie-ecartee-v2")).to_have_count(0)
    report = page.locator("#verification")
    expect(report).to_contain_text("Vérification de la copie v2")
    expect(page.locator("#confirmee-malgre-alerte")).to_contain_text(f"Copie confirmée malgré l'alerte : {REASON}")
    history = page.get_by_role("table", name=re.compile("Copies signées déposées"))
    expect(history.get_by_role("row").nth(1)).to_contain_text(re.compile(r"v2\s*\(actuelle\)"))
    expect(history.get_by_role("row").nth(1)).to_contain_text(f"confirmée malgré l'alerte : {REASON}")
    screenshot(page, "48-convention-copie-confirmee")
