"""POST /conventions/{id}/transitions, POST /conventions/{id}/signed-copy and the lifecycle in GET /conventions/{id}:
the hospital's users and admins move a convention, the ARS reads it, others do not see it."""

import hashlib
import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from registry.conventions import lifecycle
from registry.conventions.models import ConventionEvent
from registry.conventions.transitions import create_avenant, supersede
from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.clock import TODAY
from tests.conventions.builders import SIGNED_ON, drafted_convention, registered, walk
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.conventions.lifecycle_helpers import SIGNER, reload, signed_copies, signed_pdf, tampered_pdf
from tests.signatures import pdf_factory

URL = "/api/v1/conventions"
SIGNATURE_KEYS = {"signer", "signing_time", "intact", "modified_after_signing", "trust"}


@pytest.fixture
def scene(world, make_organisation, make_partnership, shipped_templates):  # noqa: F811
    ehpad = make_partnership(world.own, make_organisation(name="EHPAD LES TILLEULS", category_code="500"),
                             partner_types=["ehpad"])
    db.session.commit()
    return SimpleNamespace(world=world, ehpad=ehpad, staff=world.users["hospital"])


def convention_in(scene, status):
    return drafted_convention(scene.world.own, scene.ehpad, actor=scene.staff, status=status)


def move(client, scene, convention, role="hospital", **body):
    return client.post(f"{URL}/{convention.id}/transitions", json=body, headers=scene.world.headers[role])


def upload(client, scene, convention, data, role="hospital", name="convention.pdf"):
    return client.post(f"{URL}/{convention.id}/signed-copy", data={"file": (io.BytesIO(data), name)},
                       headers=scene.world.headers[role], content_type="multipart/form-data")


def events(convention) -> int:
    return db.session.scalar(db.select(db.func.count(ConventionEvent.id))
                             .where(ConventionEvent.convention_id == convention.id))


def test_a_new_convention_shows_its_lifecycle(client, scene):
    convention = convention_in(scene, lifecycle.BROUILLON)
    body = client.get(f"{URL}/{convention.id}", headers=scene.world.headers["ars"]).get_json()
    assert (body["status"], body["state"], body["kind"]) == ("brouillon", None, "convention")
    assert (body["signed_on"], body["terminated_on"], body["termination_reason"]) == (None, None, None)
    assert (body["events"], body["avenants"], body["signed_copy"], body["signed_copies"]) == ([], [], None, [])
    assert (body["parent"], body["supersedes"], body["superseded_by"]) == (None, [], None)
    assert body["possible_transitions"] == [{"to": "en_negociation", "label": "Mettre en négociation",
                                             "needs_reason": False, "needs_date": False,
                                             "needs_signed_copy": False}]


@pytest.mark.parametrize("role", ["hospital", "admin"])
def test_walk_to_signed_through_the_api(client, scene, role):
    convention = convention_in(scene, lifecycle.BROUILLON)
    response = move(client, scene, convention, role, to="en_negociation", comment="Envoyée au CHU")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["status"] == "en_negociation"
    assert move(client, scene, convention, role, to="a_signer").get_json()["status"] == "a_signer"
    data = signed_pdf()
    copy = upload(client, scene, convention, data, role)
    assert copy.status_code == 201, copy.get_data(as_text=True)
    signed = move(client, scene, convention, role, to="signee", date=SIGNED_ON.isoformat())
    assert signed.status_code == 200, signed.get_data(as_text=True)
    body = client.get(f"{URL}/{convention.id}", headers=scene.world.headers[role]).get_json()
    assert body == signed.get_json()
    assert (body["status"], body["state"], body["signed_on"]) == ("signee", "en_vigueur", SIGNED_ON.isoformat())
    assert [(e["from"], e["to"], e["actor"], e["comment"], e["date"]) for e in body["events"]] == [
        ("brouillon", "en_negociation", scene.world.users[role].email, "Envoyée au CHU", None),
        ("en_negociation", "a_signer", scene.world.users[role].email, None, None),
        ("a_signer", "signee", scene.world.users[role].email, None, SIGNED_ON.isoformat())]
    assert body["signed_copy"]["sha256"] == hashlib.sha256(data).hexdigest() == copy.get_json()["sha256"]
    assert [t["to"] for t in body["possible_transitions"]] == ["resiliee"]
    assert audit_actions(scene.world.users[role]).count("convention.transition") == 3


def test_the_signed_copy_answer(client, scene):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    data = signed_pdf()
    response = upload(client, scene, convention, data)
    assert response.status_code == 201
    body = response.get_json()
    assert {"sha256", "size", "version", "label", "signatures", "pdf"} <= set(body)
    assert (body["sha256"], body["size"], body["version"]) == (hashlib.sha256(data).hexdigest(), len(data), 1)
    assert body["label"] == "intègre, certificat non vérifié"
    [signature] = body["signatures"]
    assert SIGNATURE_KEYS <= set(signature)
    assert (signature["signer"], signature["intact"], signature["modified_after_signing"], signature["trust"]) == (
        SIGNER, True, False, "non_verifie")
    signed_at = datetime.now(UTC)  # system clock: pyHanko wrote the real time into the PDF, not the suite's day
    assert abs(datetime.fromisoformat(signature["signing_time"]) - signed_at) < timedelta(minutes=5)
    assert (body["pdf"]["page_count"], body["pdf"]["warnings"]) == (1, [])
    assert client.get(f"{URL}/{convention.id}", headers=scene.world.headers["hospital"]).get_json()[
        "signed_copy"] == body
    second = upload(client, scene, convention, pdf_factory.blank_pdf()).get_json()
    assert (second["version"], second["label"], second["signatures"]) == (
        2, "signature manuscrite (copie numérisée)", [])
    history = client.get(f"{URL}/{convention.id}", headers=scene.world.headers["hospital"]).get_json()
    assert [c["version"] for c in history["signed_copies"]] == [1, 2] and history["signed_copy"]["version"] == 2


def test_a_tampered_copy_is_kept_and_reported_altered(client, scene):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    body = upload(client, scene, convention, tampered_pdf()).get_json()
    assert body["label"] == "altérée"
    assert (body["signatures"][0]["intact"], body["signatures"][0]["modified_after_signing"]) == (False, True)


def test_a_pdf_with_javascript_is_accepted_and_flagged(client, scene):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    body = upload(client, scene, convention, pdf_factory.pdf_with_open_action_javascript()).get_json()
    assert "javascript" in body["pdf"]["active_content"]
    assert any("JavaScript" in warning for warning in body["pdf"]["warnings"])


#: (status, payload, what the refusal says): forbidden pairs and missing conditions.
FORBIDDEN = [
    ("brouillon", {"to": "a_signer"}, "passage de « Brouillon » à « À signer » impossible"),
    ("brouillon", {"to": "signee", "date": SIGNED_ON.isoformat()}, "seule une convention rédigée hors de"),
    ("brouillon", {"to": "resiliee", "date": TODAY.isoformat(), "comment": "x"},
     "une convention jamais signée ne se résilie pas"),
    ("brouillon", {"to": "brouillon"}, "la convention est déjà « Brouillon »"),
    ("en_negociation", {"to": "signee", "date": SIGNED_ON.isoformat()}, "passage de « En négociation » à « Signée »"),
    ("a_signer", {"to": "signee", "date": SIGNED_ON.isoformat()}, "déposez la copie signée"),
    ("a_signer", {"to": "en_negociation"}, "indiquez le motif du retour en négociation"),
    ("a_signer", {"to": "brouillon"}, "passage de « À signer » à « Brouillon » impossible"),
    ("signee", {"to": "resiliee", "comment": "Fin"}, "indiquez la date d'effet de la résiliation"),
    ("signee", {"to": "resiliee", "date": TODAY.isoformat()}, "indiquez le motif de la résiliation"),
    ("signee", {"to": "resiliee", "date": (SIGNED_ON - timedelta(days=1)).isoformat(), "comment": "Fin"},
     "la résiliation ne peut pas prendre effet avant la signature"),
    ("signee", {"to": "a_signer"}, "passage de « Signée » à « À signer » impossible"),
    ("resiliee", {"to": "signee", "date": SIGNED_ON.isoformat()}, "aucun changement de statut n'est possible"),
]


@pytest.mark.parametrize("status, payload, reason", FORBIDDEN)
def test_forbidden_transitions_are_409_with_the_reason(client, scene, status, payload, reason):
    convention = convention_in(scene, status)
    before = events(convention)
    error = assert_error(move(client, scene, convention, **payload), 409, "conflict")
    assert reason in error["message"] and any(reason in detail for detail in error["details"])
    assert reload(convention).status == status and events(convention) == before


def test_signing_needs_a_date_and_not_a_future_one(client, scene):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    upload(client, scene, convention, signed_pdf())
    error = assert_error(move(client, scene, convention, to="signee"), 409)
    assert error["details"] == ["indiquez la date de signature"]
    error = assert_error(move(client, scene, convention, to="signee",
                              date=(TODAY + timedelta(days=1)).isoformat()), 409)
    assert error["details"] == ["la date de signature ne peut pas être dans le futur"]
    assert reload(convention).status == "a_signer"


def test_sending_to_signature_needs_a_draft(client, scene):
    convention = convention_in(scene, lifecycle.EN_NEGOCIATION)
    for draft in convention.drafts:
        db.session.delete(draft)
    db.session.commit()
    error = assert_error(move(client, scene, convention, to="a_signer"), 409)
    assert "produisez d'abord un projet" in error["message"]


def test_going_back_and_terminating_keep_their_reasons(client, scene):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    back = move(client, scene, convention, to="en_negociation", comment="Article 3 à revoir")
    assert back.status_code == 200 and back.get_json()["events"][-1]["comment"] == "Article 3 à revoir"
    signed = convention_in(scene, lifecycle.SIGNEE)
    body = move(client, scene, signed, to="resiliee", date=TODAY.isoformat(), comment="Fermeture de l'EHPAD").get_json()
    assert (body["status"], body["state"], body["terminated_on"], body["termination_reason"]) == (
        "resiliee", "resiliee", TODAY.isoformat(), "Fermeture de l'EHPAD")
    assert body["possible_transitions"] == []


def test_a_registered_convention_goes_straight_to_signed(client, scene):
    convention = registered(scene.world.own, scene.ehpad, actor=scene.staff)
    db.session.commit()
    assert [t["to"] for t in client.get(f"{URL}/{convention.id}", headers=scene.world.headers["hospital"])
            .get_json()["possible_transitions"]] == ["en_negociation", "signee"]
    assert upload(client, scene, convention, pdf_factory.blank_pdf()).status_code == 201
    body = move(client, scene, convention, to="signee", date=SIGNED_ON.isoformat()).get_json()
    assert (body["status"], body["template"], body["signed_copy"]["label"]) == (
        "signee", None, "signature manuscrite (copie numérisée)")


@pytest.mark.parametrize("payload, field", [({"to": "archivee"}, "to"), ({}, "to"),
                                            ({"to": "signee", "date": "2026-02-30"}, "date"),
                                            ({"to": "signee", "date": "1850-01-01"}, "date"),
                                            ({"to": "resiliee", "comment": "x" * 2001}, "comment")])
def test_invalid_input_is_422(client, scene, payload, field):
    convention = convention_in(scene, lifecycle.SIGNEE)
    error = assert_error(move(client, scene, convention, **payload), 422, "invalid")
    assert field in error["details"]["json"]
    assert reload(convention).status == "signee"


def test_a_body_that_is_not_json_is_400(client, scene):
    convention = convention_in(scene, lifecycle.BROUILLON)
    response = client.post(f"{URL}/{convention.id}/transitions", data="to=a_signer",
                           headers=scene.world.headers["hospital"])
    assert_error(response, 400)
    assert reload(convention).status == "brouillon"


@pytest.mark.parametrize("data, message", [
    (pdf_factory.zip_bytes(), "ressemble à une archive ZIP"),
    (pdf_factory.HTML_PAGE, "ressemble à une page web (HTML)"),
    (b"", "Le fichier est vide"),
    (pdf_factory.blank_pdf()[:200], "Le PDF est incomplet"),
    (pdf_factory.encrypted_pdf("secret"), "mot de passe d'ouverture"),
])
def test_bad_files_are_422_and_nothing_is_stored(client, scene, data, message):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    error = assert_error(upload(client, scene, convention, data), 422, "signed_copy_rejected")
    assert message in error["message"]
    assert signed_copies(convention) == []


def test_a_missing_file_is_422_and_a_body_that_is_not_multipart_400(client, scene):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    error = assert_error(client.post(f"{URL}/{convention.id}/signed-copy", data={"autre": "x"},
                                     headers=scene.world.headers["hospital"], content_type="multipart/form-data"),
                         422)
    assert error["details"] == {"files": {"file": ["champ obligatoire"]}}
    assert_error(client.post(f"{URL}/{convention.id}/signed-copy", json={"file": "x"},
                             headers=scene.world.headers["hospital"]), 400)
    assert signed_copies(convention) == []


@pytest.mark.parametrize("status", ["brouillon", "en_negociation", "resiliee"])
def test_no_copy_while_the_status_does_not_allow_it(client, scene, status):
    convention = convention_in(scene, status)
    before = len(signed_copies(convention))
    error = assert_error(upload(client, scene, convention, signed_pdf()), 409, "conflict")
    assert "La copie signée se dépose quand la convention est « à signer » ou « signée »" in error["message"]
    assert len(signed_copies(convention)) == before


@pytest.mark.parametrize("app_config", [{"MAX_UPLOAD_MB": 1}])
def test_an_oversized_copy_is_a_json_413(client, scene):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    error = assert_error(upload(client, scene, convention, pdf_factory.blank_pdf() + b"%" * (2 * 1024 * 1024)), 413)
    assert error["message"] == "Fichier trop volumineux"
    assert signed_copies(convention) == []


@pytest.mark.parametrize("role, status", [("ars", 403), ("ars_other", 404), ("hospital_other", 404)])
def test_only_the_hospital_and_admins_change_a_convention(client, scene, role, status):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    assert_error(move(client, scene, convention, role, to="en_negociation", comment="x"), status)
    assert_error(upload(client, scene, convention, signed_pdf(), role), status)
    assert reload(convention).status == "a_signer" and signed_copies(convention) == []
    read = client.get(f"{URL}/{convention.id}", headers=scene.world.headers[role])
    assert read.status_code == (200 if role == "ars" else 404)


def test_avenants_and_supersession_are_linked_both_ways(client, scene):
    old = convention_in(scene, lifecycle.SIGNEE)
    avenant = create_avenant(old, "Ajout de l'hébergement temporaire", actor=scene.staff)
    new = convention_in(scene, lifecycle.BROUILLON)
    supersede(old, new, actor=scene.staff)
    db.session.commit()
    headers = scene.world.headers["ars"]
    body = client.get(f"{URL}/{old.id}", headers=headers).get_json()
    assert body["avenants"] == [{"id": avenant.id, "reference": f"{old.reference}-A1", "state": None,
                                 "title": "Ajout de l'hébergement temporaire", "status": "brouillon"}]
    assert body["superseded_by"] == {"id": new.id, "reference": new.reference, "title": new.title,
                                     "status": "brouillon", "state": None}
    assert [c["reference"] for c in client.get(f"{URL}/{new.id}", headers=headers).get_json()["supersedes"]] == [
        old.reference]
    child = client.get(f"{URL}/{avenant.id}", headers=headers).get_json()
    assert (child["kind"], child["parent"]["reference"], child["parent"]["state"]) == (
        "avenant", old.reference, "en_vigueur")


def test_events_list_every_transition_oldest_first(client, scene):
    convention = walk(convention_in(scene, lifecycle.BROUILLON), lifecycle.RESILIEE, actor=scene.staff)
    body = client.get(f"{URL}/{convention.id}", headers=scene.world.headers["hospital"]).get_json()
    assert [(e["from"], e["to"]) for e in body["events"]] == [
        ("brouillon", "en_negociation"), ("en_negociation", "a_signer"), ("a_signer", "signee"),
        ("signee", "resiliee")]
    assert body["state"] == "resiliee"


def test_the_openapi_document_describes_the_lifecycle(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    post = spec["paths"]["/api/v1/conventions/{convention_id}/transitions"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/TransitionInput")
    assert {"200", "400", "403", "404", "409", "422"} <= set(post["responses"])
    upload_doc = spec["paths"]["/api/v1/conventions/{convention_id}/signed-copy"]["post"]
    assert "file" in upload_doc["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert {"201", "400", "403", "404", "409", "413", "422"} <= set(upload_doc["responses"])
    schemas = spec["components"]["schemas"]
    assert schemas["TransitionInput"]["properties"]["to"]["enum"] == list(lifecycle.STATUSES)
    assert {"state", "signed_on", "terminated_on", "events", "avenants", "possible_transitions", "signed_copy",
            "supersedes", "superseded_by"} <= set(schemas["Convention"]["properties"])
    assert SIGNATURE_KEYS <= set(schemas["Signature"]["properties"])
