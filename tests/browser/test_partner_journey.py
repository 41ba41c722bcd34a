"""Log in, search the registry, open a hospital, add a partner through the real forms, see it listed."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from registry.extensions import db
from registry.hospitals.models import Partnership
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_add_a_partner_from_the_registry(live_server, browser_page, screenshot, make_organisation, make_hospital,
                                         make_partnership, make_user):
    hospital = make_hospital(make_organisation(
        name="CH DE SEMUR", long_name="CENTRE HOSPITALIER DE SEMUR", category_code="106",
        category_label="Centre hospitalier, ex Hôpital local", city="SEMUR EN AUXOIS", departement="21"))
    make_hospital(make_organisation(name="CH DE MONTBARD", category_code="106", city="MONTBARD", departement="21"))
    make_partnership(hospital, make_organisation(name="CHU DIJON BOURGOGNE", category_code="101",
                                                 category_label="Centre Hospitalier Régional (C.H.R.)"),
                     themes=["orientation", "telemedecine"], notes="Consultations avancées de cardiologie.")
    ehpad = make_organisation(name="EHPAD LES TILLEULS", category_code="500", category_label="EHPAD",
                              address="3 RUE DES TILLEULS", city="SEMUR EN AUXOIS", phone="0380000000",
                              latitude=47.49, longitude=4.33)
    admin = make_user("admin", email="admin@example.fr")
    db.session.commit()
    page = browser_page

    page.goto(f"{live_server}/connexion")
    screenshot(page, "01-connexion")
    page.get_by_label("Adresse électronique").fill(admin.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hôpitaux de proximité")
    screenshot(page, "02-hopitaux")

    page.get_by_role("link", name="Établissements").click()
    page.get_by_label("Nom de l'établissement").fill("tilleuls")
    page.get_by_role("button", name="Rechercher").click()
    results = page.get_by_role("table", name="Établissements correspondant à la recherche")
    expect(results.get_by_role("row", name=re.compile("EHPAD LES TILLEULS"))).to_be_visible()
    screenshot(page, "03-recherche")
    results.get_by_role("link", name="Fiche de EHPAD LES TILLEULS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("EHPAD LES TILLEULS")
    screenshot(page, "04-etablissement")

    menu = page.get_by_role("navigation", name="Navigation principale")
    menu.get_by_role("link", name="Hôpitaux", exact=True).click()
    page.get_by_role("link", name="CENTRE HOSPITALIER DE SEMUR").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CENTRE HOSPITALIER DE SEMUR")
    expect(page.locator("#types-sans-partenaire")).to_contain_text("EHPAD")
    page.get_by_role("link", name="Ajouter un partenaire du FINESS").click()

    page.get_by_label("Nom de l'établissement").fill("tilleuls")
    page.get_by_role("button", name="Rechercher").click()
    screenshot(page, "05-recherche-partenaire")
    page.get_by_role("link", name="Ajouter EHPAD LES TILLEULS").click()
    expect(page.get_by_role("checkbox", name="EHPAD", exact=True)).to_be_checked()
    page.get_by_role("checkbox", name="Retour et maintien à domicile").check()
    page.get_by_label("Date de début").fill("2023-01-15")
    page.get_by_label("Notes").fill("Convention signée sur papier en janvier 2023.")
    screenshot(page, "06-ajout-partenaire")
    page.get_by_role("button", name="Ajouter le partenaire").click()

    expect(page.get_by_role("status").filter(has_text="EHPAD LES TILLEULS est ajouté aux partenaires")).to_be_visible()
    ehpad_group = page.locator("#type-ehpad")
    expect(ehpad_group.get_by_role("link", name="EHPAD LES TILLEULS", exact=True)).to_be_visible()
    expect(ehpad_group).to_contain_text("depuis le 15 janvier 2023")
    expect(ehpad_group).to_contain_text("Aucune convention")
    expect(page.locator("#types-sans-partenaire")).not_to_contain_text("EHPAD")
    expect(page.locator("section[aria-labelledby=historique]")).to_contain_text(
        "Partenaire ajouté : EHPAD LES TILLEULS")
    screenshot(page, "07-hopital")

    ehpad_group.get_by_role("link", name="EHPAD LES TILLEULS", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("EHPAD LES TILLEULS")
    screenshot(page, "08-partenariat")
    page.get_by_role("link", name="CENTRE HOSPITALIER DE SEMUR").click()
    page.get_by_role("link", name="Modifier le profil").click()
    screenshot(page, "09-profil")

    db.session.rollback()
    partnership = db.session.scalar(select(Partnership).where(Partnership.partner_id == ehpad.id))
    assert partnership is not None and partnership.hospital_id == hospital.id
    assert partnership.partner_types == ["ehpad"] and partnership.themes == ["retour_domicile"]
