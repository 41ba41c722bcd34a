"""End to end with a real worker: ``flask --app wsgi worker --burst`` in its own process, on the test's database,
store and queue, makes the bundle a page asked for; the job page then offers the same ZIP as the inline download."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from registry.extensions import db

from tests.bundles.helpers import build_bundle, bundle_bytes
from tests.jobs.fixtures import job_id_of, job_json, queue_config  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_config(queue_config):
    return queue_config


def test_a_worker_process_makes_the_bundle(app, client, login, world):
    ars = world.users["ars"]
    login(ars)
    job_id = job_id_of(client.get("/conventions/lot.zip?region=27"))
    assert job_json(client, job_id)["state"] == "en attente"
    environment = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "STORAGE_DIR": app.config["STORAGE_DIR"],
                   "DOCUMENT_STORE": app.config["DOCUMENT_STORE"],
                   "REDIS_URL": app.config["REDIS_URL"], "JOB_QUEUE": app.config["JOB_QUEUE"],
                   "SECRET_KEY": "test-secret-key", "WORKER_REMINDERS_AT": ""}
    db.session.commit()  # no read transaction of the test's left open while the worker writes (SQLite)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--burst"], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    record = job_json(client, job_id)
    assert record["state"] == "terminé", (record, done.stderr[-2000:])
    assert record["progress"]["done"] == record["progress"]["total"] == 5
    download = client.get(record["link"]["url"])
    assert download.status_code == 200
    assert download.data == bundle_bytes(build_bundle(ars, region="27"))
