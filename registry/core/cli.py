"""Database commands."""

import click
from flask.cli import with_appcontext
from flask_migrate import upgrade


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Apply the database migrations (idempotent)."""
    upgrade()
    click.echo("Base de données à jour.")


COMMANDS = [init_db_command]
