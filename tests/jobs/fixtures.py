"""The job queue in the tests: a real Redis (db 15 of 127.0.0.1:6379, or TEST_REDIS_URL) and a queue named for
each test, so that tests run in parallel never see each other's jobs; the queue and its jobs are deleted after
the test. Tests skip, saying why, when Redis does not answer.

Import the fixtures in a test module or conftest: ``from tests.jobs.fixtures import queue_config, ...``.
"""

import os
import uuid

import pytest
from redis import Redis, RedisError
from rq import Queue
from rq.job import Job

from registry.extensions import db
from registry.jobs import queue as jobs
from registry.jobs.worker import make_worker

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def queue_config():
    """REDIS_URL and a queue of this test's own; the queue's jobs are deleted afterwards."""
    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as error:
        pytest.skip(f"Redis does not answer at {REDIS_URL} ({error}): the job queue cannot be tested")
    name = f"test-{uuid.uuid4().hex}"
    yield {"REDIS_URL": REDIS_URL, "JOB_QUEUE": name}
    queue = Queue(name, connection=connection)
    registries = (queue.started_job_registry, queue.finished_job_registry, queue.failed_job_registry,
                  queue.deferred_job_registry, queue.scheduled_job_registry, queue.canceled_job_registry)
    ids = set(queue.job_ids)
    for registry in registries:
        ids.update(registry.get_job_ids())
        connection.delete(registry.key)
    for job in Job.fetch_many(list(ids), connection=connection):
        if job is not None:
            job.delete(remove_from_queue=False)
    for job_id in ids:
        connection.delete(f"rq:results:{job_id}")
    queue.delete(delete_jobs=True)
    connection.close()


@pytest.fixture
def run_jobs(app):
    """run_jobs(): the queue's waiting jobs, run to the end in this process (an RQ SimpleWorker in burst mode),
    after the test's own transaction ends (on SQLite it would hold the lock the jobs need)."""
    def run() -> None:
        db.session.commit()
        make_worker(app, simple=True).work(burst=True, logging_level="WARNING")
    return run


def job_json(client, job_id: str) -> dict:
    response = client.get(f"/taches/{job_id}.json")
    assert response.status_code == 200, response.status_code
    return response.get_json()


def job_id_of(response) -> str:
    """The job id a redirect to a job page names."""
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert "/taches/" in location, location
    return location.rsplit("/", 1)[1]


def queued(app) -> list[str]:
    with app.app_context():
        return jobs.queue().job_ids
