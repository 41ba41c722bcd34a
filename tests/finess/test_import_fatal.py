"""Fatal problems: one French line, a non-zero exit, and nothing written."""

import gzip
import os
import signal

import pytest

from registry.core.errors import DomainError
from registry.finess import importer
from tests.finess.helpers import ETALAB_SAMPLE, organisation, organisation_count, sample_lines, write_lines


@pytest.fixture
def imported_once(runner):
    """A database that already holds the sample, so that 'untouched' means something."""
    assert runner.invoke(args=["import-finess", str(ETALAB_SAMPLE)]).exit_code == 0
    return organisation_count()


def _changed_sample() -> list[str]:
    return [line.replace("CH DE FLEYRIAT", "CH RENOMME") for line in sample_lines()] + \
        ["structureet;010000032;010780062;NOUVEL ETABLISSEMENT" + ";" * 28]


def _fails(runner, path, message):
    result = runner.invoke(args=["import-finess", str(path)])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_undecodable_bytes(runner, tmp_path, imported_once):
    data = "\n".join(_changed_sample()).encode("cp1252") + b"\nstructureet;\x81\n"
    (tmp_path / "bad.csv").write_bytes(data)
    _fails(runner, tmp_path / "bad.csv", "encodage illisible : la ligne 17 n'est ni en UTF-8 ni en Windows-1252")
    assert organisation_count() == imported_once
    assert organisation("010000024").name == "CH DE FLEYRIAT"


def test_truncated_gzip(runner, tmp_path, imported_once):
    data = gzip.compress("\n".join(_changed_sample() * 40).encode("utf-8"))
    (tmp_path / "cut.gz").write_bytes(data[:-40])
    _fails(runner, tmp_path / "cut.gz", "fichier compressé (gzip) illisible ou tronqué")
    assert organisation("010000024").name == "CH DE FLEYRIAT"


def test_wrong_kind_of_file(runner, tmp_path, imported_once):
    path = write_lines(tmp_path / "t-finess.csv", ["nofinesset;nofinessej;rs", "010000024;010780054;CH RENOMME"])
    _fails(runner, path, "fichier non reconnu")
    assert organisation_count() == imported_once


def test_missing_file(runner, tmp_path):
    _fails(runner, tmp_path / "absent.csv", "fichier introuvable")


def test_a_failure_after_rows_were_written_rolls_everything_back(runner, tmp_path, imported_once, monkeypatch):
    def failing_audit(*args, **kwargs):
        raise DomainError("journal d'audit indisponible")

    monkeypatch.setattr(importer, "record_audit", failing_audit)
    _fails(runner, write_lines(tmp_path / "changed.csv", _changed_sample()), "journal d'audit indisponible")
    assert organisation_count() == imported_once
    assert organisation("010000024").name == "CH DE FLEYRIAT"
    assert organisation("010000032") is None


def test_a_reading_process_that_dies_half_way_writes_nothing(runner, tmp_path, imported_once, monkeypatch):
    """The rows are read in a child process (importer.read_establishments): killed while it reads, the import
    stops with its French line and nothing is written."""
    read = importer.read_establishments

    def killed_half_way(*args, **kwargs):
        for number, values in enumerate(read(*args, **kwargs)):
            if number == 3:
                os.kill(os.getpid(), signal.SIGKILL)
            yield values

    monkeypatch.setattr(importer, "read_establishments", killed_half_way)
    _fails(runner, write_lines(tmp_path / "changed.csv", _changed_sample()), "la lecture du fichier s'est arrêtée")
    assert organisation_count() == imported_once
    assert organisation("010000024").name == "CH DE FLEYRIAT"
    assert organisation("010000032") is None
