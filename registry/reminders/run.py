"""One run of the reminders: what is due, the mails, sending them one by one and recording each once accepted."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError

from registry.extensions import db
from registry.reminders.digest import compose, links_context
from registry.reminders.due import Digest, digests
from registry.reminders.mailer import Mailer, MailError, sender
from registry.reminders.models import SentReminder


@dataclass
class Outcome:
    at: date
    #: Every mail due (the dry run's list).
    due: list[Digest]
    #: The mails the SMTP server accepted, recorded.
    sent: list[Digest] = field(default_factory=list)
    #: One French line per mail not sent (nothing recorded for them).
    errors: list[str] = field(default_factory=list)

    @property
    def reminders_sent(self) -> int:
        return sum(len(digest.reminders) for digest in self.sent)


def record(digest: Digest) -> None:
    """The reminders of a mail the server accepted; a concurrent run that recorded them first wins."""
    for item in digest.reminders:
        db.session.add(SentReminder(user_id=digest.user_id, email=digest.email, kind=item.kind, subject=item.subject,
                                    hospital_id=item.hospital_id, convention_id=item.convention_id,
                                    deadline=item.deadline, delay_days=item.delay_days))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def remind(at: date, *, dry_run: bool = False) -> Outcome:
    """Send (or, ``dry_run``, only list) the digests due on ``at``. Raises DomainError when a setting is missing
    and MailError when the SMTP server cannot be reached, before anything is sent or recorded."""
    outcome = Outcome(at, digests(at))
    if dry_run or not outcome.due:
        return outcome
    from_address = sender()
    with links_context():
        messages = [(digest, compose(digest, at, from_address)) for digest in outcome.due]
    with Mailer() as mailer:
        for digest, message in messages:
            try:
                mailer.send(message)
            except MailError as error:
                outcome.errors.append(str(error))
                if error.fatal:
                    break
                continue
            record(digest)
            outcome.sent.append(digest)
    return outcome
