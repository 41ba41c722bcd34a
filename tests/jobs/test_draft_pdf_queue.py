"""PDF previews of drafts on the job queue: the first request shows « Aperçu PDF en préparation », the worker
converts the draft, the job page then opens the PDF, which later requests get from the cache at once."""

import pytest

from tests.jobs.fixtures import job_id_of, job_json
from tests.web.convention_helpers import drafting  # noqa: F401  (fixture)
from tests.web.test_conventions_preview import fake_soffice, hostile_convention, minimal_pdf  # noqa: F401


@pytest.fixture
def app_config(queue_config):
    return {**queue_config, "WTF_CSRF_ENABLED": False}


def test_a_draft_pdf_is_prepared_by_the_worker_then_served(client, hostile_convention, fake_soffice, run_jobs,
                                                           drafting, login):
    fake_soffice()
    url = f"/conventions/{hostile_convention.id}/projets/1.pdf"
    job_id = job_id_of(client.get(url))
    assert job_id_of(client.get(url)) == job_id  # asked again while it waits: the same job
    page = client.get(f"/taches/{job_id}").get_data(as_text=True)
    assert "Aperçu PDF en préparation" in page and "en attente" in page

    run_jobs()
    record = job_json(client, job_id)
    assert record["state"] == "terminé" and record["open_when_done"]
    assert record["link"] == {"url": url, "label": "Ouvrir l'aperçu PDF", "filename": None}
    response = client.get(url)
    assert response.status_code == 200 and response.data == minimal_pdf()

    login(drafting.other_staff)  # another hospital's user: neither the draft nor the job
    assert client.get(url).status_code == 404
    assert client.get(f"/taches/{job_id}.json").status_code == 404
