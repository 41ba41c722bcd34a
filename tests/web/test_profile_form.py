"""Listing an establishment as hôpital de proximité and editing its profile through the form."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from registry.audit.models import AuditLog
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from tests.clock import TODAY
from tests.web.conftest import page, text


def _profile(organisation) -> HospitalProfile | None:
    db.session.expire_all()
    return db.session.scalar(select(HospitalProfile).where(HospitalProfile.organisation_id == organisation.id))


def _snapshot(hospital) -> tuple:
    db.session.expire_all()
    return (hospital.listed_on, hospital.decision_ref, hospital.territory_departements, hospital.territory_communes,
            hospital.internal_activities)


VALID = {"listed_on": "2023-06-30", "decision_ref": "ARS-BFC-2023-77", "departements": "21, 71",
         "communes": "21603", "activities": ["ehpad", "medecins_liberaux"]}


@pytest.mark.parametrize("user", ["admin", "ars"])
def test_admin_or_ars_of_the_region_lists_a_new_hospital(client, scene, make_organisation, login, user):
    organisation = make_organisation(name="HOPITAL DE SAULIEU", category_code="106", departement="21")
    login(getattr(scene, user))
    form = page(client.get(f"/hopitaux/{organisation.finess_et}/profil"))
    assert "<h1 class=\"h3 mb-1\">Inscrire comme hôpital de proximité</h1>" in form
    assert '<label class="form-label" for="listed_on">' in form
    response = client.post(f"/hopitaux/{organisation.finess_et}/profil", data=VALID)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/hopitaux/{organisation.finess_et}")
    profile = _profile(organisation)
    assert profile.listed_on == date(2023, 6, 30) and profile.decision_ref == "ARS-BFC-2023-77"
    assert profile.territory_departements == ["21", "71"] and profile.territory_communes == ["21603"]
    assert profile.internal_activities == ["ehpad", "medecins_liberaux"]
    words = text(client.get(response.headers["Location"]))
    assert "HOPITAL DE SAULIEU est inscrit comme hôpital de proximité." in words
    assert "HOPITAL DE SAULIEU inscrit comme hôpital de proximité" in words.split("Dernières modifications", 1)[1]


@pytest.mark.parametrize("user", ["staff", "ars_other"])
def test_others_may_not_list_a_hospital(client, scene, make_organisation, login, user):
    organisation = make_organisation(name="HOPITAL DE SAULIEU", category_code="106", departement="21")
    login(getattr(scene, user))
    assert client.get(f"/hopitaux/{organisation.finess_et}/profil").status_code == 403
    assert client.post(f"/hopitaux/{organisation.finess_et}/profil", data=VALID).status_code == 403
    assert _profile(organisation) is None


def test_hospital_user_edits_territory_and_activities_but_not_the_listing(client, scene, login):
    login(scene.staff)
    form = page(client.get(f"/hopitaux/{scene.hdp.finess_et}/profil"))
    assert 'value="21"' in form  # current territory filled in
    assert 'id="listed_on"' not in form  # the listing is shown, not editable
    assert "ces informations ne sont modifiables que par elle" in form
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/profil", data=VALID)
    assert response.status_code == 302
    listed_on, decision_ref, departements, communes, activities = _snapshot(scene.hdp)
    assert (listed_on, decision_ref) == (date(2022, 5, 1), "ARS-2022-001")
    assert departements == ["21", "71"] and communes == ["21603"]
    assert activities == ["ehpad", "medecins_liberaux"]
    words = text(client.get(f"/hopitaux/{scene.hdp.finess_et}"))
    assert "Le profil de l'hôpital est enregistré." in words
    latest = words.split("Dernières modifications", 1)[1]
    assert "Profil de l'hôpital modifié" in latest and scene.staff.email in latest
    trail = text(client.get(f"/hopitaux/{scene.hdp.finess_et}/historique"))
    assert "Départements du territoire : ajout de « 71 »" in trail


def test_ars_of_the_region_changes_the_listing(client, scene, login):
    login(scene.ars)
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/profil",
                           data={**VALID, "listed_on": "01/02/2024", "departements": "21"})
    assert response.status_code == 302
    listed_on, decision_ref, *_ = _snapshot(scene.hdp)
    assert listed_on == date(2024, 2, 1) and decision_ref == "ARS-BFC-2023-77"


@pytest.mark.parametrize("data, message", [
    ({"departements": "21, 99"}, "Département inconnu : 99."),
    ({"departements": "", "communes": ""}, "Indiquez au moins un département ou une commune."),
    ({"communes": "2160"}, "Code commune INSEE invalide (5 caractères attendus) : 2160."),
    ({"listed_on": "31/02/2023"}, "Date invalide : utilisez le format JJ/MM/AAAA."),
    ({"activities": ["chirurgie"]}, "Activité inconnue."),
    ({"listed_on": (TODAY + timedelta(days=3)).isoformat()},
     "la date d'inscription sur la liste ne peut pas être dans le futur"),
])
def test_bad_input_re_renders_in_french_and_changes_nothing(client, scene, login, data, message):
    login(scene.admin)
    before = _snapshot(scene.hdp)
    entries = db.session.scalar(select(func.count()).select_from(AuditLog))
    response = client.post(f"/hopitaux/{scene.hdp.finess_et}/profil", data={**VALID, **data})
    assert response.status_code == 200
    body = page(response)
    assert message in body
    assert "Le formulaire n'a pas été enregistré" in body
    assert 'value="ARS-BFC-2023-77"' in body  # what was typed is kept
    assert _snapshot(scene.hdp) == before
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == entries


@pytest.mark.parametrize("user, hospital", [("other_staff", "hdp"), ("ars_other", "hdp"), ("staff", "other")])
def test_profile_of_a_hospital_out_of_scope_is_not_found(client, scene, login, user, hospital):
    target = getattr(scene, hospital)
    login(getattr(scene, user))
    before = _snapshot(target)
    assert client.get(f"/hopitaux/{target.finess_et}/profil").status_code == 404
    assert client.post(f"/hopitaux/{target.finess_et}/profil", data=VALID).status_code == 404
    assert _snapshot(target) == before
