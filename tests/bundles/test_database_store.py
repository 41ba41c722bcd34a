"""Bundles read their signed copies from the database store (DOCUMENT_STORE = "database"), chunk by chunk."""

import hashlib

import pytest

from registry.core.storage import DatabaseDocumentStore
from registry.extensions import db
from tests.bundles.helpers import archive, build_bundle, bundle_bytes, manifest, pdf_paths
from tests.stores import remove_document


@pytest.fixture
def app_config():
    return {"DOCUMENT_STORE": "database"}


def test_a_bundle_streams_the_copies_kept_in_the_database(app, client, login, world):
    bundle = build_bundle(hospital=world.own.finess_et)
    assert isinstance(bundle.store, DatabaseDocumentStore)
    data = bundle_bytes(bundle)
    zipped = archive(data)
    entries = {entry["path"]: entry for entry in manifest(data)["files"]}
    assert len(pdf_paths(data)) == 3
    for path in pdf_paths(data):
        assert hashlib.sha256(zipped.read(path)).hexdigest() == entries[path]["sha256"]
    login(world.users["ars"])
    response = client.get(f"/conventions/lot.zip?hopital={world.own.finess_et}")  # streamed after the view returns
    assert response.status_code == 200 and sorted(pdf_paths(response.data)) == sorted(pdf_paths(data))


def test_a_copy_missing_from_the_database_stops_the_bundle(app, client, login, world):
    remove_document(world.files["main"].sha256)
    login(world.users["ars"])
    response = client.get(f"/conventions/lot.zip?hopital={world.own.finess_et}")
    assert response.status_code == 409 and "introuvable dans le stockage" in response.get_data(as_text=True)
    db.session.rollback()
