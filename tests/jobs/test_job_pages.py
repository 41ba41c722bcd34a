"""The job page and its JSON: sign-in required, only the owner (or an administrator) sees a job, anyone else gets
404; a failure shows its French reason, never a traceback; a time-out says so."""

from registry.jobs import queue as jobs
from tests.jobs import sample_jobs
from tests.jobs.fixtures import job_json


def _enqueue(function, arguments=None, *, owner, **options):
    return jobs.enqueue("bundle", function, arguments or {}, owner_id=owner.id, label="Un essai.", **options)


def test_the_job_page_and_its_json_need_sign_in(client, make_user):
    job = _enqueue(sample_jobs.crashes, owner=make_user("hospital"))
    for url in (f"/taches/{job.id}", f"/taches/{job.id}.json", f"/taches/{job.id}/fichier"):
        response = client.get(url)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"], url


def test_only_the_owner_or_an_administrator_sees_a_job(client, login, make_user):
    owner, other, admin = make_user("hospital"), make_user("hospital"), make_user("admin")
    job = _enqueue(sample_jobs.crashes, owner=owner)
    login(other)
    for url in (f"/taches/{job.id}", f"/taches/{job.id}.json", f"/taches/{job.id}/fichier"):
        assert client.get(url).status_code == 404, url
    login(admin)
    assert job_json(client, job.id)["state"] == "en attente"
    login(owner)
    page = client.get(f"/taches/{job.id}")
    assert page.status_code == 200 and "Un essai." in page.get_data(as_text=True)


def test_unknown_and_malformed_job_ids_are_not_found(client, login, make_user):
    login(make_user("admin"))
    for job_id in ("00000000-0000-0000-0000-000000000000", "rq:job:x", "..%2F..", "x" * 300):
        assert client.get(f"/taches/{job_id}.json").status_code == 404, job_id


def test_a_refused_job_shows_its_reason_and_its_progress(client, login, make_user, run_jobs):
    owner = make_user("hospital")
    job = _enqueue(sample_jobs.refused, {"done": 2, "total": 5}, owner=owner)
    run_jobs()
    login(owner)
    record = job_json(client, job.id)
    assert record["state"] == "échoué" and record["finished"] and record["link"] is None
    assert record["error"] == "La ligne 3 est illisible : rien n'a été enregistré."
    assert record["progress"] == {"done": 2, "total": 5, "percent": 40, "message": "Lecture des lignes…"}
    page = client.get(f"/taches/{job.id}").get_data(as_text=True)
    assert "Échec." in page and "La ligne 3 est illisible" in page and 'http-equiv="refresh"' not in page


def test_a_crash_shows_a_french_message_never_the_traceback(client, login, make_user, run_jobs):
    owner = make_user("hospital")
    job = _enqueue(sample_jobs.crashes, owner=owner)
    run_jobs()
    login(owner)
    record = job_json(client, job.id)
    assert record["state"] == "échoué" and "erreur interne" in record["error"]
    page = client.get(f"/taches/{job.id}").get_data(as_text=True)
    assert "Traceback" not in page and "secret internals" not in page and "RuntimeError" not in page


def test_a_job_past_its_time_out_is_stopped_and_says_so(client, login, make_user, run_jobs):
    owner = make_user("hospital")
    job = _enqueue(sample_jobs.sleeps, {"seconds": 5}, owner=owner, job_timeout=1)
    run_jobs()
    login(owner)
    record = job_json(client, job.id)
    assert record["state"] == "échoué"
    assert record["error"].startswith("La tâche a dépassé sa durée maximale (1 seconde) et a été arrêtée")


def test_each_kind_of_job_has_its_own_time_out():
    assert {kind: limit.timeout_seconds for kind, limit in jobs.KINDS.items()} == {
        "bundle": 1800, "draft_pdf": 300, "stock_import": 1800, "reminders": 1800}


def test_without_redis_url_there_is_no_job_page(app, client, login, make_user):
    app.config["REDIS_URL"] = None
    login(make_user("admin"))
    assert client.get("/taches/00000000-0000-0000-0000-000000000000").status_code == 404


def test_a_jobs_stable_id_belongs_to_its_queue(app):
    """The same work asked in two applications sharing a Redis (two JOB_QUEUE names, or two test runs at once)
    gets two jobs, never one the other could read or delete."""
    from registry.jobs.queue import stable_id

    with app.app_context():
        app.config["JOB_QUEUE"] = "registre-a"
        first, again = stable_id("bundle", 1, "region", "27"), stable_id("bundle", 1, "region", "27")
        app.config["JOB_QUEUE"] = "registre-b"
        other = stable_id("bundle", 1, "region", "27")
    assert first == again and other != first
