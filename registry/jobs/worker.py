"""The worker: RQ's, running every job inside the application (an application context per job, its database
session removed after it). ``flask --app wsgi worker`` starts one on the JOB_QUEUE queue of REDIS_URL; with
WORKER_REMINDERS_AT it also sends the daily reminders (registry.reminders.jobs), instead of a cron."""

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from rq import SimpleWorker, Worker

from registry.extensions import db
from registry.jobs import queue as jobs


class _InApplication:
    """Each job runs in an application context of ``app``."""

    app: Flask

    def perform_job(self, job, queue):
        with self.app.app_context():
            try:
                return super().perform_job(job, queue)
            finally:
                db.session.remove()


class AppWorker(_InApplication, Worker):
    """Forks a work horse per job (a job that crashes or overruns its time-out leaves the worker standing)."""


class AppSimpleWorker(_InApplication, SimpleWorker):
    """Runs the jobs in its own process (the tests, and machines without fork)."""


def make_worker(app: Flask, *, simple: bool = False) -> Worker:
    worker_class = AppSimpleWorker if simple else AppWorker
    with app.app_context():
        worker = worker_class([jobs.queue()], connection=jobs.connection())
    worker.app = app
    return worker


@click.command("worker")
@click.option("--burst", is_flag=True, help="Traiter les tâches en attente puis s'arrêter.")
@with_appcontext
def worker_command(burst: bool):
    """Lance le travailleur de la file de tâches (REDIS_URL) : lots de conventions signées, aperçus PDF, rappels
    quotidiens (WORKER_REMINDERS_AT)."""
    if not jobs.enabled():
        raise click.ClickException("REDIS_URL n'est pas réglée : sans file de tâches, le travail se fait dans les "
                                   "requêtes et aucun travailleur n'est nécessaire (docs/deploiement.md).")
    app = current_app._get_current_object()
    from registry.core.errors import DomainError
    from registry.reminders.jobs import schedule_daily_reminders

    try:
        scheduled = schedule_daily_reminders()
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if scheduled:
        click.echo(f"Rappels quotidiens programmés : prochain envoi le {scheduled}.")
    app.load_web_part()  # the tasks build URLs: registered once here rather than in every forked work horse
    db.engine.dispose()  # each work horse opens its own connections; none is shared across a fork
    worker = make_worker(app)
    worker.work(burst=burst, with_scheduler=True)


COMMANDS = [worker_command]
