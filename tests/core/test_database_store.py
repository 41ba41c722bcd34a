"""DOCUMENT_STORE = "database": the documents in the application's database, with the file store's interface
(write-once, idempotent, verified), durable with the caller's transaction, shared by every node; backup and purge
with it. The rest of the suite runs on it with TEST_DOCUMENT_STORE=database."""

import hashlib
import json
import shutil
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from registry import create_app
from registry.core import clock
from registry.core.storage import DatabaseDocumentStore, StorageUnavailable, document_store
from registry.core.storage_models import HeldUpload, StoredDocument
from registry.cpom.services import attach_signed_copy, create_cpom
from registry.extensions import db
from tests.conftest import _test_config
from tests.core.test_backup import registry_data, _rows  # noqa: F401  (fixture)
from tests.conventions.conftest import hospital_with_partners, shipped_templates  # noqa: F401  (fixtures)
from tests.signatures.pdf_factory import blank_pdf


@pytest.fixture
def app_config():
    return {"DOCUMENT_STORE": "database"}


def rows() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredDocument))


def test_the_setting_chooses_the_database_store(app, tmp_path):
    assert isinstance(document_store(), DatabaseDocumentStore)
    with pytest.raises(RuntimeError, match="DOCUMENT_STORE"):
        create_app({**_test_config(app.config["DATABASE_URL"], tmp_path), "DOCUMENT_STORE": "s3"},
                   instance_path=str(tmp_path / "other"))


def test_store_is_content_addressed_write_once_and_idempotent(app):
    store = document_store()
    sha, size = store.store(b"%PDF-1.7 signed")
    assert sha == hashlib.sha256(b"%PDF-1.7 signed").hexdigest() and size == 15
    with clock.travel(clock.now() + timedelta(days=1)):
        assert store.store(b"%PDF-1.7 signed") == (sha, 15)
    db.session.commit()
    assert rows() == 1
    row = db.session.get(StoredDocument, sha)
    assert row.created_at.date() == clock.today() and row.size == 15  # the first copy is kept
    assert store.read(sha) == b"%PDF-1.7 signed" and store.open(sha).read() == b"%PDF-1.7 signed"
    assert store.exists(sha) and store.verify(sha) and store.missing([sha, "0" * 64]) == {"0" * 64}
    storage = Path(app.config["STORAGE_DIR"])
    assert not storage.exists() or not any(storage.rglob("*"))  # nothing on this node's disk
    with pytest.raises(FileNotFoundError):
        store.read("0" * 64)
    with pytest.raises(ValueError):
        store.read("../../etc/passwd")


def test_storing_adds_the_row_to_the_caller_s_transaction_at_once(app):
    with document_store().storing(b"%PDF-1.7 draft") as (sha, size):
        assert (sha, size) == (hashlib.sha256(b"%PDF-1.7 draft").hexdigest(), 14)
        assert rows() == 1  # in the transaction already: the rows naming it commit with it
    db.session.rollback()
    assert rows() == 0



def test_a_document_lives_and_dies_with_the_callers_transaction(app):
    store = document_store()
    sha, _ = store.store(b"rolled back upload")
    db.session.rollback()
    assert not store.exists(sha) and rows() == 0
    sha, _ = store.store(b"committed upload")
    db.session.commit()
    assert store.exists(sha)


def test_chunks_are_read_from_the_database_a_piece_at_a_time(app):
    data = bytes(range(256)) * 5000
    sha, _ = document_store().store(data)
    chunks = list(document_store().chunks(sha, size=100_000))
    assert [len(c) for c in chunks] == [100_000] * 12 + [80_000] and b"".join(chunks) == data


def test_verify_detects_a_corrupted_row(app):
    store = document_store()
    sha, _ = store.store(b"original")
    sha_size, _ = store.store(b"same size")
    db.session.execute(update(StoredDocument).where(StoredDocument.sha256 == sha).values(data=b"tampered"))
    db.session.execute(update(StoredDocument).where(StoredDocument.sha256 == sha_size).values(size=3))
    assert not store.verify(sha) and not store.verify(sha_size)


def test_concurrent_stores_of_the_same_bytes_all_succeed(app):
    """Eight requests store the same upload at once, each in its own transaction: no error, one row."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite serialises writers; PostgreSQL runs them at once (TEST_DATABASE_URL)")
    data, barrier, errors, results = b"%PDF the same upload", threading.Barrier(8, timeout=10), [], []

    def upload():
        with app.app_context():
            try:
                barrier.wait()
                results.append(document_store().store(data))
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=upload) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(results)) == 1 and len(results) == 8
    assert rows() == 1


def test_concurrent_stores_on_sqlite_wait_for_each_other(app):
    data, errors = b"%PDF the same upload", []

    def upload():
        with app.app_context():
            try:
                document_store().store(data)
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and rows() == 1


@pytest.mark.parametrize("message, reason", [
    ("database or disk is full", "le disque est plein"),
    ("attempt to write a readonly database", "la base de données est en lecture seule")])
def test_a_database_that_cannot_write_answers_storage_unavailable(app, monkeypatch, message, reason):
    import sqlite3

    def full(*args, **kwargs):
        raise OperationalError("INSERT", {}, sqlite3.OperationalError(message))
    monkeypatch.setattr(db.session, "execute", full)
    with pytest.raises(StorageUnavailable) as refused:
        document_store().store(b"no room")
    assert refused.value.status == 503 and reason in refused.value.message
    assert "Rien n'a été enregistré" in refused.value.message


# --- Backup and purge -----------------------------------------------------------------------------------------

def _stored() -> dict[str, bytes]:
    return {row.sha256: bytes(row.data) for row in db.session.scalars(select(StoredDocument))}


def test_backup_writes_the_documents_of_the_database_and_restores(app, runner, registry_data, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite round trip; pg_dump's is covered by test_backup on PostgreSQL")
    documents = _stored()
    assert len(documents) >= 6 and not Path(app.config["STORAGE_DIR"]).exists()
    backup_dir = tmp_path / "backup"
    result = runner.invoke(args=["backup", str(backup_dir)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((backup_dir / "backup.json").read_text())
    assert manifest["documents"]["files"] == len(documents) == manifest["counts"]["stored_documents"]
    for entry in manifest["files"]:
        assert (backup_dir / entry["path"]).read_bytes() == documents[entry["sha256"]]
        assert entry["path"] == f"storage/{entry['sha256'][:2]}/{entry['sha256'][2:4]}/{entry['sha256']}"
    restored_file = tmp_path / "restored" / "registry.sqlite3"
    restored_file.parent.mkdir()
    shutil.copyfile(backup_dir / "registry.sqlite3", restored_file)
    original = _rows(db)
    restored = create_app({**_test_config(f"sqlite:///{restored_file}", tmp_path / "r"), "DOCUMENT_STORE": "database"},
                          instance_path=str(tmp_path / "restored-instance"))
    with restored.app_context():
        assert _rows(db) == original
        assert all(document_store().verify(sha) for sha in documents)
        db.session.remove()
        db.engine.dispose()


def test_backup_on_postgresql_copies_the_documents_of_its_snapshot(app, runner, registry_data, tmp_path):
    if db.engine.dialect.name != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("pg_dump runs when the suite runs on PostgreSQL (TEST_DATABASE_URL)")
    documents = _stored()
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "backup.json").read_text())
    assert {entry["sha256"]: (tmp_path / "backup" / entry["path"]).read_bytes()
            for entry in manifest["files"]} == documents


def test_backup_refuses_a_corrupted_row_and_a_missing_document(app, runner, registry_data, tmp_path):
    sha = sorted(_stored())[0]
    db.session.execute(update(StoredDocument).where(StoredDocument.sha256 == sha).values(data=b"altered"))
    db.session.commit()
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code != 0 and "document altéré" in result.output and sha in result.output
    assert not (tmp_path / "backup").exists()


def test_purge_removes_old_orphan_rows_and_stale_held_uploads(app, runner, make_hospital):
    store = document_store()
    hospital = make_hospital()
    with clock.travel(clock.now() - timedelta(hours=48)):
        cpom = create_cpom(hospital, signed_on=date(2025, 1, 1), effective_on=date(2025, 1, 1))
        attach_signed_copy(cpom, blank_pdf(), "cpom.pdf")
        orphan, _ = store.store(b"stored by an import that was killed")
        db.session.add(HeldUpload(token="t" * 32, key="k", user_id=1, meta="{}", size=1, created_at=clock.now()))
    recent, _ = store.store(b"an upload in flight")
    db.session.add(HeldUpload(token="f" * 32, key="k", user_id=1, meta="{}", size=1))
    db.session.commit()

    listed = runner.invoke(args=["purge", "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert f"stored_documents/{orphan}" in listed.output and f"held_uploads/{'t' * 32}" in listed.output
    assert "0 écriture(s) interrompue(s), 1 document(s) orphelin(s), 1 dépôt(s) en attente à supprimer." \
        in listed.output
    assert store.exists(orphan)

    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and "supprimé(s)" in done.output
    db.session.expire_all()
    assert not store.exists(orphan) and store.exists(recent) and store.exists(cpom.signed_copy_sha256)
    assert [row.token for row in db.session.scalars(select(HeldUpload))] == ["f" * 32]


def test_copy_documents_moves_a_file_store_into_the_database(app, runner, tmp_path):
    from registry.core.storage import DocumentStore

    files = DocumentStore(tmp_path / "old-storage")
    kept, _ = files.store(b"a signed copy")
    other, _ = files.store(b"a draft")
    already, _ = document_store().store(b"already there")
    files.store(b"already there")
    db.session.commit()
    result = runner.invoke(args=["copy-documents", str(tmp_path / "old-storage")])
    assert result.exit_code == 0, result.output
    assert "2 document(s) copié(s), 1 déjà présent(s), 0 problème(s)." in result.output
    db.session.expire_all()
    assert document_store().read(kept) == b"a signed copy" and document_store().verify(other)

    altered = files.path_for(other)
    altered.chmod(0o640)
    altered.write_bytes(b"changed")
    (tmp_path / "old-storage" / "notes.txt").write_text("?")
    db.session.execute(StoredDocument.__table__.delete().where(StoredDocument.sha256 == other))
    db.session.commit()
    result = runner.invoke(args=["copy-documents", str(tmp_path / "old-storage")])
    assert result.exit_code == 1
    assert "document altéré" in result.output and "fichier inattendu : notes.txt" in result.output
    assert not document_store().exists(other)
