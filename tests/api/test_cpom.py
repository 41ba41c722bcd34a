"""The CPOM API (docs/interface.md, « CPOM »): the catalogue, a CPOM and its engagements, the yearly declarations with
ratios computed, proofs checked by content, the ARS's proof requests and reviews, the campaign, and who may do what."""

import io
from datetime import date, timedelta

import pytest

from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.clock import TODAY
from tests.conventions.builders import make_convention
from tests.signatures.pdf_factory import blank_pdf

START = date(TODAY.year - 1, 1, 1)
YEAR = START.year


def post(client, world, path, body, role="ars"):
    return client.post(f"/api/v1{path}", json=body, headers=world.headers[role])


@pytest.fixture
def cpom(client, world):
    body = post(client, world, "/cpoms", {"hospital": world.own.finess_et, "signed_on": START.isoformat(),
                                          "effective_on": START.isoformat()}).get_json()
    engagements = {}
    for indicator, comparator, value in (("connaissance_offre", "present", None),
                                         ("admissions_urgences", "<=", 0.2),
                                         ("ph_centres_sante", ">=", 5),
                                         ("collaborations_ville", "present", None),
                                         ("convention_l6111_3_2", "present", None)):
        engagements[indicator] = post(client, world, f"/cpoms/{body['id']}/engagements",
                                      {"indicator": indicator, "target": {"comparator": comparator,
                                                                          "value": value}}).get_json()["id"]
    body["engagement"] = engagements
    return body


def year_url(cpom, indicator, year=YEAR):
    return f"/api/v1/cpoms/{cpom['id']}/engagements/{cpom['engagement'][indicator]}/years/{year}"


def declare(client, world, cpom, indicator, body, role="hospital", year=YEAR):
    return client.put(year_url(cpom, indicator, year), json=body, headers=world.headers[role])


def test_the_catalogue_is_seed_002_s_sheet(client, world):
    body = client.get("/api/v1/cpom/catalogue", headers=world.headers["hospital"]).get_json()
    codes = {item["code"]: item for item in body["indicators"]}
    assert {"connaissance_offre", "admissions_urgences", "ph_centres_sante", "collaborations_ville"} <= set(codes)
    assert codes["admissions_urgences"]["kind"] == "ratio" and codes["ph_centres_sante"]["kind"] == "pourcentage"
    assert codes["connaissance_offre"]["source"].startswith("Déclaration de l'établissement")
    assert set(codes["ph_centres_sante"]) >= {"code", "theme", "objective", "label", "kind", "unit", "target",
                                              "source"}


def test_the_ars_creates_a_cpom_with_its_derived_dates(client, world, cpom):
    assert (cpom["ends_on"], cpom["midterm_due"]) == (date(YEAR + 4, 12, 31).isoformat(),
                                                      date(YEAR + 2, 7, 1).isoformat())
    assert cpom["renewal_due"] == date(YEAR + 4, 1, 1).isoformat() and cpom["hospitals"] == [world.own.finess_et]
    assert "cpom.create" in audit_actions(world.users["ars"])
    listed = client.get(f"/api/v1/hospitals/{world.own.finess_et}/cpoms", headers=world.headers["hospital"])
    assert [item["id"] for item in listed.get_json()["cpoms"]] == [cpom["id"]]


@pytest.mark.parametrize("role, status", [("hospital", 403), ("ars_other", 404), ("hospital_other", 404)])
def test_only_the_ars_of_the_region_creates_one(client, world, role, status):
    body = {"hospital": world.own.finess_et, "signed_on": START.isoformat(), "effective_on": START.isoformat()}
    assert_error(post(client, world, "/cpoms", body, role), status)


@pytest.mark.parametrize("role", ["ars_other", "hospital_other"])
def test_nobody_else_sees_a_cpom(client, world, cpom, role):
    assert_error(client.get(f"/api/v1/cpoms/{cpom['id']}", headers=world.headers[role]), 404)
    assert_error(declare(client, world, cpom, "connaissance_offre", {"value": True}, role=role), 404)
    campaign = client.get(f"/api/v1/cpom/campaigns/{YEAR}", headers=world.headers[role]).get_json()
    assert campaign["hospitals"] == []


def test_a_ratio_is_computed_from_numerator_and_denominator(client, world, cpom):
    ratio = declare(client, world, cpom, "admissions_urgences", {"numerator": 120, "denominator": 1000}).get_json()
    percent = declare(client, world, cpom, "ph_centres_sante", {"numerator": 3, "denominator": 40}).get_json()

    assert (ratio["value"], ratio["status"], ratio["assessment"]) == (0.12, "declaree", "atteint")
    assert (percent["value"], percent["assessment"]) == (7.5, "atteint")
    worse = declare(client, world, cpom, "admissions_urgences", {"numerator": 300, "denominator": 1000}).get_json()
    assert (worse["value"], worse["assessment"]) == (0.3, "non_atteint")


@pytest.mark.parametrize("indicator, body, problem", [
    ("admissions_urgences", {"numerator": 5, "denominator": 0}, "le dénominateur doit être positif"),
    ("admissions_urgences", {"numerator": 5}, "à la fois le numérateur et le dénominateur"),
    ("connaissance_offre", {"value": "oui"}, "true (oui) ou false (non)"),
    ("collaborations_ville", {"items": ["Cantine"]}, "action inconnue : « Cantine »"),
    ("convention_l6111_3_2", {"value": True}, "établi d'après le registre des conventions"),
])
def test_a_wrong_value_is_refused_and_nothing_is_stored(client, world, cpom, indicator, body, problem):
    error = assert_error(declare(client, world, cpom, indicator, body), 422, "invalid")
    assert any(problem in detail for detail in error["details"]), error
    assert client.get(f"/api/v1/cpoms/{cpom['id']}", headers=world.headers["ars"]).get_json()["engagements"][0][
        "years"] == []


def test_the_year_must_belong_to_the_cpom_and_have_begun(client, world, cpom):
    error = assert_error(declare(client, world, cpom, "connaissance_offre", {"value": True}, year=YEAR + 9), 422)
    assert "hors du CPOM" in error["message"]


def test_proof_requested_provided_then_validated_and_locked(client, world, cpom):
    declare(client, world, cpom, "connaissance_offre", {"value": True, "comment": "Réunion du 12 mars"})
    due = (TODAY + timedelta(days=30)).isoformat()
    assert_error(post(client, world, year_url(cpom, "connaissance_offre")[7:] + "/proof-request", {"due": due},
                      role="hospital"), 403)
    asked = post(client, world, year_url(cpom, "connaissance_offre")[7:] + "/proof-request", {"due": due})
    assert (asked.get_json()["status"], asked.get_json()["proof_due"]) == ("preuve_demandee", due)

    refused = client.post(year_url(cpom, "connaissance_offre") + "/proofs", headers=world.headers["hospital"],
                          data={"file": (io.BytesIO(b"juste du texte"), "preuve.pdf")},
                          content_type="multipart/form-data")
    assert "seuls un PDF ou un document bureautique" in assert_error(refused, 422)["message"]
    proof = client.post(year_url(cpom, "connaissance_offre") + "/proofs", headers=world.headers["hospital"],
                        data={"file": (io.BytesIO(blank_pdf()), "compte-rendu.pdf")},
                        content_type="multipart/form-data")
    assert proof.status_code == 201 and proof.get_json()["status"] == "preuve_fournie"

    contested = post(client, world, year_url(cpom, "connaissance_offre")[7:] + "/review", {"decision": "contestee"})
    assert "pourquoi la valeur est contestée" in str(assert_error(contested, 422)["details"])
    valid = post(client, world, year_url(cpom, "connaissance_offre")[7:] + "/review",
                 {"decision": "validee", "comment": "Compte rendu reçu"}).get_json()
    assert (valid["status"], valid["assessment"], len(valid["proofs"])) == ("validee", "atteint", 1)
    locked = declare(client, world, cpom, "connaissance_offre", {"value": False})
    assert "verrouillée" in str(assert_error(locked, 422)["details"])
    actions = audit_actions()
    assert {"cpom.declare", "cpom.proof_request", "cpom.proof", "cpom.review"} <= set(actions)


def test_a_contested_value_is_not_evaluable_until_declared_again(client, world, cpom):
    declare(client, world, cpom, "ph_centres_sante", {"numerator": 1, "denominator": 40})
    body = post(client, world, year_url(cpom, "ph_centres_sante")[7:] + "/review",
                {"decision": "contestee", "comment": "Effectif à justifier"}).get_json()
    assert (body["status"], body["assessment"]) == ("contestee", "non_evaluable")
    again = declare(client, world, cpom, "ph_centres_sante", {"numerator": 3, "denominator": 40}).get_json()
    assert (again["status"], again["assessment"]) == ("declaree", "atteint")


def test_the_campaign_gives_statuses_values_targets_and_assessments(client, world, cpom, make_organisation,
                                                                   make_partnership):
    declare(client, world, cpom, "admissions_urgences", {"numerator": 120, "denominator": 1000})
    declare(client, world, cpom, "collaborations_ville", {"items": ["Social", "Urgence"]})
    cpts = make_partnership(world.own, make_organisation(name="CPTS DU BEAUNOIS", category_code="604"),
                            partner_types=["cpts"])
    make_convention(world.own, cpts, legal_bases=["L6111-3-2"], signed_on=START,
                    effective_date=START, transmitted_to_ars_on=START + timedelta(days=10))
    db.session.commit()

    body = client.get(f"/api/v1/cpom/campaigns/{YEAR}?region=27", headers=world.headers["ars"]).get_json()

    assert body["year"] == YEAR and [h["finess_et"] for h in body["hospitals"]] == [world.own.finess_et]
    found = {item["indicator"]: item for item in body["hospitals"][0]["engagements"]}
    assert (found["admissions_urgences"]["status"], found["admissions_urgences"]["value"],
            found["admissions_urgences"]["assessment"]) == ("declaree", 0.12, "atteint")
    assert found["admissions_urgences"]["target"] == {"comparator": "<=", "value": 0.2}
    assert (found["connaissance_offre"]["status"], found["connaissance_offre"]["assessment"]) == (
        "non_declaree", "non_evaluable")
    assert found["collaborations_ville"]["assessment"] == "atteint"
    assert (found["convention_l6111_3_2"]["value"], found["convention_l6111_3_2"]["assessment"]) == (True, "atteint")
    other_region = client.get(f"/api/v1/cpom/campaigns/{YEAR}?region=84", headers=world.headers["ars"]).get_json()
    assert other_region["hospitals"] == []


def test_an_engagement_not_applicable_says_why(client, world, cpom):
    refused = post(client, world, f"/cpoms/{cpom['id']}/engagements",
                   {"indicator": "structure_premier_recours", "target": {"comparator": "present"},
                    "applicable": False})
    assert "dites pourquoi" in str(assert_error(refused, 422)["details"])
    created = post(client, world, f"/cpoms/{cpom['id']}/engagements",
                   {"indicator": "structure_premier_recours", "target": {"comparator": "present"},
                    "applicable": False, "reason": "Pas de restructuration sur le territoire"})
    assert created.status_code == 201
    body = client.get(f"/api/v1/cpom/campaigns/{YEAR}", headers=world.headers["ars"]).get_json()
    found = {item["indicator"]: item for item in body["hospitals"][0]["engagements"]}
    assert found["structure_premier_recours"]["assessment"] == "non_applicable"


def test_the_compliance_cpom_requirement_reads_the_cpom(client, world, cpom):
    def cpom_verdict(finess):
        document = client.get(f"/api/v1/compliance?at={TODAY.isoformat()}", headers=world.headers["admin"]).get_json()
        hospital = next(h for h in document["hospitals"] if h["finess_et"] == finess)
        return next(r for r in hospital["requirements"] if r["code"] == "cpom")

    assert cpom_verdict(world.own.finess_et)["verdict"] == "satisfait"
    assert "5 engagements applicables" in cpom_verdict(world.own.finess_et)["reason"]
    assert cpom_verdict(world.other.finess_et)["verdict"] == "non_evalue"
