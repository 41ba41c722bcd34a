"""The held-out campaign through the API and the exports alike: the same status, value, target and assessment for
every hospital × engagement, each one what the contract says (docs/interface.md, « CPOM »)."""

import csv
import io

import pytest

from tests.cpom.conftest import YEAR

#: What the held-out campaign must give (hospital, indicator) → (status, assessment), written from the contract.
EXPECTED = {
    ("beaune", "connaissance_offre"): ("validee", "atteint"),  # declared, proof asked and brought, validated
    ("beaune", "admissions_urgences"): ("declaree", "atteint"),  # 120/1000 = 0.12 <= 0.15 (avenant's target)
    ("beaune", "ph_centres_sante"): ("contestee", "non_evaluable"),  # 1/40 = 2.5 % contested
    ("beaune", "collaborations_ville"): ("declaree", "atteint"),  # two actions ticked
    ("beaune", "articulation_pdsa"): ("non_declaree", "non_applicable"),
    ("beaune", "ip_dms"): ("declaree", "non_evaluable"),  # target left to negotiation
    ("beaune", "convention_l6111_3_2"): ("validee", "atteint"),  # signed, in force, sent: read from the registry
    ("semur", "connaissance_offre"): ("preuve_demandee", "atteint"),  # proof overdue, value still assessed
    ("semur", "admissions_urgences"): ("non_declaree", "non_evaluable"),
    ("semur", "outils_communication"): ("declaree", "non_atteint"),  # « non » declared
}


@pytest.fixture
def ars_headers(make_user, token_headers):
    return token_headers(make_user("ars", region="27"))


def test_the_api_and_the_export_give_the_contract_s_answers(client, held_out, ars_headers):
    names = {held_out.beaune.finess_et: "beaune", held_out.nuits.finess_et: "beaune",
             held_out.semur.finess_et: "semur"}
    body = client.get(f"/api/v1/cpom/campaigns/{YEAR}", headers=ars_headers).get_json()
    api = {(finess, item["indicator"]): (item["status"], item["assessment"], item["value"])
           for hospital in body["hospitals"] for finess in [hospital["finess_et"]]
           for item in hospital["engagements"]}
    assert {finess for finess, _ in api} == set(names)  # Givors (84) and the later CPOM are not there
    for (finess, indicator), (status, assessment, _value) in api.items():
        assert (status, assessment) == EXPECTED[(names[finess], indicator)], (finess, indicator)
    assert api[(held_out.beaune.finess_et, "admissions_urgences")][2] == 0.12
    assert api[(held_out.beaune.finess_et, "ph_centres_sante")][2] == 2.5

    exported = client.get(f"/api/v1/cpom/campaigns/{YEAR}/export?format=csv", headers=ars_headers)
    rows = list(csv.DictReader(io.StringIO(exported.get_data().decode("utf-8-sig")), delimiter=";"))
    export = {(row["FINESS ET"], row["Code indicateur"]): (row["Code statut"], row["Code évaluation"])
              for row in rows}
    assert export == {key: value[:2] for key, value in api.items()}
    assert {row["Valeur"] for row in rows if row["Code indicateur"] == "admissions_urgences"
            and row["FINESS ET"] == held_out.beaune.finess_et} == {"0,12"}
