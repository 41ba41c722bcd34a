"""The job queue: on when REDIS_URL is set. A job's record (who asked, kind, progress, result, reason of a failure)
is kept in its RQ meta, for as long as RQ keeps the job (RESULT_TTL after its end).

A job function takes ids and plain values, never ORM objects, and is safe to run again (RQ may retry it, a user
may ask twice): it reads the database afresh and stores its result in the content-addressed document store.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from redis import Redis, RedisError
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from registry.core.errors import DomainError

#: A finished or failed job, its record and its result are kept this long (its result file as long: the store's
#: ``purge`` removes a file no row names after 24 hours).
RESULT_TTL = 24 * 3600
#: Job ids are RQ's UUIDs; anything else in the URL is not a job.
JOB_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

WAITING, RUNNING, DONE, FAILED = "en attente", "en cours", "terminé", "échoué"
STATES = {JobStatus.QUEUED: WAITING, JobStatus.DEFERRED: WAITING, JobStatus.SCHEDULED: WAITING,
          JobStatus.STARTED: RUNNING, JobStatus.FINISHED: DONE, JobStatus.FAILED: FAILED,
          JobStatus.STOPPED: FAILED, JobStatus.CANCELED: FAILED}


class QueueUnavailable(DomainError):
    """Redis does not answer: nothing was started."""

    status = 503
    code = "queue_unavailable"


UNAVAILABLE = ("La file des tâches de fond ne répond pas pour le moment : rien n'a été lancé. Réessayez dans un "
               "instant ou prévenez l'administrateur.")


@dataclass(frozen=True)
class Kind:
    """A kind of job: its French title and how long it may run before RQ stops it (a failure)."""

    title: str
    timeout_seconds: int


KINDS = {
    "bundle": Kind("Lot de conventions signées", 30 * 60),
    "draft_pdf": Kind("Aperçu PDF d'un projet de convention", 5 * 60),
    "stock_import": Kind("Import d'un lot de conventions signées", 30 * 60),
    "reminders": Kind("Rappels quotidiens par courriel", 30 * 60),
}


def enabled() -> bool:
    """Whether slow work goes to the queue (REDIS_URL set) rather than running in the request."""
    return bool(current_app.config.get("REDIS_URL"))


def connection() -> Redis:
    """One client per application (it holds a pool of connections)."""
    jobs = current_app.extensions.setdefault("registry_jobs", {})
    if "redis" not in jobs:
        jobs["redis"] = Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=5, socket_timeout=30)
    return jobs["redis"]


def queue() -> Queue:
    return Queue(current_app.config["JOB_QUEUE"], connection=connection())


def stable_id(*parts) -> str:
    """The id of the one job ``parts`` name (asked twice, the same job), within this application's queue: two
    applications sharing a Redis under different JOB_QUEUE names never take each other's jobs."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([current_app.config["JOB_QUEUE"], *map(str, parts)])))


def enqueue(kind: str, function, arguments: dict, *, owner_id: int | None, label: str,
            job_id: str | None = None, when: datetime | None = None, return_url: str | None = None,
            return_label: str | None = None, **options) -> Job:
    """Put ``function(**arguments)`` on the queue, with its record: asked by ``owner_id`` (None: the system), of
    ``kind``, described by ``label`` (French, shown on the job page); not before ``when`` if given (the worker's
    scheduler moves it to the queue then); ``return_url`` the page the job page links back to (``return_label``);
    ``options`` go to RQ (e.g. ``job_timeout``). A job function builds no URL (the worker has no request): its
    caller passes them in its arguments."""
    meta = {"owner_id": owner_id, "kind": kind, "label": label, "progress": None, "result": None, "error": None,
            "return": {"url": return_url, "label": return_label or "Retour"} if return_url else None}
    try:
        settings = {"kwargs": arguments, "job_id": job_id, "meta": meta, "job_timeout": KINDS[kind].timeout_seconds,
                    "result_ttl": RESULT_TTL, "failure_ttl": RESULT_TTL, **options}
        if when is not None:
            return queue().enqueue_at(when, function, **settings)
        return queue().enqueue(function, **settings)
    except RedisError:
        current_app.logger.exception("The job queue at REDIS_URL does not answer")
        raise QueueUnavailable(UNAVAILABLE) from None


def fetch(job_id: str) -> Job | None:
    """The job of this queue with this id and a record of ours, or None."""
    if not JOB_ID.fullmatch(job_id or ""):
        return None
    try:
        job = Job.fetch(job_id, connection=connection())
    except NoSuchJobError:
        return None
    except RedisError:
        current_app.logger.exception("The job queue at REDIS_URL does not answer")
        raise QueueUnavailable(UNAVAILABLE) from None
    if job.origin != current_app.config["JOB_QUEUE"] or "kind" not in job.meta:
        return None
    return job


def state(job: Job) -> str:
    return STATES.get(job.get_status(refresh=False), WAITING)
