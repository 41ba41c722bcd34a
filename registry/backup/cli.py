"""backup DIR."""

import click
from flask.cli import with_appcontext

from registry.backup.services import BackupError, make_backup


HELP = """Copie cohérente de la base et de tous les documents stockés dans DOSSIER (neuf ou vide).

SQLite : DOSSIER/registry.sqlite3 (API de sauvegarde en ligne). PostgreSQL : DOSSIER/registry.dump (pg_dump,
format custom ; pg_dump doit être dans le PATH). Documents dans DOSSIER/storage/, chacun vérifié par son
SHA-256 ; DOSSIER/backup.json liste les comptes et les fichiers. Restauration : voir le README.
"""


@click.command("backup", help=HELP)
@click.argument("directory", metavar="DOSSIER", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(directory):
    try:
        manifest = make_backup(directory)
    except BackupError as error:
        raise click.ClickException(error.message) from error
    rows = sum(manifest["counts"].values())
    documents = manifest["documents"]
    click.echo(f"Sauvegarde écrite dans {directory} : base {manifest['database']['kind']} ({rows} lignes), "
               f"{documents['files']} document(s) ({documents['bytes']} octets).")


COMMANDS = [backup_command]
