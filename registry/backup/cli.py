"""backup DIR."""

import click
from flask.cli import with_appcontext

from registry.backup.copy import copy_documents
from registry.backup.purge import find_leftovers, purge
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


@click.command("purge", help="""Supprime ce qu'un arrêt brutal ou une course perdue a laissé : écritures interrompues du
stockage (plus d'une heure), documents stockés qu'aucune ligne de la base ne nomme et dépôts en attente de
confirmation jamais confirmés (plus de 24 heures). --dry-run les liste sans rien supprimer. À lancer chaque nuit,
avant la sauvegarde.""")
@click.option("--dry-run", is_flag=True, help="Lister seulement.")
@with_appcontext
def purge_command(dry_run):
    leftovers = find_leftovers()
    for path in leftovers.all:
        click.echo(str(path))
    if not dry_run:
        purge(leftovers)
    verb = "à supprimer" if dry_run else "supprimé(s)"
    click.echo(f"{len(leftovers.incoming)} écriture(s) interrompue(s), {len(leftovers.orphans)} document(s) orphelin(s), "
               f"{len(leftovers.held)} dépôt(s) en attente {verb}.")


@click.command("copy-documents", help="""Copie dans le stockage des documents configuré (DOCUMENT_STORE) chaque
document d'un DOSSIER de stockage sur disque qu'il n'a pas encore : l'ancien STORAGE_DIR pour passer à
DOCUMENT_STORE=database, ou le dossier storage/ d'une sauvegarde. Chaque fichier est vérifié par son SHA-256 avant
d'être copié ; un fichier altéré ou mal placé est signalé et la commande se termine en erreur.""")
@click.argument("directory", metavar="DOSSIER", type=click.Path(exists=True, file_okay=False))
@with_appcontext
def copy_documents_command(directory):
    result = copy_documents(directory)
    for problem in result.problems:
        click.echo(problem, err=True)
    click.echo(f"{result.copied} document(s) copié(s), {result.already} déjà présent(s), "
               f"{len(result.problems)} problème(s).")
    if result.problems:
        raise SystemExit(1)


COMMANDS = [backup_command, purge_command, copy_documents_command]
