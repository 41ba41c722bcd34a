"""« Mot de passe oublié » : a signed-out user asks for the one-time link an administrator would otherwise make
(administration.issue_password_link, PASSWORD_LINK_HOURS long), sent by e-mail to the account's address.

The page answers the same whether an active account has this address or not, so that it tells nobody who has an
account; each request is audited. Offered only when the mails can be sent and their links written (the reminders'
settings: MAIL_DEFAULT_SENDER, BASE_URL, the SMTP server); otherwise the page says to ask an administrator.
"""

import logging
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app, url_for

from registry.accounts.administration import issue_password_link
from registry.accounts.services import find_user
from registry.audit.services import ANONYMOUS, record_audit
from registry.core import clock
from registry.core.errors import DomainError
from registry.extensions import db
from registry.reminders.digest import APPLICATION, links_context
from registry.reminders.mailer import Mailer, MailError, sender

log = logging.getLogger(__name__)


def available() -> bool:
    """Whether a link can be mailed here: an address to send from and the application's address for the link."""
    try:
        sender()
        with links_context():
            pass
    except DomainError:
        return False
    return True


def compose(email: str, secret: str, origin: str) -> EmailMessage:
    hours = current_app.config["PASSWORD_LINK_HOURS"]
    with links_context():
        link = url_for("accounts.password_link", secret=secret, _external=True)
        login = url_for("accounts.login", _external=True)
    message = EmailMessage()
    message["Subject"] = f"{APPLICATION} : choisir un nouveau mot de passe"
    message["From"] = origin
    message["To"] = email
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=parseaddr(origin)[1].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join([
        "Bonjour,", "",
        f"Un nouveau mot de passe a été demandé pour votre compte {email} du registre. Pour le choisir, ouvrez ce "
        f"lien ; il sert une seule fois, pendant {hours} heures :", "", link, "",
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce courriel : votre mot de passe actuel reste "
        f"valable. Connexion : {login}", ""]))
    return message


def request_link(email: str, *, client: str | None = None) -> None:
    """Mail a one-time link to the active account with this address, if there is one; audit the request (``client``:
    the address it came from) and commit. A mail the server refuses is logged for the operator, never shown: the
    page must not tell whether the account exists."""
    user = find_user(email or "")
    origin = f" depuis {client}" if client else ""
    if user is None or not user.active:
        record_audit("user.password_link_refused", user, "Lien de mot de passe demandé pour une adresse sans compte "
                     f"actif « {(email or '').strip()[:80]} »{origin}", actor=ANONYMOUS)
        db.session.commit()
        return
    secret = issue_password_link(user)
    record_audit("user.password_link_mailed", user, f"Lien de mot de passe envoyé par courriel à {user.email} à sa "
                 f"demande{origin}", actor=ANONYMOUS)
    db.session.commit()
    try:
        with Mailer() as mailer:
            mailer.send(compose(user.email, secret, sender()))
    except MailError as error:
        log.error("Mot de passe oublié : courriel non envoyé à %s : %s", user.email, error)
