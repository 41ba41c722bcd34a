"""PATCH /conventions/{id} and POST /conventions/{id}/corrections: who may, in which status, what is checked, what
the next draft and the history show, and two edits at once."""

from datetime import date

import pytest

from registry.conventions import lifecycle
from registry.documents.text import document_text
from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.api.test_concurrency import together
from tests.api.test_convention_lifecycle import URL, convention_in, scene  # noqa: F401  (fixture)
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.conventions.lifecycle_helpers import reload


def patch(client, scene, convention, body, role="hospital"):
    return client.patch(f"{URL}/{convention.id}", json=body, headers=scene.world.headers[role])


def correct(client, scene, convention, body, role="hospital"):
    return client.post(f"{URL}/{convention.id}/corrections", json=body, headers=scene.world.headers[role])


@pytest.mark.parametrize("status", [lifecycle.BROUILLON, lifecycle.EN_NEGOCIATION])
def test_patch_changes_what_it_names_and_the_next_draft_shows_it(client, scene, status):
    convention = convention_in(scene, status)
    response = patch(client, scene, convention, {
        "title": "Convention EHPAD Les Tilleuls 2027", "effective_date": "2026-02-01", "duration_months": 24,
        "fields": {"signing_place": "Besançon"},
        "signatories": [{"partner": scene.ehpad.id, "name": "Paul Martin", "title": "Directeur"}]})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["title"], body["effective_date"], body["duration_months"]) == (
        "Convention EHPAD Les Tilleuls 2027", "2026-02-01", 24)
    assert body["fields"]["signing_place"] == "Besançon" and body["fields"]["administrative_court"] == "Dijon"
    assert body["parties"][1]["signatory"] == {"name": "Paul Martin", "title": "Directeur"}
    assert body["status"] == status and "convention.edit" in audit_actions()
    draft = client.post(f"{URL}/{convention.id}/drafts", headers=scene.world.headers["hospital"])
    assert draft.status_code == 201
    words = document_text(draft.data)
    assert "Fait à Besançon" in words and "Fait à Dijon" not in words and "Paul Martin" in words
    history = client.get(f"{URL}/{convention.id}", headers=scene.world.headers["ars"]).get_json()["history"]
    assert [entry["kind"] for entry in history] == ["modification"]
    assert history[0]["changes"]["duration_months"] == [60, 24] and history[0]["actor"]


@pytest.mark.parametrize("status", [lifecycle.A_SIGNER, lifecycle.SIGNEE, lifecycle.RESILIEE])
def test_patch_is_a_409_once_frozen(client, scene, status):
    convention = convention_in(scene, status)
    response = patch(client, scene, convention, {"title": "Autre"})
    assert_error(response, 409, "conflict")
    assert "figés" in response.get_json()["error"]["message"] and reload(convention).title != "Autre"


@pytest.mark.parametrize("body, field", [
    ({"duration_months": 0}, "duration_months"), ({"effective_date": "demain"}, "effective_date"),
    ({"partners": []}, "partners"), ({"partners": ["999999999"]}, "partners"),
    ({"themes": ["inconnu"]}, "themes"), ({"template": "had"}, "template"), ({"status": "signee"}, "status"),
])
def test_patch_refuses_bad_values_with_a_422_and_changes_nothing(client, scene, body, field):
    convention = convention_in(scene, lifecycle.BROUILLON)
    response = patch(client, scene, convention, body)
    assert_error(response, 422)
    assert field in str(response.get_json()["error"]["details"])
    assert "convention.edit" not in audit_actions()


def test_patch_checks_the_clauses_and_fields_as_the_creation(client, scene):
    convention = convention_in(scene, lifecycle.BROUILLON)
    response = patch(client, scene, convention, {"clauses": ["inconnue"]})
    assert_error(response, 422)
    assert "clause inconnue" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("role, status", [("ars", 403), ("hospital_other", 404), ("ars_other", 404)])
def test_others_may_neither_patch_nor_correct(client, scene, role, status):
    draft, signed = convention_in(scene, lifecycle.BROUILLON), convention_in(scene, lifecycle.SIGNEE)
    assert patch(client, scene, draft, {"title": "X"}, role=role).status_code == status
    assert correct(client, scene, signed, {"changes": {"title": "X"}, "reason": "r"}, role=role).status_code == status
    assert reload(draft).title != "X" and reload(signed).title != "X"


def test_an_admin_patches_and_corrects(client, scene):
    draft, signed = convention_in(scene, lifecycle.BROUILLON), convention_in(scene, lifecycle.SIGNEE)
    assert patch(client, scene, draft, {"title": "Par l'admin"}, role="admin").status_code == 200
    response = correct(client, scene, signed, {"changes": {"signed_on": "2025-01-10"}, "reason": "Erreur"},
                       role="admin")
    assert response.status_code == 200 and response.get_json()["signed_on"] == "2025-01-10"


def test_a_correction_needs_a_reason_and_keeps_the_dates_consistent(client, scene):
    convention = convention_in(scene, lifecycle.SIGNEE)
    assert_error(correct(client, scene, convention, {"changes": {"effective_date": "2025-03-01"}}), 422)
    assert_error(correct(client, scene, convention, {"changes": {"effective_date": "2025-03-01"}, "reason": ""}),
                 422)
    response = correct(client, scene, convention, {"changes": {"signed_on": "2030-01-01"}, "reason": "Erreur"})
    assert_error(response, 422)
    assert "futur" in response.get_json()["error"]["message"]
    response = correct(client, scene, convention, {"changes": {"fields": {"signing_place": "Autun"}},
                                                   "reason": "Erreur"})
    assert_error(response, 422)
    assert "convention.correct" not in audit_actions()
    response = correct(client, scene, convention, {"changes": {"effective_date": "2025-03-01", "partners": [
        scene.ehpad.partner.finess_et]}, "reason": "Date d'effet de l'import erronée"})
    assert response.status_code == 200
    assert reload(convention).effective_date == date(2025, 3, 1)
    [entry] = response.get_json()["history"]
    assert entry["kind"] == "correction" and entry["reason"] == "Date d'effet de l'import erronée"
    assert entry["changes"]["effective_date"] == ["2025-01-01", "2025-03-01"]


@pytest.mark.parametrize("status", [lifecycle.BROUILLON, lifecycle.A_SIGNER])
def test_a_correction_of_an_unsigned_convention_is_a_409(client, scene, status):
    convention = convention_in(scene, status)
    assert_error(correct(client, scene, convention, {"changes": {"title": "X"}, "reason": "r"}), 409, "conflict")


@pytest.mark.parametrize("attempt", range(2))
def test_two_edits_at_once_both_apply_one_after_the_other(app, client, scene, attempt):
    convention = convention_in(scene, lifecycle.EN_NEGOCIATION)
    headers = scene.world.headers["hospital"]
    url = f"{URL}/{convention.id}"
    statuses = together(app, [("PATCH", url, {"title": "Première", "notice_months": 6}, headers),
                              ("PATCH", url, {"title": "Seconde", "duration_months": 12}, headers)])
    assert statuses == [200, 200]
    db.session.expire_all()
    convention = reload(convention)
    assert convention.title in ("Première", "Seconde")
    assert (convention.notice_months, convention.duration_months) == (6, 12)  # neither lost the other's change
    assert audit_actions().count("convention.edit") == 2


@pytest.mark.parametrize("attempt", range(2))
def test_edits_racing_the_signature_request_are_applied_or_refused_never_5xx(app, client, scene, attempt):
    convention = convention_in(scene, lifecycle.EN_NEGOCIATION)
    headers = scene.world.headers["hospital"]
    url = f"{URL}/{convention.id}"
    statuses = together(app, [("PATCH", url, {"title": "Première"}, headers),
                              ("PATCH", url, {"title": "Seconde"}, headers),
                              ("POST", f"{url}/transitions", {"to": "a_signer"}, headers)])
    assert statuses[2] == 200 and all(status in (200, 409) for status in statuses[:2]), statuses
    db.session.expire_all()
    applied = [title for title, status in zip(("Première", "Seconde"), statuses) if status == 200]
    assert audit_actions().count("convention.edit") == len(applied)
    assert reload(convention).status == lifecycle.A_SIGNER
    if applied:
        assert reload(convention).title in applied
