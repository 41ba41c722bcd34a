"""POST /conventions/{id}/drafts with a multipart body (the partner's .docx as a new draft version) and
GET /conventions/{id}/drafts/{a}/compare/{b} (two versions compared, tracked changes read accepted)."""

import hashlib
import io
import threading

import pytest
from sqlalchemy import func, select

from registry.conventions.models import ConventionDocument
from registry.core.storage import document_store
from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.api.test_conventions import URL, partners  # noqa: F401  (fixture)
from tests.api.test_conventions_drafts import convention  # noqa: F401  (fixture)
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.word_files import PDF, macro_file, with_tracked_changes, word_file


def receive(client, world, convention, data, role="hospital", **form):  # noqa: F811
    return client.post(f"{URL}/{convention.id}/drafts", headers=world.headers[role],
                       data={"file": (io.BytesIO(data), "retour partenaire.docx"), **form},
                       content_type="multipart/form-data")


def documents() -> int:
    return db.session.scalar(select(func.count(ConventionDocument.id)))


@pytest.mark.parametrize("role", ["hospital", "admin"])
def test_a_received_version_is_stored_as_sent_and_numbered_after_generated_ones(client, world, convention,  # noqa: F811
                                                                                role):
    client.post(f"{URL}/{convention.id}/drafts", headers=world.headers["hospital"])
    data = with_tracked_changes(["Article 1"], [("keep", "Texte "), ("ins", "ajouté"), ("del", "retiré")])
    response = receive(client, world, convention, data, role, comment="Retour du CHU")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["version"], body["origin"], body["comment"]) == (2, "received", "Retour du CHU")
    assert body["sha256"] == hashlib.sha256(data).hexdigest() and body["size"] == len(data)
    assert body["created_by"] == world.users[role].email
    assert response.headers["Location"].endswith(f"/api/v1/conventions/{convention.id}/drafts/2")
    again = client.get(f"{URL}/{convention.id}/drafts/2", headers=world.headers["ars"])
    assert again.status_code == 200 and again.data == data == document_store().read(body["sha256"])
    listed = client.get(f"{URL}/{convention.id}", headers=world.headers["ars"]).get_json()["drafts"]
    assert [(d["version"], d["origin"]) for d in listed] == [(1, "generated"), (2, "received")]
    assert audit_actions(world.users[role])[-1] == "convention.draft_received"


@pytest.mark.parametrize("role, status", [("ars", 403), ("ars_other", 404), ("hospital_other", 404)])
def test_only_the_hospital_and_admins_receive_versions(client, world, convention, role, status):  # noqa: F811
    assert_error(receive(client, world, convention, word_file("Texte"), role), status)
    assert documents() == 0


@pytest.mark.parametrize("data, message", [(b"", "vide"), (PDF, "archive ZIP"), (macro_file(), "macros")],
                         ids=["empty", "pdf-renamed", "docm"])
def test_a_bad_file_is_422_and_stores_nothing(client, world, convention, data, message):  # noqa: F811
    error = assert_error(receive(client, world, convention, data), 422, "document_rejected")
    assert message in error["message"] and error["message"].startswith("Document refusé")
    assert documents() == 0


def test_a_missing_file_is_422_and_a_frozen_convention_409(client, world, convention):  # noqa: F811
    headers = world.headers["hospital"]
    error = assert_error(client.post(f"{URL}/{convention.id}/drafts", data={"comment": "x"},
                                     headers=headers, content_type="multipart/form-data"), 422)
    assert error["details"] == {"files": {"file": ["champ obligatoire"]}}
    convention.status = "a_signer"
    db.session.commit()
    assert_error(receive(client, world, convention, word_file("Texte")), 409, "conflict")
    assert documents() == 0


def test_two_versions_are_compared_and_the_ars_may_read_the_comparison(client, world, convention):  # noqa: F811
    receive(client, world, convention, word_file("Article 1", "Le CHU assure deux consultations."))
    receive(client, world, convention, with_tracked_changes(
        ["Article 1"], [("keep", "Le CHU assure "), ("del", "deux "), ("ins", "trois "), ("keep", "consultations.")],
        ["Article 2 ajouté"]))
    response = client.get(f"{URL}/{convention.id}/drafts/1/compare/2", headers=world.headers["ars"])
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["from"]["version"], body["to"]["version"]) == (1, 2) and "acceptées" in body["reading"]
    assert body["summary"] == {"unchanged": 1, "added": 1, "deleted": 0, "changed": 1}
    changed = next(block for block in body["blocks"] if block["kind"] == "change")
    assert [(s["kind"], s["text"]) for s in changed["segments"]] == [
        ("equal", "Le CHU assure "), ("delete", "deux "), ("insert", "trois "), ("equal", "consultations.")]
    assert body["blocks"][-1] == {"kind": "insert", "paragraphs": ["Article 2 ajouté"], "segments": []}
    assert_error(client.get(f"{URL}/{convention.id}/drafts/1/compare/5", headers=world.headers["ars"]),
                 404, "not_found")
    for role in ("ars_other", "hospital_other"):
        assert_error(client.get(f"{URL}/{convention.id}/drafts/1/compare/2", headers=world.headers[role]),
                     404)


@pytest.mark.slow
def test_concurrent_received_and_generated_versions_take_distinct_numbers(app, world, convention):  # noqa: F811
    db.session.commit()
    url, headers = f"{URL}/{convention.id}/drafts", world.headers["hospital"]
    barrier, statuses = threading.Barrier(6), []

    def send(index):
        with app.test_client() as other:
            barrier.wait()
            if index % 2:
                response = other.post(url, headers=headers, content_type="multipart/form-data",
                                      data={"file": (io.BytesIO(word_file(f"Version {index}")), "v.docx")})
            else:
                response = other.post(url, headers=headers)
            statuses.append(response.status_code)

    threads = [threading.Thread(target=send, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(statuses) == 6 and all(status < 500 for status in statuses) and 201 in statuses
    db.session.expire_all()
    versions = sorted(draft.version for draft in convention.drafts)
    assert versions == list(range(1, statuses.count(201) + 1))
