"""The year's CPOM campaign: the ARS's region, a hospital user's own, its filters, charts, counters and downloads."""

import re

import pytest

from registry.cpom import campaign, services
from registry.extensions import db
from tests.web.conftest import page, text
from tests.web.cpom_scene import (  # noqa: F401  (cpom: a fixture)
    START, YEAR, base, cpom, declare_ratio, engagement, review)


# --- The campaign ----------------------------------------------------------------------------------------------


@pytest.fixture
def far_cpom(scene):
    """A CPOM of the Rhône hospital, another region's."""
    record = services.create_cpom(scene.far, signed_on=START, effective_on=START)
    services.add_engagement(record, indicator="admissions_urgences", comparator="<=", target_value=0.2)
    db.session.commit()
    return record


def test_the_campaign_of_the_ars_is_its_region_only(client, scene, cpom, far_cpom, login):
    login(scene.ars)
    response = client.get(f"/cpom/campagne?region=84&annee={YEAR}")
    assert response.status_code == 200
    words = text(response)
    assert scene.hdp.name in words and "HOPITAL DE GIVORS" not in words
    assert "Bourgogne-Franche-Comté" in words and "Toutes les régions" not in words
    assert "5 engagements (hôpital × engagement) retenus" in words


def test_the_campaign_filters_and_charts(client, scene, cpom, far_cpom, login):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    login(scene.admin)
    words = text(client.get(f"/cpom/campagne?annee={YEAR}"))
    assert scene.hdp.name in words and "HOPITAL DE GIVORS" in words
    assert "6 engagements (hôpital × engagement) retenus" in words
    words = text(client.get(f"/cpom/campagne?annee={YEAR}&region=84"))
    assert "HOPITAL DE GIVORS" in words and scene.hdp.name not in words
    response = client.get(f"/cpom/campagne?annee={YEAR}&statut=declaree&indicateur=admissions_urgences")
    words = text(response)
    assert "1 engagement (hôpital × engagement) retenu" in words and "Atteint" in words
    assert "graphique-admissions_urgences" in page(response)
    assert "Taux d'admission via les urgences : valeur déclarée par année" in words
    assert f"{scene.hdp.name} ≤ 0,3 0,25" in words  # the chart's data table: hospital, target, the year's value
    words = text(client.get(f"/cpom/campagne?annee={YEAR}&evaluation=non_atteint&region=27"))
    assert "1 engagement (hôpital × engagement) retenu" in words  # no L6111-3-2 convention in the registry
    assert "Convention L6111-3-2 signée, en vigueur et transmise à l'ARS" in words
    words = text(client.get(f"/cpom/campagne?annee={YEAR}&departement=21&statut=non_declaree"))
    assert "3 engagements (hôpital × engagement) retenus" in words and "HOPITAL DE GIVORS" not in words


def test_campaign_counters(client, scene, cpom, login):
    login(scene.staff)
    declare_ratio(client, scene, cpom)
    prefix = f"declaration-{engagement(cpom, 'connaissance_offre').id}"
    client.post(base(scene, cpom, "connaissance_offre") + "/declaration", data={f"{prefix}-answer": "non"})
    login(scene.ars)
    review(client, scene, cpom, "validee")
    body = page(client.get(f"/cpom/campagne?annee={YEAR}"))
    counters = {label: int(number) for number, label in re.findall(
        r'<div class="fs-4 fw-semibold">(\d+)</div><div class="small">([^<]+)</div>', body)}
    # Declared: the ratio (validated), the yes/no and the registry-proved engagement (always « validée »).
    assert counters == {"Déclarées": 3, "Non déclarées": 2, "Preuves demandées": 0, "Preuves en retard": 0,
                        "Validées": 2, "Contestées": 0, "Cibles atteintes": 1}


def test_the_campaign_of_a_hospital_user_is_its_own(client, scene, cpom, far_cpom, login):
    login(scene.other_staff)
    words = text(client.get(f"/cpom/campagne?annee={YEAR}"))
    assert scene.hdp.name not in words and "Aucun engagement ne correspond" in words
    login(scene.staff)
    assert scene.hdp.name in text(client.get(f"/cpom/campagne?annee={YEAR}"))


def test_bad_criteria_are_ignored_with_a_french_notice(client, scene, cpom, login):
    login(scene.admin)
    response = client.get("/cpom/campagne?annee=abc&statut=perdu&region=99")
    assert response.status_code == 200
    words = text(response)
    assert "Année ignorée" in words and "Critère « statut » ignoré" in words and "Critère « region » ignoré" in words
    assert f"Campagne CPOM {YEAR}" in words


def test_the_campaign_downloads_hold_the_user_s_scope(client, scene, cpom, login):
    campaign.declare(engagement(cpom, "connaissance_offre"), YEAR, value=True, actor=scene.staff)
    db.session.commit()
    login(scene.ars)
    page_text = text(client.get(f"/cpom/campagne?annee={YEAR}"))
    assert "Exporter en CSV" in page_text and "Rapport de campagne (Word)" in page_text
    exported = client.get(f"/cpom/campagne/export?annee={YEAR}&format=csv")
    rows = exported.get_data().decode("utf-8-sig").splitlines()
    assert exported.mimetype == "text/csv" and len(rows) == 1 + len(cpom.engagements)
    assert all(scene.hdp.finess_et in row for row in rows[1:])
    matrix = client.get(f"/cpom/campagne/export?annee={YEAR}&format=xlsx&matrice=1")
    assert matrix.get_data()[:2] == b"PK" and "matrice" in matrix.headers["Content-Disposition"]
    report = client.get(f"/cpom/campagne/rapport?annee={YEAR}&region=84")  # an ARS keeps its own region
    assert report.get_data()[:2] == b"PK" and "-27.docx" in report.headers["Content-Disposition"]
    client.post("/deconnexion")
    login(scene.ars_other)
    other = client.get(f"/cpom/campagne/export?annee={YEAR}&format=csv&region=27")
    assert scene.hdp.finess_et not in other.get_data().decode("utf-8-sig")
