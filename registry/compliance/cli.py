"""compliance: the verdicts of the hôpitaux de proximité (docs/interface.md), texts in force by default, as a table, CSV
or the JSON document of GET /api/v1/compliance."""

import json
from types import SimpleNamespace

import click
from flask.cli import with_appcontext

from registry.accounts.models import ROLE_ADMIN
from registry.compliance import exports, matrix, report
from registry.compliance.adapter import evaluate_hospitals, filter_hospitals
from registry.compliance.overview import LABELS, Filters, short_title
from registry.compliance.rules import CURRENT, RULESETS, RuleSet
from registry.conventions.cli import _at  # the same --at as the expiring command
from registry.core import clock
from registry.core.geography import REGIONS, departement_label, is_departement, region_label
from registry.core.scope import visible_hospitals

#: The command line runs with the rights of whoever runs the server: every hospital, as an administrator.
OPERATOR = SimpleNamespace(is_authenticated=True, role=ROLE_ADMIN, region=None)

HELP = """Verdicts de conformité des hôpitaux de proximité, selon les textes en vigueur (L6111-3-2, L6111-3-3,
R6111-24) ou, avec --rule-set r6111-26-2016, l'article R6111-26 dans sa rédaction de 2016.

Pour chaque hôpital et chaque exigence : satisfait, manquant, a_risque, non_requis ou non_evalue, à la date --at
(aujourd'hui par défaut). table : une ligne par hôpital ; csv : une ligne par hôpital et par exigence, avec le
motif, la citation et les conventions retenues ; json : le document de GET /api/v1/compliance ; xlsx-matrix : la
matrice hôpitaux × exigences (cellules colorées, légende, feuille des critères) ; pdf : le rapport imprimable
(synthèse, puis chaque hôpital : verdicts, motifs, citations, conventions). Ces deux derniers s'écrivent dans le
fichier --output.
"""
#: The formats written to a file (--output), not to the terminal.
FILE_FORMATS = ("xlsx-matrix", "pdf")


def _region(ctx, param, value) -> str | None:
    if value is not None and value not in REGIONS:
        raise click.ClickException(f"--region : code de région INSEE inconnu « {value} » (par exemple 27, 84).")
    return value


def _departement(ctx, param, value) -> str | None:
    if value is None:
        return None
    if not is_departement(value.upper()):
        raise click.ClickException(f"--departement : code de département inconnu « {value} » (par exemple 21, 2A).")
    return value.upper()


def _ruleset(ctx, param, value) -> RuleSet:
    if value is None:
        return CURRENT
    if value not in RULESETS:
        raise click.ClickException(f"--rule-set : jeu de règles inconnu « {value} » (connus : "
                                   + ", ".join(RULESETS) + ").")
    return RULESETS[value]


def _table(results, ruleset: RuleSet) -> str:
    """One line per hospital: FINESS, name, département, then the verdict of each requirement."""
    head = ["FINESS", "Hôpital", "Département", *(short_title(code, ruleset) for code in ruleset.codes)]
    lines = [head] + [[result.finess_et, result.name, departement_label(result.departement),
                       *(LABELS[item.verdict] for item in result.verdicts)] for result in results]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines)


@click.command("compliance", help=HELP)
@click.option("--region", metavar="CODE", callback=_region, help="Code INSEE de la région (27, 84...).")
@click.option("--departement", metavar="CODE", callback=_departement, help="Département de l'hôpital (21, 2A...).")
@click.option("--at", "at", metavar="AAAA-MM-JJ", callback=_at, help="Date d'évaluation (par défaut aujourd'hui).")
@click.option("--rule-set", "ruleset", metavar="CODE", callback=_ruleset,
              help=f"Jeu de règles : {', '.join(RULESETS)} (par défaut {CURRENT.id}, les textes en vigueur).")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json", *FILE_FORMATS]),
              default="table", show_default=True, help="Format de sortie.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), metavar="FICHIER",
              help="Fichier à écrire (obligatoire pour xlsx-matrix et pdf).")
@with_appcontext
def compliance_command(region, departement, at, ruleset, output_format, output):
    if output_format in FILE_FORMATS and not output:
        raise click.ClickException(f"--output : indiquez le fichier où écrire le format {output_format}.")
    hospitals = filter_hospitals(visible_hospitals(OPERATOR), region=region, departement=departement)
    results = evaluate_hospitals(hospitals, at, ruleset)
    if output_format in FILE_FORMATS:
        _write(output, _document(output_format, results, region, departement, at, ruleset))
        click.echo(f"{output} : {len(results)} hôpita{'ux' if len(results) != 1 else 'l'} de proximité.")
    elif output_format == "json":
        click.echo(json.dumps(exports.document(results, at, ruleset), ensure_ascii=False, indent=2))
    elif output_format == "csv":
        click.echo(exports.to_csv(exports.table(results, for_people=False), ",", "\n"), nl=False)
    elif results:
        click.echo(_table(results, ruleset))
    else:
        click.echo("Aucun hôpital de proximité ne correspond à ces critères.")


def _document(output_format: str, results, region, departement, at, ruleset: RuleSet) -> bytes:
    """The matrix or the report of ``results``, named by the département, the region, or neither."""
    at = at or clock.today()
    if output_format == "xlsx-matrix":
        return matrix.to_matrix(results, Filters(departement=departement, at=at, ruleset=ruleset), at, clock.now())
    if not results:
        raise click.ClickException("Aucun hôpital de proximité ne correspond à ces critères : pas de rapport.")
    where = (departement_label(departement) if departement else f"région {region_label(region)}" if region
             else "tous les hôpitaux inscrits")
    try:
        return report.to_pdf(report.group_report(results, ruleset, at, where))
    except report.ReportUnavailable as error:
        raise click.ClickException(error.message) from error


def _write(output: str, data: bytes) -> None:
    try:
        with open(output, "wb") as file:
            file.write(data)
    except OSError as error:
        raise click.ClickException(f"--output : impossible d'écrire « {output} » ({error.strerror}).") from error


COMMANDS = [compliance_command]
