"""The hospital page and its history on a phone (390 px): nothing makes the page wider than the screen, and each
partner's actions stay within reach without scrolling sideways."""

import re

import pytest
from playwright.sync_api import expect

from registry.audit.services import record_audit
from registry.documents.context import add_months
from registry.extensions import db
from tests.browser.test_texts_in_force_journey import sign_in
from tests.clock import TODAY
from tests.conventions.builders import signed_convention

pytestmark = pytest.mark.browser

WIDTH = 390


def _document_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_hospital_page_fits_a_phone(live_server, browser_page, screenshot, make_organisation, make_hospital,
                                        make_partnership, make_user):
    hospital = make_hospital(make_organisation(name="CH D'IS-SUR-TILLE", category_code="106", city="IS SUR TILLE",
                                               departement="21"))
    partners = [make_partnership(hospital, make_organisation(name=name, category_code=code, city=city),
                                 themes=["continuite_soins", "retour_domicile", "telemedecine"],
                                 notes="Consultations avancées de cardiologie le mardi. " * 5)
                for name, code, city in (
                    ("CTRE HOSPITALIER REG UNIVERSITAIRE DIJON BOURGOGNE", "101", "DIJON"),
                    ("SERVICE D'HOSPITALISATION A DOMICILE DU NORD COTE D'OR", "127", "IS SUR TILLE"),
                    ("EHPAD LE CHAMP DE MARS", "500", "SAINT-JULIEN-DU-SAULT-EN-BOURGOGNE"))]
    effective = add_months(TODAY, -30)
    signed_convention(hospital, partners[:1], signed_on=effective, effective_date=effective, duration_months=36,
                      tacit_renewal=True, notice_months=1)
    staff = make_user("hospital", organisations=[hospital.organisation])
    for n in range(8):
        record_audit("hospital.update", hospital, "Profil de l'hôpital modifié", hospital=hospital, actor=staff,
                     changes={"territory_communes": [[], ["21001", "21002", f"21{n:03d}"]],
                              "decision_ref": [None, "ARRETE_DG_ARS_BFC_DOS_ASPU_2022_118" * 3]})
    db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": WIDTH, "height": 844})
    sign_in(page, live_server, staff.email)
    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}")
    expect(page.get_by_role("heading", level=1)).to_have_text("CH D'IS-SUR-TILLE")
    screenshot(page, "90-hopital-telephone")
    assert _document_width(page) <= WIDTH

    table = page.locator("section[aria-labelledby=partenaires] table")
    buttons = table.get_by_role("button", name="Retirer")
    links = table.get_by_role("link", name="Modifier")
    expect(buttons).to_have_count(3)
    for control in [*buttons.all(), *links.all()]:
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    for badge in page.get_by_text("Sur le territoire", exact=True).all():
        cell = badge.locator("xpath=ancestor::th[1]").bounding_box()
        box = badge.bounding_box()
        assert box["x"] + box["width"] <= cell["x"] + cell["width"] + 0.5, (box, cell)

    page.get_by_role("link", name=re.compile(r"^Tout l'historique \(\d+ entrées\)$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Historique des modifications")
    page.wait_for_load_state("load")  # its style sheet too: a loaded machine may serve it after the page
    screenshot(page, "91-historique-telephone")
    assert _document_width(page) <= WIDTH
