"""Flask-Migrate, attached when migrations are needed rather than when the application starts.

Importing Flask-Migrate imports Alembic and Mako (about 10 MB per process) while a web worker, a bundle
download or an import never migrates. ``flask db …`` and ``flask init-db`` attach it when they run, and the
tests and benchmarks call ``upgrade()`` from here, which does the same.
"""

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

from registry import config as config_layers

MIGRATIONS_DIR = str(config_layers.PROJECT_ROOT / "migrations")


def attach_migrate(app: Flask) -> None:
    """Flask-Migrate on ``app`` (once): ``app.extensions['migrate']`` and the real ``db`` command group."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    from registry.extensions import db

    Migrate(app, db, render_as_batch=True, directory=MIGRATIONS_DIR)


def upgrade(revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` on the current application's database."""
    attach_migrate(current_app._get_current_object())
    from flask_migrate import upgrade as alembic_upgrade

    alembic_upgrade(revision=revision)


class MigrationCommands(click.Group):
    """``flask db …``: stands in the command list for Flask-Migrate's own group, which is loaded (with Alembic)
    and takes over the command line when ``db`` is called."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        attach_migrate(parent.ensure_object(ScriptInfo).load_app())
        from flask_migrate.cli import db

        return db.make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context):
        return ctx.command.invoke(ctx)


db_command = MigrationCommands("db", help="Migrations de la base de données (Flask-Migrate, Alembic).")
