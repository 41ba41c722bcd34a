"""« Journal »: administrators read and export every entry, an ARS its region's; filters narrow both the page and
the export; hospital users have no journal."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from registry.audit.models import AuditLog
from registry.core import clock
from registry.extensions import db


@pytest.fixture
def journal(make_organisation, make_hospital, make_user):
    """Entries on a hospital of region 27 and one of region 84, a login of an ARS user of each region."""
    near = make_hospital(make_organisation(name="CH DE SEMUR", departement="21"))
    far = make_hospital(make_organisation(name="CH DE LYON SUD", departement="69"))
    ars, ars_far = make_user("ars", region="27", email="agent@ars-bfc.fr"), make_user("ars", region="84")
    admin = make_user("admin", email="chef@ars.fr")
    now = clock.now()
    db.session.add_all([
        AuditLog(at=now - timedelta(days=10), actor_label="juriste@ch-semur.fr", action="partnership.create",
                 object_type="Partnership", hospital_id=near.id, summary="Partenaire ajouté à Semur"),
        AuditLog(at=now - timedelta(days=1), actor_label="juriste@ch-semur.fr", action="document.download",
                 object_type="User", hospital_id=near.id, summary="=HYPERLINK(\"http://x\") Téléchargement de « projet.docx »"),
        AuditLog(at=now, actor_label="juriste@ch-lyon.fr", action="convention.create", object_type="Convention",
                 hospital_id=far.id, summary="Convention créée à Lyon"),
        AuditLog(at=now, actor_id=ars.id, actor_label=ars.email, action="user.login", object_type="User",
                 summary="Connexion de agent@ars-bfc.fr"),
        AuditLog(at=now, actor_id=ars_far.id, actor_label=ars_far.email, action="user.login", object_type="User",
                 summary="Connexion de l'ARS de Lyon"),
    ])
    db.session.commit()
    return {"near": near, "far": far, "ars": ars, "ars_far": ars_far, "admin": admin}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


def test_the_ars_reads_its_region_only(client, journal, login):
    login(journal["ars"])
    body = client.get("/journal/").get_data(as_text=True)
    assert "Partenaire ajouté à Semur" in body and "Connexion de agent@ars-bfc.fr" in body
    assert "Lyon" not in body
    exported = csv_rows(client.get("/journal/export?format=csv"))
    assert exported[0][0] == "Date (heure de Paris)"
    # the seeded entries of the region, and the login this test just made
    assert sorted(row[1] for row in exported[1:]) == ["document.download", "partnership.create", "user.login",
                                                      "user.login"]


def test_the_admin_reads_everything_and_filters(client, journal, login):
    login(journal["admin"])
    body = client.get("/journal/").get_data(as_text=True)
    assert "Lyon" in body and "Semur" in body
    body = client.get("/journal/?famille=telechargements").get_data(as_text=True)
    assert "1 entrée" in body and "Téléchargement de" in body and "Partenaire ajouté" not in body
    body = client.get(f"/journal/?hopital={journal['far'].finess_et}").get_data(as_text=True)
    assert "Convention créée à Lyon" in body and "Semur" not in body
    day = (clock.today() - timedelta(days=10)).isoformat()
    body = client.get(f"/journal/?du={day}&au={day}").get_data(as_text=True)
    assert "1 entrée" in body and "Partenaire ajouté à Semur" in body
    body = client.get("/journal/?auteur=CH-LYON").get_data(as_text=True)
    assert "1 entrée" in body and "Convention créée à Lyon" in body


def test_bad_filters_are_set_aside_with_a_french_message(client, journal, login):
    login(journal["admin"])
    response = client.get("/journal/?famille=xyz&du=31/02/2026")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Type d&#39;action inconnu" in body
    assert "Certains critères ont été ignorés" in body and "6 entrées" in body  # the five, and this login


def test_the_export_keeps_the_filters_and_guards_formulas(client, journal, login):
    login(journal["admin"])
    exported = csv_rows(client.get("/journal/export?format=csv&famille=telechargements"))
    assert len(exported) == 2 and exported[1][7].startswith("'=")
    workbook = load_workbook(io.BytesIO(client.get("/journal/export?format=xlsx").data))
    sheet = workbook["Journal"]
    # heading, the five seeded entries, this login and the CSV export just downloaded (an audited download)
    assert sheet.max_row == 1 + 5 + 1 + 1 and isinstance(sheet["A2"].value, datetime)
    assert sheet["B2"].value == "document.download" and "journal-" in sheet["H2"].value


def test_hospital_users_have_no_journal(client, journal, login, make_user):
    login(make_user("hospital", organisations=[journal["near"].organisation]))
    assert client.get("/journal/").status_code == 403
    assert client.get("/journal/export").status_code == 403
