"""The ARS's documents from the compliance pages: the XLSX matrix (the dashboard's verdicts, filters and scope) and
the PDF reports of a hospital and of a département (scope, criteria, the answer when WeasyPrint is missing)."""

import io
import sys

import pytest
from openpyxl import load_workbook

from tests.compliance.documents import pdf_text, weasyprint  # noqa: F401 (a fixture)
from tests.web.conftest import page
from tests.web.test_compliance_pages import DAY, OLD, cells, region  # noqa: F401 (a fixture)

MATRIX = "/conformite/export?format=xlsx-matrice"


def matrix_rows(response) -> dict[str, list[str]]:
    """FINESS → the verdict labels of its row of the « Matrice » sheet."""
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.get_data()))["Matrice"]
    rows = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            break
        rows[row[0]] = list(row[3:])
    return rows


def test_the_dashboard_offers_the_matrix_and_the_departement_report_with_its_filters(client, region, login):
    login(region.ars)
    body = page(client.get(f"/conformite?at={DAY}&{OLD}&departement=21"))

    assert (f'href="/conformite/export?format=xlsx-matrice&regles=r6111-26-2016&departement=21&at={DAY}">Matrice '
            "Excel") in body
    form = body[body.index('action="/conformite/rapport.pdf"'):]
    form = form[:form.index("</form>")]
    assert '<input type="hidden" name="regles" value="r6111-26-2016">' in form
    assert f'<input type="hidden" name="at" value="{DAY}">' in form
    assert '<option value="21" selected>21 – Côte-d\'Or</option>' in form and 'value="69"' not in form
    assert "Rapport PDF</button>" in form


def test_the_matrix_has_the_dashboards_verdicts(client, region, login):
    login(region.ars)
    body = page(client.get(f"/conformite?at={DAY}&{OLD}"))
    response = client.get(f"{MATRIX}&at={DAY}&{OLD}")

    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="conformite-matrice-2026-06-01-r6111-26-2016.xlsx"'
    rows = matrix_rows(response)
    assert set(rows) == {region.hdp.finess_et, region.other.finess_et}  # not Givors, in the Rhône
    for finess, labels in rows.items():
        assert labels == cells(body, finess)
    assert rows[region.hdp.finess_et][2] == "Satisfait"


def test_the_matrix_follows_the_filters_and_the_scope(client, region, login, app):
    login(region.admin)
    rows = matrix_rows(client.get(f"{MATRIX}&at={DAY}&{OLD}&exigence=2b_ehpad&verdict=non_requis"))
    assert set(rows) == {region.other.finess_et}

    with app.app_context():
        login(region.staff)
        assert set(matrix_rows(client.get(f"{MATRIX}&at={DAY}"))) == {region.hdp.finess_et}
    with app.app_context():
        login(region.ars_other)
        assert set(matrix_rows(client.get(f"{MATRIX}&at={DAY}&departement=21"))) == set()


def test_a_departements_report_for_the_ars_of_its_region(client, region, login, weasyprint):
    login(region.ars)
    response = client.get(f"/conformite/rapport.pdf?departement=21&at={DAY}&{OLD}")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="rapport-conformite-2026-06-01-21-r6111-26-2016.pdf"'
    words = pdf_text(response.get_data())
    assert "Conformité des hôpitaux de proximité : 21 – Côte-d'Or" in words and "2 hôpitaux de proximité" in words
    assert "CENTRE HOSPITALIER DE SEMUR" in words and "CH DE MONTBARD" in words and "GIVORS" not in words
    assert "Date d'évaluation 1er juin 2026" in words and "R6111-26 (décret n° 2016-658 du 20 mai 2016)" in words
    assert region.ehpad_convention.reference in words


def test_a_departement_report_stays_in_the_users_scope(client, region, login, app):
    login(region.ars_other)
    response = client.get(f"/conformite/rapport.pdf?departement=21&at={DAY}")
    assert response.status_code == 404
    assert "Aucun hôpital de proximité que vous pouvez consulter dans le département 21 – Côte-d'Or" in page(response)

    with app.app_context():
        login(region.ars)
        response = client.get("/conformite/rapport.pdf")
        assert response.status_code == 422
        assert "Choisissez un département pour en produire le rapport PDF." in page(response)


def test_a_hospital_user_gets_its_own_hospital_only(client, region, login, app, weasyprint):
    login(region.staff)
    words = pdf_text(client.get(f"/conformite/rapport.pdf?departement=21&at={DAY}").get_data())
    assert "1 hôpital de proximité" in words and "CH DE MONTBARD" not in words

    response = client.get(f"/hopitaux/{region.hdp.finess_et}/conformite/rapport.pdf?at={DAY}")
    assert response.status_code == 200
    assert client.get(f"/hopitaux/{region.other.finess_et}/conformite/rapport.pdf").status_code == 404


def test_a_hospitals_report_from_its_compliance_page(client, region, login, weasyprint):
    login(region.ars)
    body = page(client.get(f"/hopitaux/{region.hdp.finess_et}/conformite?at={DAY}&{OLD}"))
    link = f"/hopitaux/{region.hdp.finess_et}/conformite/rapport.pdf?regles=r6111-26-2016&at={DAY}"
    assert f'href="{link}">Rapport PDF</a>' in body

    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="rapport-conformite-{region.hdp.finess_et}-2026-06-01-r6111-26-2016.pdf"'
    words = pdf_text(response.get_data())
    assert "Conformité : CENTRE HOSPITALIER DE SEMUR" in words
    assert "Partenariat avec un établissement gérant un EHPAD ✓ Satisfait" in words
    assert "Art. R6111-26, I, 2° b) du code de la santé publique" in words
    assert f"{region.ehpad_convention.reference} · En vigueur · avec EHPAD LES TILLEULS" in words
    assert region.old_convention.reference in words  # examined, not counted, with why


def test_another_regions_ars_gets_no_hospital_report(client, region, login):
    login(region.ars_other)
    assert client.get(f"/hopitaux/{region.hdp.finess_et}/conformite/rapport.pdf").status_code == 404


def test_without_weasyprint_the_report_answers_503_in_french(client, region, login, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # « import weasyprint » raises ImportError
    login(region.ars)
    response = client.get(f"/hopitaux/{region.hdp.finess_et}/conformite/rapport.pdf")

    assert response.status_code == 503
    assert "Le rapport PDF ne peut pas être produit sur ce serveur" in page(response)
    assert client.get(f"{MATRIX}&at={DAY}").status_code == 200  # the spreadsheets still work


@pytest.mark.parametrize("app_config", [{"PDF_CONVERSIONS": 1, "PDF_QUEUE_SECONDS": 0.2}])
def test_a_report_waits_for_a_free_pdf_slot_then_answers_503(client, region, login, app, weasyprint):
    from registry.core.slots import pdf_slot

    login(region.ars)
    with pdf_slot(RuntimeError("busy")):  # a draft's conversion holds the only slot
        response = client.get(f"/hopitaux/{region.hdp.finess_et}/conformite/rapport.pdf")
    assert response.status_code == 503
    assert "D'autres documents PDF sont en cours de production : réessayez dans un instant." in page(response)
    assert client.get(f"/hopitaux/{region.hdp.finess_et}/conformite/rapport.pdf").status_code == 200
