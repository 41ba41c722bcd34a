"""A full or read-only document store: a French 503 through the API, nothing recorded, and one line in the log for
the operator (the pages show the same message beside their form)."""

import errno

import pytest

from registry.conventions import lifecycle
from registry.conventions.models import ConventionDocument
from registry.core import storage
from registry.extensions import db
from tests.api.test_convention_lifecycle import convention_in, scene, upload  # noqa: F401  (scene: a fixture)
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.conventions.lifecycle_helpers import signed_pdf
from tests.stores import filesystem_only


@filesystem_only
@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "le disque est plein"),
                                         (errno.EROFS, "lecture seule")])
def test_the_api_answers_503_and_records_nothing(client, scene, monkeypatch, caplog, code, words):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    db.session.commit()
    documents = len(convention.documents)

    def refuse(*args, **kwargs):
        raise OSError(code, "refused")
    monkeypatch.setattr(storage.tempfile, "mkstemp", refuse)
    response = upload(client, scene, convention, signed_pdf())
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "storage_unavailable" and words in error["message"]
    db.session.expire_all()
    assert db.session.query(ConventionDocument).filter_by(convention_id=convention.id).count() == documents
    assert "cannot write" in caplog.text


@filesystem_only
def test_another_os_error_is_not_taken_for_a_full_store(app, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "I/O error")
    monkeypatch.setattr(storage.tempfile, "mkstemp", broken)
    with pytest.raises(OSError):
        storage.document_store().store(b"bytes")


@pytest.mark.parametrize("app_config", [{"DOCUMENT_STORE": "database"}])
def test_a_full_database_store_answers_503_and_records_nothing(client, scene, monkeypatch, caplog):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    convention = convention_in(scene, lifecycle.A_SIGNER)
    db.session.commit()
    documents = len(convention.documents)

    def full(model, **values):
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    monkeypatch.setattr(storage, "insert_unless_present", full)
    response = upload(client, scene, convention, signed_pdf())
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "storage_unavailable" and "le disque est plein" in error["message"]
    db.session.expire_all()
    assert db.session.query(ConventionDocument).filter_by(convention_id=convention.id).count() == documents
    assert "cannot write" in caplog.text
