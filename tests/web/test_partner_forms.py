"""Finding, adding, editing and removing a hospital's partners through the pages."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.hospitals.models import Partnership
from registry.organisations.models import Organisation
from tests.web.conftest import page, text


def _partnerships(hospital) -> list[Partnership]:
    db.session.expire_all()
    return list(db.session.scalars(select(Partnership).where(Partnership.hospital_id == hospital.id)
                                   .order_by(Partnership.id)))


def _organisations() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


@pytest.fixture
def ssr(make_organisation):
    return make_organisation(name="CLINIQUE DU CHATEAU", category_code="109", category_label="SSR",
                             city="SEMUR EN AUXOIS")


def test_find_partner_lists_results_with_an_add_button(client, scene, ssr, login):
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/partenaires/ajouter?departement=21"))
    assert f'href="/hopitaux/{scene.hdp.finess_et}/partenaires/ajouter/{ssr.id}"' in body
    rows = {re.sub(r"\s+", " ", row) for row in body.split("<tr>")}
    assert any("EHPAD LES TILLEULS" in row and "Déjà partenaire" in row for row in rows)
    assert any("CENTRE HOSPITALIER DE SEMUR" in row and "Cet hôpital" in row for row in rows)
    assert "Créez-le hors FINESS" in body


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 1}])
def test_find_partner_results_are_paginated_with_the_criteria(client, scene, ssr, login):
    login(scene.staff)
    url = f"/hopitaux/{scene.hdp.finess_et}/partenaires/ajouter"
    body = page(client.get(f"{url}?numero=21&category=500"))
    assert "1 établissement trouvé" in body  # only the EHPAD is in category 500
    body = page(client.get(f"{url}?numero=21&departement=21"))
    assert f'href="{url}?numero=21&departement=21&page=2"' in body


def test_add_form_pre_ticks_the_types_derived_from_the_category(client, scene, ssr, login):
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/partenaires/ajouter/{ssr.id}"))
    assert re.search(r'value="ssr" checked>', body)
    assert not re.search(r'value="ehpad" checked>', body)
    assert "<legend" in body and "Rôles du partenaire pour l'hôpital" in body


def test_add_a_partner(client, scene, ssr, login):
    login(scene.staff)
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/partenaires/ajouter/{ssr.id}", data={
        "partner_types": ["ssr", "usld"], "themes": ["retour_domicile", "entrees_directes"],
        "started_on": "2021-09-01", "notes": "Convention de 2021."})
    added = _partnerships(scene.hdp)[-1]
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/hopitaux/{scene.hdp.finess_et}#partenariat-{added.id}")
    assert added.partner_id == ssr.id and added.partner_types == ["ssr", "usld"]
    assert added.themes == ["retour_domicile", "entrees_directes"] and added.started_on == date(2021, 9, 1)
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "CLINIQUE DU CHATEAU est ajouté aux partenaires." in words
    assert "SSR / SMR (1) CLINIQUE DU CHATEAU" in words and "USLD (1) CLINIQUE DU CHATEAU" in words
    assert "Partenaire ajouté : CLINIQUE DU CHATEAU" in words.split("Dernières modifications", 1)[1]


@pytest.mark.parametrize("data, message", [
    ({"partner_types": []}, "Choisissez au moins un type de partenaire."),
    ({"partner_types": ["chirurgie"]}, "Type de partenaire inconnu."),
    ({"started_on": "hier"}, "Date invalide : utilisez le format JJ/MM/AAAA."),
])
def test_bad_partnership_input_re_renders_and_adds_nothing(client, scene, ssr, login, data, message):
    login(scene.staff)
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/partenaires/ajouter/{ssr.id}",
                           data={"partner_types": ["ssr"], "themes": ["pdsa"], "notes": "Texte gardé", **data})
    body = page(response)
    assert response.status_code == 200
    assert message in body and "Le formulaire n'a pas été enregistré" in body
    assert "Texte gardé</textarea>" in body and re.search(r'value="pdsa" checked>', body)
    assert len(_partnerships(scene.hdp)) == 1


def test_adding_an_existing_partner_shows_the_conflict_in_the_form(client, scene, login):
    login(scene.staff)
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/partenaires/ajouter/{scene.ehpad.id}",
                           data={"partner_types": ["ehpad"]})
    assert response.status_code == 200
    assert "EHPAD LES TILLEULS est déjà partenaire de cet hôpital." in page(response)
    assert len(_partnerships(scene.hdp)) == 1


def test_add_a_partner_outside_finess(client, scene, login):
    login(scene.staff)
    form = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/partenaires/hors-finess"))
    assert '<label class="form-label" for="siret">' in form
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/partenaires/hors-finess", data={
        "name": "CPTS DU HAUT AUXOIS", "rna": "w212001234", "departement": "21", "commune": "21603",
        "partner_types": ["cpts"], "themes": ["continuite_soins"]})
    assert response.status_code == 302
    added = _partnerships(scene.hdp)[-1]
    assert added.partner.name == "CPTS DU HAUT AUXOIS" and added.partner.rna == "W212001234"
    assert added.partner.finess_et is None and added.partner_types == ["cpts"]
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "CPTS (1) CPTS DU HAUT AUXOIS" in words and "RNA W212001234" in words


@pytest.mark.parametrize("data, message", [
    ({"siret": "", "rna": ""}, "Indiquez le SIRET ou le numéro RNA du partenaire."),
    ({"siret": "12345678901234"}, "SIRET"),
    ({"departement": ""}, "Indiquez la commune ou le département du partenaire."),
    ({"commune": "Mâcon"}, "la commune Mâcon (71) n'appartient pas au département 21"),
    ({"commune": "71270"}, "Plusieurs communes portent le code 71270 (code INSEE ou code postal)"),
    ({"commune": "Is-su"}, "Aucune commune ne correspond à « Is-su »"),
    ({"commune": "Is-sur-Tile"}, "Aucune commune ne correspond à « Is-sur-Tile » ; communes approchantes : "
                                 "Is-sur-Tille (21)."),
    ({"commune": "Sainte-Colombe", "departement": ""}, "Plusieurs communes portent le nom « Sainte-Colombe »"),
    ({"postal_code": "2112"}, "le code postal « 2112 » doit compter 5 chiffres"),
    ({"representative_name": "x" * 121}, "120 caractères au plus."),
    ({"name": ""}, "Indiquez le nom du partenaire."),
])
def test_bad_external_partner_creates_nothing(client, scene, login, data, message):
    login(scene.staff)
    organisations = _organisations()
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/partenaires/hors-finess", data={
        "name": "CPTS DU HAUT AUXOIS", "siret": "", "rna": "W212001234", "departement": "21",
        "partner_types": ["cpts"], **data})
    body = page(response)
    assert response.status_code == 200
    assert message in body and "Le formulaire n'a pas été enregistré" in body
    assert _organisations() == organisations and len(_partnerships(scene.hdp)) == 1


def test_partner_page_shows_the_partner_and_its_role(client, scene, login):
    login(scene.ars)
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}")
    words = text(response)
    assert response.status_code == 200
    assert "EHPAD LES TILLEULS" in words and "Partenaire de CENTRE HOSPITALIER DE SEMUR" in words
    assert "Retour et maintien à domicile" in words and "Sur le territoire" in words
    assert "Modifier le partenariat" not in words  # the ARS reads only


def test_edit_a_partnership(client, scene, login):
    login(scene.staff)
    url = f"/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}"
    assert re.search(r'value="retour_domicile" checked>', page(client.get(url)))
    response = client.post(url, data={"partner_types": ["ehpad", "had"], "themes": ["coordination"],
                                      "started_on": "2020-01-01", "ended_on": "2025-12-31", "notes": "Renouvelée."})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    partnership = _partnerships(scene.hdp)[0]
    assert partnership.partner_types == ["ehpad", "had"] and partnership.themes == ["coordination"]
    assert partnership.ended_on == date(2025, 12, 31) and partnership.notes == "Renouvelée."
    assert "Partenariat modifié : EHPAD LES TILLEULS" in text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/historique"))
    assert ("Thèmes : ajout de « Coordination des parcours » ; retrait de « Retour et maintien à domicile »"
            in words)


def test_end_before_start_is_refused_and_changes_nothing(client, scene, login):
    login(scene.staff)
    url = f"/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}"
    response = client.post(url, data={"partner_types": ["ehpad"], "started_on": "2024-01-01",
                                      "ended_on": "2023-01-01"})
    assert response.status_code == 200
    assert "La date de fin précède la date de début." in page(response)
    partnership = _partnerships(scene.hdp)[0]
    assert partnership.started_on is None and partnership.themes == ["retour_domicile"]


def test_remove_a_partner(client, scene, login):
    login(scene.staff)
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}/retirer")
    assert response.status_code == 302
    assert _partnerships(scene.hdp) == []
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "EHPAD LES TILLEULS ne fait plus partie des partenaires." in words
    assert "Partenaire retiré : EHPAD LES TILLEULS" in words
    assert "Aucun partenaire enregistré pour le moment." in words


def _write_calls(scene, ssr):
    base = f"/hopitaux/{scene.hdp.finess_et}/partenaires"
    return [
        ("get", f"{base}/ajouter?q=chateau", None),
        ("get", f"{base}/ajouter/{ssr.id}", None),
        ("post", f"{base}/ajouter/{ssr.id}", {"partner_types": ["ssr"]}),
        ("post", f"{base}/hors-finess", {"name": "CPTS X", "rna": "W212001234", "departement": "21",
                                         "partner_types": ["cpts"]}),
        ("post", f"{base}/{scene.partnership.id}", {"partner_types": ["had"], "notes": "changé"}),
        ("post", f"{base}/{scene.partnership.id}/retirer", None),
    ]


def _state(hospital) -> list:
    return [(p.partner_id, p.partner_types, p.themes, p.notes) for p in _partnerships(hospital)]


def test_ars_of_the_region_cannot_change_partners(client, scene, ssr, login):
    login(scene.ars)
    before = _state(scene.hdp)
    for method, url, data in _write_calls(scene, ssr):
        assert getattr(client, method)(url, data=data).status_code == 403, url
    assert _state(scene.hdp) == before


@pytest.mark.parametrize("user", ["other_staff", "ars_other"])
def test_users_out_of_scope_can_neither_read_nor_change_partners(client, scene, ssr, login, user):
    login(getattr(scene, user))
    before = _state(scene.hdp)
    for method, url, data in _write_calls(scene, ssr):
        assert getattr(client, method)(url, data=data).status_code == 404, url
    assert client.get(f"/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}").status_code == 404
    assert _state(scene.hdp) == before


def test_a_partnership_of_another_hospital_is_not_found_under_ones_own(client, scene, make_partnership, login):
    foreign = make_partnership(scene.other, scene.ehpad, notes="Secret de Montbard")
    db.session.commit()
    login(scene.staff)
    own = f"/hopitaux/{scene.hdp.finess_et}/partenaires/{foreign.id}"
    assert client.get(own).status_code == 404
    assert client.post(own, data={"partner_types": ["had"]}).status_code == 404
    assert client.post(own + "/retirer").status_code == 404
    assert _state(scene.other) == [(scene.ehpad.id, ["ehpad"], [], "Secret de Montbard")]


def _login_with_token(client, user, password):
    form = page(client.get("/connexion"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/connexion", data={"email": user.email, "password": password, "csrf_token": token})
    assert response.status_code == 302


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_posts_without_csrf_token_are_refused_and_change_nothing(client, scene, ssr):
    from tests.factories import PASSWORD

    _login_with_token(client, scene.staff, PASSWORD)
    before = _state(scene.hdp)
    base = f"/hopitaux/{scene.hdp.finess_et}"
    for url, data in [(f"{base}/partenaires/{scene.partnership.id}/retirer", {}),
                      (f"{base}/partenaires/ajouter/{ssr.id}", {"partner_types": ["ssr"]}),
                      (f"{base}/partenaires/{scene.partnership.id}", {"partner_types": ["had"]}),
                      (f"{base}/profil", {"departements": "58"})]:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "Requête invalide" in page(response)
    assert _state(scene.hdp) == before
    db.session.expire_all()
    assert scene.hdp.territory_departements == ["21"]
    # The page's own forms carry the token, so the same removal goes through.
    body = page(client.get(base))
    token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
    response = client.post(f"{base}/partenaires/{scene.partnership.id}/retirer", data={"csrf_token": token})
    assert response.status_code == 302 and _state(scene.hdp) == []


def test_ids_beyond_the_database_range_are_not_found(client, scene, login):
    login(scene.admin)
    base = f"/hopitaux/{scene.hdp.finess_et}/partenaires"
    assert client.get(f"{base}/99999999999").status_code == 404
    assert client.get(f"{base}/ajouter/99999999999").status_code == 404
    assert client.get(f"{base}/ajouter/2147483647").status_code == 404
