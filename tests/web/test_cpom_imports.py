"""The CPOM spreadsheet loads as pages: upload → preview → confirmation, all or nothing; an ARS's catalogue (ARS of
the region, or an admin naming it) and activity-data values (only the CPOMs the user sees)."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.cpom import services
from registry.cpom.models import CpomCatalogue, CpomDeclaration
from registry.extensions import db
from tests.clock import TODAY
from tests.factories import PASSWORD
from tests.stores import waiting_uploads
from tests.web.conftest import text

START = date(TODAY.year - 1, 1, 1)
CATALOGUE = ("code;theme;objectif;indicateur;type;unite;cible;actions\r\n"
             "reunions_ville;Coordination;Rencontrer la ville;Réunions tenues;nombre;Réunions;Au moins 4;\r\n")


def upload(client, url, data, **fields):
    return client.post(url, data={"sheet": (io.BytesIO(data), "fiche.csv"), **fields},
                       content_type="multipart/form-data")


def token_of(response) -> str:
    body = response.get_data(as_text=True)
    start = body.index('name="token" value="') + len('name="token" value="')
    return body[start:body.index('"', start)]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_ars_loads_its_catalogue_after_a_preview(client, scene, login):
    login(scene.ars)
    assert "Charger un catalogue" in text(client.get("/cpom/catalogues/charger"))
    sent = upload(client, "/cpom/catalogues/charger", CATALOGUE.encode(), name="Fiche BFC", source="ARS BFC")
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/cpom/catalogues/apercu")
    preview = client.get("/cpom/catalogues/apercu")
    assert "1 ligne prête" in text(preview) and "reunions_ville" in text(preview)
    assert count(CpomCatalogue) == 0
    done = client.post("/cpom/catalogues/confirmer", data={"token": token_of(preview)}, follow_redirects=True)
    assert "Catalogue « Fiche BFC » chargé" in text(done)
    assert db.session.scalar(select(CpomCatalogue.region)) == "27"
    again = client.post("/cpom/catalogues/confirmer", data={"token": token_of(preview)}, follow_redirects=True)
    assert "n'attend plus de confirmation" in text(again) and count(CpomCatalogue) == 1


def test_a_bad_catalogue_row_is_shown_and_cannot_be_confirmed(client, scene, login):
    login(scene.ars)
    bad = CATALOGUE + "Mauvais;x;x;x;inconnu;x;x;\r\n"
    upload(client, "/cpom/catalogues/charger", bad.encode(), name="Fiche", source="ARS")
    preview = client.get("/cpom/catalogues/apercu")
    assert "Ligne 3" in text(preview) and "Confirmer le chargement" not in text(preview)
    refused = client.post("/cpom/catalogues/confirmer", data={"token": token_of(preview)})
    assert refused.status_code == 422 and "ligne 3" in text(refused) and count(CpomCatalogue) == 0


def test_an_unusable_file_is_refused_on_the_form(client, scene, login):
    login(scene.ars)
    refused = upload(client, "/cpom/catalogues/charger", b"%PDF-1.4 not a sheet", name="x", source="y")
    assert refused.status_code == 200 and "Le tableur doit être" in text(refused)
    missing = upload(client, "/cpom/catalogues/charger", b"code;theme\r\nx;y\r\n", name="x", source="y")
    assert "Colonnes obligatoires absentes" in text(missing)


def test_an_admin_names_the_region(client, scene, login):
    login(scene.admin)
    no_region = upload(client, "/cpom/catalogues/charger", CATALOGUE.encode(), name="x", source="y")
    assert "Choisissez la région" in text(no_region)
    upload(client, "/cpom/catalogues/charger", CATALOGUE.encode(), name="x", source="y", region="84")
    preview = client.get("/cpom/catalogues/apercu")
    client.post("/cpom/catalogues/confirmer", data={"token": token_of(preview)})
    assert db.session.scalar(select(CpomCatalogue.region)) == "84"


def test_abandoning_keeps_nothing(client, scene, login):
    login(scene.ars)
    upload(client, "/cpom/catalogues/charger", CATALOGUE.encode(), name="x", source="y")
    preview = client.get("/cpom/catalogues/apercu")
    client.post("/cpom/catalogues/abandonner", data={"token": token_of(preview)})
    assert client.get("/cpom/catalogues/apercu").status_code == 302 and count(CpomCatalogue) == 0


@pytest.mark.parametrize("role", ["staff", "other_staff"])
def test_hospitals_cannot_load_a_catalogue(client, scene, login, role):
    login(getattr(scene, role))
    assert client.get("/cpom/catalogues/charger").status_code == 403
    assert upload(client, "/cpom/catalogues/charger", CATALOGUE.encode(), name="x", source="y").status_code == 403


def test_anonymous_users_go_to_the_login_page(client):
    for url in ("/cpom/catalogues/charger", "/cpom/donnees-activite/importer", "/cpom/catalogues/modele.csv"):
        assert "/connexion" in client.get(url).headers["Location"]


def test_the_model_is_the_built_in_sheet(client, scene, login):
    login(scene.ars)
    model = client.get("/cpom/catalogues/modele.csv").get_data().decode("utf-8-sig")
    assert model.startswith("code;theme;objectif") and "admissions_urgences;" in model
    assert "convention_l6111_3_2" not in model


@pytest.fixture
def cpom(scene):
    record = services.create_cpom(scene.hdp, signed_on=START, effective_on=START, actor=scene.ars)
    services.add_engagement(record, indicator="admissions_urgences", comparator="<=", target_value=0.3)
    db.session.commit()
    return record


def activity(scene, *rows) -> bytes:
    return ("finess;annee;indicateur;numerateur;denominateur\r\n"
            + "".join(f"{scene.hdp.finess_et};{row}\r\n" for row in rows)).encode()


def test_the_hospital_imports_its_activity_data(client, scene, login, cpom):
    login(scene.staff)
    upload(client, "/cpom/donnees-activite/importer", activity(scene, f"{START.year};admissions_urgences;12;100"))
    preview = client.get("/cpom/donnees-activite/apercu")
    assert "1 ligne prête" in text(preview) and count(CpomDeclaration) == 0
    done = client.post("/cpom/donnees-activite/confirmer", data={"token": token_of(preview)}, follow_redirects=True)
    assert "1 valeur de données d'activité importée" in text(done)
    declaration = db.session.scalars(select(CpomDeclaration)).one()
    assert (declaration.value, declaration.source) == (0.12, "donnees_activite")


def test_an_outsider_imports_nothing_into_another_s_cpom(client, scene, login, cpom):
    login(scene.other_staff)
    upload(client, "/cpom/donnees-activite/importer", activity(scene, f"{START.year};admissions_urgences;12;100"))
    preview = client.get("/cpom/donnees-activite/apercu")
    assert "aucun CPOM de votre périmètre" in text(preview) and "Confirmer" not in text(preview)
    client.post("/cpom/donnees-activite/confirmer", data={"token": token_of(preview)})
    assert count(CpomDeclaration) == 0


def test_another_user_cannot_confirm_someone_s_upload(app, client, scene, login, cpom):
    login(scene.staff)
    upload(client, "/cpom/donnees-activite/importer", activity(scene, f"{START.year};admissions_urgences;12;100"))
    token = token_of(client.get("/cpom/donnees-activite/apercu"))
    with app.test_client() as other:
        other.post("/connexion", data={"email": scene.ars.email, "password": PASSWORD})
        response = other.post("/cpom/donnees-activite/confirmer", data={"token": token})
        assert response.status_code == 302 and response.headers["Location"].endswith("/importer")
    assert count(CpomDeclaration) == 0


def test_one_upload_waits_per_user_even_with_a_replayed_cookie(app, client, scene, login):
    login(scene.ars)
    cookie = client.get_cookie("session").value
    for _ in range(3):
        client.set_cookie("session", cookie)  # the session as it was before any upload
        upload(client, "/cpom/catalogues/charger", CATALOGUE.encode(), name="x", source="y")
    assert len(waiting_uploads(app)) == 1
