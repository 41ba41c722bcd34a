"""The administrator's journey in a real browser: create a hospital account on « Utilisateurs », hand its owner the
one-time link, the owner chooses a password and signs in, the administrator deactivates the account and its open
session ends at its next page, and « Journal » shows what happened, filtered by kind of action."""

import pytest
from playwright.sync_api import expect

from registry.extensions import db
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

OWNER_PASSWORD = "une phrase de passe pour la juriste"


def sign_in(page, live_server, email: str, password: str) -> None:
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def test_an_account_from_creation_to_deactivation(live_server, browser_page, screenshot, make_organisation,
                                                  make_hospital, make_user):
    hospital = make_hospital(make_organisation(name="CH DE MONTBARD", category_code="106", departement="21"))
    admin = make_user("admin", email="chef@ars-bfc.fr")
    db.session.commit()
    finess = hospital.finess_et

    page = browser_page
    sign_in(page, live_server, admin.email, PASSWORD)
    expect(page.get_by_role("status").filter(has_text="Bienvenue")).to_be_visible()
    page.goto(f"{live_server}/admin/utilisateurs/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Adresse électronique").fill("juriste@ch-montbard.fr")
    page.get_by_label("Nom affiché").fill("Juriste de Montbard")
    page.get_by_label("Rôle").select_option(label="Établissement")
    page.get_by_label("Établissements (compte établissement)").fill("123")
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.locator("#erreurs")).to_contain_text("Le numéro FINESS « 123 » doit compter 9 caractères")
    page.get_by_label("Établissements (compte établissement)").fill(finess)
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compte créé")
    link = page.get_by_label("Lien à usage unique").input_value()
    assert link.startswith(f"{live_server}/compte/nouveau-mot-de-passe/")
    screenshot(page, "admin-compte-cree")

    # The owner, in their own browser, sets a password through the link and signs in.
    owner_context = page.context.browser.new_context(locale="fr-FR")
    try:
        owner = owner_context.new_page()
        owner.goto(link)
        expect(owner.get_by_role("heading", level=1)).to_have_text("Choisir un mot de passe")
        owner.get_by_label("Nouveau mot de passe").first.fill(OWNER_PASSWORD)
        owner.get_by_label("Nouveau mot de passe, à nouveau").fill(OWNER_PASSWORD)
        owner.get_by_role("button", name="Enregistrer le mot de passe").click()
        expect(owner.get_by_role("status").filter(has_text="Mot de passe enregistré")).to_be_visible()
        assert owner.goto(link).status == 404  # the link served once
        sign_in(owner, live_server, "juriste@ch-montbard.fr", OWNER_PASSWORD)
        expect(owner.get_by_role("heading", level=1)).to_have_text("CH DE MONTBARD")

        # The administrator deactivates the account: the owner's session ends at their next page.
        page.goto(f"{live_server}/admin/utilisateurs/")
        page.get_by_role("link", name="Gérer le compte juriste@ch-montbard.fr").click()
        page.get_by_role("button", name="Désactiver le compte").click()
        expect(page.get_by_role("status").or_(page.get_by_role("alert")).filter(
            has_text="juriste@ch-montbard.fr").first).to_be_visible()
        expect(page.locator(".badge", has_text="Désactivé")).to_be_visible()
        owner.goto(f"{live_server}/hopitaux/{finess}")
        expect(owner.get_by_role("heading", level=1)).to_have_text("Connexion")
        sign_in(owner, live_server, "juriste@ch-montbard.fr", OWNER_PASSWORD)
        expect(owner.get_by_role("heading", level=1)).to_have_text("Connexion")  # still refused
    finally:
        owner_context.close()

    # The journal tells the story, filtered to accounts.
    page.goto(f"{live_server}/journal/")
    page.get_by_label("Type d'action").select_option(label="Comptes et jetons")
    page.get_by_role("button", name="Filtrer").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("juriste@ch-montbard.fr")
    rows = table.locator("tbody tr")
    assert rows.count() >= 3  # created, password set, deactivated
    page.get_by_label("Type d'action").select_option(label="Connexions et verrouillages")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("table")).to_contain_text("juriste@ch-montbard.fr")
    screenshot(page, "admin-journal")

