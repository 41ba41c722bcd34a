"""Template administration pages: administrators list the templates and their versions, upload a new template or
a new version (every problem listed, nothing stored when invalid), download any version."""

import io
import json
import re

import pytest
from sqlalchemy import func, select

from registry.documents.models import TemplateVersion
from registry.extensions import db
from tests.api.test_templates import repacked, shipped
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.documents.builders import make_docx, manifest
from tests.documents.data import SHIPPED_CODES as CODES
from tests.web.conftest import page, text

URL = "/administration/modeles/"
UPLOAD = "/administration/modeles/televerser"


def versions() -> int:
    return db.session.scalar(select(func.count(TemplateVersion.id)))


def form(data: bytes, manifest_value=None, *, as_file=False, filename="modele.docx") -> dict:
    values = {"document": (io.BytesIO(data), filename)}
    if manifest_value is not None:
        text_value = manifest_value if isinstance(manifest_value, str) else json.dumps(manifest_value)
        if as_file:
            values["manifest_file"] = (io.BytesIO(text_value.encode()), "manifeste.json")
        else:
            values["manifest_text"] = text_value
    return values


def post(client, values, url=UPLOAD):
    return client.post(url, data=values, content_type="multipart/form-data")


def test_admin_lists_every_template_with_its_versions(client, scene, shipped_templates, login,
                                                     count_queries):  # noqa: F811
    data, second_manifest = shipped("second_recours")
    login(scene.admin)
    assert post(client, form(repacked(data), second_manifest)).status_code == 302
    with count_queries() as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(queries) <= 3  # the user, the versions; no query per template
    words = text(response)
    assert f"{len(CODES)} modèles" in words and "Administration" in words
    row = next(r for r in page(response).split("<tr>") if ">second_recours</code>" in r)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>",
                                                                                   row, re.S)]
    assert cells[:2] + cells[3:5] == ["Second recours : orientation, consultations avancées et télémédecine "
                                      "second_recours", "Établissement de second recours", "Téléversé", "2"]
    assert cells[2].startswith("2 , du ")  # current version 2, of today
    for code in CODES:
        assert f'href="{URL}{code}/versions/1"' in page(response)
    assert f'href="{URL}second_recours/versions/2"' in page(response)
    assert f'href="{UPLOAD}?modele=second_recours"' in page(response)


def test_admin_downloads_any_version(client, scene, shipped_templates, login):  # noqa: F811
    data, _ = shipped("dac")
    login(scene.admin)
    response = client.get(f"{URL}dac/versions/1")
    assert response.status_code == 200 and response.data == data
    assert "attachment" in response.headers["Content-Disposition"] and "dac v1.docx" in response.headers[
        "Content-Disposition"]
    assert client.get(f"{URL}dac/versions/9").status_code == 404
    assert client.get(f"{URL}inconnu/versions/1").status_code == 404


def test_a_new_template_is_uploaded(client, scene, login):
    login(scene.admin)
    data = make_docx(["Convention {{ reference }} : {{ specialty }}"])
    response = post(client, form(data, manifest(fields=["specialty"]), as_file=True))
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    assert "Version 1 du modèle « Modèle d'essai » enregistrée." in text(client.get(URL))
    stored = db.session.scalar(select(TemplateVersion))
    assert (stored.code, stored.source, stored.uploaded_by_id) == ("essai", "upload", scene.admin.id)


def test_a_new_version_starts_from_the_current_manifest(client, scene, shipped_templates, login):  # noqa: F811
    login(scene.admin)
    body = page(client.get(f"{UPLOAD}?modele=ehpad"))
    assert "Nouvelle version de « " in body and 'enctype="multipart/form-data"' in body
    prefilled = re.search(r'<textarea[^>]*name="manifest_text"[^>]*>(.*?)</textarea>', body, re.S).group(1)
    assert json.loads(prefilled) == shipped_templates["ehpad"].manifest
    data, ehpad_manifest = shipped("ehpad")
    response = post(client, form(repacked(data), prefilled), url=f"{UPLOAD}?modele=ehpad")
    assert response.status_code == 302
    assert f"Version 2 du modèle « {ehpad_manifest['name']} » enregistrée." in text(client.get(URL))
    assert client.get(f"{UPLOAD}?modele=inconnu").status_code == 404


def test_an_unchanged_upload_says_so(client, scene, shipped_templates, login):  # noqa: F811
    login(scene.admin)
    data, pdsa_manifest = shipped("pdsa_mmg")
    assert post(client, form(data, pdsa_manifest)).status_code == 302
    assert "déjà la version 1" in text(client.get(URL))
    assert versions() == len(CODES)


def test_every_problem_is_listed_with_its_part_and_paragraph(client, scene, login):
    login(scene.admin)
    data = make_docx(["Entre {{ hospital.name }", "Montant : {{ reference|money }}"], footer=["{{ page_number }}"])
    response = post(client, form(data, manifest()))
    assert response.status_code == 200
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split())
            for row in page(response).split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]]
    assert len(rows) == 3
    assert any("Corps du document" in r and "Entre {{ hospital.name }" in r for r in rows)
    assert any("money" in r and "Montant : {{ reference|money }}" in r for r in rows)
    assert any("page_number" in r and "Pied de page" in r and "{{ page_number }}" in r for r in rows)
    assert "3 problèmes relevés" in text(response) and "Rien n'a été enregistré" in text(response)
    assert versions() == 0


@pytest.mark.parametrize("values, message", [
    (form(make_docx(["x"]), '{"code": "essai",'), "Le manifeste n'est pas un JSON valide"),
    (form(make_docx(["x"])), "Le manifeste (JSON) est manquant."),
    (form(make_docx(["x"]), manifest(), filename="modele.doc"), "format .docx"),
    ({"manifest_text": json.dumps(manifest())}, "Choisissez le fichier Word du modèle."),
])
def test_bad_submissions_are_refused_in_french(client, scene, login, values, message):
    login(scene.admin)
    response = post(client, values)
    assert response.status_code == 200
    assert message in text(response)
    assert versions() == 0


def test_a_manifest_only_change_is_a_new_version(client, scene, shipped_templates, login):  # noqa: F811
    login(scene.admin)
    data, had_manifest = shipped("had")
    response = post(client, form(data, {**had_manifest, "name": "HAD modifié"}))
    assert response.status_code == 302
    assert versions() == len(CODES) + 1


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_upload_needs_the_csrf_token(client, scene):
    from tests.factories import PASSWORD

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page(client.get("/connexion"))).group(1)
    client.post("/connexion", data={"email": scene.admin.email, "password": PASSWORD, "csrf_token": token})
    values = form(make_docx(["{{ reference }}"]), manifest())
    assert post(client, values).status_code == 400
    assert versions() == 0
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page(client.get(UPLOAD))).group(1)
    values = {**form(make_docx(["{{ reference }}"]), manifest()), "csrf_token": token}
    assert post(client, values).status_code == 302
    assert versions() == 1


@pytest.mark.parametrize("user", ["ars", "staff"])
def test_only_admins_reach_the_pages(client, scene, shipped_templates, login, user):  # noqa: F811
    login(getattr(scene, user))
    assert "Administration" not in text(client.get("/"))
    for response in (client.get(URL), client.get(UPLOAD), client.get(f"{URL}dac/versions/1"),
                     post(client, form(make_docx(["{{ reference }}"]), manifest()))):
        assert response.status_code == 403
    assert versions() == len(CODES)


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
