"""The stock import confirmed on the job queue: the worker imports all or nothing; a refusal says why on the job
page and leaves the uploads waiting for a corrected confirmation."""

from tests.jobs.fixtures import job_id_of, job_json, queued
from tests.web.convention_helpers import conventions, drafting  # noqa: F401  (fixture)
from tests.web.test_register_conventions import held_folders, import_url, stock, token_of, upload


def test_the_worker_imports_a_clean_stock(app, client, drafting, login, run_jobs):
    login(drafting.staff)
    upload(client, drafting, *stock(drafting))
    job_id = job_id_of(client.post(import_url(drafting, "/confirmer"), data={"token": token_of(client, drafting)}))
    assert conventions() == [] and queued(app) == [job_id]
    run_jobs()
    record = job_json(client, job_id)
    assert record["state"] == "terminé", record
    assert record["progress"]["done"] == record["progress"]["total"] == 2
    assert record["progress"]["message"] == "2 conventions enregistrées comme signées, avec leur copie signée."
    assert record["link"]["url"] == f"/hopitaux/{drafting.hospital.finess_et}#conventions"
    assert [(c.title, c.status) for c in conventions()] == [("Convention de partenariat", "signee"),
                                                            ("Convention EHPAD", "signee")]
    assert all(c.events[0].actor_id == drafting.staff.id for c in conventions())
    assert held_folders(app) == []


def test_a_refused_stock_says_why_and_waits_again(app, client, drafting, login, run_jobs):
    login(drafting.staff)
    upload(client, drafting, *stock(drafting, bad=True))
    job_id = job_id_of(client.post(import_url(drafting, "/confirmer"), data={"token": token_of(client, drafting)}))
    run_jobs()
    record = job_json(client, job_id)
    assert record["state"] == "échoué"
    assert record["error"] == "Import refusé : 1 ligne(s) à corriger. Rien n'a été enregistré."
    assert record["back"] == {"url": import_url(drafting, "/apercu"), "label": "Revenir à l'aperçu de l'import"}
    assert conventions() == []
    assert len(held_folders(app)) == 1 and not held_folders(app)[0].endswith(".confirmation")
    login(drafting.other_staff)
    assert client.get(f"/taches/{job_id}.json").status_code == 404
