"""cpom: a year's campaign exported (CSV, XLSX, matrix), a CPOM's annex « Volet lien ville-hôpital » and the
campaign report (.docx); an ARS's catalogue and activity-data values loaded from a spreadsheet. The commands run with the rights of whoever runs the server: every CPOM, as an
administrator."""

import re
from pathlib import Path

import click
from flask.cli import with_appcontext

from registry.compliance.cli import OPERATOR, _region  # the same operator and --region as the compliance command
from registry.core import clock
from registry.conventions.bulk_import import ImportRefused
from registry.core.errors import DomainError
from registry.cpom import activity_import, catalogue_import, exports
from registry.cpom.annex import render_annex
from registry.cpom.models import Cpom
from registry.cpom.report import render_report
from registry.extensions import db

HELP = """Suivi des CPOM (volet « lien ville-hôpital ») : export de la campagne d'une année, annexe d'un CPOM,
rapport de campagne."""
OUTPUT = click.Path(dir_okay=False, writable=True, path_type=Path)


def _year(ctx, param, value) -> int | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}", value.strip()):
        raise click.ClickException(f"--year : année attendue sur quatre chiffres (reçu « {value} »).")
    year = int(value)
    if year > clock.today().year:
        raise click.ClickException(f"--year : la campagne {year} n'est pas encore commencée.")
    if year < 2000:
        raise click.ClickException(f"--year : année invalide « {value} ».")
    return year


def _write(path: Path, data: bytes, what: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise click.ClickException(f"Impossible d'écrire {path} : {error.strerror or error}.") from None
    click.echo(f"{what} écrit dans {path}.")


def _cpoms(year: int, region: str | None) -> list[Cpom]:
    cpoms = exports.campaign_cpoms(year, region, user=OPERATOR)
    if not cpoms:
        where = f" dans la région {region}" if region else ""
        click.echo(f"Attention : aucun CPOM en vigueur en {year}{where}.", err=True)
    return cpoms


@click.group("cpom", help=HELP)
def cpom_group():
    pass


@cpom_group.command("export", help="""Campagne d'une année : une ligne par hôpital et par engagement (statut,
valeur, cible, évaluation…), en CSV (« ; », UTF-8 avec BOM) ou XLSX ; avec --matrix, la matrice des hôpitaux par
engagement (évaluation de chaque cellule).""")
@click.option("--year", required=True, metavar="AAAA", callback=_year, help="Année de la campagne.")
@click.option("--region", metavar="CODE", callback=_region, help="Code INSEE de la région (27, 84...).")
@click.option("--format", "export_format", type=click.Choice(["csv", "xlsx"]), default=None,
              help="Format (par défaut, d'après l'extension du fichier ; CSV sinon).")
@click.option("--matrix", is_flag=True, help="La matrice hôpitaux × engagements seule.")
@click.option("--values", "with_values", is_flag=True, help="Dans la matrice, la valeur après l'évaluation.")
@click.option("--output", required=True, type=OUTPUT, help="Fichier à écrire.")
@with_appcontext
def export_command(year, region, export_format, matrix, with_values, output):
    export_format = export_format or ("xlsx" if output.suffix.lower() == ".xlsx" else "csv")
    cpoms = _cpoms(year, region)
    if export_format == "xlsx":
        data = exports.xlsx_bytes(cpoms, year, region=region, matrix_only=matrix, with_values=with_values)
    else:
        data = exports.csv_bytes(cpoms, year, matrix_only=matrix, with_values=with_values)
    _write(output, data, f"{'Matrice' if matrix else 'Campagne'} {year} ({export_format.upper()})")


@cpom_group.command("annex", help="L'annexe « Volet lien ville-hôpital » d'un CPOM (.docx).")
@click.argument("cpom_id", metavar="CPOM_ID")
@click.option("--output", required=True, type=OUTPUT, help="Fichier .docx à écrire.")
@with_appcontext
def annex_command(cpom_id, output):
    if not re.fullmatch(r"\d{1,9}", cpom_id.strip()):
        raise click.ClickException(f"CPOM_ID : numéro de CPOM attendu (reçu « {cpom_id} »).")
    cpom = db.session.get(Cpom, int(cpom_id))
    if cpom is None:
        raise click.ClickException(f"CPOM introuvable : n° {int(cpom_id)}.")
    _write(output, render_annex(cpom), f"Annexe du CPOM n° {cpom.id}")


@cpom_group.command("report", help="Le rapport de campagne d'une année (.docx) : statuts, évaluations, taux "
                                   "d'atteinte par indicateur, retards, engagements de chaque hôpital.")
@click.option("--year", required=True, metavar="AAAA", callback=_year, help="Année de la campagne.")
@click.option("--region", metavar="CODE", callback=_region, help="Code INSEE de la région (toutes par défaut).")
@click.option("--output", required=True, type=OUTPUT, help="Fichier .docx à écrire.")
@with_appcontext
def report_command(year, region, output):
    cpoms = _cpoms(year, region)
    _write(output, render_report(cpoms, year, region), f"Rapport de campagne {year}")


def _load_sheet(path: Path, check, count, load, dry_run: bool, what: str):
    """A spreadsheet load, all or nothing: ``check(bytes)`` gives the plan (its problems listed on standard error),
    ``count(plan)`` the valid rows, ``load(plan)`` stores it; nothing is written with --dry-run or any problem."""
    try:
        plan = check(path.read_bytes())
    except OSError as error:
        raise click.ClickException(f"Impossible de lire {path} : {error.strerror or error}.") from None
    except ImportRefused as refusal:
        raise click.ClickException(refusal.message) from None
    for line, message in plan.problems:
        click.echo(f"ligne {line} : {message}", err=True)
    if plan.problems:
        raise click.ClickException(f"{len(plan.problems)} problème(s) : rien n'a été enregistré (tout ou rien).")
    if dry_run:
        click.echo(f"{count(plan)} {what} valides ; rien n'a été enregistré (--dry-run).")
        return None
    try:
        result = load(plan)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    return result


@cpom_group.command("load-catalogue", help="""Charge le catalogue d'engagements d'une ARS (CSV ou XLSX : code,
theme, objectif, indicateur, type, unite, cible ; structures_concernees, interet, source, calcul, frequence, actions
facultatives) comme nouvelle version du catalogue de la région. Chaque ligne est vérifiée ; tout ou rien.""")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--region", required=True, metavar="CODE", callback=_region, help="Code INSEE de la région.")
@click.option("--name", required=True, help="Nom et version du catalogue.")
@click.option("--source", required=True, help="La fiche et son auteur.")
@click.option("--dry-run", is_flag=True, help="Vérifier seulement : rien n'est enregistré.")
@with_appcontext
def load_catalogue_command(path, region, name, source, dry_run):
    catalogue = _load_sheet(path, catalogue_import.check_sheet, lambda plan: len(plan.indicators),
                            lambda plan: catalogue_import.load_catalogue(region, name, source, plan), dry_run,
                            "engagement(s)")
    if catalogue is not None:
        click.echo(f"Catalogue n° {catalogue.id} « {catalogue.name} » chargé pour la région {region} : "
                   f"{len(catalogue.entries)} engagement(s).")


@cpom_group.command("import-activity", help="""Importe des valeurs de données d'activité (CSV ou XLSX : finess,
annee, indicateur, puis valeur ou numerateur et denominateur ; commentaire facultatif) dans les CPOM qui couvrent
ces hôpitaux. Chaque ligne est vérifiée comme une déclaration ; tout ou rien ; une valeur validée n'est jamais
remplacée.""")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Vérifier seulement : rien n'est enregistré.")
@with_appcontext
def import_activity_command(path, dry_run):
    imported = _load_sheet(path, lambda data: activity_import.check_activity(data, user=OPERATOR),
                           lambda plan: len(plan.rows), activity_import.import_activity, dry_run, "valeur(s)")
    if imported is not None:
        click.echo(f"{imported} valeur(s) importée(s).")


COMMANDS = [cpom_group]
