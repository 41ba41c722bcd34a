"""Bundles on the job queue (REDIS_URL set): the pages answer with a job page, the worker makes the same ZIP as the
inline download, stores it and the job page offers it to its owner only; the download is audited."""

import pytest

from registry.audit.models import AuditLog
from registry.extensions import db
from tests.bundles.helpers import build_bundle, bundle_bytes
from tests.jobs.fixtures import job_id_of, job_json, queue_config, queued, run_jobs  # noqa: F401  (fixtures)


@pytest.fixture
def app_config(queue_config):
    return queue_config


def test_a_bundle_is_made_by_the_worker_and_downloaded_from_its_job_page(app, client, login, world, run_jobs):
    ars = world.users["ars"]
    login(ars)
    response = client.get(f"/conventions/lot.zip?hopital={world.own.finess_et}")
    job_id = job_id_of(response)
    assert queued(app) == [job_id]
    waiting = job_json(client, job_id)
    assert (waiting["state"], waiting["finished"], waiting["link"]) == ("en attente", False, None)
    page = client.get(f"/taches/{job_id}").get_data(as_text=True)
    assert "Lot de conventions signées" in page and "en attente" in page and 'http-equiv="refresh"' in page

    run_jobs()
    done = job_json(client, job_id)
    assert done["state"] == "terminé" and done["finished"] and done["error"] is None
    assert done["progress"] == {"done": 3, "total": 3, "percent": 100, "message": "Lot prêt."}
    assert done["link"]["url"] == f"/taches/{job_id}/fichier"
    page = client.get(f"/taches/{job_id}").get_data(as_text=True)
    assert "Télécharger le lot" in page and 'http-equiv="refresh"' not in page

    download = client.get(done["link"]["url"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert f"conventions-signees-hopital-{world.own.finess_et}-2026-12-02.zip" in download.headers[
        "Content-Disposition"]
    inline = bundle_bytes(build_bundle(ars, hospital=world.own.finess_et))
    assert download.data == inline  # same scope, day and reader: the same bytes, manifest included
    assert download.headers["X-Manifest-SHA256"] == build_bundle(ars, hospital=world.own.finess_et).manifest_sha256
    entries = db.session.scalars(db.select(AuditLog).where(AuditLog.action.in_(
        ("bundle.download", "document.download")))).all()
    assert [(e.action, e.actor_id, e.hospital_id) for e in entries] == [("bundle.download", ars.id, world.own.id)]
    assert "préparé en tâche de fond" in entries[0].summary and "3 fichiers" in entries[0].summary
