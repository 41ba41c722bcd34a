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
                              "document": "", "notice_deadline": ""}
    assert built["convention"] == {"duration": "3 ans", "duration_words": "trois ans", "duration_months": 36,
                                   "tacit_renewal": True, "party_count": 3, "party_count_words": "trois"}
    assert built["partner_names"] == "le CHU et la MSP"
    assert [p["name"] for p in built["parties"]] == ["CH de Saulieu", "CHU Dijon", "MSP"]
    assert built["hospital"]["short_name"] == "le CH de Saulieu"  # no short name given: the name with its article


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
                                   sph_label="Etablissement public de santé", sph_code="1", category_code="106",
                                   source="finess")
    profile = SimpleNamespace(decision_ref="ARS-BFC-2022-118", listed_on=date(2022, 5, 2), legal_status=None)
    party = party_from_organisation(organisation, representative=Representative("C. Martin", "Directrice"),
                                    short_name="le CH de Saulieu", profile=profile)
    data = party.as_context()
    # FINESS's value stays on the party; the template sees the name in French typography
    assert party.name == "CENTRE HOSPITALIER HCO SAULIEU" and data["siret"] == ""
    assert data["name"] == "Centre hospitalier HCO Saulieu"
    assert data["designation"] == "le Centre hospitalier HCO Saulieu"
    assert data["address_line"] == "2 rue Courtepee, 21210 Saulieu"
    assert data["legal_status"] == "établissement public de santé"  # the FINESS SPH label, as a convention writes it
    assert data["representative"] == {"name": "C. Martin", "title": "Directrice"}
    # The legal entity's own row is not imported: no « siège », but the site it acts for, by its number.
    assert data["head_office"] == ""
    assert data["acting_for"] == ("agissant pour son site inscrit au FINESS sous le n° 210987681, situé "
                                  "2 rue Courtepee, 21210 Saulieu")
    assert data["public_person"] == "public"
    assert data["listing"] == {"decision_ref": "ARS-BFC-2022-118", "listed_on": "2 mai 2022", "known": True}


def test_the_status_set_on_the_hospital_profile_wins_over_finess():
    organisation = SimpleNamespace(name="CLINIQUE", finess_et="210000001", finess_ej="210000001", sph_code=None,
                                   category_code="106", source="finess")
    profile = SimpleNamespace(decision_ref=None, listed_on=None, legal_status="prive")
    party = party_from_organisation(organisation, profile=profile)
    assert party.public_person == "prive"
    data = party.as_context()
    assert data["acting_for"] == "" and data["listing"]["known"] is False  # ET = EJ: the entity itself
    unknown = party_from_organisation(SimpleNamespace(name="X", finess_et="", sph_code=None, category_code="500",
                                                      source="finess"), profile=None)
    assert unknown.public_person == ""


def test_a_legal_entity_acting_for_a_site_or_as_managing_body():
    hospital = Party("Centre hospitalier de Haute Côte-d'Or", finess_ej="210012142", finess_et="210987681",
                     address="9 R DU FAUBOURG ST NICOLAS", postal_code="21200", city="BEAUNE",
                     site_name="Hôpital de Saulieu", site_address="2 rue Courtépée", site_postal_code="21210",
                     site_city="Saulieu")
    data = hospital.as_context()
    assert data["head_office"] == "9 rue du Faubourg Saint-Nicolas, 21200 Beaune"
    assert data["acting_for"] == ("agissant pour son site « Hôpital de Saulieu » (FINESS établissement n° "
                                  "210987681, 2 rue Courtépée, 21210 Saulieu)")
    assert data["designation"] == "le Centre hospitalier de Haute Côte-d'Or"
    ehpad = Party("Association Résidences de l'Auxois", manager=True, site_name="EHPAD de l'Auxois")
    assert ehpad.as_context()["acting_for"] == "agissant en qualité d'organisme gestionnaire de « EHPAD de l'Auxois »"
    assert ehpad.as_context()["designation"] == "l'Association Résidences de l'Auxois"


@pytest.mark.parametrize("natures, court", [
    (["public", "prive"], "le tribunal administratif territorialement compétent"),
    (["prive", "public"], "le tribunal administratif territorialement compétent"),
    (["prive", "prive"], "le tribunal judiciaire territorialement compétent"),
    (["prive", ""], "la juridiction territorialement compétente"),
])
def test_the_competent_court_follows_the_nature_of_the_parties(natures, court):
    hospital, *partners = [Party(f"P{i}", public_person=nature) for i, nature in enumerate(natures)]
    built = context(hospital=hospital, partners=partners)
    assert built["jurisdiction"]["court"] == court
    assert built["jurisdiction"]["administrative"] == ("public" in natures)


def test_the_notice_deadline_before_the_first_term():
    data = manifest(clauses=["a"])
    data["fields"] = [{"name": "notice_months", "label": "Préavis", "type": "int", "required": True}]
    built = build_context(parse_manifest(data), reference="R", hospital=Party("H"), partners=[Party("P")],
                          effective_date=date(2027, 1, 1), duration_months=36, fields={"notice_months": 6})
    assert built["dates"]["notice_deadline"] == "30 juin 2029"
