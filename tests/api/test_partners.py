"""/hospitals/{finess_et}/partners: read within the scope, changed by admins and the hospital's own users."""

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.hospitals.models import Partnership
from registry.organisations.models import Organisation
from tests.api.helpers import assert_error, audit_actions
from tests.factories import finess_for

URL = "/api/v1/hospitals/{}/partners"
EHPAD = "<the ehpad fixture's FINESS>"
CPTS = {"name": "CPTS DU PAYS BEAUNOIS", "siret": None, "rna": "W212345678", "departement": "21",
        "commune": "21054"}


@pytest.fixture
def ehpad(make_organisation):
    organisation = make_organisation(departement="21", name="EHPAD LES TILLEULS", category_code="500",
                                     category_label="EHPAD")
    db.session.commit()
    return organisation


def post(client, hospital, payload, headers):
    return client.post(URL.format(hospital.finess_et), json=payload, headers=headers)


def test_list_partnerships(client, world, make_partnership, ehpad):
    partnership = make_partnership(world.own, ehpad, themes=["retour_domicile"], notes="Convention de 2019")
    make_partnership(world.other)
    db.session.commit()
    response = client.get(URL.format(world.own.finess_et), headers=world.headers["hospital"])
    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["page"], body["pages"]) == (1, 1, 1)
    [item] = body["items"]
    assert item["id"] == partnership.id
    assert item["partner"]["finess_et"] == ehpad.finess_et and item["partner"]["name"] == "EHPAD LES TILLEULS"
    assert item["partner_types"] == ["ehpad"]
    assert item["themes"] == ["retour_domicile"]
    assert item["notes"] == "Convention de 2019"
    assert (item["started_on"], item["ended_on"]) == (None, None)


@pytest.mark.parametrize("role, status", [("admin", 200), ("ars", 200), ("hospital", 200), ("ars_other", 404),
                                          ("hospital_other", 404)])
def test_reading_partners_per_role(client, world, make_partnership, role, status):
    make_partnership(world.own)
    db.session.commit()
    response = client.get(URL.format(world.own.finess_et), headers=world.headers[role])
    assert response.status_code == status
    if status == 200:
        assert response.get_json()["total"] == 1
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("role", ["hospital", "admin"])
def test_add_a_finess_partner(client, world, ehpad, role):
    payload = {"partner_finess": ehpad.finess_et, "partner_types": ["ehpad"], "themes": ["retour_domicile"],
               "notes": "  Convention signée en 2019  ", "started_on": "2019-03-01"}
    response = post(client, world.own, payload, world.headers[role])
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    partnership = db.session.get(Partnership, body["id"])
    assert partnership.hospital_id == world.own.id and partnership.partner_id == ehpad.id
    assert body["partner"]["finess_et"] == ehpad.finess_et
    assert (body["partner_types"], body["themes"]) == (["ehpad"], ["retour_domicile"])
    assert (body["notes"], body["started_on"]) == ("Convention signée en 2019", "2019-03-01")
    assert audit_actions(world.users[role]) == ["partnership.create"]


def test_add_a_partner_outside_finess(client, world):
    response = post(client, world.own, {"partner": CPTS, "partner_types": ["cpts"]}, world.headers["hospital"])
    assert response.status_code == 201, response.get_data(as_text=True)
    partner = response.get_json()["partner"]
    assert (partner["finess_et"], partner["rna"], partner["source"]) == (None, "W212345678", "manual")
    assert partner["region"] == "27" and partner["partner_types"] == ["cpts"]
    assert audit_actions(world.users["hospital"]) == ["organisation.create", "partnership.create"]


def test_a_partner_outside_finess_with_its_commune_address_and_representative(client, world):
    partner = {"name": "CPTS DU HAUT AUXOIS", "siret": "81234567800013", "commune": "Is-sur-Tille",
               "address": "3 rue de la Gare", "representative_name": "Mme Claire Martin",
               "representative_title": "présidente"}
    response = post(client, world.own, {"partner": partner, "partner_types": ["cpts"]}, world.headers["hospital"])
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()["partner"]
    assert (body["commune_code"], body["city"], body["postal_code"], body["departement"]) == (
        "21317", "Is-sur-Tille", "21120", "21")
    assert (body["address"], body["representative_name"], body["representative_title"]) == (
        "3 rue de la Gare", "Mme Claire Martin", "présidente")
    listed = client.get(URL.format(world.own.finess_et), headers=world.headers["hospital"]).get_json()
    assert listed["items"][0]["partner"]["representative_name"] == "Mme Claire Martin"


def test_the_api_commune_code_is_an_insee_code(client, world):
    """21120 is La Bussière-sur-Ouche's INSEE code (and Is-sur-Tille's postcode): the API reads the code."""
    response = post(client, world.own, {"partner": {**CPTS, "commune": "21120"}, "partner_types": ["cpts"]},
                    world.headers["hospital"])
    assert response.get_json()["partner"]["city"] == "La Bussière-sur-Ouche"


@pytest.mark.parametrize("commune, message", [
    ("Saint-Rémy", "plusieurs communes portent le nom « Saint-Rémy »"),
    ("Atlantide", "aucune commune ne correspond à « Atlantide »"),
    ("99999", "aucune commune ne correspond à « 99999 »"),
])
def test_an_unknown_or_ambiguous_commune_is_422(client, world, commune, message):
    payload = {"partner": {**CPTS, "departement": None, "commune": commune}, "partner_types": ["cpts"]}
    error = assert_error(post(client, world.own, payload, world.headers["hospital"]), 422, "invalid")
    assert any(problem.startswith(message) for problem in error["details"]), error
    assert db.session.scalar(select(Organisation).filter_by(name=CPTS["name"])) is None


def test_a_partner_outside_finess_is_another_hospital_s_own_record(client, world):
    """Not public data: a hospital typing the RNA of another's partner gets its own record, never learns theirs."""
    post(client, world.own, {"partner": CPTS, "partner_types": ["cpts"]}, world.headers["hospital"])
    response = post(client, world.other, {"partner": {**CPTS, "name": "CPTS BEAUNE"}, "partner_types": ["cpts"]},
                    world.headers["hospital_other"])
    assert response.status_code == 201 and response.get_json()["partner"]["name"] == "CPTS BEAUNE"
    assert db.session.scalar(select(db.func.count()).select_from(Organisation).filter_by(rna="W212345678")) == 2


def test_same_partner_twice_is_409(client, world, ehpad):
    payload = {"partner_finess": ehpad.finess_et, "partner_types": ["ehpad"]}
    assert post(client, world.own, payload, world.headers["hospital"]).status_code == 201
    error = assert_error(post(client, world.own, payload, world.headers["hospital"]), 409, "conflict")
    assert "déjà partenaire" in error["message"]


@pytest.mark.parametrize("role, status", [("ars", 403), ("ars_other", 404), ("hospital_other", 404)])
def test_adding_partners_per_role(client, world, ehpad, role, status):
    payload = {"partner_finess": ehpad.finess_et, "partner_types": ["ehpad"]}
    assert_error(post(client, world.own, payload, world.headers[role]), status)
    assert db.session.scalar(select(Partnership)) is None
    assert audit_actions() == []


def test_access_is_checked_before_the_body(client, world):
    assert_error(post(client, world.own, {"garbage": True}, world.headers["hospital_other"]), 404)
    assert_error(post(client, world.own, {"garbage": True}, world.headers["ars"]), 403)


@pytest.mark.parametrize("payload, field", [
    ({"partner_types": ["ehpad"]}, "_schema"),
    ({"partner_finess": EHPAD, "partner": CPTS, "partner_types": ["cpts"]}, "_schema"),
    ({"partner_finess": EHPAD}, "partner_types"),
    ({"partner_finess": EHPAD, "partner_types": []}, "partner_types"),
    ({"partner_finess": EHPAD, "partner_types": ["hopital"]}, "partner_types"),
    ({"partner_finess": EHPAD, "partner_types": "ehpad"}, "partner_types"),
    ({"partner_finess": EHPAD, "partner_types": ["ehpad"], "themes": ["chirurgie"]}, "themes"),
    ({"partner_finess": EHPAD, "partner_types": ["ehpad"], "started_on": "hier"}, "started_on"),
    ({"partner_finess": EHPAD, "partner_types": ["ehpad"], "started_on": "0001-01-01"}, "started_on"),
    ({"partner_finess": EHPAD, "partner_types": ["ehpad"], "started_on": "9999-12-31"}, "started_on"),
    ({"partner_finess": "21000000X", "partner_types": ["ehpad"]}, "partner_finess"),
    ({"partner_finess": 210000001, "partner_types": ["ehpad"]}, "partner_finess"),
    ({"partner": {**CPTS, "departement": "ZZ"}, "partner_types": ["cpts"]}, "partner"),
    ({"partner": {"rna": "W212345678"}, "partner_types": ["cpts"]}, "partner"),
    ({"partner": "CPTS", "partner_types": ["cpts"]}, "partner"),
])
def test_invalid_payload_is_422_with_the_field(client, world, ehpad, payload, field):
    if payload.get("partner_finess") == EHPAD:  # the fixture's number, unknown when parameters are built
        payload = {**payload, "partner_finess": ehpad.finess_et}
    error = assert_error(post(client, world.own, payload, world.headers["hospital"]), 422)
    assert field in error["details"]["json"], error
    assert db.session.scalar(select(Partnership)) is None


def test_unknown_finess_partner_is_422(client, world):
    unknown = finess_for("21", 123456)
    error = assert_error(post(client, world.own, {"partner_finess": unknown, "partner_types": ["ehpad"]},
                              world.headers["hospital"]), 422, "invalid")
    assert "introuvable" in error["details"]["json"]["partner_finess"][0]


@pytest.mark.parametrize("partner", [{**CPTS, "rna": None}, {**CPTS, "rna": None, "siret": "12345678901234"},
                                     {**CPTS, "rna": "X123"}, {**CPTS, "commune": "71076"}])
def test_service_rules_on_outside_partners_are_422(client, world, partner):
    error = assert_error(post(client, world.own, {"partner": partner, "partner_types": ["cpts"]},
                              world.headers["hospital"]), 422, "invalid")
    assert error["details"]
    assert db.session.scalar(select(Organisation).filter_by(name=CPTS["name"])) is None


def test_a_hospital_cannot_partner_itself(client, world):
    payload = {"partner_finess": world.own.finess_et, "partner_types": ["second_recours"]}
    error = assert_error(post(client, world.own, payload, world.headers["hospital"]), 422)
    assert any("propre partenaire" in problem for problem in error["details"])


def test_remove_a_partner(client, world, make_partnership):
    partnership = make_partnership(world.own)
    db.session.commit()
    response = client.delete(f"{URL.format(world.own.finess_et)}/{partnership.id}", headers=world.headers["hospital"])
    assert response.status_code == 204
    assert response.get_data() == b""
    db.session.expire_all()
    assert db.session.get(Partnership, partnership.id) is None
    assert audit_actions(world.users["hospital"]) == ["partnership.delete"]


@pytest.mark.parametrize("role, status", [("ars", 403), ("ars_other", 404), ("hospital_other", 404)])
def test_removing_partners_per_role(client, world, make_partnership, role, status):
    partnership = make_partnership(world.own)
    db.session.commit()
    url = f"{URL.format(world.own.finess_et)}/{partnership.id}"
    assert_error(client.delete(url, headers=world.headers[role]), status)
    assert db.session.get(Partnership, partnership.id) is not None


def test_removing_another_hospitals_partnership_is_404(client, world, make_partnership):
    elsewhere = make_partnership(world.other)
    db.session.commit()
    url = f"{URL.format(world.own.finess_et)}/{elsewhere.id}"
    assert_error(client.delete(url, headers=world.headers["hospital"]), 404)
    assert_error(client.delete(f"{URL.format(world.own.finess_et)}/999999", headers=world.headers["admin"]), 404)
    assert db.session.get(Partnership, elsewhere.id) is not None


@pytest.mark.parametrize("partner, field", [({**CPTS, "address": "x" * 201}, "address"),
                                            ({**CPTS, "city": "x" * 101}, "city"),
                                            ({**CPTS, "postal_code": "210000"}, "postal_code"),
                                            ({**CPTS, "postal_code": "2A000"}, "postal_code"),
                                            ({**CPTS, "representative_name": "x" * 121}, "representative_name"),
                                            ({**CPTS, "representative_title": "x" * 121}, "representative_title")])
def test_outside_partner_fields_fit_their_columns(client, world, partner, field):
    error = assert_error(post(client, world.own, {"partner": partner, "partner_types": ["cpts"]},
                              world.headers["hospital"]), 422, "invalid")
    assert field in error["details"]["json"]["partner"]


@pytest.mark.parametrize("suffix", ["99999999999999999999", "2147483648", "-1", "abc"])
def test_partnership_ids_out_of_range_are_404(client, world, suffix):
    assert_error(client.delete(f"{URL.format(world.own.finess_et)}/{suffix}", headers=world.headers["admin"]), 404)
