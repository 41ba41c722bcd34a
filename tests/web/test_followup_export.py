"""The « Échéances » list as CSV and XLSX: the page's rows, in the user's scope, with the page's window."""

import csv
import io

from openpyxl import load_workbook

from tests.clock import TODAY
from tests.web.test_followup import watch  # noqa: F401  (the page's conventions)


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:]), delimiter=";"))


def test_the_csv_lists_the_pages_rows_in_the_users_scope(client, watch, login):  # noqa: F811
    login(watch.staff)
    response = client.get("/conventions/echeances/export?format=csv")
    assert f'filename="echeances-{TODAY.isoformat()}-90j.csv"' in response.headers["Content-Disposition"]
    rows = _csv(response)
    names = {watch.names[next(c.id for c in watch.conventions.values() if c.reference == row["Référence"])]: row
             for row in rows}
    assert set(names) == {"ends_soon", "renew_later", "expired", "expired_too"}  # no other hospital, no draft
    soon = names["ends_soon"]
    assert soon["Section"] == "Arrive à échéance" and soon["Hôpital"] == "CENTRE HOSPITALIER DE SEMUR"
    assert soon["Partenaires"] == "EHPAD LES TILLEULS" and soon["Reconduction tacite"] == "non"
    assert soon["Préavis à donner avant le"] == ""
    renew = names["renew_later"]
    assert renew["Section"] == "À renouveler" and renew["Reconduction tacite"] == "oui"
    assert renew["Préavis à donner avant le"]  # an ISO date
    assert names["expired"]["Section"] == "Expirée" and names["expired"]["État"] == "Expirée"


def test_the_xlsx_has_the_same_rows_and_the_criteria(client, watch, login):  # noqa: F811
    login(watch.ars)
    csv_rows = _csv(client.get("/conventions/echeances/export?jours=30"))
    response = client.get("/conventions/echeances/export?format=xlsx&jours=30")
    assert response.status_code == 200
    assert "-30j.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook["Échéances"]
    values = list(sheet.iter_rows(values_only=True))
    assert [str(cell) for cell in values[0]] == list(csv_rows[0])
    assert sorted(row[1] for row in values[1:]) == sorted(row["Référence"] for row in csv_rows)
    assert len(values) - 1 == len(csv_rows) and csv_rows  # the ARS sees both hospitals of its region, not Rhône's
    assert all(row["FINESS"] != watch.far.finess_et for row in csv_rows)
    criteria = dict(list(workbook["Critères"].iter_rows(values_only=True))[1:])
    assert criteria["Fenêtre (jours)"] == 30 and criteria["Hôpital"] == "tous"


def test_the_page_links_to_both_files_with_its_window(client, watch, login):  # noqa: F811
    login(watch.staff)
    body = client.get("/conventions/echeances?jours=45").get_data(as_text=True)
    assert "/conventions/echeances/export?format=csv&amp;jours=45" in body
    assert "/conventions/echeances/export?format=xlsx&amp;jours=45" in body


def test_an_unknown_format_is_a_404(client, watch, login):  # noqa: F811
    login(watch.staff)
    assert client.get("/conventions/echeances/export?format=pdf").status_code == 404
