"""The data version: equal only while nothing is committed, by this connection or another; none while the transaction
holds writes not committed yet. The cache keeps one version's results per scope. On SQLite and PostgreSQL alike."""

from sqlalchemy import text

from registry.core.data_version import DataVersion, UnchangedCache, data_version
from registry.extensions import db
from registry.organisations.models import Organisation
from tests.quiet_server import while_nothing_commits


def version():
    return data_version(db.session.connection())


def test_the_version_stays_while_nothing_is_committed(make_organisation):
    make_organisation(name="EHPAD A")
    db.session.commit()

    def read_then_commit_nothing():
        before = version()
        db.session.execute(text("SELECT count(*) FROM organisations")).scalar()
        after_reading = version()
        db.session.commit()  # a transaction that wrote nothing
        return before, after_reading, version()

    before, after_reading, after_commit = while_nothing_commits(read_then_commit_nothing)
    assert before is not None
    assert after_reading == before
    assert after_commit == before


def test_a_commit_of_this_session_changes_the_version(make_organisation):
    before = version()
    make_organisation(name="EHPAD B")
    db.session.commit()
    assert version() != before


def test_a_commit_of_another_connection_changes_the_version(make_organisation):
    organisation = make_organisation(name="EHPAD C")
    db.session.commit()
    before = version()
    with db.engine.connect() as other:
        other.execute(text("UPDATE organisations SET name = 'EHPAD D' WHERE id = :id"), {"id": organisation.id})
        other.commit()
    assert version() != before


def test_a_transaction_holding_writes_has_no_version_and_its_rollback_changes_it(make_organisation):
    db.session.commit()
    before = version()
    db.session.add(Organisation(name="EHPAD E", source="manual"))
    db.session.flush()
    assert version() is None
    db.session.rollback()
    after = version()
    assert after is not None
    if db.engine.dialect.name == "sqlite":  # the rows it wrote are counted, rolled back or not
        assert after != before


def test_other_databases_have_no_version(app, monkeypatch):
    connection = db.session.connection()
    monkeypatch.setattr(connection.dialect, "name", "mysql")
    assert data_version(connection) is None


def test_the_cache_gives_back_only_what_was_put_at_that_very_version():
    cache = UnchangedCache()
    first, later = DataVersion("db", 1), DataVersion("db", 2)
    cache.put(first, "national", ["verdicts at 1"])
    assert cache.get(first, "national") == ["verdicts at 1"]
    assert cache.get(first, "region") is None
    assert cache.get(later, "national") is None
    assert cache.get(DataVersion("another db", 1), "national") is None
    cache.put(later, "region", ["verdicts at 2"])  # what was kept at 1 goes
    assert cache.get(first, "national") is None and cache.get(later, "region") == ["verdicts at 2"]
    cache.put(None, "national", ["no version"])
    assert cache.get(None, "national") is None
    cache.clear()
    assert cache.get(later, "region") is None


def test_the_cache_keeps_a_bounded_number_of_scopes_and_keys():
    cache = UnchangedCache(scopes=2, keys=3)
    for scope in range(4):
        for key in range(5):
            cache.put(DataVersion(scope, 0), key, (scope, key))
    assert [cache.get(DataVersion(scope, 0), 4) for scope in range(4)] == [None, None, (2, 4), (3, 4)]
    assert [cache.get(DataVersion(3, 0), key) for key in range(5)] == [None, None, (3, 2), (3, 3), (3, 4)]
