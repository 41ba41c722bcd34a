"""POST /conventions from a template and GET /conventions/{id}: written by the hospital's users and admins, read
through the hospital's scope."""

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from registry.conventions.models import Convention
from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)

URL = "/api/v1/conventions"
FIELDS = {"specialties": ["Cardiologie", "Gériatrie"], "administrative_court": "Dijon", "signing_place": "Beaune"}


@pytest.fixture
def partners(world, make_organisation, make_partnership, shipped_templates):  # noqa: F811
    chu = make_partnership(world.own, make_organisation(name="CHU DIJON BOURGOGNE", category_code="101"),
                           partner_types=["second_recours"])
    ehpad = make_partnership(world.own, make_organisation(name="EHPAD LES TILLEULS", category_code="500"),
                             partner_types=["ehpad"])
    elsewhere = make_partnership(world.other, make_organisation(name="CLINIQUE DE LYON", departement="69"))
    db.session.commit()
    return SimpleNamespace(chu=chu, ehpad=ehpad, elsewhere=elsewhere)


def payload(world, partners, /, **overrides) -> dict:
    values = {"hospital": world.own.finess_et, "partners": [partners.chu.id], "template": "second_recours",
              "clauses": ["telemedecine"], "fields": dict(FIELDS), "partner_types": ["second_recours"],
              "themes": ["orientation", "telemedecine"], "effective_date": "2027-01-01", "duration_months": 36,
              "tacit_renewal": True}
    values.update(overrides)
    return values


def conventions() -> int:
    return db.session.scalar(select(func.count(Convention.id)))


@pytest.mark.parametrize("role", ["hospital", "admin"])
def test_create_a_convention_from_a_template(client, world, partners, role):
    response = client.post(URL, json=payload(world, partners, notice_months=6), headers=world.headers[role])
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["reference"] == f"{world.own.finess_et}-2027-001" and body["status"] == "brouillon"
    assert body["template"] == {"code": "second_recours", "version": 1}
    assert body["hospital"] == world.own.finess_et
    assert (body["effective_date"], body["duration_months"], body["end_date"]) == ("2027-01-01", 36, "2029-12-31")
    assert (body["tacit_renewal"], body["notice_months"]) == (True, 6)
    assert body["clauses"] == ["telemedecine"] and body["fields"] == FIELDS
    # the themes of its articles: the template's own, and the telemedicine clause ticked
    assert body["themes"] == ["orientation", "consultations_avancees", "information_partagee", "telemedecine"]
    assert body["partner_types"] == ["second_recours"] and body["themes_declared"] is False
    assert (body["legal_bases"], body["transmitted_to_ars_on"]) == (["R6111-24", "L6316-1"], None)
    assert [(p["role"], p["name"]) for p in body["parties"]] == [("hospital", "HOPITAL DE BEAUNE"),
                                                                 ("partner", "CHU DIJON BOURGOGNE")]
    assert (body["drafts"], body["signed_copy"]) == ([], None)
    assert db.session.get(Convention, body["id"]).created_by_id == world.users[role].id
    assert audit_actions(world.users[role]) == ["convention.create"]
    assert client.get(f"{URL}/{body['id']}", headers=world.headers[role]).get_json() == body


def test_partners_by_finess_and_signatories(client, world, partners):
    chu, ehpad = partners.chu.partner, partners.ehpad.partner
    response = client.post(URL, json=payload(world, partners, partners=[ehpad.finess_et, partners.chu.id,
                                                                        chu.finess_et], signatories=[
        {"partner": "hospital", "name": "Marie Durand", "title": "Directrice"},
        {"partner": chu.finess_et, "name": "Paul Martin", "title": "Directeur général"},
        {"partner": partners.ehpad.id, "name": "Anne Roux"}]), headers=world.headers["hospital"])
    assert response.status_code == 201, response.get_data(as_text=True)
    parties = [(p["finess_et"], p["signatory"]) for p in response.get_json()["parties"]]
    assert parties == [(world.own.finess_et, {"name": "Marie Durand", "title": "Directrice"}),
                       (ehpad.finess_et, {"name": "Anne Roux", "title": None}),
                       (chu.finess_et, {"name": "Paul Martin", "title": "Directeur général"})]


@pytest.mark.parametrize("role, status", [("ars", 403), ("ars_other", 404), ("hospital_other", 404)])
def test_only_the_hospital_and_admins_create(client, world, partners, role, status):
    response = client.post(URL, json=payload(world, partners), headers=world.headers[role])
    assert_error(response, status)
    assert conventions() == 0


def test_access_is_checked_before_the_payload(client, world, partners):
    response = client.post(URL, json={"hospital": world.own.finess_et, "duration_months": "x"},
                           headers=world.headers["ars"])
    assert_error(response, 403, "forbidden")


def test_anonymous_is_refused(client, world, partners):
    assert_error(client.post(URL, json=payload(world, partners)), 401)


def test_unknown_partners_are_named(client, world, partners, make_organisation):
    stranger = make_organisation(name="EHPAD SANS PARTENARIAT")
    db.session.commit()
    refs = [partners.chu.id, partners.elsewhere.id, stranger.finess_et]
    error = assert_error(client.post(URL, json=payload(world, partners, partners=refs),
                                     headers=world.headers["hospital"]), 422, "invalid")
    assert set(error["details"]["json"]["partners"]) == {"1", "2"}
    assert str(partners.elsewhere.id) in error["message"] and stranger.finess_et in error["message"]
    assert conventions() == 0


def test_unknown_template_is_a_422_naming_it(client, world, partners):
    error = assert_error(client.post(URL, json=payload(world, partners, template="inexistant"),
                                     headers=world.headers["hospital"]), 422, "invalid")
    assert "inexistant" in error["details"]["json"]["template"][0]


@pytest.mark.parametrize("changes, location", [
    ({"effective_date": "01/01/2027"}, "effective_date"),
    ({"effective_date": "9999-12-31"}, "effective_date"),
    ({"fields": {"signing_place": float("inf")}}, "fields"),
    ({"duration_months": 0}, "duration_months"),
    ({"themes": ["chirurgie"]}, "themes"),
    ({"partners": []}, "partners"),
    ({"partners": [True]}, "partners"),
    ({"partners": [2**40]}, "partners"),
    ({"partners": ["123"]}, "partners"),
    ({"fields": {"signing_place": "Beaune\x00"}}, "fields"),
    ({"fields": {"signing_place": {"nested": 1}}}, "fields"),
    ({"signatories": [{"partner": "hospital", "name": "x" * 121}]}, "signatories"),
    ({"title": "x" * 301}, "title"),
])
def test_invalid_payloads_are_located(client, world, partners, changes, location):
    error = assert_error(client.post(URL, json=payload(world, partners, **changes),
                                     headers=world.headers["hospital"]), 422, "invalid")
    assert location in error["details"]["json"]
    assert conventions() == 0


@pytest.mark.parametrize("changes, message", [
    ({"fields": {"administrative_court": "Dijon", "signing_place": "Beaune"}}, "Spécialités"),
    ({"fields": {**FIELDS, "inconnu": "x"}}, "inconnu"),
    ({"clauses": ["clause_fantome"]}, "clause_fantome"),
    ({"clauses": [], "themes": ["telemedecine"]}, "aucun article ne couvre : telemedecine"),
    ({"legal_bases": ["L6111-3-2"]}, "le fondement juridique d'une convention rédigée d'après un modèle"),
])
def test_values_that_do_not_fit_the_template_are_refused(client, world, partners, changes, message):
    error = assert_error(client.post(URL, json=payload(world, partners, **changes),
                                     headers=world.headers["hospital"]), 422, "invalid")
    assert message in error["message"]
    assert conventions() == 0


def test_a_signatory_must_be_a_party(client, world, partners):
    signatories = [{"partner": partners.ehpad.partner.finess_et, "name": "Anne Roux"}]
    error = assert_error(client.post(URL, json=payload(world, partners, signatories=signatories),
                                     headers=world.headers["hospital"]), 422, "invalid")
    assert error["details"]["json"]["signatories"]["0"]["partner"]


def test_body_must_be_json(client, world, partners):
    assert_error(client.post(URL, data="hospital=1", headers=world.headers["hospital"]), 400)


@pytest.mark.parametrize("role, status", [("admin", 200), ("ars", 200), ("hospital", 200), ("ars_other", 404),
                                          ("hospital_other", 404)])
def test_reading_a_convention_per_role(client, world, partners, role, status):
    created = client.post(URL, json=payload(world, partners), headers=world.headers["hospital"]).get_json()
    response = client.get(f"{URL}/{created['id']}", headers=world.headers[role])
    if status == 200:
        assert response.status_code == 200 and response.get_json()["reference"] == created["reference"]
    else:
        assert_error(response, 404, "not_found")


def test_unknown_convention_is_not_found(client, world):
    assert_error(client.get(f"{URL}/999999", headers=world.headers["admin"]), 404, "not_found")
    assert client.get(f"{URL}/{2**40}", headers=world.headers["admin"]).status_code == 404
