"""The CPOM follow-up in a real browser: the ARS records a hospital's CPOM and chooses two engagements from the
catalogue (the emergency-admissions ratio with a target of at most 0.3, and a yes/no one); the hospital declares
the ratio from its numerator and denominator with a PDF proof, and answers the yes/no one; the ARS asks for proof of
the latter and validates the ratio, which then shows « Validée » and is locked; the campaign page reads well on a
phone."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from registry.extensions import db
from tests.browser.test_texts_in_force_journey import sign_in
from tests.clock import TODAY

pytestmark = pytest.mark.browser

START = date(TODAY.year - 1, 1, 1)
YEAR = START.year
RATIO = "Taux d'admission via les urgences"
YES_NO = "Procédure écrite sur le thème"


@pytest.fixture
def proof_file(tmp_path):
    path = tmp_path / "admissions-urgences.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return path


def engagement_card(page, label):
    return page.locator("article", has=page.get_by_role("heading", name=label, exact=True))


def add_engagement(page, indicator, comparator, value=None):
    page.get_by_text("Ajouter un engagement du catalogue").click()
    form = page.get_by_role("form", name="Ajouter un engagement au CPOM")
    form.get_by_label("Engagement du catalogue").select_option(indicator)
    form.get_by_label("Cible", exact=True).select_option(comparator)
    if value is not None:
        form.get_by_label("Valeur cible").fill(value)
    form.get_by_role("button", name="Ajouter l'engagement").click()


def test_a_cpom_from_the_catalogue_to_a_validated_value(proof_file, live_server, browser_page, screenshot,
                                                        make_organisation, make_hospital, make_user):
    hospital = make_hospital(make_organisation(name="CH DE SEMUR", category_code="106", city="SEMUR EN AUXOIS",
                                               departement="21"))
    staff = make_user("hospital", organisations=[hospital.organisation])
    ars = make_user("ars", region="27")
    db.session.commit()
    page = browser_page

    # The ARS records the CPOM from the hospital's page and chooses two engagements.
    sign_in(page, live_server, ars.email)
    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}")
    page.get_by_role("link", name="Voir le suivi du CPOM").click()
    expect(page.get_by_role("heading", name=re.compile("^CPOM de CH DE SEMUR"), level=1)).to_be_visible()
    page.get_by_label("Date de signature").fill(START.isoformat())
    page.get_by_label("Date d'effet").fill(START.isoformat())
    page.get_by_role("button", name="Enregistrer le CPOM").click()
    expect(page.get_by_role("status")).to_contain_text("Choisissez maintenant ses engagements.")
    expect(page.locator("dl").first).to_contain_text(f"31 décembre {YEAR + 4}")
    add_engagement(page, "admissions_urgences", "<=", "0,3")
    expect(page.get_by_role("status")).to_contain_text(f"Engagement « {RATIO} » ajouté au CPOM.")
    add_engagement(page, "entrees_sorties", "present")
    expect(page.get_by_role("status")).to_contain_text(f"Engagement « {YES_NO} » ajouté au CPOM.")
    expect(page.get_by_role("table").first).to_contain_text("≤ 0,3")
    screenshot(page, "70-cpom-engagements")

    # The hospital declares the ratio with a proof, and answers the yes/no engagement.
    sign_in(page, live_server, staff.email)
    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}/cpom")
    expect(page.get_by_role("heading", name=f"À déclarer pour {YEAR}")).to_be_visible()
    ratio = engagement_card(page, RATIO)
    ratio.get_by_label("Numérateur").fill("250")
    ratio.get_by_label("Dénominateur").fill("1000")
    ratio.get_by_role("button", name="Déclarer").click()
    expect(page.get_by_role("status")).to_contain_text(f"Valeur {YEAR} de « {RATIO} » déclarée.")
    ratio = engagement_card(page, RATIO)
    expect(ratio).to_contain_text("0,25 (250 / 1000)")
    expect(ratio).to_contain_text("Atteint")
    ratio.get_by_label("Preuve (PDF ou document bureautique)").set_input_files(proof_file)
    ratio.get_by_role("button", name="Déposer la preuve").click()
    expect(page.get_by_role("status")).to_contain_text("Preuve « admissions-urgences.pdf » déposée")
    expect(engagement_card(page, RATIO)).to_contain_text("Preuve fournie")
    yes_no = engagement_card(page, YES_NO)
    yes_no.get_by_label("Oui").check()
    yes_no.get_by_role("button", name="Déclarer").click()
    expect(page.get_by_role("status")).to_contain_text(f"« {YES_NO} » déclarée.")
    screenshot(page, "71-cpom-declarations")

    # The ARS asks for proof of the yes/no answer and validates the ratio: locked from then on.
    sign_in(page, live_server, ars.email)
    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}/cpom")
    yes_no = engagement_card(page, YES_NO)
    yes_no.get_by_label("Preuve attendue avant le").fill(date(TODAY.year + 1, 1, 31).isoformat())
    yes_no.get_by_role("button", name="Demander une preuve").click()
    expect(page.get_by_role("status")).to_contain_text(f"Preuve demandée avant le 31/01/{TODAY.year + 1}.")
    expect(engagement_card(page, YES_NO)).to_contain_text("Preuve demandée")
    ratio = engagement_card(page, RATIO)
    expect(ratio.get_by_role("link", name="admissions-urgences.pdf")).to_be_visible()
    ratio.get_by_label("Commentaire de l'ARS").fill("Conforme aux données PMSI.")
    ratio.get_by_role("button", name="Valider la valeur").click()
    expect(page.get_by_role("status")).to_contain_text(f"Valeur {YEAR} de « {RATIO} » : validée.")
    ratio = engagement_card(page, RATIO)
    expect(ratio).to_contain_text("Validée")
    expect(ratio).to_contain_text("Valeur validée par l'ARS : elle est verrouillée.")
    expect(ratio.get_by_role("button")).to_have_count(0)
    screenshot(page, "72-cpom-validee")

    # The hospital sees it locked too.
    sign_in(page, live_server, staff.email)
    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}/cpom")
    ratio = engagement_card(page, RATIO)
    expect(ratio).to_contain_text("Validée")
    expect(ratio.get_by_label("Numérateur")).to_have_count(0)

    # The ARS's campaign, on a phone: the tables scroll inside their frame, the page itself does not.
    sign_in(page, live_server, ars.email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/cpom/campagne")
    expect(page.get_by_role("heading", name=f"Campagne CPOM {YEAR}")).to_be_visible()
    table = page.get_by_role("table", name=re.compile(f"^Campagne {YEAR}"))
    expect(table).to_contain_text("CH DE SEMUR")
    expect(table).to_contain_text("Validée")
    expect(page.get_by_role("list", name="Compteurs de la campagne")).to_contain_text("Preuves demandées")
    expect(page.get_by_role("img", name=re.compile(f"^{RATIO}"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "73-cpom-campagne-telephone")
    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}/cpom")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "74-cpom-hopital-telephone")
