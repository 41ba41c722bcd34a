"""The write side: bulk inserts through the driver on SQLite, timestamps, and the terminal progress bar."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from registry.extensions import db
from registry.finess import cli
from registry.finess.bulk_insert import insert_rows
from registry.finess.etalab import parse_structure
from registry.organisations.models import Organisation
from tests.finess.helpers import ETALAB_SAMPLE, fields_of, organisation, sample_lines


def test_bulk_insert_stores_what_the_orm_reads_back(app):
    values = parse_structure(fields_of(sample_lines()[1])).values
    now = datetime(2026, 5, 12, 8, 30, 15, 123456, tzinfo=UTC)
    constants = {"source": "finess", "manual_partner_types": [], "notes": None, "rna": None,
                 "created_at": now, "updated_at": now}
    insert_rows(db.session.connection(), Organisation.__table__, [{**values, "latitude": 45.9, "longitude": 5.3}],
                constants)
    fleyriat = organisation("010000024")
    assert fleyriat.opened_on == date(1979, 2, 13) and fleyriat.manual_partner_types == []
    assert fleyriat.created_at.replace(tzinfo=None) == now.replace(tzinfo=None)
    assert (fleyriat.latitude, fleyriat.longitude, fleyriat.partner_types) == (45.9, 5.3, ["second_recours"])


def test_an_update_moves_updated_at_only(runner, tmp_path):
    runner.invoke(args=["import-finess", str(ETALAB_SAMPLE)])
    created_at, updated_at = db.session.execute(
        select(Organisation.created_at, Organisation.updated_at).where(Organisation.finess_et == "010000024")).one()
    changed = tmp_path / "changed.csv"
    changed.write_text(ETALAB_SAMPLE.read_text(encoding="utf-8").replace("CH DE FLEYRIAT", "CH FLEYRIAT"),
                       encoding="utf-8")
    assert runner.invoke(args=["import-finess", str(changed)]).stdout.startswith("created 0, updated 1,")
    db.session.expire_all()
    fleyriat = organisation("010000024")
    assert fleyriat.created_at == created_at and fleyriat.updated_at > updated_at


def test_progress_bar_only_on_a_terminal(runner, monkeypatch):
    calls = []
    monkeypatch.setattr(cli, "on_terminal", lambda: True)
    monkeypatch.setattr(cli.TerminalProgress, "__call__", lambda self, done, total: calls.append((done, total)))
    result = runner.invoke(args=["import-finess", str(ETALAB_SAMPLE)])
    assert result.stdout.splitlines() == ["created 14, updated 0, unchanged 0, rejected 0"]
    size = ETALAB_SAMPLE.stat().st_size
    assert calls[-1] == (2 * size, 2 * size)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


def test_terminal_progress_draws_a_click_bar(capsys):
    progress = cli.TerminalProgress()
    progress(10, 100)
    progress(100, 100)
    assert progress._bar.pos == 100
    progress.close()
    assert progress._bar is None
