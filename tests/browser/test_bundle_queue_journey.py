"""With the job queue, a hospital user asks for its signed conventions: the job page shows the bundle waiting,
then (the worker having run) its progress bar full and the download link, which gives the ZIP."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from tests.bundles.conftest import build, world  # noqa: F401  (fixtures)
from tests.factories import PASSWORD
from tests.jobs.fixtures import queue_config, run_jobs  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(queue_config):
    return {**queue_config, "WTF_CSRF_ENABLED": True}


def test_ask_for_a_bundle_follow_its_progress_and_download_it(world, run_jobs, live_server, browser_page,
                                                              screenshot, tmp_path):
    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(world.users["hospital"].email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CH DE BEAUNE")

    page.get_by_role("link", name=re.compile("Télécharger les conventions signées")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lot de conventions signées")
    expect(page.locator("[data-job-state]")).to_have_text("en attente")
    expect(page.get_by_role("link", name="Télécharger le lot")).to_be_hidden()
    screenshot(page, "40-lot-en-attente")

    run_jobs()  # the worker, in this process; the page learns it by polling its JSON
    expect(page.locator("[data-job-state]")).to_have_text("terminé")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("[data-job-message]")).to_have_text("3 sur 3 — Lot prêt.")
    expect(page.locator("[data-job-running-note]")).to_be_hidden()
    screenshot(page, "41-lot-pret")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le lot").click()
    download = download_info.value
    assert re.fullmatch(r"conventions-signees-hopital-\d{9}-2026-12-02\.zip", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
    assert names[:4] == ["LISEZMOI.txt", "manifest.json", "manifest.csv", "conformite.csv"]
    assert len([name for name in names if name.endswith(".pdf")]) == 3


def test_without_javascript_the_job_page_refreshes_itself(world, run_jobs, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server}/connexion")
    page.get_by_label("Adresse électronique").fill(world.users["ars"].email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("navigation").first).to_be_visible()
    scripts_off = page.context.browser.new_context(locale="fr-FR", java_script_enabled=False,
                                                   storage_state=page.context.storage_state())
    try:
        plain = scripts_off.new_page()
        plain.goto(f"{live_server}/conventions/lot.zip?region=27")
        expect(plain.locator("[data-job-state]")).to_have_text("en attente")
        run_jobs()
        expect(plain.locator("[data-job-state]")).to_have_text("terminé")  # after the <meta> refresh
        expect(plain.get_by_role("link", name="Télécharger le lot")).to_be_visible()
    finally:
        scripts_off.close()
