"""demo-data."""

import click
from flask.cli import with_appcontext

from registry.accounts.services import find_user
from registry.demo.loader import ACCOUNTS, database_is_empty, load_demo_data
from registry.extensions import db


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Load only into an empty database (no account, no establishment).")
@with_appcontext
def demo_data_command(if_empty):
    """Load a small demo region (Bourgogne) with hospitals, partners and users (idempotent)."""
    if if_empty and not database_is_empty():
        click.echo("La base contient déjà des données : démonstration non chargée.")
    else:
        report = load_demo_data()
        db.session.commit()
        if report.loaded:
            click.echo(f"Données de démonstration chargées ({report.establishments} établissements FINESS).")
        else:
            click.echo("Données de démonstration déjà présentes : rien à faire.")
    if find_user(ACCOUNTS[0][0]) is not None:
        click.echo("Comptes de démonstration :")
        for email, password, role, _ in ACCOUNTS:
            click.echo(f"  {role:<9} {email:<17} mot de passe : {password}")


COMMANDS = [demo_data_command]
