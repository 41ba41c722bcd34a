"""`import-finess` on the real FHIR ndjson (809 Bourgogne establishments), and the service function."""

import pytest
from sqlalchemy import select

from registry.extensions import db
from registry.finess.importer import import_finess
from registry.organisations.models import Organisation
from tests.finess.helpers import FHIR_SAMPLE, organisation, organisation_count, write_lines


def test_the_real_fhir_file_is_imported_with_positions(runner):
    result = runner.invoke(args=["import-finess", str(FHIR_SAMPLE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["created 809, updated 0, unchanged 0, rejected 0"]
    assert organisation_count() == 809
    seurre = organisation("210001384")
    assert (seurre.name, seurre.finess_ej, seurre.departement, seurre.region) == ("SPASAD SEURRE ADMR", "210985735",
                                                                               "21", "27")
    assert (seurre.postal_code, seurre.city, seurre.commune_code) == ("21250", "SEURRE", None)
    assert seurre.latitude == pytest.approx(46.9955269, abs=1e-6)
    assert seurre.longitude == pytest.approx(5.1470854, abs=1e-6)
    dialysis = organisation("210001483")
    assert (dialysis.address, dialysis.locality, dialysis.city) == ("R CLAUDE PETIET", "BP 111", "CHATILLON SUR SEINE")
    assert organisation("210003059").city == "DIJON"  # "DIJON CEDEX" in the file


def test_a_second_run_reports_everything_unchanged(runner):
    runner.invoke(args=["import-finess", str(FHIR_SAMPLE)])
    result = runner.invoke(args=["import-finess", str(FHIR_SAMPLE)])
    assert result.stdout.splitlines() == ["created 0, updated 0, unchanged 809, rejected 0"]


def test_departement_filter_on_fhir(runner):
    result = runner.invoke(args=["import-finess", str(FHIR_SAMPLE), "--departement", "58"])
    created = int(result.stdout.split(",")[0].removeprefix("created "))
    assert 0 < created < 809
    assert result.stderr.splitlines() == [f"{809 - created} établissement(s) hors des départements demandés, ignoré(s)"]
    assert set(db.session.scalars(select(Organisation.departement).distinct())) == {"58"}


def test_service_function_for_other_callers_does_not_commit(app, tmp_path):
    lines = FHIR_SAMPLE.read_text(encoding="utf-8").splitlines()[:4]
    lines.append('{"resourceType": "Organization", "id": "210985735-210001385", "name": "CLE FAUSSE"}')
    lines.append("{pas du json")
    lines.append('{"resourceType": "Patient", "id": "x"}')
    seen = []
    report = import_finess(write_lines(tmp_path / "few.ndjson", lines), progress=lambda done, total: seen.append(done))
    assert (report.kind, report.encoding, report.created, report.rejected) == ("fhir", "utf-8", 2, 2)
    assert [str(issue) for issue in report.rejects] == [
        "ligne 5 : FINESS ET : numéro FINESS manquant", "ligne 6 : ligne JSON illisible"]
    assert [str(issue) for issue in report.warnings] == [
        "ligne 7 : ressource FHIR « Patient » ignorée (seules Organization et Location sont lues)"]
    assert seen and seen[-1] == 2 * (tmp_path / "few.ndjson").stat().st_size
    db.session.rollback()
    assert organisation_count() == 0
