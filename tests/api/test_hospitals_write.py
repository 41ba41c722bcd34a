"""PUT /hospitals/{finess_et}: listing is the ARS's decision; the hospital's users keep territory and activities."""
# The ARS records the listing and the legal facts and confirms declarations; the hospital declares.

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from tests.api.helpers import assert_error, audit_actions
from tests.clock import TODAY

URL = "/api/v1/hospitals/{}"
LISTING = {"listed_on": "2023-01-15", "decision_ref": "ARS-BFC-2023-12",
           "territory": {"departements": ["21"], "communes": ["71076"]}, "internal_activities": ["ssr", "ehpad"]}


@pytest.fixture
def candidate(make_organisation):
    """An establishment of Côte-d'Or not yet listed."""
    organisation = make_organisation(departement="21", name="CH DE SEMUR", category_code="106")
    db.session.commit()
    return organisation


def put(client, finess_et, payload, headers, **kwargs):
    return client.put(URL.format(finess_et), json=payload, headers=headers, **kwargs)


@pytest.mark.parametrize("role", ["ars", "admin"])
def test_listing_an_establishment(client, world, candidate, role):
    response = put(client, candidate.finess_et, LISTING, world.headers[role])
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["finess_et"] == candidate.finess_et
    assert body["listed_on"] == "2023-01-15" and body["decision_ref"] == "ARS-BFC-2023-12"
    assert body["territory"] == {"departements": ["21"], "communes": ["71076"]}
    assert body["internal_activities"] == ["ssr", "ehpad"]
    assert audit_actions(world.users[role]) == ["hospital.list"]
    db.session.expire_all()
    assert db.session.scalar(select(HospitalProfile).filter_by(organisation_id=candidate.id)) is not None
    assert client.get(URL.format(candidate.finess_et), headers=world.headers[role]).status_code == 200


def test_updating_a_listed_hospital_answers_200_and_is_audited(client, world):
    payload = {key: value for key, value in LISTING.items() if key != "internal_activities"}
    payload["decision_ref"] = "ARS-BFC-2024-01"
    response = put(client, world.own.finess_et, payload, world.headers["ars"])
    assert response.status_code == 200
    assert response.get_json()["decision_ref"] == "ARS-BFC-2024-01"
    assert audit_actions(world.users["ars"]) == ["hospital.update"]


def test_fields_left_out_keep_their_value(client, world):
    response = put(client, world.own.finess_et, {"internal_activities": ["usld"]}, world.headers["hospital"])
    body = response.get_json()
    assert response.status_code == 200
    assert body["internal_activities"] == ["usld"]
    assert (body["listed_on"], body["decision_ref"]) == ("2022-05-01", "ARS-2022-001")
    assert body["territory"] == {"departements": ["21"], "communes": []}


def test_listing_needs_the_ars_of_the_region(client, world, candidate):
    for role in ("ars_other", "hospital", "hospital_other"):
        assert_error(put(client, candidate.finess_et, LISTING, world.headers[role]), 403, "forbidden")
    assert audit_actions() == []


def test_hospital_user_changes_territory_and_activities(client, world):
    payload = {"listed_on": "2022-05-01", "decision_ref": "ARS-2022-001",
               "territory": {"communes": ["21054"]}, "internal_activities": ["medecins_liberaux"]}
    response = put(client, world.own.finess_et, payload, world.headers["hospital"])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["territory"] == {"departements": [], "communes": ["21054"]}
    assert audit_actions(world.users["hospital"]) == ["hospital.update"]


@pytest.mark.parametrize("change", [{"listed_on": "2021-01-01"}, {"listed_on": None}, {"decision_ref": "AUTRE"}])
def test_hospital_user_cannot_change_the_decision(client, world, change):
    error = assert_error(put(client, world.own.finess_et, change, world.headers["hospital"]), 403, "forbidden")
    assert "ARS" in error["message"]
    db.session.expire_all()
    assert (world.own.listed_on, world.own.decision_ref) == (date(2022, 5, 1), "ARS-2022-001")


@pytest.mark.parametrize("role", ["ars_other", "hospital_other"])
def test_other_scopes_cannot_write(client, world, role):
    # 403 whether the establishment is listed or not: the answer does not reveal a listing out of scope.
    assert_error(put(client, world.own.finess_et, {"internal_activities": []}, world.headers[role]), 403)


def test_the_ars_records_the_legal_facts_and_confirms_what_the_hospital_declares(client, world):
    declared = put(client, world.own.finess_et, {"internal_activities": ["usld", "ehpad"],
                                                 "own_equipment": ["imagerie"]}, world.headers["hospital"])
    assert declared.status_code == 200, declared.get_json()
    payload = {"legal_status": "public", "ght_support": "210780581", "confirmed_activities": ["usld"],
               "confirmed_equipment": ["imagerie"], "removed_on": None}
    response = put(client, world.own.finess_et, payload, world.headers["ars"])

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["legal_status"], body["legal_status_recorded"], body["ght_support"]) == (
        "public", "public", "210780581")
    assert (body["internal_activities"], body["confirmed_activities"]) == (["usld", "ehpad"], ["usld"])
    assert (body["own_equipment"], body["confirmed_equipment"]) == (["imagerie"], ["imagerie"])
    withdrawn = put(client, world.own.finess_et, {"internal_activities": ["ehpad"]}, world.headers["hospital"])
    assert withdrawn.get_json()["confirmed_activities"] == []  # a withdrawn declaration loses its confirmation


def test_the_legal_status_defaults_to_finess_and_self_is_a_ght_support(client, world):
    body = put(client, world.own.finess_et, {"ght_support": "self"}, world.headers["ars"]).get_json()
    assert (body["legal_status_recorded"], body["ght_support"]) == (None, "self")
    assert body["legal_status"] in ("public", "prive", None)


@pytest.mark.parametrize("change", [{"internal_activities": ["ehpad"]}, {"own_equipment": ["biologie"]}])
def test_the_ars_does_not_declare_for_the_hospital(client, world, change):
    error = assert_error(put(client, world.own.finess_et, change, world.headers["ars"]), 403, "forbidden")
    assert "déclarés par l'hôpital" in error["message"]


@pytest.mark.parametrize("change", [{"confirmed_activities": []}, {"legal_status": "prive"},
                                    {"ght_support": "self"}, {"removed_on": "2024-01-01", "removal_ground": "a"}])
def test_the_hospital_does_not_confirm_nor_record_the_legal_facts(client, world, change):
    if "confirmed_activities" in change:
        put(client, world.own.finess_et, {"internal_activities": ["usld"]}, world.headers["hospital"])
        put(client, world.own.finess_et, {"confirmed_activities": ["usld"]}, world.headers["ars"])
    error = assert_error(put(client, world.own.finess_et, change, world.headers["hospital"]), 403, "forbidden")
    assert "Seule l'ARS" in error["message"]


@pytest.mark.parametrize("payload, problem", [
    ({"confirmed_activities": ["ehpad"]}, "n'est pas déclaré"),
    ({"removed_on": "2024-01-01"}, "à la fois la date et le motif"),
    ({"removed_on": "2020-01-01", "removal_ground": "a"}, "ne peut précéder l'inscription"),
    ({"ght_support": "210780582"}, "établissement support du GHT"),
])
def test_legal_facts_are_checked(client, world, payload, problem):
    error = assert_error(put(client, world.own.finess_et, payload, world.headers["ars"]), 422, "invalid")
    assert any(problem in detail for detail in error["details"]), error


def test_unknown_establishment_is_404(client, world):
    assert_error(put(client, "210999999", LISTING, world.headers["admin"]), 404)


@pytest.mark.parametrize("payload, field", [
    ({**LISTING, "listed_on": "15/01/2023"}, "listed_on"),
    ({**LISTING, "listed_on": "2023-02-30"}, "listed_on"),
    ({**LISTING, "listed_on": 20230115}, "listed_on"),
    ({**LISTING, "internal_activities": ["chirurgie"]}, "internal_activities"),
    ({**LISTING, "internal_activities": "ehpad"}, "internal_activities"),
    ({**LISTING, "territory": {"departements": ["99"]}}, "territory"),
    ({**LISTING, "territory": {"communes": ["2105"]}}, "territory"),
    ({**LISTING, "territory": "21"}, "territory"),
    ({**LISTING, "territory": None}, "territory"),
    ({**LISTING, "decision_ref": 12}, "decision_ref"),
    ({**LISTING, "decision_ref": "x" * 121}, "decision_ref"),
])
def test_invalid_payload_is_422_with_the_field(client, world, candidate, payload, field):
    error = assert_error(put(client, candidate.finess_et, payload, world.headers["ars"]), 422, "invalid")
    assert field in error["details"]["json"]
    assert audit_actions() == []


def test_extra_fields_are_ignored(client, world, candidate):
    response = put(client, candidate.finess_et, {**LISTING, "source": "script ARS", "listed_at": "2023-01-15"},
                   world.headers["ars"])
    assert response.status_code == 201, response.get_json()
    assert "listed_at" not in response.get_json()


def test_service_rules_are_422_with_their_reasons(client, world, candidate):
    future = (TODAY + timedelta(days=1)).isoformat()
    payload = {"listed_on": future, "territory": {"departements": [], "communes": []}}
    error = assert_error(put(client, candidate.finess_et, payload, world.headers["ars"]), 422, "invalid")
    assert len(error["details"]) == 2
    assert any("futur" in problem for problem in error["details"])
    assert any("territoire" in problem for problem in error["details"])
    db.session.expire_all()
    assert db.session.scalar(select(HospitalProfile).filter_by(organisation_id=candidate.id)) is None


def test_listing_without_territory_is_422(client, world, candidate):
    assert_error(put(client, candidate.finess_et, {"listed_on": "2023-01-15"}, world.headers["ars"]), 422)


@pytest.mark.parametrize("body, content_type, status", [
    ("{not json", "application/json", 400),
    ("", "application/json", 400),
    (b"\xff\xfe", "application/json", 400),
    ('["a list"]', "application/json", 422),
    ("null", "application/json", 422),
    ("42", "application/json", 422),
    ("listed_on=2023-01-15", "application/x-www-form-urlencoded", 400),
    ("", None, 400),
])
def test_malformed_bodies_never_500(client, world, body, content_type, status):
    response = client.put(URL.format(world.own.finess_et), data=body, content_type=content_type,
                          headers=world.headers["ars"])
    assert_error(response, status)


@pytest.mark.parametrize("text", ["ARS\u0000", "\ud800"])
def test_text_no_database_stores_is_422(client, world, text):
    error = assert_error(put(client, world.own.finess_et, {"decision_ref": text}, world.headers["ars"]), 422)
    assert "decision_ref" in error["details"]["json"]
