"""What a job function calls while it runs: its progress, and (through ``@task``) its result or the French reason
of its failure, all kept in its record. Outside a job (the same code run inline) these do nothing."""

import functools

from flask import current_app
from rq import get_current_job
from rq.timeouts import JobTimeoutException

from registry.core.errors import DomainError
from registry.extensions import db

INTERNAL_ERROR = ("La tâche a échoué à cause d'une erreur interne ; elle a été consignée pour l'administrateur. "
                  "Réessayez plus tard ou prévenez l'administrateur.")


def report(done: int, total: int, message: str) -> None:
    """Progress of the current job: ``done`` out of ``total`` and a French sentence."""
    job = get_current_job()
    if job is None:
        return
    job.meta["progress"] = {"done": done, "total": total, "message": message}
    job.save_meta()


def timed_out_message(seconds: int | None) -> str:
    if not seconds:
        limit = ""
    elif seconds < 60:
        limit = f" ({seconds} seconde{'s' if seconds > 1 else ''})"
    else:
        minutes = round(seconds / 60)
        limit = f" ({minutes} minute{'s' if minutes > 1 else ''})"
    return (f"La tâche a dépassé sa durée maximale{limit} et a été arrêtée : rien n'a été produit. Réessayez avec "
            "un périmètre plus petit ou prévenez l'administrateur.")


def task(function):
    """A job function: its return value (a dict) becomes the record's result; a DomainError's French message, a
    time-out or any other failure becomes the record's reason (never a traceback: that goes to the worker's log),
    and the job is failed. A job that returns commits what it wrote (with DOCUMENT_STORE = "database", the document
    it stored); the database session is left clean for the next job."""

    @functools.wraps(function)
    def run(**kwargs):
        job = get_current_job()
        try:
            result = function(**kwargs)
            db.session.commit()
        except BaseException as error:
            db.session.rollback()
            if job is not None:
                if isinstance(error, DomainError):
                    job.meta["error"] = error.message
                elif isinstance(error, JobTimeoutException):
                    job.meta["error"] = timed_out_message(job.timeout)
                else:
                    current_app.logger.exception("Job %s (%s) failed", job.id, job.meta.get("kind"))
                    job.meta["error"] = INTERNAL_ERROR
                job.save_meta()
            raise
        finally:
            db.session.remove()
        if job is not None:
            job.meta["result"] = result
            job.save_meta()
        return result

    return run
