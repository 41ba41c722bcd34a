"""GET /templates (any signed-in user) and POST /templates (administrators): every problem of a refused
template located, nothing stored unless it is valid."""

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from registry.documents.models import TemplateVersion
from registry.documents.versions import template_bytes
from registry.extensions import db
from tests.api.helpers import assert_error, audit_actions
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.documents.builders import make_docx, manifest
from tests.documents.data import SHIPPED_CODES as CODES, TEMPLATES_DIR

URL = "/api/v1/templates"


def versions() -> int:
    return db.session.scalar(select(func.count(TemplateVersion.id)))


def upload(client, headers, data: bytes, manifest_value, *, dry_run=False, as_file=False):
    text = manifest_value if isinstance(manifest_value, str) else json.dumps(manifest_value)
    form = {"file": (io.BytesIO(data), "modele.docx"),
            "manifest": (io.BytesIO(text.encode()), "manifeste.json") if as_file else text}
    url = URL + ("?dry_run=true" if dry_run else "")
    return client.post(url, data=form, content_type="multipart/form-data", headers=headers)


def shipped(code: str) -> tuple[bytes, dict]:
    return ((TEMPLATES_DIR / f"{code}.docx").read_bytes(),
            json.loads((TEMPLATES_DIR / f"{code}.json").read_text(encoding="utf-8")))


def repacked(data: bytes) -> bytes:
    """The same Word document in other zip bytes (entries stored, not deflated)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    return buffer.getvalue()


@pytest.mark.parametrize("role", ["admin", "ars", "hospital", "hospital_other"])
def test_every_signed_in_user_lists_the_templates(client, world, shipped_templates, role):  # noqa: F811
    response = client.get(URL, headers=world.headers[role])
    assert response.status_code == 200
    templates = response.get_json()["templates"]
    assert sorted(t["code"] for t in templates) == CODES
    second = next(t for t in templates if t["code"] == "second_recours")
    assert second["version"] == 1 and second["sha256"] == shipped_templates["second_recours"].sha256
    assert second["partner_types"] == ["second_recours"] and second["source"] == "shipped"
    assert {"name": "specialties", "label": "Spécialités des consultations avancées (une par ligne)",
            "type": "list", "required": True, "choices": [], "help": ""} in second["fields"]
    assert {"code": "telemedecine", "label": "Téléconsultation et téléexpertise", "default": True} in second["clauses"]


def test_listing_needs_a_token(client, shipped_templates):  # noqa: F811
    assert_error(client.get(URL), 401)


def test_a_new_template_is_stored(client, world):
    data = make_docx(["Convention {{ reference }} : {{ specialty }}"], footer=["{{ hospital.name }}"])
    response = upload(client, world.headers["admin"], data, manifest(fields=["specialty"]))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["code"], body["version"], body["created"], body["source"]) == ("essai", 1, True, "upload")
    stored = db.session.scalar(select(TemplateVersion).where(TemplateVersion.code == "essai"))
    assert template_bytes(stored) == data and stored.uploaded_by_id == world.users["admin"].id
    assert audit_actions(world.users["admin"]) == ["template.version"]
    assert "essai" in {t["code"] for t in client.get(URL, headers=world.headers["hospital"]).get_json()["templates"]}


def test_a_shipped_template_becomes_a_new_version_only_when_its_bytes_change(client, world,
                                                                              shipped_templates):  # noqa: F811
    data, shipped_manifest = shipped("second_recours")
    same = upload(client, world.headers["admin"], data, shipped_manifest)
    assert same.status_code == 200 and same.get_json()["created"] is False and same.get_json()["version"] == 1
    assert versions() == len(CODES)
    changed = upload(client, world.headers["admin"], repacked(data), shipped_manifest, as_file=True)
    assert changed.status_code == 201, changed.get_data(as_text=True)
    assert (changed.get_json()["version"], changed.get_json()["created"]) == (2, True)
    listed = client.get(URL, headers=world.headers["admin"]).get_json()["templates"]
    assert next(t for t in listed if t["code"] == "second_recours")["version"] == 2
    assert versions() == len(CODES) + 1


def test_the_same_document_with_another_manifest_is_a_new_version(client, world, shipped_templates):  # noqa: F811
    data, shipped_manifest = shipped("ehpad")
    response = upload(client, world.headers["admin"], data, {**shipped_manifest, "name": "EHPAD bis"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert versions() == len(CODES) + 1
    again = upload(client, world.headers["admin"], data, shipped_manifest)  # back to the first manifest
    assert again.status_code == 201 and versions() == len(CODES) + 2


def test_dry_run_validates_without_storing(client, world, shipped_templates):  # noqa: F811
    data, shipped_manifest = shipped("had")
    response = upload(client, world.headers["admin"], repacked(data), shipped_manifest, dry_run=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"valid": True, "problems": [], "code": "had", "version": 2, "created": True}
    assert versions() == len(CODES) and audit_actions(world.users["admin"]) == []
    broken = upload(client, world.headers["admin"], b"not a zip", shipped_manifest, dry_run=True)
    assert assert_error(broken, 422, "invalid")["details"][0]["part"] == "package"


BROKEN = [
    pytest.param(b"PK\x03\x04 not really a zip", manifest(), [("package", "", "invalid_package")], id="not-a-zip"),
    pytest.param(make_docx(["Préambule", "Entre {{ hospital.name }"]), manifest(),
                 [("document", "Entre {{ hospital.name }", "syntax_error")], id="syntax-error"),
    pytest.param(make_docx(["{{ reference }}"], footer=["Page {{ page_number }}"]), manifest(),
                 [("footer", "Page {{ page_number }}", "undeclared_variable")], id="undeclared-in-footer"),
    pytest.param(make_docx(["Montant : {{ reference|money }}"]), manifest(),
                 [("document", "Montant : {{ reference|money }}", "unknown_filter")], id="unknown-filter"),
    pytest.param(make_docx(["Article 1 {{ ''.__class__ }}"]), manifest(),
                 [("document", "Article 1 {{ ''.__class__ }}", "sandbox_refused")], id="sandbox"),
]


@pytest.mark.parametrize("data, manifest_value, expected", BROKEN)
def test_broken_templates_are_refused_with_located_problems(client, world, data, manifest_value, expected):
    error = assert_error(upload(client, world.headers["admin"], data, manifest_value), 422, "invalid")
    located = [(p["part"], p["paragraph"], p["code"]) for p in error["details"]]
    assert located == expected
    assert all(p["message"] for p in error["details"])
    assert versions() == 0 and audit_actions() == []


def test_a_template_from_another_application_gets_all_its_problems(client, world):
    data = make_docx(["{{ client.nom|money }}", "{% if total > %}", "{{ ''.__class__.__mro__ }}"],
                     header=["{{ company }}"], footer=["{{ footer_text }}"])
    error = assert_error(upload(client, world.headers["admin"], data, manifest(fields=["unused"])), 422)
    assert {(p["code"], p["part"]) for p in error["details"]} == {
        ("undeclared_variable", "document"), ("unknown_filter", "document"), ("syntax_error", "document"),
        ("sandbox_refused", "document"), ("undeclared_variable", "header"), ("undeclared_variable", "footer"),
        ("unused_field", "manifest")}
    assert versions() == 0


@pytest.mark.parametrize("manifest_text, expected", [
    ('{"code": "essai",\n "name": "Essai"\n "partner_types": []}',
     ('virgule attendue (ligne 3', '"partner_types": []}')),
    ("", ("manquant", "")),
    ("[1, 2]", ("objet JSON", "")),
    ('{"code": "essai", "name": "Essai\\u0000"}', ("caractère non autorisé", "")),
    (json.dumps(manifest(name="N" * 201)), ("plus de 200 caractères", "")),
    (json.dumps({"code": "essai"}), ("« name »", "")),
])
def test_an_unreadable_manifest_is_located(client, world, manifest_text, expected):
    error = assert_error(upload(client, world.headers["admin"], make_docx(["{{ reference }}"]), manifest_text), 422)
    message, paragraph = expected
    assert [p["part"] for p in error["details"]] == ["manifest"]
    assert message in error["details"][0]["message"] and error["details"][0]["paragraph"] == paragraph
    assert versions() == 0


def test_missing_parts_and_wrong_bodies(client, world):
    headers = world.headers["admin"]
    error = assert_error(client.post(URL, data={"manifest": json.dumps(manifest())},
                                     content_type="multipart/form-data", headers=headers), 422)
    assert [(p["part"], p["code"]) for p in error["details"]] == [("package", "missing_file")]
    error = assert_error(client.post(URL, data={"file": (io.BytesIO(b"x"), "m.docx")},
                                     content_type="multipart/form-data", headers=headers), 422)
    assert [(p["part"], p["code"]) for p in error["details"]] == [("manifest", "missing_manifest")]
    assert_error(client.post(URL, json=manifest(), headers=headers), 400)
    assert_error(client.post(URL + "?dry_run=peut-etre", json={}, headers=headers), 422)


@pytest.mark.parametrize("role", ["ars", "hospital"])
def test_only_admins_upload(client, world, role):
    response = upload(client, world.headers[role], make_docx(["{{ reference }}"]), manifest())
    assert_error(response, 403, "forbidden")
    assert_error(client.post(URL, data={}), 401)
    assert versions() == 0


@pytest.mark.parametrize("app_config", [{"MAX_UPLOAD_MB": 1}])
def test_an_oversized_upload_is_a_413(client, world):
    data = make_docx(["{{ reference }}"]) + b"\0" * (1024 * 1024)
    error = assert_error(upload(client, world.headers["admin"], data, manifest()), 413)
    assert error["message"] == "Fichier trop volumineux"
    assert versions() == 0
