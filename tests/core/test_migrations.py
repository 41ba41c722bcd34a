"""The committed Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from registry.core.migrations import MIGRATIONS_DIR
from registry.extensions import db


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_flask_db_loads_flask_migrate_when_called(app, runner):
    """Alembic is not loaded with the application; ``flask db …`` attaches it and runs Flask-Migrate's group."""
    assert "migrate" not in app.extensions
    listing = runner.invoke(args=["--help"])
    assert "db" in listing.output and "migrate" not in app.extensions
    result = runner.invoke(args=["db", "-d", MIGRATIONS_DIR, "check"])  # Alembic compares models and database
    assert result.exit_code == 0, result.output
    assert app.extensions["migrate"].db is db
    assert runner.invoke(args=["db", "no-such-command"]).exit_code != 0
