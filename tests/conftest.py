"""Fresh application and database per test; factory fixtures build what each test needs.

SQLite (default): the schema is built once by the Alembic migrations into a template file, copied per test.
PostgreSQL (TEST_DATABASE_URL): a scratch database is created beside it and migrated once per session,
every table emptied after each test, the database dropped at the end. TEST_DOCUMENT_STORE=database keeps the
documents and held uploads in the database (DOCUMENT_STORE); tests of the file layout skip themselves then.
"""

import os
import shutil
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, make_url, text

from registry import create_app
from registry.core import clock
from registry.extensions import db
from tests.clock import TODAY

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
#: "database" runs the suite with the documents and held uploads in the database (DOCUMENT_STORE).
TEST_DOCUMENT_STORE = os.environ.get("TEST_DOCUMENT_STORE", "filesystem")

pytest_plugins = ["tests.factories"]
#: Markers whose tests are ``slow`` as well, so that ``-m "not slow"`` leaves them out without marking each one.
SLOW_MARKERS = ("browser", "multinode")


def pytest_collection_modifyitems(items):
    for item in items:
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS):
            item.add_marker(pytest.mark.slow)


def _test_config(url: str, tmp_path) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key",
        "STORAGE_DIR": str(tmp_path / "storage"),
        "DOCUMENT_STORE": TEST_DOCUMENT_STORE,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "RATELIMIT_ENABLED": False,
    }


def _migrate(url: str, tmp_path) -> None:
    from registry.core.migrations import upgrade

    app = create_app(_test_config(url, tmp_path), instance_path=str(tmp_path / "instance"))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _scratch_postgres_database(base_url: str):
    """Create a database of our own beside TEST_DATABASE_URL, so concurrent runs never share tables."""
    url = make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database}_run_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return admin, url.set(database=name).render_as_string(hide_password=False), name


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("template")
    if TEST_DATABASE_URL:
        admin, url, name = _scratch_postgres_database(TEST_DATABASE_URL)
        try:
            _migrate(url, tmp_path)
            yield url
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        return
    path = tmp_path / "template.sqlite3"
    _migrate(f"sqlite:///{path}", tmp_path)
    yield path


def _empty_tables() -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    db.session.rollback()
    db.session.execute(text("TRUNCATE " + ", ".join(f'"{name}"' for name in tables) + " RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture(autouse=True)
def fixed_clock():
    """Every test runs on ``tests.clock.TODAY``, whatever the system clock says (a test may travel further)."""
    with clock.travel(TODAY):
        yield


@pytest.fixture
def fresh_children(monkeypatch):
    """Resident children (core/bounded.py: renders, storing) forked from now on, so that they inherit what the test
    patched; those forked by an earlier test would not."""
    from registry.core import bounded

    monkeypatch.setattr(bounded, "_POOL", bounded._ResidentPool())


@pytest.fixture
def app_config():
    """Override in a test module (or with indirect parametrisation) to change the configuration."""
    return {}


@pytest.fixture
def app(database_template, tmp_path, app_config):
    if TEST_DATABASE_URL:
        url = database_template
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(database_template, path)
        url = f"sqlite:///{path}"
    config = {**_test_config(url, tmp_path), **app_config}
    app = create_app(config, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        yield app
        if TEST_DATABASE_URL:
            _empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries: ...``: ``len(queries)`` is the number of SQL statements sent to the test
    engine inside the block (``queries`` lists them, to read when a count changes)."""
    @contextmanager
    def counting():
        statements = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)
    return counting
