"""The compliance pages: the dashboard (scope, filters, totals, charts, exports, queries) and a hospital's page
(verdicts, reasons, evidence links, « Rédiger la convention manquante »)."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import text as sa_text

from registry.compliance.rules import R6111_26_2016
from registry.documents.versions import sync_shipped_templates
from registry.extensions import db
from tests.compliance.builders import AT
from tests.conventions.builders import make_convention
from tests.quiet_server import while_nothing_commits
from tests.web.conftest import page, text

DAY = AT.isoformat()
#: The 2016 rule set, which the dashboard's scenarios below were written on; the default is the texts in force.
OLD = "regles=r6111-26-2016"


@pytest.fixture
def region(scene, make_organisation, make_partnership):
    """The scene (Semur and Montbard in Côte-d'Or, Givors in the Rhône) with conventions on AT: Semur's EHPAD
    convention signed and in force, a second-recours partner without convention; Montbard runs an EHPAD."""
    scene.chu = make_partnership(scene.hdp, make_organisation(name="CHU DIJON BOURGOGNE", category_code="101"),
                                 partner_types=["second_recours"])
    scene.ehpad_convention = make_convention(scene.hdp, scene.partnership, themes=["retour_domicile"])
    scene.old_convention = make_convention(scene.hdp, scene.partnership, signed_on=date(2019, 1, 10),
                                           effective_date=date(2019, 2, 1), duration_months=36)
    scene.other.internal_activities = scene.other.confirmed_activities = ["ehpad"]
    sync_shipped_templates()
    db.session.commit()
    return scene


def cells(body: str, finess: str) -> list[str]:
    """The verdict labels of a hospital's row of the dashboard, in the requirements' order."""
    row = re.search(r"<tr>\s*<th scope=\"row\">(?:(?!</tr>).)*?" + finess + r"(?:(?!</tr>).)*</tr>", body, re.S)
    assert row, f"no row for {finess}"
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()).lstrip("✓!✗–? ")
            for cell in re.findall(r"<td class=\"small text-nowrap [^\"]*\">(.*?)</td>", row.group(0), re.S)]


# --- The dashboard -------------------------------------------------------------------------------------------


def test_ars_sees_its_region_with_labelled_coloured_cells(client, region, login):
    login(region.ars)
    response = client.get(f"/conformite?at={DAY}&{OLD}")
    body = page(response)

    assert response.status_code == 200
    assert region.hdp.finess_et in body and region.other.finess_et in body
    assert region.far.finess_et not in body
    assert cells(body, region.hdp.finess_et) == ["Manquant", "Manquant", "Satisfait", "Manquant", "Manquant",
                                                 "Non évalué"]
    assert cells(body, region.other.finess_et)[2] == "Non requis"
    # colour is never the only signal: a symbol and the label in the cell, hidden symbol for screen readers
    assert '<td class="small text-nowrap bg-success-subtle text-success-emphasis"><span class="verdict-symbol" ' \
           'aria-hidden="true">✓</span> Satisfait</td>' in body
    assert "<caption>Verdict de chaque exigence par hôpital au 1er juin 2026" in body
    assert all(f'<th scope="col" class="small">{title}</th>' in body for title in
               ("1° Premier recours", "2° b) EHPAD", "II CPOM"))
    assert f'href="/hopitaux/{region.hdp.finess_et}/conformite?at={DAY}&amp;regles=r6111-26-2016"' in response.get_data(
        as_text=True)  # drill-down, in the same rule set


def test_admin_sees_every_hospital_and_a_hospital_user_its_own(client, region, login, make_user):
    login(region.admin)
    body = page(client.get("/conformite"))
    assert all(h.finess_et in body for h in (region.hdp, region.other, region.far))
    assert "3 hôpitaux de proximité" in body

    client.post("/deconnexion")
    login(region.staff)
    body = page(client.get("/conformite"))
    assert region.hdp.finess_et in body
    assert region.other.finess_et not in body and region.far.finess_et not in body
    assert "1 hôpital de proximité" in body


def test_totals_per_requirement_and_charts_with_a_text_alternative(client, region, login):
    login(region.ars)
    body = page(client.get(f"/conformite?at={DAY}&{OLD}"))
    words = text(client.get(f"/conformite?at={DAY}&{OLD}"))

    # Semur: EHPAD satisfait; Montbard: EHPAD non requis (it runs one)
    assert "Totaux par exigence" in words
    assert "2° b) EHPAD 0 0 0 1 1" in words  # manquant, à risque, non évalué, satisfait, non requis
    assert "II CPOM 0 0 2 0 0" in words
    svg = re.search(r'<svg [^>]*role="img"[^>]*aria-labelledby="graphique-exigences-titre '
                    r'graphique-exigences-desc"[^>]*>.*?</svg>', body, re.S)
    assert svg and "<title id=\"graphique-exigences-titre\">Verdicts par exigence</title>" in svg.group(0)
    assert "2° b) EHPAD : 1 satisfait, 1 non requis" in svg.group(0)  # the description reads the chart
    assert "http" not in svg.group(0).replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "style=" not in svg.group(0) and not re.search(r"<script(?![^>]*src=)", body)  # nothing inline


def test_the_departement_chart_appears_when_there_are_several(client, region, login):
    login(region.admin)
    body = page(client.get(f"/conformite?at={DAY}"))
    assert "Verdicts par département" in body
    assert "Verdicts par département : nombre de verdicts" in body
    assert "69 – Rhône" in body


def test_filters_by_departement_requirement_and_verdict(client, region, login):
    login(region.admin)
    body = page(client.get(f"/conformite?at={DAY}&departement=69"))
    assert region.far.finess_et in body and region.hdp.finess_et not in body
    assert '<option value="69" selected>' in body
    assert '<option value="21">' in body  # the other départements stay in the list

    body = page(client.get(f"/conformite?at={DAY}&{OLD}&exigence=2b_ehpad&verdict=satisfait"))
    assert region.hdp.finess_et in body
    assert region.other.finess_et not in body and region.far.finess_et not in body
    assert "1 hôpital de proximité avec le verdict « Satisfait » pour « 2° b) EHPAD »" in text(
        client.get(f"/conformite?at={DAY}&{OLD}&exigence=2b_ehpad&verdict=satisfait"))

    body = page(client.get(f"/conformite?at={DAY}&{OLD}&verdict=non_requis"))
    assert region.other.finess_et in body and region.hdp.finess_et not in body


def test_the_day_changes_the_verdicts_and_a_bad_day_is_said(client, region, login):
    login(region.ars)
    before = page(client.get(f"/conformite?at=2018-06-01&{OLD}"))
    assert cells(before, region.hdp.finess_et)[2] == "Manquant"  # nothing signed yet in 2018
    assert 'value="2018-06-01"' in before

    bad = page(client.get("/conformite?at=2026-02-31&departement=ZZ"))
    assert "Date invalide : date attendue au format AAAA-MM-JJ (reçu « 2026-02-31 »)" in bad
    assert "Département inconnu : « ZZ »" in bad
    assert cells(bad, region.hdp.finess_et)  # today's verdicts, every département


def test_an_ars_without_hospitals_sees_an_empty_dashboard(client, make_user, login):
    login(make_user("ars", region="53"))
    body = page(client.get("/conformite"))
    assert "Aucun hôpital de proximité ne correspond à ces critères." in body


def test_the_dashboard_runs_the_same_queries_for_2_and_20_hospitals(client, make_hospital, make_organisation,
                                                                   make_partnership, make_user, login,
                                                                   count_queries):
    def add(count: int):
        for n in range(count):
            hospital = make_hospital(make_organisation(name=f"HOPITAL {n}", category_code="106",
                                                       departement="21" if n % 2 else "58"))
            ehpad = make_partnership(hospital)
            chu = make_partnership(hospital, make_organisation(category_code="101"),
                                   partner_types=["second_recours"])
            make_convention(hospital, ehpad)
            make_convention(hospital, chu, themes=["orientation", "telemedecine"])
            make_convention(hospital, ehpad, chu, status="brouillon", partner_types=["ehpad", "second_recours"])
        db.session.commit()

    login(make_user("ars", region="27"))
    add(2)
    with count_queries() as few:
        client.get(f"/conformite?at={DAY}")
    add(18)
    with count_queries() as many:
        body = page(client.get(f"/conformite?at={DAY}"))
    assert "20 hôpitaux de proximité" in body
    assert body.count('<th scope="row">') == 20  # the table's rows (the totals' row headings have a class)
    assert len(many) == len(few), many


def test_a_dashboard_read_again_unchanged_reads_no_rows_and_a_change_shows_at_once(client, region, login,
                                                                                 count_queries):
    login(region.ars)
    client.get("/")  # the welcome message shown
    db.session.commit()  # the test and its requests share one session: the login's transaction ends here

    def read_twice():
        first = page(client.get(f"/conformite?at={DAY}&{OLD}"))
        with count_queries() as again:
            return first, page(client.get(f"/conformite?at={DAY}&{OLD}")), again

    first, second, again = while_nothing_commits(read_twice)
    assert second == first
    assert not any("FROM partnerships" in statement for statement in again)
    assert cells(first, region.hdp.finess_et)[2] == "Satisfait"

    with db.engine.connect() as other:  # another connection commits: another worker, the command line...
        other.execute(sa_text("UPDATE conventions SET status = 'resiliee', terminated_on = '2026-05-01', "
                              "termination_reason = 'Fin' WHERE id = :id"), {"id": region.ehpad_convention.id})
        other.commit()
    with count_queries() as changed:
        body = page(client.get(f"/conformite?at={DAY}&{OLD}"))
    assert any("FROM partnerships" in statement for statement in changed)
    assert cells(body, region.hdp.finess_et)[2] == "Manquant"


def test_the_table_is_paginated_and_totals_cover_every_page(client, scene, make_hospital, make_organisation,
                                                            login, monkeypatch):
    monkeypatch.setattr("registry.compliance.routes.PAGE_SIZE", 2)
    login(scene.admin)
    words = text(client.get("/conformite"))
    assert "Hôpitaux (page 1 sur 2)" in words
    assert "CPOM 0 0 3 0 0" in words  # three hospitals counted, two shown
    second = page(client.get("/conformite?page=2"))
    assert second.count('<th scope="row">') == 1  # one hospital (the totals' row headings have a class)
    assert "CPOM 0 0 3 0 0" in text(client.get("/conformite?page=2"))


# --- Exports ---------------------------------------------------------------------------------------------------


def test_csv_export_opens_in_excel(client, region, login):
    login(region.ars)
    response = client.get(f"/conformite/export?format=csv&at={DAY}&{OLD}")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'attachment; filename="conformite-2026-06-01-r6111-26-2016.csv"' == response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["FINESS ET", "Hôpital", "Département", "Code exigence", "Exigence", "Code verdict", "Verdict",
                       "Motif", "Citation", "Conventions retenues", "Date d'évaluation", "Jeu de règles"]
    assert len(rows) == 1 + 2 * len(R6111_26_2016.codes)  # Semur and Montbard, not Givors
    ehpad = next(row for row in rows if row[0] == region.hdp.finess_et and row[3] == "2b_ehpad")
    assert ehpad[4:7] == ["Partenariat avec un établissement gérant un EHPAD", "satisfait", "Satisfait"]
    assert ehpad[8].startswith("Art. R6111-26, I, 2° b)")
    assert ehpad[9] == region.ehpad_convention.reference and ehpad[10] == DAY


def test_xlsx_export_has_the_same_rows(client, region, login):
    login(region.ars)
    csv_rows = list(csv.reader(io.StringIO(client.get(
        f"/conformite/export?format=csv&at={DAY}&departement=21").get_data().decode("utf-8-sig")), delimiter=";"))
    response = client.get(f"/conformite/export?format=xlsx&at={DAY}&departement=21")

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == 'attachment; filename="conformite-2026-06-01-21.xlsx"'
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    sheet = workbook["Conformité"]
    assert [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)] \
        == csv_rows
    criteria = {row[0]: row[1] for row in workbook["Critères"].iter_rows(values_only=True)}
    assert criteria["Date d'évaluation"] == DAY and criteria["Département"] == "21"


def test_exports_follow_the_filters_and_the_scope(client, region, login):
    login(region.staff)
    rows = list(csv.reader(io.StringIO(client.get(f"/conformite/export?at={DAY}").get_data().decode("utf-8-sig")),
                           delimiter=";"))
    assert {row[0] for row in rows[1:]} == {region.hdp.finess_et}

    login(region.admin)
    rows = list(csv.reader(io.StringIO(client.get(
        f"/conformite/export?at={DAY}&{OLD}&exigence=2b_ehpad&verdict=non_requis").get_data().decode("utf-8-sig")),
        delimiter=";"))
    assert {row[0] for row in rows[1:]} == {region.other.finess_et}
    assert client.get("/conformite/export?format=pdf").status_code == 404


def test_a_text_a_spreadsheet_would_run_is_exported_as_text(client, scene, make_hospital, make_organisation,
                                                            login):
    make_hospital(make_organisation(name="=HYPERLINK(\"http://x\")", category_code="106"))
    login(scene.admin)
    data = client.get("/conformite/export").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in data and ";=HYPERLINK" not in data


# --- A hospital's page -------------------------------------------------------------------------------------------


def test_hospital_page_shows_verdict_reason_citation_reading_and_evidence(client, region, login):
    login(region.ars)
    response = client.get(f"/hopitaux/{region.hdp.finess_et}/conformite?at={DAY}&{OLD}")
    body = page(response)
    words = text(response)

    assert response.status_code == 200
    ehpad = body[body.index('id="2b_ehpad"'):body.index('id="2b_ssr_usld"')]
    assert "Satisfait" in ehpad
    assert "Art. R6111-26, I, 2° b) du code de la santé publique (décret n° 2016-658 du 20 mai 2016)" in ehpad
    assert "Lecture du texte par l'application" in ehpad and "Le 2° b) est lu comme deux exigences" in ehpad
    # the reading is folded, the rule codes are only anchors (the exports and the API keep them)
    assert "<details class=\"mb-2\">\n      <summary class=\"small\">Lecture du texte" in ehpad
    assert "<details class=\"mb-2\" open>" not in body
    assert "<code>" not in body and "2b_ehpad" not in words and "2a_second_recours" not in words
    assert f'href="/conventions/{region.ehpad_convention.id}">{region.ehpad_convention.reference}</a>' in ehpad
    assert "En vigueur · avec EHPAD LES TILLEULS (EHPAD)" in " ".join(ehpad.split())
    # the expired convention is listed with why it does not count, and linked
    assert f'href="/conventions/{region.old_convention.id}">{region.old_convention.reference}</a> : expirée le ' \
           "31 janvier 2022" in ehpad
    second = body[body.index('id="2a_second_recours"'):body.index('id="2b_ehpad"')]
    assert "Manquant" in second and "Partenaire sans convention : l'établissement de second recours " \
                                   "« CHU DIJON BOURGOGNE »" in second
    assert "Jeu de règles : R6111-26 (décret n° 2016-658 du 20 mai 2016), version 2." in words
    assert "évaluée au 1er juin 2026" in words


def test_drafting_the_missing_convention_opens_the_right_template_for_editors_only(client, region, login):
    url = f"/hopitaux/{region.hdp.finess_et}/conformite?at={DAY}&{OLD}"
    login(region.ars)
    assert "Rédiger la convention manquante" not in page(client.get(url))  # the ARS reads only

    login(region.staff)
    body = page(client.get(url))
    finess = region.hdp.finess_et
    # 2° a): the second-recours partner without convention, preselected, with the second-recours template
    second = body[body.index('id="2a_second_recours"'):body.index('id="2b_ehpad"')]
    assert f'href="/hopitaux/{finess}/conventions/nouvelle/second_recours?partenariat={region.chu.id}"' in second
    # 1°: no primary-care partner yet: the primary-care template, no partner preselected
    first = body[body.index('id="1_premier_recours"'):body.index('id="2a_second_recours"')]
    assert f'href="/hopitaux/{finess}/conventions/nouvelle/premier_recours"' in first
    # 2° b) SSR/USLD: the SSR/USLD template
    assert f'/hopitaux/{finess}/conventions/nouvelle/ssr_usld"' in body
    # a satisfied requirement and the CPOM offer none
    ehpad = body[body.index('id="2b_ehpad"'):body.index('id="2b_ssr_usld"')]
    cpom = body[body.index('id="II_cpom"'):]
    assert "Rédiger la convention manquante" not in ehpad and "Rédiger la convention manquante" not in cpom
    assert body.count("Rédiger la convention manquante") == 4
    # the link opens the drafting form with that template and that partner ticked
    form = page(client.get(f"/hopitaux/{finess}/conventions/nouvelle/second_recours?partenariat={region.chu.id}"))
    assert re.search(rf'value="{region.chu.id}"[^>]*checked', form)


def test_an_hdp_of_another_region_is_not_found(client, region, login):
    login(region.ars_other)
    assert client.get(f"/hopitaux/{region.hdp.finess_et}/conformite").status_code == 404
    login(region.other_staff)
    assert client.get(f"/hopitaux/{region.hdp.finess_et}/conformite").status_code == 404


def test_the_hospital_page_summarises_compliance_and_links_to_it(client, region, login):
    login(region.staff)
    response = client.get(f"/hopitaux/{region.hdp.finess_et}")
    body = page(response)
    assert "Conformité (textes en vigueur)" in body
    assert f'href="/hopitaux/{region.hdp.finess_et}/conformite"' in body
    assert re.search(r"Satisfait</span> : \d", body)


def test_the_menu_leads_to_the_dashboard(client, region, login):
    login(region.ars)
    body = page(client.get("/conformite"))
    assert 'class="nav-link active" aria-current=page href="/conformite">Conformité</a>' in body
