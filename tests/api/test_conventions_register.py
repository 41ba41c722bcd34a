"""Registering a convention drafted elsewhere: POST /conventions without « template », and the service behind it."""

from datetime import date

import pytest
from sqlalchemy import func, select

from registry.conventions.models import Convention
from registry.conventions.services import register_convention
from registry.conventions.terms import ConventionTerms, Signatory
from registry.core.errors import DomainError
from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.api.test_conventions import URL, partners, payload  # noqa: F401  (fixture)
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)


def registration(world, partners, **overrides) -> dict:  # noqa: F811
    values = payload(world, partners, partners=[partners.ehpad.partner.finess_et], partner_types=["ehpad"],
                     themes=["continuite_soins", "retour_domicile"], effective_date="2019-03-01",
                     duration_months=60, tacit_renewal=False, title="Convention EHPAD de 2019", clauses=[],
                     fields={})
    del values["template"]
    values.update(overrides)
    return values


def test_a_convention_drafted_elsewhere_is_registered_with_its_past_dates(client, world, partners):  # noqa: F811
    response = client.post(URL, json=registration(world, partners, signatories=[
        {"partner": "hospital", "name": "Jean Petit", "title": "Directeur"}]), headers=world.headers["hospital"])
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["reference"] == f"{world.own.finess_et}-2019-001" and body["status"] == "brouillon"
    assert (body["template"], body["drafts"], body["signed_copy"]) == (None, [], None)
    assert (body["effective_date"], body["end_date"], body["tacit_renewal"]) == ("2019-03-01", "2024-02-29", False)
    assert (body["partner_types"], body["themes"]) == (["ehpad"], ["continuite_soins", "retour_domicile"])
    assert (body["clauses"], body["fields"], body["title"]) == ([], {}, "Convention EHPAD de 2019")
    assert [p["name"] for p in body["parties"]] == ["HOPITAL DE BEAUNE", "EHPAD LES TILLEULS"]
    assert body["parties"][0]["signatory"] == {"name": "Jean Petit", "title": "Directeur"}
    assert audit_actions(world.users["hospital"]) == ["convention.register"]


@pytest.mark.parametrize("missing, message", [("partner_types", "type de partenaire"), ("themes", "thème")])
def test_types_and_themes_are_required_without_a_template(client, world, partners, missing, message):  # noqa: F811
    error = assert_error(client.post(URL, json=registration(world, partners, **{missing: []}),
                                     headers=world.headers["hospital"]), 422, "invalid")
    assert message in error["message"]
    assert db.session.scalar(select(func.count(Convention.id))) == 0


def test_clauses_and_fields_need_a_template(client, world, partners):  # noqa: F811
    error = assert_error(client.post(URL, json=registration(world, partners, clauses=["telemedecine"],
                                                            fields={"signing_place": "Beaune"}),
                                     headers=world.headers["hospital"]), 422, "invalid")
    assert set(error["details"]["json"]) == {"clauses", "fields"}


def test_the_ars_registers_nothing(client, world, partners):  # noqa: F811
    assert_error(client.post(URL, json=registration(world, partners), headers=world.headers["ars"]), 403)
    assert db.session.scalar(select(func.count(Convention.id))) == 0


def test_the_service_records_the_parties_and_numbers_per_year(world, partners):  # noqa: F811
    first = register_convention(world.own, ConventionTerms(partnerships=[partners.chu, partners.ehpad],
        partner_types=["second_recours", "ehpad", "ehpad"], themes=["orientation"], effective_date=date(2018, 6, 1),
        duration_months=36, signatories={partners.chu.partner_id: Signatory("Paul Martin", "Directeur")}))
    second = register_convention(world.own, ConventionTerms(partnerships=[partners.chu],
        partner_types=["second_recours"], themes=["orientation"], effective_date=date(2018, 9, 1), duration_months=12))
    assert (first.reference, second.reference) == (f"{world.own.finess_et}-2018-001",
                                                   f"{world.own.finess_et}-2018-002")
    assert first.template_version is None and first.partner_types == ["second_recours", "ehpad"]
    assert first.title == "Convention – CHU DIJON BOURGOGNE et EHPAD LES TILLEULS"
    assert [(p.role, p.signatory_name) for p in first.parties] == [("hospital", None), ("partner", "Paul Martin"),
                                                                   ("partner", None)]


@pytest.mark.parametrize("overrides, message", [
    ({"partner_types": []}, "type de partenaire"),
    ({"themes": ["chirurgie"]}, "thème inconnu"),
    ({"partnerships": []}, "au moins un partenaire"),
    ({"duration_months": 0}, "durée"),
    ({"effective_date": None}, "date d'effet"),
    ({"notice_months": 30}, "préavis"),
])
def test_the_service_refuses_incomplete_conventions(world, partners, overrides, message):  # noqa: F811
    values = {"partnerships": [partners.chu], "partner_types": ["second_recours"], "themes": ["orientation"],
              "effective_date": date(2018, 6, 1), "duration_months": 36, **overrides}
    with pytest.raises(DomainError, match=message):
        register_convention(world.own, ConventionTerms(**values))
    db.session.rollback()
    assert db.session.scalar(select(func.count(Convention.id))) == 0


def test_the_service_refuses_another_hospitals_partner(world, partners):  # noqa: F811
    with pytest.raises(DomainError, match="n'est pas partenaire de cet hôpital"):
        register_convention(world.own, ConventionTerms(partnerships=[partners.elsewhere], partner_types=["ehpad"],
            themes=["orientation"], effective_date=date(2018, 6, 1), duration_months=36))
