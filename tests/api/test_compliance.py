"""GET /api/v1/compliance: docs/interface.md's document, the token user's scope, the day asked about."""


import pytest

from registry.compliance.rules import CURRENT
from registry.extensions import db
from tests.api.helpers import assert_error
from tests.clock import TODAY
from tests.compliance.builders import AT
from tests.conventions.builders import make_convention

URL = "/api/v1/compliance"
DAY = AT.isoformat()


@pytest.fixture
def signed(world, make_partnership, make_organisation):
    """``own`` (Beaune, Côte-d'Or) has an EHPAD convention signed on 1 June 2025, in force from 1 July 2025."""
    ehpad = make_partnership(world.own, make_organisation(name="EHPAD DE BEAUNE", category_code="500"))
    world.convention = make_convention(world.own, ehpad)
    db.session.commit()
    return world


def requirements(hospital: dict) -> dict:
    return {item["code"]: item for item in hospital["requirements"]}


def test_the_document_has_the_interface_shape(client, signed):
    response = client.get(f"{URL}?at={DAY}", headers=signed.headers["admin"])

    assert response.status_code == 200
    document = response.get_json()
    assert set(document) == {"at", "rule_set", "ruleset", "hospitals"}
    assert document["at"] == DAY and document["rule_set"] == "hdp-textes-en-vigueur"
    assert [h["finess_et"] for h in document["hospitals"]] == [signed.own.finess_et, signed.other.finess_et]
    beaune = document["hospitals"][0]
    assert set(beaune) == {"finess_et", "name", "departement", "requirements"}
    assert beaune["name"] == "HOPITAL DE BEAUNE" and beaune["departement"] == "21"
    assert [item["code"] for item in beaune["requirements"]] == list(CURRENT.codes)
    for item in beaune["requirements"]:
        assert set(item) == {"code", "verdict", "reason", "citation", "evidence", "title", "reading", "ruleset",
                             "deadline", "flags", "recommended"}
        assert item["verdict"] in ("satisfait", "manquant", "a_risque", "non_requis", "non_evalue")
        assert item["reason"] and item["citation"].startswith("Art. ") and "R6111-26" not in item["citation"]
        assert isinstance(item["evidence"], list)
    partners = requirements(beaune)["l6111_3_2"]
    assert partners["citation"].startswith("Art. L6111-3-2, I") and partners["deadline"] == "2023-05-01"
    ehpad = requirements(beaune)["recommande_ehpad"]
    assert ehpad["verdict"] == "satisfait" and ehpad["evidence"] == [signed.convention.reference]
    assert ehpad["recommended"] is True
    old = client.get(f"{URL}?at={DAY}&rule_set=r6111-26-2016", headers=signed.headers["admin"]).get_json()
    ehpad = requirements(old["hospitals"][0])["2b_ehpad"]
    assert ehpad["verdict"] == "satisfait" and ehpad["evidence"] == [signed.convention.reference]
    assert ehpad["citation"] == ("Art. R6111-26, I, 2° b) du code de la santé publique "
                                 "(décret n° 2016-658 du 20 mai 2016)")


def test_the_rule_sets_are_listed_and_an_unknown_one_is_422(client, signed):
    listed = client.get(f"{URL}/rule-sets", headers=signed.headers["hospital"]).get_json()["rule_sets"]
    assert [(item["code"], item["default"]) for item in listed] == [("hdp-textes-en-vigueur", True),
                                                                      ("r6111-26-2016", False)]
    error = assert_error(client.get(f"{URL}?rule_set=r6111-26-1999", headers=signed.headers["admin"]), 422,
                         "invalid")
    assert "rule_set" in error["details"]["query"]


def test_the_day_asked_about_changes_the_verdict(client, signed):
    before = client.get(f"{URL}?at=2025-06-20", headers=signed.headers["admin"]).get_json()
    ehpad = requirements(before["hospitals"][0])["recommande_ehpad"]
    assert before["at"] == "2025-06-20"
    assert ehpad["verdict"] == "a_risque" and "n'entre en vigueur que le 1er juillet 2025" in ehpad["reason"]

    today = client.get(URL, headers=signed.headers["admin"]).get_json()
    assert today["at"] == TODAY.isoformat()


@pytest.mark.parametrize("query", ["at=2026-02-30", "at=demain", "region=99", "departement=A1", "per_page=0"])
def test_bad_parameters_are_422(client, signed, query):
    error = assert_error(client.get(f"{URL}?{query}", headers=signed.headers["admin"]), 422, "invalid")
    assert error["details"]["query"]


@pytest.mark.parametrize("role, expected", [
    ("admin", {"own", "other"}), ("ars", {"own"}), ("ars_other", {"other"}), ("hospital", {"own"}),
    ("hospital_other", {"other"})])
def test_each_token_reads_its_scope(client, signed, role, expected):
    document = client.get(URL, headers=signed.headers[role]).get_json()
    numbers = {getattr(signed, name).finess_et: name for name in ("own", "other")}
    assert {numbers[h["finess_et"]] for h in document["hospitals"]} == expected


def test_region_narrows_the_scope_and_never_widens_it(client, signed):
    """Decision: another region than the ARS's own answers an empty list (200), like GET /hospitals?region=."""
    own_region = client.get(f"{URL}?region=27", headers=signed.headers["ars"]).get_json()
    assert [h["finess_et"] for h in own_region["hospitals"]] == [signed.own.finess_et]
    other_region = client.get(f"{URL}?region=84", headers=signed.headers["ars"])
    assert other_region.status_code == 200 and other_region.get_json()["hospitals"] == []
    admin = client.get(f"{URL}?region=84", headers=signed.headers["admin"]).get_json()
    assert [h["finess_et"] for h in admin["hospitals"]] == [signed.other.finess_et]
    departement = client.get(f"{URL}?departement=69&region=", headers=signed.headers["admin"]).get_json()
    assert [h["finess_et"] for h in departement["hospitals"]] == [signed.other.finess_et]


def test_anonymous_is_401(client, signed):
    assert_error(client.get(URL), 401)


def test_pages_on_request(client, signed):
    first = client.get(f"{URL}?per_page=1", headers=signed.headers["admin"]).get_json()
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 1, 2, 2)
    assert [h["finess_et"] for h in first["hospitals"]] == [signed.own.finess_et]
    second = client.get(f"{URL}?per_page=1&page=2", headers=signed.headers["admin"]).get_json()
    assert [h["finess_et"] for h in second["hospitals"]] == [signed.other.finess_et]
    assert client.get(f"{URL}?per_page=1&page=3", headers=signed.headers["admin"]).get_json()["hospitals"] == []
    assert_error(client.get(f"{URL}?per_page=201", headers=signed.headers["admin"]), 422)


def test_the_query_count_does_not_grow_with_the_hospitals(client, signed, make_hospital, make_organisation,
                                                          make_partnership, count_queries):
    def add(count: int):
        for _ in range(count):
            hospital = make_hospital(make_organisation(category_code="106"))
            make_convention(hospital, make_partnership(hospital))
        db.session.commit()

    def count() -> int:
        with count_queries() as queries:
            assert client.get(URL, headers=signed.headers["admin"]).status_code == 200
        return len(queries)

    few = count()
    add(18)
    assert count() == few
    assert len(client.get(URL, headers=signed.headers["admin"]).get_json()["hospitals"]) == 20


def test_the_openapi_document_describes_it(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"][URL]["get"]
    assert operation["summary"]
    assert {p["name"] for p in operation["parameters"]} >= {"region", "departement", "at", "page", "per_page"}
    region = next(p for p in operation["parameters"] if p["name"] == "region")
    assert "liste vide" in region["description"]
    assert {"200", "422"} <= set(operation["responses"])
    schemas = spec["components"]["schemas"]
    assert set(schemas["ComplianceDocument"]["properties"]) >= {"at", "hospitals"}
    assert set(schemas["RequirementVerdict"]["properties"]) >= {"code", "verdict", "reason", "citation", "evidence"}
    assert schemas["RequirementVerdict"]["properties"]["verdict"]["enum"] == ["satisfait", "a_risque", "manquant",
                                                                              "non_requis", "non_evalue"]
    assert "rule_set" in {p["name"] for p in operation["parameters"]}
