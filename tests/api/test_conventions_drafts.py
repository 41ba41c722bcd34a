"""POST /conventions/{id}/drafts answers a new Word draft; GET /conventions/{id}/drafts/{version} an earlier one."""

import errno
import hashlib

import pytest
from sqlalchemy import func, select

from registry.conventions.models import Convention, ConventionDocument
from registry.conventions.services import DOCX
from registry.core import storage
from registry.documents.text import document_text
from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.api.test_conventions import URL, partners, payload  # noqa: F401  (fixture)
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.stores import filesystem_only


@pytest.fixture
def convention(client, world, partners):  # noqa: F811
    signatories = [{"partner": "hospital", "name": "Marie Durand", "title": "Directrice"}]
    response = client.post(URL, json=payload(world, partners, partners=[partners.chu.id, partners.ehpad.id],
                                             signatories=signatories), headers=world.headers["hospital"])
    assert response.status_code == 201, response.get_data(as_text=True)
    return db.session.get(Convention, response.get_json()["id"])


def drafts() -> int:
    return db.session.scalar(select(func.count(ConventionDocument.id)))


@pytest.mark.parametrize("role", ["hospital", "admin"])
def test_a_draft_is_answered_as_a_word_file(client, world, partners, convention, role):
    response = client.post(f"{URL}/{convention.id}/drafts", headers=world.headers[role])
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    assert response.mimetype == DOCX
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert f"{convention.reference} projet v1.docx" in response.headers["Content-Disposition"]
    assert response.headers["X-Draft-Version"] == "1"
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(response.data).hexdigest()
    assert response.headers["Location"].endswith(f"/api/v1/conventions/{convention.id}/drafts/1")
    text = document_text(response.data)
    for expected in ("Hôpital de Beaune", "CHU Dijon Bourgogne", "EHPAD Les Tilleuls", world.own.finess_et,
                     partners.chu.partner.finess_et, partners.ehpad.partner.finess_et, "Marie Durand",
                     "1er janvier 2027", convention.reference, "Cardiologie"):
        assert expected in text, expected
    assert audit_actions(world.users[role])[-1] == "convention.draft"


def test_every_draft_is_a_version_listed_and_downloadable_again(client, world, convention):
    headers = world.headers["hospital"]
    first = client.post(f"{URL}/{convention.id}/drafts", headers=headers)
    second = client.post(f"{URL}/{convention.id}/drafts", headers=headers)
    assert second.headers["X-Draft-Version"] == "2"
    listed = client.get(f"{URL}/{convention.id}", headers=world.headers["ars"]).get_json()["drafts"]
    assert [(d["version"], d["sha256"], d["size"]) for d in listed] == [
        (1, first.headers["X-Content-SHA256"], len(first.data)), (2, second.headers["X-Content-SHA256"],
                                                                  len(second.data))]
    assert listed[0]["filename"] == f"{convention.reference} projet v1.docx" and listed[0]["created_at"]
    again = client.get(f"{URL}/{convention.id}/drafts/1", headers=world.headers["ars"])
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["X-Draft-Version"] == "1"
    assert_error(client.get(f"{URL}/{convention.id}/drafts/3", headers=headers), 404, "not_found")


@pytest.mark.parametrize("role, status", [("ars", 403), ("ars_other", 404), ("hospital_other", 404)])
def test_only_the_hospital_and_admins_render_drafts(client, world, convention, role, status):
    assert_error(client.post(f"{URL}/{convention.id}/drafts", headers=world.headers[role]), status)
    assert drafts() == 0


@pytest.mark.parametrize("role", ["ars_other", "hospital_other"])
def test_drafts_out_of_scope_are_not_found(client, world, convention, role):
    client.post(f"{URL}/{convention.id}/drafts", headers=world.headers["hospital"])
    assert_error(client.get(f"{URL}/{convention.id}/drafts/1", headers=world.headers[role]), 404)


def test_a_frozen_convention_gets_no_draft(client, world, convention):
    convention.status = "a_signer"
    db.session.commit()
    error = assert_error(client.post(f"{URL}/{convention.id}/drafts", headers=world.headers["hospital"]), 409,
                         "conflict")
    assert "figés" in error["message"]
    assert drafts() == 0


def test_a_convention_drafted_elsewhere_gets_no_draft(client, world, partners):  # noqa: F811
    registered = client.post(URL, json=payload(world, partners, template=None, clauses=[], fields={}) | {
        "template": None}, headers=world.headers["hospital"])
    assert registered.status_code == 422  # « template » is a code or absent, never null
    body = payload(world, partners, clauses=[], fields={})
    del body["template"]
    created = client.post(URL, json=body, headers=world.headers["hospital"]).get_json()
    error = assert_error(client.post(f"{URL}/{created['id']}/drafts", headers=world.headers["hospital"]), 409,
                         "conflict")
    assert "hors de l'application" in error["message"]
    assert drafts() == 0


def test_a_draft_reads_its_convention_in_one_query_whatever_its_partners(client, world, partners, convention,
                                                                        count_queries):
    """The hospital, template version, parties and their profiles come with the convention (DRAFT_LOADING): one
    partner more is no statement more. PostgreSQL re-reads the convention under a lock (core.transaction.lock_row),
    after which its parties are read again: the count is SQLite's."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL re-reads the convention and its parties under a lock")
    one_partner = client.post(URL, json=payload(world, partners), headers=world.headers["hospital"]).get_json()["id"]
    counts = []
    for convention_id in (one_partner, convention.id):  # one partner, then two
        db.session.expire_all()
        with count_queries() as statements:
            assert client.post(f"{URL}/{convention_id}/drafts", headers=world.headers["hospital"]).status_code == 201
        counts.append(len([statement for statement in statements if not statement.startswith("BEGIN")]))
        reads = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
        assert not [read for read in reads if read.split("FROM", 1)[1].lstrip().startswith(
            ("hospital_profiles", "template_versions", "convention_parties"))], reads
    assert counts[0] == counts[1]


@filesystem_only
def test_a_draft_the_store_cannot_keep_answers_503_and_records_nothing(client, world, convention, fresh_children,
                                                                       monkeypatch, caplog):
    """The file is written in a resident child while the draft's rows are flushed (core.storage, storing): its
    failure still reaches the user, and the rows are rolled back."""
    def refuse(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(storage.tempfile, "mkstemp", refuse)  # inherited by the render child, which stores the draft
    before = audit_actions()
    error = assert_error(client.post(f"{URL}/{convention.id}/drafts", headers=world.headers["hospital"]), 503,
                         "storage_unavailable")
    assert "le disque est plein" in error["message"] and "cannot write" in caplog.text
    db.session.expire_all()
    assert drafts() == 0 and audit_actions() == before
    monkeypatch.undo()  # the disk has room again: the next draft is version 1
    response = client.post(f"{URL}/{convention.id}/drafts", headers=world.headers["hospital"])
    assert response.status_code == 201 and response.headers["X-Draft-Version"] == "1"
