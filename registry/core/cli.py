"""Database commands."""

import click
from flask.cli import with_appcontext

from registry.core.migrations import db_command, upgrade


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Apply the database migrations and register new versions of the shipped templates (idempotent)."""
    from registry.documents.versions import sync_shipped_templates
    from registry.extensions import db

    upgrade()
    added = sync_shipped_templates()
    db.session.commit()
    click.echo("Base de données à jour." + (f" {len(added)} modèle(s) de convention enregistré(s)." if added else ""))


COMMANDS = [init_db_command, db_command]
