"""Batches: whatever their size, and whatever the way rows are stored (one COPY across the batches of a first
import on PostgreSQL, a COPY or an executemany per batch otherwise), the same rows and the same report."""

import gzip

import pytest
from sqlalchemy import select

from registry.core.errors import DomainError
from registry.extensions import db
from registry.finess.importer import import_finess
from registry.finess.rows import COORDINATE_COLUMNS, IMPORTED_COLUMNS
from registry.organisations.models import SOURCE_MANUAL, Organisation
from tests.finess.helpers import (
    ETALAB_SAMPLE, FLEYRIAT_GEOLOCATION, organisation_count, sample_lines, with_field, write_lines,
)

STORED = [Organisation.__table__.c[name] for name in (*IMPORTED_COLUMNS, *COORDINATE_COLUMNS, "source",
                                                       "manual_partner_types", "notes", "rna")]


def stored_rows() -> list[tuple]:
    """What an import stored (its ids aside: each batch is inserted in FINESS ET order), by FINESS ET."""
    return [tuple(row) for row in db.session.execute(select(*STORED).order_by(Organisation.finess_et))]


@pytest.fixture
def reference(app, tmp_path):
    """The sample (with coordinates for one row) imported in one batch: the reference for every other size."""
    path = write_lines(tmp_path / "sample.csv", [*sample_lines(), FLEYRIAT_GEOLOCATION])
    report = import_finess(path)
    rows = stored_rows()
    db.session.rollback()
    return path, report.output_lines(), rows


@pytest.mark.parametrize("batch_size", [1, 2, 7, 13, 14, 15])
def test_every_batch_size_stores_the_same_rows(reference, batch_size):
    path, output, rows = reference
    report = import_finess(path, batch_size=batch_size)
    db.session.commit()
    assert report.output_lines() == output == ["created 14, updated 0, unchanged 0, rejected 0"]
    assert stored_rows() == rows
    again = import_finess(path, batch_size=batch_size)
    assert again.output_lines() == ["created 0, updated 0, unchanged 14, rejected 0"]


def test_a_row_refused_in_the_middle_of_a_batch_is_reported_as_with_one_batch(app, tmp_path):
    lines = sample_lines()
    lines[6] = with_field(lines[6], 1, "010000025")  # a wrong check key, line 7 of the file
    lines[9] = with_field(lines[9], 30, "31/02/2020")  # line 10
    path = write_lines(tmp_path / "broken.csv", lines)
    expected = ["created 12, updated 0, unchanged 0, rejected 2",
                "ligne 7 : FINESS ET : la clé de contrôle du numéro FINESS « 010000025 » est fausse",
                "ligne 10 : date de mise à jour « 31/02/2020 » invalide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)"]
    one_batch = import_finess(path).output_lines()
    one_batch_rows = stored_rows()
    db.session.rollback()
    small_batches = import_finess(path, batch_size=4).output_lines()
    assert one_batch == small_batches == expected
    assert stored_rows() == one_batch_rows and organisation_count() == 12


def test_new_establishments_of_a_reimport_are_inserted_beside_the_updates(runner, tmp_path):
    """A re-import looks rows up batch by batch: its inserts are written batch by batch too."""
    lines = sample_lines()
    write_lines(tmp_path / "first.csv", lines[:8])
    assert runner.invoke(args=["import-finess", str(tmp_path / "first.csv")]).exit_code == 0
    lines[1] = lines[1].replace("CH DE FLEYRIAT", "CH FLEYRIAT")
    report = import_finess(write_lines(tmp_path / "all.csv", lines), batch_size=3)
    db.session.commit()
    assert report.output_lines() == ["created 7, updated 1, unchanged 6, rejected 0"]
    assert organisation_count() == 14


def test_ids_keep_coming_from_the_sequence_after_a_first_import(app, tmp_path):
    """The COPY of a first import (PostgreSQL) takes its ids from the table's sequence, as INSERTs do."""
    import_finess(ETALAB_SAMPLE, batch_size=5)
    db.session.commit()
    partner = Organisation(name="CPTS du Val de Saône", source=SOURCE_MANUAL, departement="21")
    db.session.add(partner)
    db.session.commit()
    assert partner.id > max(db.session.scalars(select(Organisation.id).where(Organisation.finess_et.is_not(None))))


def test_a_failure_while_the_copy_is_open_leaves_nothing_and_the_session_usable(app, tmp_path):
    """A gzip stream cut after several batches were written: the COPY is abandoned, the caller rolls back."""
    data = gzip.compress("\n".join(sample_lines() * 40).encode("utf-8"))
    (tmp_path / "cut.gz").write_bytes(data[:-40])
    with pytest.raises(DomainError, match="illisible ou tronqué"):
        import_finess(tmp_path / "cut.gz", batch_size=2)
    db.session.rollback()
    assert organisation_count() == 0
    report = import_finess(ETALAB_SAMPLE)
    db.session.commit()
    assert report.created == organisation_count() == 14
