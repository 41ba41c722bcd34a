"""The texts in force, in a real browser: the ARS records the GHT support on the profile; the hospital registers
its partners' convention (L6111-3-2) with its signed PDF, sees it « à risque » because not yet sent to the ARS,
records the transmission, and sees the requirement met; the ARS finds it on the dashboard."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from registry.extensions import db
from tests.clock import TODAY
from tests.factories import PASSWORD
from tests.signatures.pdf_factory import make_identity, signed_pdf

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_file(tmp_path):
    """Made before Playwright starts: pyHanko runs its own event loop."""
    path = tmp_path / "convention-partenaires.pdf"
    path.write_bytes(signed_pdf(make_identity("Claire Martin")))
    return path


def sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_the_partners_convention_from_registration_to_transmission(signed_file, live_server, browser_page,
                                                                   screenshot, make_organisation, make_hospital,
                                                                   make_partnership, make_user):
    hospital = make_hospital(make_organisation(name="CH DE SEMUR", category_code="106", city="SEMUR EN AUXOIS",
                                               departement="21"), listed_on=TODAY - timedelta(days=200))
    make_partnership(hospital, make_organisation(name="CPTS DE L'AUXOIS", category_code="604"),
                     partner_types=["cpts"])
    staff = make_user("hospital", organisations=[hospital.organisation])
    ars = make_user("ars", region="27")
    db.session.commit()
    page = browser_page

    sign_in(page, live_server, ars.email)
    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}/profil")
    page.get_by_label("Établissement support du GHT").select_option("self")
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_role("status")).to_contain_text("Le profil de l'hôpital est enregistré.")
    expect(page.locator("section[aria-labelledby=profil]")).to_contain_text(
        "l'hôpital relève de l'établissement support lui-même")

    sign_in(page, live_server, staff.email)
    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}/conventions/enregistrer")
    page.get_by_role("checkbox", name="CPTS DE L'AUXOIS").check()
    page.get_by_label("Date d'effet").fill((TODAY - timedelta(days=30)).isoformat())
    page.get_by_label("Durée (en mois)").fill("60")
    page.get_by_role("checkbox", name="CPTS", exact=True).check()
    page.get_by_role("checkbox", name="Permanence des soins ambulatoires (PDSA)").check()
    page.get_by_role("checkbox", name=re.compile(r"\(art\. L6111-3-2\)")).check()
    page.get_by_label("Date de signature").fill((TODAY - timedelta(days=35)).isoformat())
    page.get_by_label("Copie signée (PDF)").set_input_files(signed_file)
    screenshot(page, "60-enregistrer-convention-l6111-3-2")
    page.get_by_role("button", name="Enregistrer la convention signée").click()
    expect(page.get_by_role("status")).to_contain_text("est enregistrée comme signée")
    expect(page.locator("section[aria-labelledby=termes]")).to_contain_text("Convention de l'hôpital de proximité avec ses partenaires")
    convention_url = page.url

    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}/conformite")
    partners = page.locator("section[aria-labelledby=l6111_3_2]")
    expect(partners).to_contain_text("À risque")
    expect(partners).to_contain_text("transmission à l'ARS à enregistrer")
    expect(page.locator("section[aria-labelledby=l6111_3_3]")).to_contain_text("Non requis")
    screenshot(page, "61-conformite-non-transmise")

    page.goto(convention_url)
    page.get_by_label("Date de transmission à l'ARS").fill(TODAY.isoformat())
    page.get_by_role("button", name="Enregistrer la transmission").click()
    expect(page.get_by_role("status")).to_contain_text("Transmission à l'ARS enregistrée")

    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}/conformite")
    expect(page.locator("section[aria-labelledby=l6111_3_2]")).to_contain_text("Satisfait")
    expect(page.locator("section[aria-labelledby=l6111_3_2]")).to_contain_text("Transmise à l'ARS le")

    sign_in(page, live_server, ars.email)
    page.goto(f"{live_server}/conformite")
    page.get_by_label("Exigence", exact=True).select_option("l6111_3_2")
    page.get_by_label("Verdict", exact=True).select_option("satisfait")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("status")).to_contain_text("1 hôpital de proximité avec le verdict « Satisfait »")
    expect(page.get_by_role("table", name=re.compile("Verdict de chaque exigence"))).to_contain_text("CH DE SEMUR")
    screenshot(page, "62-tableau-de-bord-l6111-3-2")
