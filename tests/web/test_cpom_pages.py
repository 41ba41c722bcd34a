"""The CPOM pages, who sees them (outsiders 404, anonymous to the login page) and the ARS's forms that create a
CPOM and choose its engagements, every refusal shown in French with nothing changed. The declarations, proofs and
reviews: test_cpom_declaration_pages.py; the year's campaign: test_cpom_campaign_pages.py."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from registry.cpom.models import Cpom, CpomDeclaration, CpomEngagement
from registry.extensions import db
from tests.clock import TODAY
from tests.web.conftest import page, text
from tests.web.cpom_scene import START, YEAR, base, count, cpom, declare_ratio, review  # noqa: F401  (cpom: a fixture)


# --- Who sees the hospital page -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["ars", "staff", "admin"])
def test_the_hospital_page_shows_the_cpom_to_the_ars_the_hospital_and_admins(client, scene, cpom, login, role):
    login(getattr(scene, role))
    response = client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom")
    assert response.status_code == 200
    words = text(response)
    assert f"CPOM de {cpom.name}" in words
    assert f"À déclarer pour {YEAR}" in words
    assert "Taux d'admission via les urgences" in words and "≤ 0,3" in words
    assert "Évaluation à mi-parcours" in words and "Demande de renouvellement" in words
    assert "Établi d'après le registre des conventions" in words
    body = page(response)
    assert ("Enregistrer un autre CPOM" in words) == (role != "staff")
    assert ("Ajouter l'engagement" in words) == (role != "staff")
    assert ('/declaration"' in body) == (role != "ars")
    assert 'name="declaration-' in body or role == "ars"
    assert "csrf_token" in body


@pytest.mark.parametrize("role", ["ars_other", "other_staff"])
def test_outsiders_get_404_on_every_cpom_page_and_form(client, scene, cpom, login, role):
    login(getattr(scene, role))
    own = f"/hopitaux/{scene.hdp.finess_et}/cpom"
    assert client.get(own).status_code == 404
    assert client.post(own, data={"signed_on": START.isoformat(), "effective_on": START.isoformat()}).status_code == 404
    assert client.post(f"{own}/{cpom.id}/engagements", data={}).status_code == 404
    assert declare_ratio(client, scene, cpom).status_code == 404
    assert review(client, scene, cpom, "validee").status_code == 404
    assert count(Cpom) == 1 and count(CpomDeclaration) == 0


def test_a_hospital_user_sees_no_cpom_of_a_sibling_hospital(client, scene, cpom, login):
    """The other hospital's own page lists no CPOM, and the CPOM cannot be reached through it."""
    login(scene.other_staff)
    response = client.get(f"/hopitaux/{scene.other.finess_et}/cpom")
    assert response.status_code == 200 and "Aucun CPOM enregistré" in text(response)
    assert client.post(f"/hopitaux/{scene.other.finess_et}/cpom/{cpom.id}/engagements", data={}).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, scene, cpom):
    for method, url in (("get", f"/hopitaux/{scene.hdp.finess_et}/cpom"), ("get", "/cpom/campagne"),
                        ("post", f"/hopitaux/{scene.hdp.finess_et}/cpom"),
                        ("post", base(scene, cpom, "admissions_urgences") + "/declaration")):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"], url


def test_the_hospital_page_links_to_the_cpom(client, scene, login):
    login(scene.staff)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert f'href="/hopitaux/{scene.hdp.finess_et}/cpom"' in body and 'href="/cpom/campagne"' in body


# --- The ARS creates a CPOM and chooses its engagements ---------------------------------------------------------


def test_the_ars_creates_a_cpom(client, scene, login):
    login(scene.ars)
    url = f"/hopitaux/{scene.hdp.finess_et}/cpom"
    assert "Aucun CPOM enregistré" in text(client.get(url))
    response = client.post(url, data={"signed_on": START.isoformat(), "effective_on": START.isoformat(),
                                      "duration_years": "5"})
    assert response.status_code == 302
    words = text(client.get(response.headers["Location"]))
    assert "CPOM de" in words and "enregistré" in words
    assert f"31 décembre {YEAR + 4}" in words  # its end, derived
    assert count(Cpom) == 1


@pytest.mark.parametrize("data, message", [
    ({"signed_on": (TODAY + timedelta(days=3)).isoformat(), "effective_on": START.isoformat(), "duration_years": "5"},
     "la date de signature ne peut pas être dans le futur"),
    ({"signed_on": START.isoformat(), "effective_on": "", "duration_years": "5"}, "Date invalide"),
    ({"signed_on": START.isoformat(), "effective_on": START.isoformat(), "duration_years": "12"}, "de 1 à 10 ans"),
])
def test_a_refused_cpom_is_shown_in_french_and_nothing_is_recorded(client, scene, login, data, message):
    login(scene.ars)
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/cpom", data=data)
    assert response.status_code == 422
    assert message in text(response) and "Le formulaire n'a pas été enregistré" in text(response)
    assert count(Cpom) == 0


def test_a_hospital_user_may_not_create_a_cpom_nor_add_an_engagement(client, scene, cpom, login):
    login(scene.staff)
    url = f"/hopitaux/{scene.hdp.finess_et}/cpom"
    assert client.post(url, data={"signed_on": START.isoformat(), "effective_on": START.isoformat()}).status_code == 403
    prefix = f"engagement-{cpom.id}"
    assert client.post(f"{url}/{cpom.id}/engagements", data={f"{prefix}-indicator": "ph_centres_sante",
                                                              f"{prefix}-comparator": ">="}).status_code == 403
    assert count(Cpom) == 1 and count(CpomEngagement) == 5


def test_the_ars_adds_an_engagement_from_the_catalogue(client, scene, cpom, login):
    login(scene.ars)
    prefix = f"engagement-{cpom.id}"
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/cpom/{cpom.id}/engagements",
                           data={f"{prefix}-indicator": "ph_centres_sante", f"{prefix}-comparator": ">=",
                                 f"{prefix}-target_value": "2,5", f"{prefix}-applicable": "y"})
    assert response.status_code == 302
    added = db.session.scalar(select(CpomEngagement).where(CpomEngagement.indicator == "ph_centres_sante"))
    assert (added.comparator, added.target_value, added.applicable) == (">=", 2.5, True)
    words = text(client.get(response.headers["Location"]))
    assert "Engagement « Part des praticiens hospitaliers mis à disposition » ajouté" in words and "≥ 2,5" in words


@pytest.mark.parametrize("fields, message", [
    ({"indicator": "ph_centres_sante", "comparator": ">="}, "dites pourquoi l'engagement ne s'applique pas"),
    ({"indicator": "entrees_sorties", "comparator": ">=", "applicable": "y"}, "se compare avec « present »"),
    ({"indicator": "admissions_urgences", "comparator": "<=", "applicable": "y"}, "Engagement inconnu"),
    ({"indicator": "structure_premier_recours", "comparator": "present", "target_value": "beaucoup",
      "applicable": "y"}, "Valeur cible"),
])
def test_a_refused_engagement_changes_nothing(client, scene, cpom, login, fields, message):
    login(scene.ars)
    prefix = f"engagement-{cpom.id}"
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/cpom/{cpom.id}/engagements",
                           data={f"{prefix}-{name}": value for name, value in fields.items()})
    assert response.status_code == 422 and message in text(response)
    assert count(CpomEngagement) == 5


def test_an_engagement_already_in_the_cpom_is_no_longer_offered(client, scene, cpom, login):
    login(scene.ars)
    body = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/cpom"))
    offered = re.findall(r'<option value="([a-z0-9_]+)"', body.split(f'id="engagement-{cpom.id}-indicator"')[1]
                         .split("</select>")[0])
    assert "ph_centres_sante" in offered and "admissions_urgences" not in offered
