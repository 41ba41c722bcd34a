"""backup DIR: a round trip through the README's restore procedure, and failures that leave nothing behind."""

import hashlib
import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from registry import create_app
from registry.conventions import lifecycle
from registry.conventions.models import ConventionDocument
from registry.conventions.services import create_convention, generate_draft
from registry.conventions.terms import ConventionTerms
from registry.conventions.transitions import create_avenant, transition
from registry.core.storage import document_store
from registry.cpom.avenants import record_avenant
from registry.cpom.campaign import attach_proof, declare
from registry.cpom.models import Cpom, CpomProof
from registry.cpom.services import add_engagement, create_cpom
from registry.cpom.services import attach_signed_copy as attach_cpom_copy
from registry.documents.models import TemplateVersion
from registry.extensions import db
from tests.conftest import _test_config
from tests.conventions.builders import attach_signed_copy
from tests.conventions.conftest import hospital_with_partners, shipped_templates  # noqa: F401  (fixtures)
from tests.signatures.pdf_factory import blank_pdf
from tests.stores import filesystem_only

FIELDS = {"specialties": ["Cardiologie"], "administrative_court": "Dijon", "signing_place": "Dijon"}


@pytest.fixture
def registry_data(shipped_templates, hospital_with_partners):
    """Conventions with drafts, a signed copy, events, an avenant and audit entries; every document stored."""
    hospital, chu, ehpad = hospital_with_partners
    convention = create_convention(hospital, ConventionTerms(partnerships=[chu, ehpad], effective_date=date(2027, 1, 1),
        duration_months=36),
        template_code="second_recours", fields=dict(FIELDS))
    generate_draft(convention)
    transition(convention, lifecycle.EN_NEGOCIATION)
    generate_draft(convention)
    transition(convention, lifecycle.A_SIGNER)
    attach_signed_copy(convention)
    transition(convention, lifecycle.SIGNEE, date=date(2026, 6, 1), today=date(2026, 7, 1))
    create_avenant(convention, "Ajout de la télémédecine")
    _cpom_with_documents(hospital)
    document_store().store(b"bytes stored by a transaction that was rolled back")  # unreferenced, still copied
    db.session.commit()
    return convention


def _cpom_with_documents(hospital):
    """A CPOM with its signed copy, an avenant without one, and a declared value with a proof."""
    cpom = create_cpom(hospital, signed_on=date(2025, 1, 1), effective_on=date(2025, 1, 1))
    engagement = add_engagement(cpom, indicator="connaissance_offre", comparator="present", target_value=None)
    attach_cpom_copy(cpom, blank_pdf(), "cpom.pdf")
    record_avenant(cpom, signed_on=date(2025, 6, 1), effective_on=date(2026, 1, 1), object="Avenant n° 1")
    declare(engagement, 2025, value=True)
    attach_proof(engagement, 2025, blank_pdf() + b"% proof\n%%EOF\n", "preuve.pdf")


def _rows(database) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in database.session.execute(query)]
    return rows


def _store_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _restored_app(tmp_path: Path, url: str):
    return create_app({**_test_config(url, tmp_path / "restored"), "STORAGE_DIR": str(tmp_path / "restored-storage")},
                      instance_path=str(tmp_path / "restored-instance"))


def _check_round_trip(app, runner, tmp_path, backup_dir, restored_url):
    """README, « Sauvegarde et restauration »: copy the storage folder, run init-db, compare everything."""
    shutil.copytree(backup_dir / "storage", tmp_path / "restored-storage")
    restored = _restored_app(tmp_path, restored_url)
    result = restored.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    original_rows = _rows(db)
    with restored.app_context():
        restored_rows = _rows(db)
        db.session.remove()
        db.engine.dispose()
    assert restored_rows == original_rows
    assert sum(len(rows) for rows in original_rows.values()) > 20
    originals = _store_files(Path(app.config["STORAGE_DIR"]))
    assert _store_files(tmp_path / "restored-storage") == originals
    manifest = json.loads((backup_dir / "backup.json").read_text())
    assert manifest["counts"] == {name: len(rows) for name, rows in original_rows.items()}
    assert [entry["path"] for entry in manifest["files"]] == [f"storage/{name}" for name in originals]
    assert all(hashlib.sha256(originals[entry["path"][len("storage/"):]]).hexdigest() == entry["sha256"]
               == Path(entry["path"]).name for entry in manifest["files"])
    return manifest


@filesystem_only
def test_round_trip_on_sqlite(app, runner, registry_data, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite backup runs in the SQLite pass of the suite")
    backup_dir = tmp_path / "backup"
    result = runner.invoke(args=["backup", str(backup_dir)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Sauvegarde écrite dans {backup_dir} : base sqlite (")
    assert sorted(p.name for p in backup_dir.iterdir()) == ["backup.json", "registry.sqlite3", "storage"]
    restored_file = tmp_path / "restored-instance" / "registry.sqlite3"
    restored_file.parent.mkdir()
    shutil.copyfile(backup_dir / "registry.sqlite3", restored_file)
    manifest = _check_round_trip(app, runner, tmp_path, backup_dir, f"sqlite:///{restored_file}")
    assert manifest["database"]["kind"] == "sqlite"
    assert manifest["database"]["sha256"] == hashlib.sha256((backup_dir / "registry.sqlite3").read_bytes()).hexdigest()
    assert manifest["counts"]["convention_events"] == 3
    referenced = set(db.session.scalars(select(ConventionDocument.sha256)))
    referenced |= set(db.session.scalars(select(TemplateVersion.sha256)))
    referenced |= set(db.session.scalars(select(CpomProof.sha256)))
    referenced.add(db.session.scalar(select(Cpom.signed_copy_sha256)))
    assert len(referenced) >= 5
    assert manifest["documents"]["referenced"] == len(referenced)
    assert manifest["documents"]["files"] == len(referenced) + 1  # and the unreferenced file


@filesystem_only
def test_round_trip_on_postgresql(app, runner, registry_data, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("pg_dump is tested when the suite runs on PostgreSQL (TEST_DATABASE_URL)")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore are not on PATH")
    backup_dir = tmp_path / "backup"
    result = runner.invoke(args=["backup", str(backup_dir)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in backup_dir.iterdir()) == ["backup.json", "registry.dump", "storage"]
    url = db.engine.url
    name = f"{url.database}_restored"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        libpq = url.set(drivername="postgresql", database=name, password=None).render_as_string(hide_password=False)
        restore = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq}",
                                  str(backup_dir / "registry.dump")],
                                 env={**os.environ, **({"PGPASSWORD": url.password} if url.password else {})},
                                 capture_output=True, text=True, check=False)
        assert restore.returncode == 0, restore.stderr
        manifest = _check_round_trip(app, runner, tmp_path, backup_dir,
                                     url.set(database=name).render_as_string(hide_password=False))
        assert manifest["database"]["kind"] == "postgresql" and manifest["database"]["file"] == "registry.dump"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _one_document(kind="signed") -> ConventionDocument:
    return db.session.scalar(select(ConventionDocument).where(ConventionDocument.kind == kind))


@filesystem_only
def test_a_missing_document_stops_the_backup_and_leaves_nothing(app, runner, registry_data, tmp_path):
    missing = document_store().path_for(_one_document().sha256)
    missing.unlink()
    backup_dir = tmp_path / "backups" / "today"
    result = runner.invoke(args=["backup", str(backup_dir)])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        f"Error: Sauvegarde interrompue : document référencé par la base mais absent du stockage : {missing.name}."]
    assert not backup_dir.exists()


@filesystem_only
def test_an_altered_document_stops_the_backup(app, runner, registry_data, tmp_path):
    altered = document_store().path_for(_one_document("draft").sha256)
    os.chmod(altered, 0o640)
    altered.write_bytes(altered.read_bytes() + b"\x00")
    backup_dir = tmp_path / "empty"
    backup_dir.mkdir()
    result = runner.invoke(args=["backup", str(backup_dir)])
    assert result.exit_code != 0
    assert "document altéré" in result.output and altered.name in result.output
    assert backup_dir.is_dir() and list(backup_dir.iterdir()) == []  # emptied again, kept as it was given


def test_a_non_empty_folder_is_refused(app, runner, tmp_path):
    backup_dir = tmp_path / "used"
    backup_dir.mkdir()
    (backup_dir / "notes.txt").write_text("previous backup")
    result = runner.invoke(args=["backup", str(backup_dir)])
    assert result.exit_code != 0
    assert result.output.strip() == f"Error: Le dossier {backup_dir} existe et n'est pas vide : choisissez un " \
                                    "dossier neuf ou vide."
    assert [p.name for p in backup_dir.iterdir()] == ["notes.txt"]


def test_without_pg_dump_the_error_names_it(app, runner, tmp_path, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the pg_dump path is taken on PostgreSQL only (TEST_DATABASE_URL)")
    monkeypatch.setattr("registry.backup.services.shutil.which", lambda name: None)
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code != 0 and "pg_dump est introuvable" in result.output
    assert not (tmp_path / "backup").exists()


def test_readme_gives_the_restore_procedure():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Sauvegarde et restauration", 1)[1].split("\n## ", 1)[0]
    for command in ("flask --app wsgi backup", "cp BACKUP/registry.sqlite3", "cp -a BACKUP/storage",
                    "flask --app wsgi init-db", "pg_restore --no-owner --exit-on-error", "sha256sum"):
        assert command in section, command
