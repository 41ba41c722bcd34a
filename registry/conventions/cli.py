"""expiring: the conventions whose end falls within N days (docs/interface.md)."""

import csv
import io
import json
from datetime import date

import click
from flask.cli import with_appcontext

from registry.conventions.followup import expiring
from registry.core import clock
from registry.core.dates import parse_day
from registry.core.spreadsheets import safe as safe_cell

COLUMNS = ("reference", "hospital_finess", "hospital", "partners", "end_date", "days_left", "state",
           "tacit_renewal", "notice_deadline")
HEADERS = ("Référence", "FINESS", "Hôpital", "Partenaires", "Fin", "Jours", "État", "Tacite", "Préavis avant")


def _record(row) -> dict:
    convention = row.convention
    return {
        "reference": convention.reference,
        "hospital_finess": convention.hospital.finess_et,
        "hospital": convention.hospital.organisation.display_name,
        "partners": [party.organisation.display_name for party in convention.partners],
        "end_date": row.end.isoformat(),
        "days_left": row.days_left,
        "state": row.state,
        "tacit_renewal": convention.tacit_renewal,
        "notice_deadline": row.notice_deadline.isoformat(),
    }


def _cell(value) -> str:
    if isinstance(value, list):
        return " ; ".join(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _csv_cell(value) -> str:
    """A cell of the CSV output: text a spreadsheet would take for a formula starts with a quote, as in the web
    exports."""
    return safe_cell(_cell(value))


def _table(records: list[dict]) -> str:
    lines = [HEADERS, *([_cell(record[key]) for key in COLUMNS] for record in records)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines)


def _csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_csv_cell(record[key]) if key != "tacit_renewal" else str(record[key]).lower()
                      for key in COLUMNS] for record in records)
    return out.getvalue().rstrip("\n")


def _days(ctx, param, value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if days < 0:
        raise click.ClickException(f"--days : indiquez un nombre entier de jours positif ou nul (reçu « {value} »).")
    return days


HELP = """Conventions dont la fin tombe dans les N prochains jours (90 par défaut), les plus proches d'abord.

Une ligne par convention : référence, hôpital, partenaires, date de fin (fin de la période en cours en cas de
tacite reconduction), jours restants et état (en_vigueur, a_renouveler, expiree, pas_encore_en_vigueur).
--all ajoute les conventions à renouveler (fenêtre de préavis) et celles déjà expirées.
"""


def _at(ctx, param, value) -> date:
    if value is None:
        return clock.today()
    try:
        return parse_day(value)
    except ValueError as error:
        raise click.ClickException(f"--at : {error}.") from None


@click.command("expiring", help=HELP)
@click.option("--days", default="90", show_default=True, metavar="N", callback=_days,
              help="Fenêtre en jours : les conventions dont la fin tombe dans les N prochains jours.")
@click.option("--all", "include_all", is_flag=True,
              help="Ajouter les conventions à renouveler (fenêtre de préavis) et celles déjà expirées.")
@click.option("--at", "at", metavar="AAAA-MM-JJ", callback=_at,
              help="Date de référence (par défaut aujourd'hui).")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Format de sortie.")
@with_appcontext
def expiring_command(days, include_all, at, output_format):
    rows = [row for row in expiring(days, at) if include_all or row.ends_within]
    records = [_record(row) for row in rows]
    if output_format == "json":
        click.echo(json.dumps({"at": at.isoformat(), "days": days, "conventions": records}, ensure_ascii=False,
                              indent=2))
    elif output_format == "csv":
        click.echo(_csv(records))
    elif records:
        click.echo(_table(records))
    else:
        click.echo(f"Aucune convention ne prend fin dans les {days} jours.")


COMMANDS = [expiring_command]
