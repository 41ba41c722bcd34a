"""The context a template sees: French dates, durations, parties, fields checked against the manifest."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from registry.documents import ContextError, Party, Representative, build_context, french_date, parse_manifest
from registry.documents.context import end_date, french_duration, french_join, party_from_organisation
from registry.documents.sandbox import date_fr
from tests.documents.builders import manifest


@pytest.mark.parametrize("day, text", [(date(2027, 1, 1), "1er janvier 2027"), (date(2027, 2, 2), "2 février 2027"),
                                       (date(2026, 8, 31), "31 août 2026"), (date(2026, 12, 1), "1er décembre 2026"),
                                       (None, "")])
def test_french_dates(day, text):
    assert french_date(day) == text


@pytest.mark.parametrize("value, text", [("2027-01-01", "1er janvier 2027"),
                                         (datetime(2027, 3, 1, 12), "1er mars 2027"), ("pas une date", "pas une date"),
                                         ("2027-02-30", "2027-02-30"), (3, 3)])
def test_date_fr_filter(value, text):
    assert date_fr(value) == text


@pytest.mark.parametrize("months, text", [(60, "5 ans"), (12, "1 an"), (18, "1 an et 6 mois"), (6, "6 mois")])
def test_french_durations(months, text):
    assert french_duration(months) == text


def test_end_dates_are_the_last_day_in_force():
    assert end_date(date(2027, 1, 1), 12) == date(2027, 12, 31)
    assert end_date(date(2027, 1, 31), 1) == date(2027, 2, 27)  # 28 February is the first day out of force
    assert end_date(date(2024, 3, 15), 60) == date(2029, 3, 14)


def test_french_join():
    assert [french_join(x) for x in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == ["", "A", "A et B", "A, B et C"]


def full_manifest():
    data = manifest(clauses=["a", "b"])
    data["fields"] = [
        {"name": "start", "label": "Début", "type": "date", "required": True},
        {"name": "places", "label": "Places", "type": "int", "required": False},
        {"name": "open", "label": "Ouvert", "type": "bool"},
        {"name": "kind", "label": "Activité", "type": "choice", "choices": ["SMR", "USLD"], "required": True},
        {"name": "names", "label": "Noms", "type": "list"},
        {"name": "note", "label": "Note", "type": "text"}]
    return parse_manifest(data)


def context(**overrides):
    values = dict(reference="R-1", hospital=Party("CH de Saulieu", finess_et="210987681"),
                  partners=[Party("CHU Dijon", short_name="le CHU"), Party("MSP", short_name="la MSP")],
                  effective_date=date(2027, 1, 1), duration_months=36,
                  fields={"start": "2027-03-01", "places": "4", "open": "oui", "kind": "USLD", "names": "A\n\nB "},
                  clauses=["b"])
    values.update(overrides)
    return build_context(full_manifest(), **values)


def test_fields_are_coerced_to_what_templates_print():
    built = context()
    assert (built["start"], built["places"], built["open"], built["kind"], built["names"], built["note"]) == (
        "1er mars 2027", 4, True, "USLD", ["A", "B"], "")
    assert built["clauses"] == {"a": False, "b": True}
    assert built["dates"] == {"effective": "1er janvier 2027", "end": "31 décembre 2029", "signature": "",
                              "document": ""}
    assert built["convention"] == {"duration": "3 ans", "duration_months": 36, "tacit_renewal": True,
                                   "party_count": 3}
    assert built["partner_names"] == "le CHU et la MSP"
    assert [p["name"] for p in built["parties"]] == ["CH de Saulieu", "CHU Dijon", "MSP"]
    assert built["hospital"]["short_name"] == "CH de Saulieu"


def test_every_bad_value_is_reported_at_once():
    with pytest.raises(ContextError) as caught:
        context(partners=[], duration_months=0, clauses=["ghost"],
                fields={"start": "31/12/2027", "places": "beaucoup", "kind": "EHPAD", "extra": 1})
    assert caught.value.messages == [
        "Une convention doit avoir au moins un partenaire.",
        "La durée de la convention doit être un nombre de mois positif.",
        "Le champ « extra » n'existe pas dans le modèle « Modèle d'essai ».",
        "La clause « ghost » n'existe pas dans le modèle « Modèle d'essai ».",
        "Le champ « Début » doit être une date (AAAA-MM-JJ).",
        "Le champ « Places » doit être un nombre entier.",
        "Le champ « Activité » doit valoir l'une de ces valeurs : SMR, USLD.",
    ]


def test_required_fields_must_be_given():
    with pytest.raises(ContextError) as caught:
        context(fields={})
    assert caught.value.messages == ["Le champ « Début » est obligatoire.", "Le champ « Activité » est obligatoire."]


def test_the_context_is_plain_json_data():
    import json

    built = context()
    assert json.loads(json.dumps(built)) == built


def test_a_party_from_a_registry_organisation():
    organisation = SimpleNamespace(name="CH HCO SITE DE SAULIEU", display_name="CENTRE HOSPITALIER HCO SAULIEU",
                                   finess_et="210987681", finess_ej="210012142", siret=None, rna=None,
                                   address="2 R COURTEPEE", postal_code="21210", city="SAULIEU", phone="0380000000",
                                   sph_label="Etablissement public de santé")
    party = party_from_organisation(organisation, representative=Representative("C. Martin", "Directrice"),
                                    short_name="le CH de Saulieu")
    data = party.as_context()
    assert data["name"] == "CENTRE HOSPITALIER HCO SAULIEU" and data["siret"] == ""
    assert data["address_line"] == "2 R COURTEPEE, 21210 SAULIEU"
    assert data["legal_status"] == "Etablissement public de santé"
    assert data["representative"] == {"name": "C. Martin", "title": "Directrice"}
