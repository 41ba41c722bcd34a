"""GET /hospitals and /hospitals/{finess_et}: through the user's scope; out of scope is 404, never 403."""

import pytest

from registry.extensions import db
from tests.api.helpers import assert_error

URL = "/api/v1/hospitals"


def finess_list(client, headers, **params) -> list[str]:
    response = client.get(URL, query_string=params, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["finess_et"] for item in response.get_json()["items"]]


def test_admin_sees_every_hospital_by_name(client, world):
    assert finess_list(client, world.headers["admin"]) == [world.own.finess_et, world.other.finess_et]


@pytest.mark.parametrize("role, visible", [("ars", "own"), ("ars_other", "other"), ("hospital", "own"),
                                           ("hospital_other", "other")])
def test_others_see_their_scope_only(client, world, role, visible):
    assert finess_list(client, world.headers[role]) == [getattr(world, visible).finess_et]


def test_filters(client, world):
    admin = world.headers["admin"]
    assert finess_list(client, admin, region="84") == [world.other.finess_et]
    assert finess_list(client, admin, departement="21") == [world.own.finess_et]
    assert finess_list(client, admin, region="27", departement="69") == []
    assert finess_list(client, world.headers["ars"], region="84") == []  # a filter never widens the scope


@pytest.mark.parametrize("params", [{"region": "7"}, {"departement": "100"}])
def test_bad_filters_are_422(client, world, params):
    error = assert_error(client.get(URL, query_string=params, headers=world.headers["admin"]), 422)
    assert list(error["details"]["query"]) == list(params)


def test_one_hospital_with_its_profile(client, world):
    world.own.territory_communes = ["21054"]
    world.own.internal_activities = ["ehpad", "medecins_liberaux"]
    db.session.commit()
    response = client.get(f"{URL}/{world.own.finess_et}", headers=world.headers["hospital"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["finess_et"] == world.own.finess_et
    assert body["name"] == "HOPITAL DE BEAUNE"
    assert body["listed_on"] == "2022-05-01"
    assert body["decision_ref"] == "ARS-2022-001"
    assert body["territory"] == {"departements": ["21"], "communes": ["21054"]}
    assert body["internal_activities"] == ["ehpad", "medecins_liberaux"]
    assert body["establishment"]["region"] == "27"


@pytest.mark.parametrize("role, status", [("admin", 200), ("ars", 200), ("hospital", 200), ("ars_other", 404),
                                          ("hospital_other", 404)])
def test_reading_a_hospital_per_role(client, world, role, status):
    response = client.get(f"{URL}/{world.own.finess_et}", headers=world.headers[role])
    assert response.status_code == status
    if status == 404:
        assert_error(response, 404, "not_found")


def test_an_establishment_not_listed_is_404(client, world, make_organisation):
    establishment = make_organisation(departement="21")
    assert_error(client.get(f"{URL}/{establishment.finess_et}", headers=world.headers["admin"]), 404)


def test_out_of_scope_and_missing_answer_the_same(client, world):
    out_of_scope = client.get(f"{URL}/{world.other.finess_et}", headers=world.headers["ars"])
    missing = client.get(f"{URL}/210999999", headers=world.headers["ars"])
    assert (out_of_scope.status_code, out_of_scope.get_json()) == (missing.status_code, missing.get_json())
