"""The ARS's documents, in a real browser: from the dashboard it downloads the hospital × requirement matrix (the
verdicts it sees on the page) and a département's PDF report; from a hospital's compliance page, its report."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from registry.extensions import db
from tests.browser.test_texts_in_force_journey import sign_in
from tests.compliance.documents import pdf_text, weasyprint  # noqa: F401 (a fixture)
from tests.conventions.builders import make_convention

pytestmark = pytest.mark.browser


#: A PDF report takes seconds to lay out, longer on a busy machine.
DOWNLOAD_MS = 120_000


def download(page, click) -> bytes:
    with page.expect_download(timeout=DOWNLOAD_MS) as download_info:
        click(timeout=DOWNLOAD_MS)
    with open(download_info.value.path(), "rb") as file:
        return file.read()


def test_the_ars_downloads_the_matrix_and_the_reports(live_server, browser_page, weasyprint, screenshot,
                                                      make_organisation, make_hospital, make_partnership, make_user):
    semur = make_hospital(make_organisation(name="CH DE SEMUR", category_code="106", departement="21"))
    make_hospital(make_organisation(name="CH DE BEAUNE", category_code="106", departement="21"))
    make_hospital(make_organisation(name="CH DE NEVERS", category_code="106", departement="58"))
    ehpad = make_partnership(semur, make_organisation(name="EHPAD LES TILLEULS", category_code="500"))
    make_convention(semur, ehpad)
    ars = make_user("ars", region="27")
    db.session.commit()
    finess, email = semur.finess_et, ars.email
    page = browser_page

    sign_in(page, live_server, email)
    page.goto(f"{live_server}/conformite")
    row = page.locator("tr", has_text="CH DE SEMUR")
    on_page = [" ".join(text.split()).lstrip("✓!✗–? ") for text in row.locator("td.text-nowrap").all_inner_texts()]
    workbook = load_workbook(io.BytesIO(download(page, page.get_by_role("link", name="Matrice Excel").click)))
    matrix = {line[0]: list(line[3:]) for line in workbook["Matrice"].iter_rows(min_row=2, max_row=4,
                                                                                    values_only=True)}
    assert matrix[finess] == on_page and "Satisfait" in on_page
    assert len(matrix) == 3 and workbook["Critères"]["A1"].value == "Code exigence"

    page.get_by_label("Département du rapport PDF").select_option("21")
    screenshot(page, "70-conformite-documents")
    words = pdf_text(download(page, page.get_by_role("button", name="Rapport PDF").click))
    assert "Conformité des hôpitaux de proximité : 21 – Côte-d'Or" in words
    assert "CH DE SEMUR" in words and "CH DE BEAUNE" in words and "NEVERS" not in words

    page.goto(f"{live_server}/hopitaux/{finess}/conformite")
    expect(page.get_by_role("link", name="Rapport PDF")).to_be_visible()
    words = pdf_text(download(page, page.get_by_role("link", name="Rapport PDF").click))
    assert "Conformité : CH DE SEMUR" in words and "EHPAD LES TILLEULS" in words
