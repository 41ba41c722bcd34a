"""A CPOM after its signature, through the API: more sites of the legal entity, signed copies, avenants changing
targets (each year keeps its own), linked conventions, evaluations gathering the years; an ARS's own catalogue and
activity-data values loaded from CSV/XLSX, checked row by row, all or nothing."""

import csv
import io
from datetime import date

import docx
import pytest
from openpyxl import Workbook

from registry.cpom.models import CpomCatalogue, CpomDeclaration
from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.api.test_cpom import START, YEAR, declare, post
from tests.api.test_cpom import cpom  # noqa: F401  (fixture)
from tests.clock import TODAY
from tests.conventions.builders import make_convention
from tests.signatures.pdf_factory import blank_pdf


def upload(client, world, path, data, role="ars", filename="fichier.csv"):
    return client.post(f"/api/v1{path}", data={"file": (io.BytesIO(data), filename)},
                       headers=world.headers[role], content_type="multipart/form-data")


def engagement_url(cpom, indicator):
    return f"/api/v1/cpoms/{cpom['id']}/engagements/{cpom['engagement'][indicator]}"


def avenant(client, world, cpom, effective_on=date(YEAR + 1, 1, 1), **extra):
    body = {"signed_on": min(effective_on, TODAY).isoformat(), "effective_on": effective_on.isoformat(),
            "object": "Révision de la cible des admissions via les urgences", **extra}
    return post(client, world, f"/cpoms/{cpom['id']}/avenants", body)


def campaign_row(client, world, year, indicator, role="ars"):
    body = client.get(f"/api/v1/cpom/campaigns/{year}", headers=world.headers[role]).get_json()
    return next(item for item in body["hospitals"][0]["engagements"] if item["indicator"] == indicator)


def test_a_target_changes_only_through_an_avenant_and_earlier_years_keep_theirs(client, world, cpom):
    url = f"{engagement_url(cpom, 'admissions_urgences')}/target"
    change = {"target": {"comparator": "<=", "value": 0.3}, "applicable": True}
    assert_error(client.put(url, json=change, headers=world.headers["ars"]), 422)  # no avenant
    created = avenant(client, world, cpom)
    assert created.status_code == 201 and created.get_json()["number"] == 1
    assert_error(client.put(url, json={**change, "avenant": created.get_json()["id"]},
                            headers=world.headers["hospital"]), 403)
    changed = client.put(url, json={**change, "avenant": created.get_json()["id"]}, headers=world.headers["ars"])
    assert changed.status_code == 200
    assert changed.get_json()["target"] == {"comparator": "<=", "value": 0.3}
    assert changed.get_json()["target_history"][0]["before"]["value"] == 0.2
    declare(client, world, cpom, "admissions_urgences", {"numerator": 25, "denominator": 100})
    declare(client, world, cpom, "admissions_urgences", {"numerator": 25, "denominator": 100}, year=YEAR + 1)
    before, after = (campaign_row(client, world, year, "admissions_urgences") for year in (YEAR, YEAR + 1))
    assert (before["target"]["value"], before["assessment"]) == (0.2, "non_atteint")
    assert (after["target"]["value"], after["assessment"]) == (0.3, "atteint")
    assert {"cpom.avenant", "cpom.target"} <= set(audit_actions(world.users["ars"]))


def test_an_avenant_is_refused_with_every_problem(client, world, cpom):
    response = post(client, world, f"/cpoms/{cpom['id']}/avenants",
                    {"signed_on": "2099-01-01", "effective_on": "1990-01-01", "object": " "})
    problems = assert_error(response, 422)
    assert "futur" in str(problems) and "pendant le CPOM" in str(problems)


def test_after_the_first_declaration_an_engagement_is_added_by_avenant(client, world, cpom):
    declare(client, world, cpom, "connaissance_offre", {"value": True})
    body = {"indicator": "outils_communication", "target": {"comparator": "present", "value": None}}
    assert "par avenant" in str(assert_error(post(client, world, f"/cpoms/{cpom['id']}/engagements", body), 422))
    number = avenant(client, world, cpom).get_json()["id"]
    added = post(client, world, f"/cpoms/{cpom['id']}/engagements", {**body, "avenant": number})
    assert added.status_code == 201 and added.get_json()["avenant"] == number


def test_another_site_of_the_same_legal_entity_is_covered(client, world, cpom, make_organisation, make_hospital):
    sister = make_hospital(make_organisation(departement="21", category_code="106",
                                             finess_ej=world.own.organisation.finess_ej))
    stranger = make_hospital(make_organisation(departement="21", category_code="106"))
    db.session.commit()
    added = post(client, world, f"/cpoms/{cpom['id']}/sites", {"hospital": sister.finess_et})
    assert added.status_code == 200 and added.get_json()["hospitals"] == [world.own.finess_et, sister.finess_et]
    refused = post(client, world, f"/cpoms/{cpom['id']}/sites", {"hospital": stranger.finess_et})
    assert "entité juridique" in str(assert_error(refused, 422))


def test_a_cpom_created_for_several_sites_at_once(client, world, make_organisation, make_hospital):
    sister = make_hospital(make_organisation(departement="21", category_code="106",
                                             finess_ej=world.own.organisation.finess_ej))
    db.session.commit()
    body = post(client, world, "/cpoms", {"hospital": world.own.finess_et, "hospitals": [sister.finess_et],
                                          "signed_on": START.isoformat(), "effective_on": START.isoformat()})
    assert body.status_code == 201 and len(body.get_json()["hospitals"]) == 2
    assert body.get_json()["catalogue"]["id"] is None


def test_the_signed_copy_is_checked_by_content(client, world, cpom):
    refused = upload(client, world, f"/cpoms/{cpom['id']}/signed-copy", b"MZ\x90\x00 not a pdf", filename="a.pdf")
    assert_error(refused, 422)
    stored = upload(client, world, f"/cpoms/{cpom['id']}/signed-copy", blank_pdf(), filename="cpom.pdf")
    assert stored.status_code == 201 and stored.get_json()["signed_copy"]["filename"] == "cpom.pdf"
    assert_error(upload(client, world, f"/cpoms/{cpom['id']}/signed-copy", blank_pdf(), role="hospital"), 403)


def test_conventions_are_linked_only_from_the_covered_hospitals(client, world, cpom):
    own = make_convention(world.own, legal_bases=["L6111-3-2"])
    foreign = make_convention(world.other)
    db.session.commit()
    url = f"{engagement_url(cpom, 'convention_l6111_3_2')}/conventions"
    linked = client.put(url, json={"conventions": [own.id]}, headers=world.headers["ars"])
    assert linked.status_code == 200 and linked.get_json()["conventions"] == [{"id": own.id,
                                                                               "reference": own.reference}]
    refused = client.put(url, json={"conventions": [foreign.id]}, headers=world.headers["ars"])
    assert "introuvable" in str(assert_error(refused, 422))


def test_the_mid_term_evaluation_gathers_the_years_before_it(client, world, cpom):
    declare(client, world, cpom, "connaissance_offre", {"value": True})
    declare(client, world, cpom, "admissions_urgences", {"numerator": 50, "denominator": 100})
    body = {"kind": "mi_parcours", "held_on": TODAY.isoformat(), "minutes": "Dialogue de gestion"}
    assert_error(post(client, world, f"/cpoms/{cpom['id']}/evaluations", body, role="hospital"), 403)
    created = post(client, world, f"/cpoms/{cpom['id']}/evaluations", body)
    assert created.status_code == 201
    evaluation = created.get_json()
    assert evaluation["years"] == [YEAR, YEAR]
    results = {item["indicator"]: item for item in evaluation["results"]}
    assert results["connaissance_offre"]["overall"] == "atteint"
    assert results["admissions_urgences"]["overall"] == "non_atteint"
    assert results["ph_centres_sante"]["overall"] == "non_evaluable"
    future = post(client, world, f"/cpoms/{cpom['id']}/evaluations", {**body, "held_on": "2099-01-01"})
    assert "futur" in str(assert_error(future, 422))


CATALOGUE_CSV = ("code;theme;objectif;indicateur;type;unite;cible;actions\r\n"
                 "reunions_ville;Coordination;Rencontrer la ville;Réunions tenues;nombre;Réunions;Au moins 4;\r\n"
                 "actions_ville;Coordination;Agir avec la ville;Actions;liste;Oui/non;Une action;Social | Urgence\r\n")


def test_an_ars_loads_its_own_catalogue_previewed_then_whole(client, world):
    path = "/cpom/catalogues?name=Fiche BFC 2026&source=ARS Bourgogne-Franche-Comté"
    preview = upload(client, world, path + "&dry_run=true", CATALOGUE_CSV.encode())
    assert preview.status_code == 200 and preview.get_json()["problems"] == []
    assert db.session.query(CpomCatalogue).count() == 0
    loaded = upload(client, world, path, CATALOGUE_CSV.encode())
    assert loaded.status_code == 201 and loaded.get_json()["region"] == "27"
    catalogue = client.get("/api/v1/cpom/catalogue", headers=world.headers["ars"]).get_json()
    codes = [item["code"] for item in catalogue["indicators"]]
    assert codes == ["reunions_ville", "actions_ville", "convention_l6111_3_2"]
    assert catalogue["indicators"][1]["items"] == ["Social", "Urgence"]
    created = post(client, world, "/cpoms", {"hospital": world.own.finess_et, "signed_on": START.isoformat(),
                                             "effective_on": START.isoformat()}).get_json()
    assert created["catalogue"]["id"] == loaded.get_json()["id"]
    unknown = post(client, world, f"/cpoms/{created['id']}/engagements",
                   {"indicator": "connaissance_offre", "target": {"comparator": "present", "value": None}})
    assert "inconnu du catalogue" in str(assert_error(unknown, 422))
    other_region = client.get("/api/v1/cpom/catalogue", headers=world.headers["ars_other"]).get_json()
    assert other_region["id"] is None  # the built-in sheet


def test_a_catalogue_with_one_bad_row_loads_nothing(client, world):
    bad = CATALOGUE_CSV + "Mauvais Code;Coordination;x;y;inconnu;u;c;\r\n;;;;liste;;;\r\n"
    preview = upload(client, world, "/cpom/catalogues?dry_run=true", bad.encode()).get_json()
    messages = [problem["message"] for problem in preview["problems"]]
    assert any("invalide" in message for message in messages) and any("type" in message for message in messages)
    assert any("actions" in message for message in messages)
    refused = upload(client, world, "/cpom/catalogues?name=x&source=y", bad.encode())
    assert "ligne 4" in str(assert_error(refused, 422))
    assert db.session.query(CpomCatalogue).count() == 0
    assert_error(upload(client, world, "/cpom/catalogues?name=x&source=y", CATALOGUE_CSV.encode(),
                        role="hospital"), 403)


def test_a_catalogue_from_xlsx(client, world):
    workbook = Workbook()
    for row in (line.split(";") for line in CATALOGUE_CSV.strip().split("\r\n")):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    loaded = upload(client, world, "/cpom/catalogues?name=x&source=y", buffer.getvalue(), filename="fiche.xlsx")
    assert loaded.status_code == 201 and len(loaded.get_json()["indicators"]) == 2


def activity_csv(world, *rows):
    return ("finess;annee;indicateur;valeur;numerateur;denominateur\r\n"
            + "".join(f"{world.own.finess_et};{row}\r\n" for row in rows)).encode()


def test_activity_data_are_imported_by_finess_and_year(client, world, cpom):
    data = activity_csv(world, f"{YEAR};admissions_urgences;;180;1000", f"{YEAR};ph_centres_sante;6;;")
    preview = upload(client, world, "/cpom/activity-data?dry_run=true", data).get_json()
    assert preview["problems"] == [] and len(preview["rows"]) == 2
    assert db.session.query(CpomDeclaration).count() == 0
    imported = upload(client, world, "/cpom/activity-data", data)
    assert imported.status_code == 200 and imported.get_json()["imported"] == 2
    row = campaign_row(client, world, YEAR, "admissions_urgences")
    assert (row["value"], row["status"], row["assessment"]) == (0.18, "declaree", "atteint")
    years = client.get(f"/api/v1/cpoms/{cpom['id']}", headers=world.headers["hospital"]).get_json()
    source = next(e for e in years["engagements"] if e["indicator"] == "admissions_urgences")["years"][0]["source"]
    assert source == "donnees_activite"


def test_activity_data_with_a_bad_row_import_nothing(client, world, cpom):
    data = activity_csv(world, f"{YEAR};admissions_urgences;;180;1000", f"{YEAR};connaissance_offre;1;;",
                        f"{YEAR};admissions_urgences;;10;100", f"{YEAR + 9};ip_dms;1,02;;", "x;ip_dms;1;;")
    refused = upload(client, world, "/cpom/activity-data", data)
    problems = str(assert_error(refused, 422))
    for expected in ("ligne 3", "n'est pas une donnée chiffrée", "ligne 4", "ligne 5", "ligne 6"):
        assert expected in problems
    assert db.session.query(CpomDeclaration).count() == 0


def test_activity_data_never_overwrite_a_validated_value(client, world, cpom):
    declare(client, world, cpom, "admissions_urgences", {"numerator": 10, "denominator": 100})
    post(client, world, f"{engagement_url(cpom, 'admissions_urgences')[7:]}/years/{YEAR}/review",
         {"decision": "validee", "comment": "ok"})
    refused = upload(client, world, "/cpom/activity-data", activity_csv(world, f"{YEAR};admissions_urgences;;1;2"))
    assert "verrouillée" in str(assert_error(refused, 422))


@pytest.mark.parametrize("role", ["ars_other", "hospital_other"])
def test_outsiders_see_none_of_it(client, world, cpom, role):
    assert_error(avenant_as(client, world, cpom, role), 404)
    assert_error(upload(client, world, f"/cpoms/{cpom['id']}/signed-copy", blank_pdf(), role=role), 404)
    outsider = upload(client, world, "/cpom/activity-data", activity_csv(world, f"{YEAR};ip_dms;1;;"), role=role)
    assert "aucun CPOM de votre périmètre" in str(assert_error(outsider, 422))


def avenant_as(client, world, cpom, role):
    return client.post(f"/api/v1/cpoms/{cpom['id']}/avenants", json={
        "signed_on": START.isoformat(), "effective_on": START.isoformat(), "object": "x"},
        headers=world.headers[role])


def test_the_exports_say_what_the_campaign_says(client, world, cpom):
    declare(client, world, cpom, "admissions_urgences", {"numerator": 12, "denominator": 100})
    declare(client, world, cpom, "connaissance_offre", {"value": False})
    campaign = client.get(f"/api/v1/cpom/campaigns/{YEAR}", headers=world.headers["ars"]).get_json()
    expected = {item["indicator"]: (item["status"], item["assessment"])
                for item in campaign["hospitals"][0]["engagements"]}
    exported = client.get(f"/api/v1/cpom/campaigns/{YEAR}/export?format=csv", headers=world.headers["ars"])
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data().decode("utf-8-sig")), delimiter=";"))
    found = {row["Code indicateur"]: (row["Code statut"], row["Code évaluation"]) for row in rows}
    assert found == expected and len(rows) == len(expected)
    xlsx = client.get(f"/api/v1/cpom/campaigns/{YEAR}/export?format=xlsx&matrix=true", headers=world.headers["ars"])
    assert xlsx.status_code == 200 and xlsx.get_data()[:2] == b"PK"
    outsider = client.get(f"/api/v1/cpom/campaigns/{YEAR}/export", headers=world.headers["hospital_other"])
    assert world.own.finess_et not in outsider.get_data().decode("utf-8-sig")


def test_the_annex_and_the_report_are_word_documents(client, world, cpom):
    annex = client.get(f"/api/v1/cpoms/{cpom['id']}/annex", headers=world.headers["hospital"])
    assert annex.status_code == 200 and annex.get_data()[:2] == b"PK"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(annex.get_data())).paragraphs)
    assert "lien ville-hôpital" in text.lower()
    assert_error(client.get(f"/api/v1/cpoms/{cpom['id']}/annex", headers=world.headers["hospital_other"]), 404)
    report = client.get(f"/api/v1/cpom/campaigns/{YEAR}/report?region=27", headers=world.headers["ars"])
    assert report.status_code == 200 and report.get_data()[:2] == b"PK"
