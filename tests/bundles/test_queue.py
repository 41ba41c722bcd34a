"""Bundles on the job queue (REDIS_URL set): the pages answer with a job page, the worker makes the same ZIP as the
inline download, stores it and the job page offers it to its owner only; the download is audited."""

import pytest

from registry.audit.models import AuditLog
from registry.extensions import db
from tests.bundles.helpers import build_bundle, bundle_bytes
from tests.stores import remove_document
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


def test_another_user_gets_404_on_the_job_and_its_file(app, client, login, world, run_jobs):
    login(world.users["ars"])
    job_id = job_id_of(client.get("/conventions/lot.zip?region=27"))
    run_jobs()
    assert job_json(client, job_id)["progress"]["total"] == 5
    login(world.users["hospital"])
    for url in (f"/taches/{job_id}", f"/taches/{job_id}.json", f"/taches/{job_id}/fichier"):
        assert client.get(url).status_code == 404, url


def test_a_scope_out_of_reach_is_refused_before_anything_is_queued(app, client, login, world):
    login(world.users["hospital"])
    response = client.get(f"/conventions/lot.zip?hopital={world.rhone.finess_et}")
    assert response.status_code == 404 and queued(app) == []
    response = client.post("/conventions/lot.zip", data={"ids": [str(world.main.id), "999999"]})
    assert response.status_code == 404 and queued(app) == []


def test_asked_twice_while_it_waits_the_same_job_is_shown(app, client, login, world, run_jobs):
    login(world.users["ars"])
    first = job_id_of(client.get("/conventions/lot.zip?departement=21"))
    assert job_id_of(client.get("/conventions/lot.zip?departement=21")) == first
    assert job_id_of(client.get("/conventions/lot.zip?departement=58")) != first
    assert len(queued(app)) == 2
    run_jobs()
    assert job_json(client, first)["state"] == "terminé"
    assert job_id_of(client.get("/conventions/lot.zip?departement=21")) == first  # asked again once done: made again
    assert job_json(client, first)["state"] == "en attente"
    run_jobs()
    again = job_json(client, first)
    assert again["state"] == "terminé" and again["progress"]["total"] == 4
    assert client.get(again["link"]["url"]).status_code == 200


def test_the_selection_goes_to_the_queue_too(app, client, login, world, run_jobs):
    login(world.users["hospital"])
    job_id = job_id_of(client.post("/conventions/lot.zip", data={"ids": [str(world.main.id)]}))
    run_jobs()
    record = job_json(client, job_id)
    assert record["state"] == "terminé" and record["progress"]["total"] == 2  # the convention and its avenant
    assert record["link"]["filename"] == "conventions-signees-selection-2026-12-02.zip"


def test_a_missing_signed_copy_fails_the_job_with_its_reason(app, client, login, world, run_jobs):
    remove_document(world.files["nievre"].sha256)
    login(world.users["ars"])
    job_id = job_id_of(client.get("/conventions/lot.zip?departement=58"))
    run_jobs()
    record = job_json(client, job_id)
    assert record["state"] == "échoué" and record["error"].startswith("Copie signée introuvable dans le stockage")


def test_the_api_still_streams_the_bundle(app, client, world, token_headers):
    response = client.get(f"/api/v1/bundles?hospital={world.own.finess_et}", headers=token_headers(
        world.users["ars"]))
    assert response.status_code == 200 and response.mimetype == "application/zip" and queued(app) == []


def test_the_selection_needs_its_csrf_token(app, client, login, world):
    login(world.users["hospital"])
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/conventions/lot.zip", data={"ids": [str(world.main.id)]})
    assert response.status_code == 400 and queued(app) == []
