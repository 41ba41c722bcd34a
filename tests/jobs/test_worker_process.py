"""A real worker process (``flask --app wsgi worker --burst``): the progress a running job reports is read through
the JSON while it runs; a Redis that does not answer gives a French 503, not a traceback."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from redis import Redis

from registry.jobs import queue as jobs
from tests.jobs import sample_jobs
from tests.jobs.fixtures import job_json

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def start_worker(app) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "STORAGE_DIR": app.config["STORAGE_DIR"],
                   "DOCUMENT_STORE": app.config["DOCUMENT_STORE"],
                   "REDIS_URL": app.config["REDIS_URL"], "JOB_QUEUE": app.config["JOB_QUEUE"],
                   "SECRET_KEY": "test-secret-key", "WORKER_REMINDERS_AT": ""}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"], cwd=ROOT,
                            env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_the_progress_of_a_running_job_is_read_through_the_json(app, client, login, make_user):
    owner = make_user("hospital")
    flag = f"test-flag-{uuid.uuid4().hex}"
    job = jobs.enqueue("bundle", sample_jobs.waits_for_the_test, {"flag": flag, "redis_url": app.config["REDIS_URL"]},
                       owner_id=owner.id, label="Un essai.")
    login(owner)
    worker = start_worker(app)
    try:
        running = wait_for(lambda: (lambda r: r if r["state"] == "en cours" and r["progress"]["done"] else None)(
            job_json(client, job.id)))
        assert running["progress"] == {"done": 1, "total": 3, "percent": 33, "message": "Première étape faite."}
        assert not running["finished"] and running["link"] is None
        Redis.from_url(app.config["REDIS_URL"]).set(flag, "1", ex=120)
        output, _ = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output[-2000:]
    done = job_json(client, job.id)
    assert done["state"] == "terminé" and done["progress"]["percent"] == 100


def test_a_redis_that_does_not_answer_is_a_french_503(app, client, login, make_user):
    login(make_user("admin"))
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions.pop("registry_jobs", None)
    response = client.get("/taches/00000000-0000-0000-0000-000000000000.json")
    assert response.status_code == 503
    assert "La file des tâches de fond ne répond pas" in response.get_data(as_text=True)
    with pytest.raises(jobs.QueueUnavailable):
        jobs.enqueue("bundle", sample_jobs.crashes, {}, owner_id=None, label="Un essai.")
