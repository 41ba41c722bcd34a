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


@click.command("import-finess")
@click.argument("path")
@click.option("--departement", "departements", multiple=True, metavar="CODE",
              help="Only import this département (FINESS code: 01…95, 2A, 2B, 9A…9J); repeatable.")
@with_appcontext
def import_finess_command(path, departements):
    """Import a FINESS extract (etalab CSV or FHIR ndjson, UTF-8 or latin-1, plain or .gz), upserting by
    FINESS ET; prints the counts, then one line per rejected row (warnings and skipped rows go to stderr)."""
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
