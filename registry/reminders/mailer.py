"""Sending through SMTP with the standard library: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS (STARTTLS),
MAIL_USERNAME and MAIL_PASSWORD (login when a user name is set), MAIL_DEFAULT_SENDER (the From address)."""

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

from registry.core.errors import DomainError

#: Seconds to wait for the server before giving up.
TIMEOUT = 30


class MailError(Exception):
    """A mail the SMTP server did not take; the message is one French line for the operator. ``fatal``: the
    session is lost (server unreachable or gone), so the next mails cannot go either."""

    def __init__(self, message: str, *, fatal: bool = True):
        super().__init__(message)
        self.fatal = fatal


def sender() -> str:
    value = (current_app.config.get("MAIL_DEFAULT_SENDER") or "").strip()
    if "@" not in value:
        raise DomainError("MAIL_DEFAULT_SENDER n'est pas configuré (adresse d'expédition des courriels, par exemple "
                          "registre-hdp@ars-bfc.fr).")
    return value


def _server() -> str:
    return f"{current_app.config['MAIL_SERVER']}:{current_app.config['MAIL_PORT']}"


class Mailer:
    """One SMTP session for a run: ``with Mailer() as mailer: mailer.send(message)``."""

    def __init__(self):
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        host, port = self.config["MAIL_SERVER"], int(self.config["MAIL_PORT"])
        try:
            self.smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
            if self.config.get("MAIL_USE_TLS"):
                self.smtp.starttls(context=ssl.create_default_context())
            if self.config.get("MAIL_USERNAME"):
                self.smtp.login(self.config["MAIL_USERNAME"], self.config.get("MAIL_PASSWORD") or "")
        except smtplib.SMTPAuthenticationError as error:
            self._close()
            raise MailError(f"Serveur SMTP {_server()} : identifiants refusés ({_reason(error)}).") from error
        except ssl.SSLError as error:  # before OSError, its base: the server answered, its certificate did not pass
            self._close()
            raise MailError(f"Serveur SMTP {_server()} : connexion chiffrée (STARTTLS) refusée ({_reason(error)}).") \
                from error
        except (OSError, smtplib.SMTPException) as error:
            self._close()
            raise MailError(f"Serveur SMTP {_server()} injoignable ({_reason(error)}).") from error
        return self

    def send(self, message: EmailMessage) -> None:
        try:
            refused = self.smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            raise MailError(f"Adresse {message['To']} refusée par le serveur SMTP {_server()}.",
                            fatal=False) from error
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise MailError(f"Envoi à {message['To']} refusé par le serveur SMTP {_server()} ({_reason(error)}).",
                            fatal=False) from error
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"Envoi à {message['To']} impossible par le serveur SMTP {_server()} "
                            f"({_reason(error)}).") from error
        if refused:
            raise MailError(f"Adresse {message['To']} refusée par le serveur SMTP {_server()}.", fatal=False)

    def _close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def __exit__(self, *exc) -> None:
        self._close()


def _reason(error: Exception) -> str:
    """The server's answer or the system's error, on one line."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {' '.join(str(text).split())}"
    return " ".join(str(error).split()) or type(error).__name__
