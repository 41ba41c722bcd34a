"""create-user, create-token and unlock-user."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from registry.accounts.services import ROLES, create_token, create_user, find_user, unlock
from registry.core.errors import DomainError
from registry.extensions import db


def _fail(message: str):
    db.session.rollback()
    raise click.ClickException(message)


def _existing_user(email: str):
    user = find_user(email)
    if user is None:
        _fail(f"aucun compte pour {email}")
    return user


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="admin, hospital or ars")
@click.option("--finess", "finess", multiple=True, help="FINESS ET of a hospital the user works for (repeatable)")
@click.option("--region", help="INSEE region code, for an ARS user")
@click.option("--name", "display_name", help="Name shown in the interface")
@with_appcontext
def create_user_command(email, role, finess, region, display_name):
    """Create a user; the password is read from standard input."""
    if sys.stdin.isatty():
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(email, password, role, finess=list(finess), region=region, display_name=display_name)
    except DomainError as error:
        _fail(error.message)
    db.session.commit()
    click.echo(f"Compte créé : {user.email} ({user.role})")


@click.command("create-token")
@click.argument("email")
@click.option("--days", type=click.IntRange(1, 730), help="Days the token is valid (default API_TOKEN_DAYS, 365)")
@with_appcontext
def create_token_command(email, days):
    """Print a new API token for the user, alone on the last line."""
    user = _existing_user(email)
    token = create_token(user, days)
    db.session.commit()
    days = days or current_app.config["API_TOKEN_DAYS"]
    click.echo(f"Jeton d'API créé pour {user.email}, valable {days} jours (il ne sera plus affiché) :")
    click.echo(token)


@click.command("unlock-user")
@click.argument("email")
@with_appcontext
def unlock_user_command(email):
    """Unlock an account locked after repeated wrong passwords (audited)."""
    user = _existing_user(email)
    unlock(user)
    db.session.commit()
    click.echo(f"Compte déverrouillé : {user.email}")


COMMANDS = [create_user_command, create_token_command, unlock_user_command]
