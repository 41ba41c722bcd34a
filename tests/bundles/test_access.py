"""Who gets which files, through the API and the pages: the ARS its region, a hospital its own hospitals (even
when it asks for its département or region), a scope holding none of the user's hospitals is not found; every
download is in the audit log, a refused one is not."""

import hashlib

import pytest
from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.extensions import db
from tests.api.helpers import assert_error
from tests.bundles.helpers import archive, manifest

API = "/api/v1/bundles"
PAGE = "/conventions/lot.zip"


def _files(world, *names) -> set[str]:
    return {world.files[name].sha256 for name in names}


def _shas(data: bytes) -> set[str]:
    return {entry["sha256"] for entry in manifest(data)["files"]}


def _get(client, token_headers, world, role, **query):
    return client.get(API, query_string=query, headers=token_headers(world.users[role]))


OWN = ("main", "avenant", "ended")


@pytest.mark.parametrize("role, query, expected", [
    ("admin", {"region": "84"}, ("rhone",)),
    ("admin", {"departement": "21"}, (*OWN, "neighbour")),
    ("ars", {"region": "27"}, (*OWN, "neighbour", "nievre")),
    ("ars", {"departement": "58"}, ("nievre",)),
    ("ars", {"hospital": "own"}, OWN),
    ("hospital", {"hospital": "own"}, OWN),
    ("hospital", {"departement": "21"}, OWN),  # its own hospital only, not the neighbour's
    ("hospital", {"region": "27"}, OWN),
    ("hospital_other", {"region": "84"}, ("rhone",)),
])
def test_each_role_gets_exactly_the_files_it_may_read(client, token_headers, world, role, query, expected):
    query = {key: getattr(world, value).finess_et if key == "hospital" else value for key, value in query.items()}
    response = _get(client, token_headers, world, role, **query)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert _shas(response.data) == _files(world, *expected)


@pytest.mark.parametrize("role, query", [
    ("ars", {"region": "84"}),
    ("ars_other", {"departement": "21"}),
    ("ars", {"hospital": "rhone"}),
    ("hospital", {"hospital": "neighbour"}),
    ("hospital", {"departement": "58"}),
    ("hospital", {"region": "84"}),
    ("hospital_other", {"hospital": "own"}),
])
def test_a_scope_without_any_of_the_users_hospitals_is_not_found(client, token_headers, world, role, query):
    query = {key: getattr(world, value).finess_et if key == "hospital" else value for key, value in query.items()}
    assert_error(_get(client, token_headers, world, role, **query), 404, "not_found")
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "bundle.download")) is None


@pytest.mark.parametrize("query", [{}, {"region": "27", "departement": "21"}, {"departement": "99"},
                                   {"region": "XX"}, {"hospital": "123"}, {"hospital": ""}])
def test_exactly_one_valid_scope_or_422(client, token_headers, world, query):
    assert_error(_get(client, token_headers, world, "admin", **query), 422, "invalid")


def test_the_api_needs_a_token(client, world):
    assert_error(client.get(API, query_string={"region": "27"}), 401)


def test_the_answer_is_a_streamed_attachment_whose_manifest_hash_is_given(client, token_headers, world):
    response = _get(client, token_headers, world, "ars", region="27")
    assert response.mimetype == "application/zip" and response.is_streamed
    assert response.headers["Content-Disposition"].startswith('attachment; filename="conventions-signees-region-27-')
    assert response.headers["X-Manifest-SHA256"] == hashlib.sha256(archive(response.data).read("manifest.json")
                                                                    ).hexdigest()
    assert "no-store" in response.headers["Cache-Control"]


def test_two_downloads_of_the_same_content_are_byte_identical(client, token_headers, world):
    first = _get(client, token_headers, world, "ars", departement="21").data
    assert _get(client, token_headers, world, "ars", departement="21").data == first


def test_every_download_is_in_the_audit_log(client, token_headers, world):
    _get(client, token_headers, world, "hospital", hospital=world.own.finess_et)
    _get(client, token_headers, world, "ars", region="27")
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "bundle.download")
                                 .order_by(AuditLog.id)).all()
    assert [(e.actor_id, e.hospital_id) for e in entries] == [
        (world.users["hospital"].id, world.own.id), (world.users["ars"].id, None)]
    assert f"l'hôpital FINESS {world.own.finess_et}, 3 fichiers" in entries[0].summary
    assert "la région Bourgogne-Franche-Comté (27), 5 fichiers" in entries[1].summary
    assert entries[0].object_type == "Bundle" and "manifeste SHA-256" in entries[0].summary


def test_the_page_route_serves_the_users_scope(client, login, world):
    login(world.users["hospital"])
    response = client.get(PAGE, query_string={"hopital": world.own.finess_et})
    assert response.status_code == 200 and _shas(response.data) == _files(world, *OWN)
    assert client.get(PAGE, query_string={"hopital": world.neighbour.finess_et}).status_code == 404
    assert client.get(PAGE, query_string={"departement": "21"}).status_code == 200
    assert client.get(PAGE).status_code == 422


def test_the_page_route_needs_a_signed_in_user(client, world):
    response = client.get(PAGE, query_string={"region": "27"})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_a_selection_brings_its_avenants_and_leaves_unsigned_conventions_out(client, login, world):
    login(world.users["hospital"])
    response = client.post(PAGE, data={"ids": [world.main.id, world.waiting.id]})
    assert response.status_code == 200
    assert _shas(response.data) == _files(world, "main", "avenant")
    assert manifest(response.data)["scope"]["kind"] == "selection"


def test_a_selection_naming_a_convention_out_of_reach_is_not_found(client, login, world):
    login(world.users["hospital"])
    rhone = world.files["rhone"].convention_id
    assert client.post(PAGE, data={"ids": [world.main.id, rhone]}).status_code == 404
    assert client.post(PAGE, data={"ids": ["x"]}).status_code == 422
    assert client.post(PAGE, data={}).status_code == 422


def test_the_ars_selects_across_its_hospitals(client, login, world):
    login(world.users["ars"])
    ids = [world.files["nievre"].convention_id, world.files["neighbour"].convention_id]
    response = client.post(PAGE, data={"ids": ids})
    assert _shas(response.data) == _files(world, "nievre", "neighbour")
    assert [p.split("/")[0] for p in archive(response.data).namelist()[4:]] == ["21", "58"]


def test_the_openapi_document_describes_the_bundle_download(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"hospital", "departement", "region"}
    assert "application/zip" in operation["responses"]["200"]["content"]
    assert {"404", "422"} <= set(operation["responses"]) and operation["summary"]
