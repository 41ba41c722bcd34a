"""The daily reminders run by the worker, for a deployment that would rather not keep a cron (docs/reminders.md):
with WORKER_REMINDERS_AT = "HH:MM" (Paris time), ``flask --app wsgi worker`` schedules the next run at that time,
and each run schedules the next day's before sending. A day's run has an id of its own, so several workers
starting, or a run retried, never schedule a day twice; ``remind`` records each reminder it sends, so a second
run the same day sends nothing."""

from datetime import datetime, time, timedelta

from flask import current_app

from registry.core import clock
from registry.core.errors import DomainError
from registry.core.french import PARIS, french_date
from registry.jobs import queue as jobs
from registry.jobs.progress import report, task
from registry.reminders.mailer import MailError
from registry.reminders.run import remind


def daily_time() -> time | None:
    """WORKER_REMINDERS_AT as a time of day; None when the worker does not send the reminders."""
    value = (current_app.config.get("WORKER_REMINDERS_AT") or "").strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise DomainError(f"WORKER_REMINDERS_AT invalide « {value} » : une heure HH:MM est attendue "
                          "(par exemple 07:00).") from None


def next_run(after: datetime, at: time) -> datetime:
    """The first instant at ``at`` (Paris) strictly after ``after``."""
    local = after.astimezone(PARIS)
    candidate = datetime.combine(local.date(), at, tzinfo=PARIS)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=PARIS)
    return candidate


def _job_id(day) -> str:
    return jobs.stable_id("reminders", day.isoformat())


def schedule_daily_reminders(*, after: datetime | None = None) -> str | None:
    """Schedule the next daily run after ``after`` (default now; when WORKER_REMINDERS_AT is set); its day and
    time in French, or None."""
    at = daily_time()
    if at is None:
        return None
    when = next_run(after or clock.now(), at)
    if jobs.fetch(_job_id(when.date())) is None:
        jobs.enqueue("reminders", send_daily_reminders, {}, owner_id=None, job_id=_job_id(when.date()), when=when,
                     label=f"Rappels par courriel du {french_date(when)}.")
    return f"{french_date(when)} à {when.strftime('%H:%M')}"


@task
def send_daily_reminders() -> dict:
    """Schedule tomorrow's run (a minute ahead: a run the scheduler starts a little early is still today's), then
    send today's reminders (as ``flask --app wsgi remind``)."""
    schedule_daily_reminders(after=clock.now() + timedelta(minutes=1))
    today = clock.today()
    report(0, 1, "Envoi des rappels…")
    try:
        outcome = remind(today)
    except MailError as error:
        raise DomainError(f"{error} Aucun rappel n'a été envoyé ni enregistré.") from None
    report(1, 1, f"{len(outcome.sent)} courriel(s) envoyé(s), {outcome.reminders_sent} rappel(s).")
    if outcome.errors:
        raise DomainError(f"{len(outcome.due) - len(outcome.sent)} courriel(s) non envoyé(s) : "
                          + " ; ".join(outcome.errors))
    return {"sent": len(outcome.sent), "reminders": outcome.reminders_sent, "day": today.isoformat()}
