"""The API and a signed copy set aside by its signature check: the upload says so and leaves the current copy,
confirmation needs a reason and an editor of the hospital; a discard keeps the copy out for good."""

import io

import pytest

from registry.conventions import lifecycle
from registry.conventions.models import COPY_SET_ASIDE
from tests.api.helpers import assert_error, audit_actions
from tests.api.test_convention_lifecycle import URL, convention_in, scene, upload  # noqa: F401  (fixture)
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.conventions.lifecycle_helpers import signed_copies, signed_pdf, tampered_pdf
from tests.signatures import pdf_factory

REASON = "Original papier vérifié"


def review(client, scene, convention, action: str, role: str = "hospital", version: int = 2, **body):
    return client.post(f"{URL}/{convention.id}/signed-copies/{version}/{action}", json=body,
                       headers=scene.world.headers[role])


@pytest.fixture
def set_aside(client, scene):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    assert upload(client, scene, convention, signed_pdf()).status_code == 201
    return convention


def test_an_altered_upload_is_set_aside_and_the_current_copy_stays(client, scene, set_aside):
    response = upload(client, scene, set_aside, tampered_pdf())
    assert response.status_code == 201
    body = response.get_json()
    assert (body["version"], body["review"], body["label"]) == (2, "ecartee", "altérée")
    assert body["alerts"][0].startswith("La signature de Marie Durand est altérée")
    assert (body["signature_count"], body["timestamp_count"]) == (1, 0)
    convention = client.get(f"{URL}/{set_aside.id}", headers=scene.world.headers["ars"]).get_json()
    assert convention["signed_copy"]["version"] == 1 and convention["signed_copy"]["review"] is None
    assert [copy["review"] for copy in convention["signed_copies"]] == [None, "ecartee"]


def test_a_page_changed_after_signing_through_an_incremental_update_is_set_aside(client, scene, set_aside):
    body = upload(client, scene, set_aside, pdf_factory.change_page_content(signed_pdf())).get_json()
    assert (body["review"], body["label"]) == ("ecartee", "modifiée après signature")


def test_confirmation_needs_a_reason_then_makes_the_copy_current_flagged(client, scene, set_aside):
    upload(client, scene, set_aside, tampered_pdf())
    assert_error(review(client, scene, set_aside, "confirmation"), 422)
    assert_error(review(client, scene, set_aside, "confirmation", reason=" "), 422)
    response = review(client, scene, set_aside, "confirmation", reason=REASON)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["review"], body["review_reason"]) == ("confirmee", REASON)
    assert body["reviewed_by"] == scene.staff.email and body["reviewed_at"]
    convention = client.get(f"{URL}/{set_aside.id}", headers=scene.world.headers["hospital"]).get_json()
    assert (convention["signed_copy"]["version"], convention["signed_copy"]["review"]) == (2, "confirmee")
    assert "convention.signed_copy_confirmed" in audit_actions(scene.staff)
    assert_error(review(client, scene, set_aside, "confirmation", reason=REASON), 409)


def test_a_discarded_copy_is_never_current(client, scene, set_aside):
    upload(client, scene, set_aside, tampered_pdf())
    response = review(client, scene, set_aside, "discard")
    assert response.status_code == 200 and response.get_json()["review"] == "rejetee"
    convention = client.get(f"{URL}/{set_aside.id}", headers=scene.world.headers["hospital"]).get_json()
    assert convention["signed_copy"]["version"] == 1


@pytest.mark.parametrize("role, status", [("ars", 403), ("ars_other", 404), ("hospital_other", 404)])
def test_only_an_editor_of_the_hospital_may_decide(client, scene, set_aside, role, status):
    upload(client, scene, set_aside, tampered_pdf())
    assert_error(review(client, scene, set_aside, "confirmation", role, reason=REASON), status)
    assert_error(review(client, scene, set_aside, "discard", role), status)
    assert [copy.review for copy in sorted(signed_copies(set_aside), key=lambda c: c.version)] == [None,
                                                                                                  COPY_SET_ASIDE]


def test_an_unknown_version_is_a_404(client, scene, set_aside):
    assert_error(review(client, scene, set_aside, "confirmation", version=5, reason=REASON), 404)


def test_the_admin_may_confirm(client, scene, set_aside):
    upload(client, scene, set_aside, tampered_pdf())
    assert review(client, scene, set_aside, "confirmation", "admin", reason=REASON).status_code == 200


def test_the_upload_says_whether_the_copy_is_current(client, scene, set_aside):
    assert upload(client, scene, set_aside, tampered_pdf()).get_json()["current"] is False
    assert upload(client, scene, set_aside, signed_pdf()).get_json()["current"] is True


def upload_confirmed(client, scene, convention, data, reason=None):
    form = {"file": (io.BytesIO(data), "convention.pdf"), **({"reason": reason} if reason is not None else {})}
    return client.post(f"{URL}/{convention.id}/signed-copy?confirm=true", data=form,
                       headers=scene.world.headers["hospital"], content_type="multipart/form-data")


def test_confirm_true_with_a_reason_makes_an_altered_copy_current_at_once(client, scene, set_aside):
    response = upload_confirmed(client, scene, set_aside, tampered_pdf(), reason=REASON)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["current"], body["review"], body["review_reason"]) == (True, "confirmee", REASON)
    assert "convention.signed_copy_confirmed" in audit_actions(scene.staff)


def test_confirm_true_without_a_reason_stores_nothing(client, scene, set_aside):
    assert_error(upload_confirmed(client, scene, set_aside, tampered_pdf()), 422)
    assert len(signed_copies(set_aside)) == 1


def test_confirm_true_on_a_sound_copy_changes_nothing_of_its_review(client, scene, set_aside):
    body = upload_confirmed(client, scene, set_aside, signed_pdf(), reason=REASON).get_json()
    assert (body["current"], body["review"], body["review_reason"]) == (True, None, None)
