"""bundle and verify-bundle (docs/interface.md): the signed-convention bundle of a scope, and its verification."""

import os
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from registry.bundles.bundle import make_bundle, record_download
from registry.bundles.scope import BundleScope, CommandLine
from registry.bundles.verify import verify_bundle
from registry.core.errors import DomainError
from registry.core.french import french_size
from registry.extensions import db

BUNDLE_HELP = """Écrit le lot des conventions signées d'un hôpital, d'un département ou d'une région dans FICHIER.zip.

Le lot contient la dernière copie signée de chaque convention et avenant signés ou résiliés du périmètre,
manifest.csv, manifest.json, conformite.csv et LISEZMOI.txt (docs/bundles.md). La commande voit tout le
périmètre (niveau administrateur) ; le fichier est écrit en entier ou pas du tout, et l'export est inscrit au
journal d'audit.
"""

VERIFY_HELP = """Vérifie chaque fichier d'un lot FICHIER.zip contre son manifeste (taille et SHA-256).

Code de sortie 0 quand tout correspond ; sinon, liste les fichiers modifiés, ajoutés et absents, et se termine
avec le code 1.
"""


@click.command("bundle", help=BUNDLE_HELP)
@click.option("--hospital", metavar="FINESS_ET", help="Numéro FINESS ET d'un hôpital de proximité.")
@click.option("--departement", metavar="CODE", help="Code du département (21, 2A, 9A...).")
@click.option("--region", metavar="CODE", help="Code INSEE de la région (27, 84...).")
@click.option("--output", required=True, metavar="FICHIER.zip", type=click.Path(dir_okay=False, path_type=Path),
              help="Fichier ZIP à écrire (remplacé s'il existe).")
@with_appcontext
def bundle_command(hospital, departement, region, output: Path):
    try:
        scope = BundleScope.of(hospital=hospital, departement=departement, region=region)
        bundle = make_bundle(scope, CommandLine(), made_by=CommandLine.label)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    _write_atomically(output, bundle.stream())
    record_download(bundle, channel=" (ligne de commande)")
    db.session.commit()
    count = len(bundle.files)
    click.echo(f"{output} : {count} fichier{'s' if count > 1 else ''} signé{'s' if count > 1 else ''} "
               f"({french_size(bundle.total_size)}), manifeste SHA-256 {bundle.manifest_sha256}")


def _write_atomically(output: Path, chunks) -> None:
    """The whole file or nothing: written beside its destination, then renamed over it."""
    directory = output.resolve().parent
    if not directory.is_dir():
        raise click.ClickException(f"Dossier introuvable : {directory}")
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(temporary, output)
    except BaseException as error:
        os.unlink(temporary)
        if isinstance(error, DomainError):  # a stored copy found altered while it was written (stream.SizeMismatch)
            raise click.ClickException(error.message) from None
        if isinstance(error, OSError):
            raise click.ClickException(f"Écriture impossible de {output} : {error}") from None
        raise


@click.command("verify-bundle", help=VERIFY_HELP)
@click.argument("path", metavar="FICHIER.zip", type=click.Path(dir_okay=False, path_type=Path))
def verify_bundle_command(path: Path):
    try:
        result = verify_bundle(path)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if result.ok:
        click.echo(f"Lot intègre : les {result.intact} fichiers correspondent au manifeste.")
        return
    for name, problem in result.modified:
        click.echo(f"modifié : {name} ({problem})")
    for name in result.added:
        click.echo(f"ajouté : {name}")
    for name in result.removed:
        click.echo(f"absent : {name}")
    raise click.ClickException(f"Lot altéré : {len(result.modified)} modifié(s), {len(result.added)} ajouté(s), "
                               f"{len(result.removed)} absent(s) ; {result.intact} fichier(s) intact(s).")


COMMANDS = [bundle_command, verify_bundle_command]
