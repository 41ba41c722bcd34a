"""remind: sends the reminders due by e-mail (docs/reminders.md), for a daily cron."""

import click
from flask.cli import with_appcontext

from registry.conventions.cli import _at  # the same --at as the expiring command
from registry.core.errors import DomainError
from registry.core.french import french_date
from registry.reminders.digest import line
from registry.reminders.mailer import MailError
from registry.reminders.run import remind

HELP = """Envoie par courriel les rappels dus : aux utilisateurs des hôpitaux, avant chaque date limite de préavis et
chaque fin de convention (REMINDER_DELAYS_DAYS, par défaut 180, 90 et 30 jours avant) ; aux utilisateurs de l'ARS,
les conventions obligatoires (L6111-3-2, L6111-3-3) manquantes ou en retard dans leur région.

Un seul courriel par destinataire ; chaque rappel n'est envoyé qu'une fois : une seconde exécution le même jour
n'envoie rien. Réglages MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USERNAME, MAIL_PASSWORD, MAIL_DEFAULT_SENDER et
BASE_URL (début des liens). --dry-run liste les courriels sans rien envoyer ni enregistrer.
"""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


@click.command("remind", help=HELP)
@click.option("--at", "at", metavar="AAAA-MM-JJ", callback=_at, help="Date de référence (par défaut aujourd'hui).")
@click.option("--dry-run", is_flag=True, help="Lister les courriels dus sans les envoyer ni les enregistrer.")
@with_appcontext
def remind_command(at, dry_run):
    try:
        outcome = remind(at, dry_run=dry_run)
    except (DomainError, MailError) as error:
        raise click.ClickException(f"{error} Aucun rappel n'a été envoyé ni enregistré.") from None
    due_reminders = sum(len(digest.reminders) for digest in outcome.due)
    if dry_run:
        for digest in outcome.due:
            click.echo(f"À {digest.email} ({_plural(len(digest.reminders), 'rappel')}) :")
            for item in digest.reminders:
                click.echo(f"  - {line(item)}")
        click.echo(f"Simulation au {french_date(at)} : {_plural(len(outcome.due), 'courriel')} "
                   f"({_plural(due_reminders, 'rappel')}) à envoyer ; rien n'a été envoyé ni enregistré.")
        return
    click.echo(f"{_plural(len(outcome.sent), 'courriel')} envoyé{'s' if len(outcome.sent) > 1 else ''} "
               f"({_plural(outcome.reminders_sent, 'rappel')}) au {french_date(at)}.")
    if outcome.errors:
        missed = len(outcome.due) - len(outcome.sent)
        for error in outcome.errors:
            click.echo(f"Erreur : {error}", err=True)
        raise click.ClickException(f"{_plural(missed, 'courriel')} non envoyé{'s' if missed > 1 else ''} : "
                                   "leurs rappels ne sont pas enregistrés et partiront à la prochaine exécution.")


COMMANDS = [remind_command]
