"""`flask --app wsgi import-finess PATH [--departement CODE]...`: the FINESS import from the command line."""

import sys

import click
from flask.cli import with_appcontext

from registry.core.errors import DomainError
from registry.extensions import db
from registry.finess.importer import import_finess


class TerminalProgress:
    """A progress bar over the bytes read, drawn only when standard output is a terminal."""

    def __init__(self):
        self._bar = None
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="Import FINESS", file=sys.stdout)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def on_terminal() -> bool:
    return sys.stdout.isatty()


HELP = """Importe un extrait FINESS : CSV etalab (lignes structureet et geolocalisation) ou FHIR ndjson, en
UTF-8 ou latin-1, brut ou compressé (.gz). Crée ou met à jour chaque établissement par son FINESS ET, dans une
seule transaction.

Affiche « created N, updated N, unchanged N, rejected N » puis une ligne par ligne rejetée (numéro de ligne et
raison) ; les avertissements et les établissements ignorés vont sur la sortie d'erreur."""


@click.command("import-finess", help=HELP)
@click.argument("path")
@click.option("--departement", "departements", multiple=True, metavar="CODE",
              help="N'importer que ce département (code FINESS : 01…95, 2A, 2B, 9A…9J) ; répétable.")
@with_appcontext
def import_finess_command(path, departements):
    """The command: one transaction, committed when the whole file went through."""
    progress = TerminalProgress() if on_terminal() else None
    try:
        report = import_finess(path, departements=departements, progress=progress)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    except BaseException:
        db.session.rollback()
        raise
    finally:
        if progress is not None:
            progress.close()
    for line in report.output_lines():
        click.echo(line)
    for line in report.note_lines():
        click.echo(line, err=True)


COMMANDS = [import_finess_command]
