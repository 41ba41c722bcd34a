"""GET /establishments and /establishments/{finess_et}: the registry, readable by every signed-in user."""

import pytest

from tests.api.helpers import assert_error
from tests.factories import finess_for

URL = "/api/v1/establishments"


@pytest.fixture
def registry(make_organisation):
    return {
        "ehpad": make_organisation(departement="21", name="EHPAD LES TILLEULS", category_code="500",
                                   category_label="EHPAD", city="BEAUNE"),
        "ch": make_organisation(departement="21", name="CH DE DIJON", category_code="355", city="DIJON"),
        "lyon": make_organisation(departement="69", name="EHPAD DU RHONE", category_code="500", city="LYON"),
    }


def names(response) -> set[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {item["name"] for item in response.get_json()["items"]}


@pytest.mark.parametrize("role", ["admin", "ars_other", "hospital"])
def test_any_signed_in_user_searches_the_whole_registry(client, world, registry, role):
    response = client.get(URL, query_string={"q": "ehpad"}, headers=world.headers[role])
    assert names(response) == {"EHPAD LES TILLEULS", "EHPAD DU RHONE"}
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 25, 2, 1)


def test_search_filters_combine(client, world, registry):
    headers = world.headers["hospital"]
    assert names(client.get(URL, query_string={"departement": "21", "category": "500"}, headers=headers)) == {
        "EHPAD LES TILLEULS"}
    assert names(client.get(URL, query_string={"finess": registry["ch"].finess_et}, headers=headers)) == {
        "CH DE DIJON"}
    assert names(client.get(URL, query_string={"finess": registry["ch"].finess_ej}, headers=headers)) == {
        "CH DE DIJON"}
    assert names(client.get(URL, query_string={"q": "lyon"}, headers=headers)) == {"EHPAD DU RHONE"}
    assert names(client.get(URL, query_string={"region": "84", "partner_type": "ehpad"}, headers=headers)) == {
        "EHPAD DU RHONE"}
    assert names(client.get(URL, query_string={"q": "introuvable"}, headers=headers)) == set()


def test_search_item_representation(client, world, registry):
    response = client.get(URL, query_string={"finess": registry["ehpad"].finess_et}, headers=world.headers["ars"])
    [item] = response.get_json()["items"]
    assert item["finess_et"] == registry["ehpad"].finess_et
    assert item["id"] == registry["ehpad"].id
    assert item["departement"] == "21" and item["region"] == "27"
    assert item["category_code"] == "500"
    assert item["partner_types"] == ["ehpad"]
    assert item["source"] == "finess"


@pytest.mark.parametrize("params, field", [
    ({"departement": "ZZ"}, "departement"),
    ({"region": "99"}, "region"),
    ({"category": "EHPAD"}, "category"),
    ({"finess": "123"}, "finess"),
    ({"finess": finess_for("21", 1)[:-1] + "X"}, "finess"),
    ({"partner_type": "hopital"}, "partner_type"),
    ({"q": "x" * 201}, "q"),
])
def test_bad_filters_are_422(client, world, params, field):
    error = assert_error(client.get(URL, query_string=params, headers=world.headers["admin"]), 422)
    assert field in error["details"]["query"]


def test_bad_finess_key_is_explained_in_french(client, world):
    number = finess_for("21", 4242)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    error = assert_error(client.get(URL, query_string={"finess": wrong}, headers=world.headers["admin"]), 422)
    assert "clé de contrôle" in error["details"]["query"]["finess"][0]


def test_one_establishment(client, world, registry):
    response = client.get(f"{URL}/{registry['ch'].finess_et}", headers=world.headers["hospital_other"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "CH DE DIJON"
    assert body["finess_ej"] == registry["ch"].finess_ej
    assert body["partner_types"] == ["second_recours"]


@pytest.mark.parametrize("number", [finess_for("21", 777777), "pas-un-finess"])
def test_unknown_establishment_is_404(client, world, number):
    assert_error(client.get(f"{URL}/{number}", headers=world.headers["admin"]), 404, "not_found")


@pytest.mark.parametrize("path", ["/%00", "/219%0000000", "/" + "9" * 5000, "/2a0000154"])
@pytest.mark.parametrize("prefix", [URL, "/api/v1/hospitals", "/api/v1/hospitals/{}/partners"])
def test_malformed_finess_in_the_path_is_404(client, world, prefix, path):
    url = (prefix.replace("/{}", path) if "{}" in prefix else prefix + path)
    assert_error(client.get(url, headers=world.headers["admin"]), 404, "not_found")


def test_nul_character_in_a_search_is_422(client, world):
    error = assert_error(client.get(URL, query_string={"q": "a\u0000"}, headers=world.headers["admin"]), 422)
    assert "q" in error["details"]["query"]
