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


def test_add_a_partner_outside_finess_with_its_commune_by_name(live_server, browser_page, screenshot,
                                                               make_organisation, make_hospital, make_user):
    hospital = make_hospital(make_organisation(
        name="CH D'IS-SUR-TILLE", long_name="CENTRE HOSPITALIER D'IS-SUR-TILLE", category_code="106",
        category_label="Centre hospitalier, ex Hôpital local", city="IS SUR TILLE", departement="21"))
    staff = make_user("hospital", email="juriste@example.fr", organisations=[hospital.organisation])
    db.session.commit()
    page = browser_page

    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/hopitaux/{hospital.finess_et}")
    page.get_by_role("link", name="Ajouter un partenaire hors FINESS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un partenaire hors FINESS")

    page.get_by_label("Nom du partenaire").fill("CPTS du Haut Auxois")
    page.get_by_label("SIRET").fill("81234567800013")
    page.get_by_label("Adresse du siège").fill("3 rue de la Gare")
    commune = page.get_by_label("Commune", exact=True)
    commune.press_sequentially("Is-sur")  # the list of proposals fills from the server
    expect(page.locator("#communes-proposees option")).to_have_count(1, timeout=30_000)  # first read of the list
    expect(page.locator("#communes-proposees option")).to_have_attribute("value", "Is-sur-Tille (21)")
    commune.fill("Is-sur-Tille (21)")
    page.get_by_label("Représentant légal", exact=True).fill("Mme Claire Martin")
    page.get_by_label("Fonction du représentant légal").fill("présidente")
    page.get_by_role("checkbox", name="CPTS", exact=True).check()
    screenshot(page, "10-partenaire-hors-finess")
    page.get_by_role("button", name="Créer et ajouter le partenaire").click()

    expect(page.get_by_role("status").filter(has_text="CPTS du Haut Auxois est ajouté aux partenaires")).to_be_visible()
    row = page.locator("tr[id^=partenariat-]").filter(has_text="CPTS du Haut Auxois")
    expect(row).to_contain_text("Is-sur-Tille (21120)")
    row.get_by_role("link", name="CPTS du Haut Auxois", exact=True).click()
    expect(page.locator("dl").first).to_contain_text("3 rue de la Gare21120 Is-sur-Tille (code INSEE 21317)")  # a line break
    expect(page.locator("dl").first).to_contain_text("Mme Claire Martin, présidente")

    page.get_by_role("link", name="Modifier les coordonnées").click()
    expect(page.get_by_label("Commune", exact=True)).to_have_value("Is-sur-Tille (21)")
    page.get_by_label("Commune", exact=True).fill("Saint-Rémy")
    page.get_by_label("Code postal").fill("")
    page.get_by_label("Département").select_option("")  # « D'après la commune »
    page.get_by_role("button", name="Enregistrer le partenaire").click()
    expect(page.get_by_role("alert")).to_contain_text("Plusieurs communes portent le nom « Saint-Rémy »")
    page.get_by_label("Commune", exact=True).fill("Saint-Rémy (21)")
    page.get_by_role("button", name="Enregistrer le partenaire").click()
    expect(page.locator("dl").first).to_contain_text("21500 Saint-Rémy (code INSEE 21568)")
    screenshot(page, "11-partenaire-hors-finess-coordonnees")
