"""The bundle command: one scope, the whole scope (the command line has no user), the file whole or not at all,
an audit entry; one-line errors on bad input."""

import pytest
from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.core.storage import document_store
from registry.extensions import db
from tests.bundles.helpers import archive, manifest, pdf_paths
from tests.stores import filesystem_only, remove_document


def test_bundle_of_a_region_written_and_verified(runner, world, tmp_path):
    output = tmp_path / "exports" / "region.zip"
    output.parent.mkdir()
    result = runner.invoke(args=["bundle", "--region", "27", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "5 fichiers signés" in result.output and str(output) in result.output
    assert len(pdf_paths(output.read_bytes())) == 5
    assert manifest(output.read_bytes())["made_by"] == "la ligne de commande (administrateur)"
    assert runner.invoke(args=["verify-bundle", str(output)]).exit_code == 0
    assert list(output.parent.iterdir()) == [output]  # no temporary file left


def test_bundle_of_a_hospital_and_of_a_departement(runner, world, tmp_path):
    runner.invoke(args=["bundle", "--hospital", world.rhone.finess_et, "--output", str(tmp_path / "h.zip")])
    assert [e["sha256"] for e in manifest((tmp_path / "h.zip").read_bytes())["files"]] == [
        world.files["rhone"].sha256]
    runner.invoke(args=["bundle", "--departement", "58", "--output", str(tmp_path / "d.zip")])
    assert archive((tmp_path / "d.zip").read_bytes()).testzip() is None
    assert len(pdf_paths((tmp_path / "d.zip").read_bytes())) == 1


def test_the_export_is_in_the_audit_log(runner, world, tmp_path):
    runner.invoke(args=["bundle", "--hospital", world.own.finess_et, "--output", str(tmp_path / "h.zip")])
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "bundle.download")).one()
    assert entry.actor_label == "système" and entry.hospital_id == world.own.id
    assert "ligne de commande" in entry.summary and "3 fichiers" in entry.summary


@pytest.mark.parametrize("arguments, message", [
    ([], "exactement un périmètre"),
    (["--region", "27", "--departement", "21"], "exactement un périmètre"),
    (["--departement", "99"], "département inconnu"),
    (["--region", "XX"], "région inconnue"),
    (["--hospital", "123"], "FINESS"),
    (["--departement", "2A"], "Aucun hôpital de proximité"),
])
def test_bad_scopes_are_refused_in_one_line_and_write_nothing(runner, world, tmp_path, arguments, message):
    output = tmp_path / "lot.zip"
    result = runner.invoke(args=["bundle", *arguments, "--output", str(output)])
    assert result.exit_code != 0 and message in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1 and not output.exists()


def test_an_existing_file_is_replaced_whole(runner, world, tmp_path):
    output = tmp_path / "lot.zip"
    output.write_bytes(b"ancien")
    assert runner.invoke(args=["bundle", "--departement", "21", "--output", str(output)]).exit_code == 0
    assert len(pdf_paths(output.read_bytes())) == 4


def test_a_missing_output_folder_is_refused(runner, world, tmp_path):
    result = runner.invoke(args=["bundle", "--region", "27", "--output", str(tmp_path / "absent" / "lot.zip")])
    assert result.exit_code == 1 and "Dossier introuvable" in result.output
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "bundle.download")) is None


def test_a_copy_missing_from_the_store_stops_before_writing(runner, world, tmp_path):
    remove_document(world.files["nievre"].sha256)
    result = runner.invoke(args=["bundle", "--region", "27", "--output", str(tmp_path / "lot.zip")])
    assert result.exit_code == 1 and "introuvable dans le stockage" in result.output
    assert not (tmp_path / "lot.zip").exists()


@filesystem_only
def test_a_copy_whose_stored_size_changed_stops_the_bundle_and_writes_nothing(runner, world, tmp_path):
    path = document_store().path_for(world.files["nievre"].sha256)  # a disk that lost the end of a file
    path.chmod(0o600)
    path.write_bytes(path.read_bytes()[:-10])
    (tmp_path / "lots").mkdir()
    result = runner.invoke(args=["bundle", "--region", "27", "--output", str(tmp_path / "lots" / "lot.zip")])
    assert result.exit_code == 1 and "altérée dans le stockage" in result.output and "Traceback" not in result.output
    assert list((tmp_path / "lots").iterdir()) == []  # neither the bundle nor its temporary file
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "bundle.download")) is None


def test_help_is_in_french(runner):
    assert "conventions signées" in runner.invoke(args=["bundle", "--help"]).output
    assert "manifeste" in runner.invoke(args=["verify-bundle", "--help"]).output
