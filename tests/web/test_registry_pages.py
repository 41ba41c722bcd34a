"""The establishment search and the establishment page."""

import pytest

from tests.web.conftest import page


def test_search_page_asks_for_a_criterion_first(client, scene, login):
    login(scene.staff)
    body = page(client.get("/etablissements/"))
    assert "Indiquez au moins un critère" in body
    assert 'role="search"' in body and '<label class="form-label" for="q">' in body


def test_search_by_name_shows_registry_columns_and_partner_types(client, scene, login):
    login(scene.staff)
    body = page(client.get("/etablissements/?q=tilleuls"))
    assert "1 établissement trouvé" in body
    assert "EHPAD LES TILLEULS" in body and scene.ehpad.finess_et in body
    assert "SEMUR EN AUXOIS" in body
    assert '<span class="badge rounded-pill badge-type">EHPAD</span>' in body
    assert f'href="/etablissements/{scene.ehpad.finess_et}"' in body
    assert "CH DE MONTBARD" not in body


@pytest.mark.parametrize("query, found, absent", [
    ("numero={ehpad_prefix}", "EHPAD LES TILLEULS", "HOPITAL DE GIVORS"),
    ("numero={ehpad_ej}", "EHPAD LES TILLEULS", "CH DE MONTBARD"),
    ("commune=montbard", "CH DE MONTBARD", "EHPAD LES TILLEULS"),
    ("departement=69", "HOPITAL DE GIVORS", "CH DE MONTBARD"),
    ("category=500", "EHPAD LES TILLEULS", "CH DE MONTBARD"),
    ("partner_type=ehpad", "EHPAD LES TILLEULS", "HOPITAL DE GIVORS"),
])
def test_search_filters(client, scene, login, query, found, absent):
    login(scene.admin)
    url = "/etablissements/?" + query.format(ehpad_prefix=scene.ehpad.finess_et[:8], ehpad_ej=scene.ehpad.finess_ej)
    body = page(client.get(url))
    assert found in body
    assert absent not in body


def test_search_category_select_lists_registry_categories(client, scene, login):
    login(scene.admin)
    body = page(client.get("/etablissements/"))
    assert '<option value="500">500 – EHPAD</option>' in body


def test_bad_criteria_are_refused_in_french(client, scene, login):
    login(scene.admin)
    body = page(client.get("/etablissements/?numero=ABC&departement=XX"))
    assert "Un numéro FINESS compte 9 caractères" in body
    assert "Département inconnu." in body
    assert 'aria-invalid="true"' in body
    assert "établissement trouvé" not in body


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 2}])
def test_results_are_paginated_with_accessible_labels(client, scene, make_organisation, login):
    for n in range(3):
        make_organisation(name=f"EHPAD NUMERO {n}", category_code="500", category_label="EHPAD")
    login(scene.admin)
    first = page(client.get("/etablissements/?category=500"))
    assert "4 établissements trouvés — page 1 sur 2" in first
    assert 'aria-label="Pages de résultats"' in first
    assert 'aria-label="Page suivante (2)"' in first
    assert "category=500&page=2" in first
    second = page(client.get("/etablissements/?category=500&page=2"))
    assert 'aria-current="page"' in second and "page 2 sur 2" in second
    assert 'aria-label="Page précédente (1)"' in second


def test_establishment_page_shows_registry_data(client, scene, make_organisation, login):
    organisation = make_organisation(name="EHPAD DU LAC", category_code="500", category_label="EHPAD",
                                     address="1 RUE DU LAC", siret="26210001200015", phone="03 80 00 00 00",
                                     latitude=47.3216, longitude=5.0415)
    login(scene.staff)
    body = page(client.get(f"/etablissements/{organisation.finess_et}"))
    assert "<h1" in body and "EHPAD DU LAC" in body
    assert "1 RUE DU LAC" in body and organisation.finess_ej in body and "26210001200015" in body
    assert 'href="tel:0380000000"' in body
    assert "latitude 47,32160" in body
    assert "Partenaire d'aucun hôpital de proximité" in body
    assert "Inscrire comme hôpital de proximité" not in body  # a hospital user does not list hospitals


def test_establishment_page_lists_partnerships_within_scope_only(client, scene, make_partnership, login):
    make_partnership(scene.far, scene.ehpad)
    login(scene.ars)
    body = page(client.get(f"/etablissements/{scene.ehpad.finess_et}"))
    assert "CENTRE HOSPITALIER DE SEMUR" in body
    assert f"/hopitaux/{scene.hdp.finess_et}/partenaires/{scene.partnership.id}" in body
    assert "HOPITAL DE GIVORS" not in body


@pytest.mark.parametrize("user, shown", [("admin", True), ("ars", True), ("ars_other", False), ("staff", False)])
def test_label_button_for_admin_and_ars_of_the_region(client, scene, login, user, shown):
    login(getattr(scene, user))
    body = page(client.get(f"/etablissements/{scene.ehpad.finess_et}"))
    assert ("Inscrire comme hôpital de proximité" in body) is shown
    assert (f'href="/hopitaux/{scene.ehpad.finess_et}/profil"' in body) is shown


def test_a_listed_hospital_links_to_its_page_instead(client, scene, login):
    login(scene.ars)
    body = page(client.get(f"/etablissements/{scene.hdp.finess_et}"))
    assert "Inscrire comme hôpital de proximité" not in body
    assert "Page de l'hôpital de proximité" in body


def test_unknown_establishment_is_404_in_french(client, scene, login):
    login(scene.staff)
    response = client.get("/etablissements/219999999")
    assert response.status_code == 404
    assert "Page introuvable" in page(response)


def test_anonymous_visitor_is_sent_to_login(client, scene):
    response = client.get(f"/etablissements/{scene.ehpad.finess_et}")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_absurd_page_numbers_answer_an_empty_page(client, scene, login):
    login(scene.admin)
    for page_number in ("0", "-3", "abc", "99999999999999999999999"):
        response = client.get(f"/etablissements/?category=500&page={page_number}")
        assert response.status_code == 200, page_number
    assert client.get("/?page=99999999999999999999999").status_code == 200


@pytest.mark.parametrize("numero, expected", [
    ("210987583", "La clé de contrôle du numéro FINESS « 210987583 » est fausse."),
    ("abc", "Un numéro FINESS compte 9 caractères"),
    ("2109875821234", "Un numéro FINESS compte 9 caractères"),
])
def test_an_invalid_finess_number_is_named_not_searched(client, scene, login, numero, expected):
    login(scene.admin)
    body = page(client.get(f"/etablissements/?numero={numero}"))
    assert expected in body
    assert "Corrigez les critères signalés" in body
    assert "Indiquez au moins un critère" not in body
    assert "établissement trouvé" not in body and "Élargissez" not in body


def test_a_valid_complete_finess_number_is_searched(client, scene, login):
    login(scene.admin)
    body = page(client.get(f"/etablissements/?numero={scene.ehpad.finess_et}"))
    assert "Corrigez les critères" not in body
    assert "1 établissement trouvé" in body
