"""Concurrent requests on one convention: conflicting transitions give one 200 and one 409, identical ones record
one event, on SQLite (requests that write take its lock at their start, core/sqlite.py) as on PostgreSQL (row
locks); and a database kept busy longer than its wait answers 503 « réessayez », never 500."""

import io
import threading

import pytest
from sqlalchemy.exc import OperationalError

from registry.conventions import lifecycle
from registry.conventions.models import KIND_SIGNED
from registry.extensions import db
from tests.api.test_convention_lifecycle import URL, convention_in, events, scene, upload  # noqa: F401
from tests.conventions.builders import SIGNED_ON
from tests.conventions.conftest import shipped_templates  # noqa: F401  (fixture)
from tests.conventions.lifecycle_helpers import signed_pdf


def together(app, calls) -> list[int]:
    """Run each (method, url, json, headers) at the same moment, each in its own thread; their statuses."""
    barrier, statuses = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, method, url, body, headers):
        with app.test_client() as client:
            barrier.wait()
            statuses[index] = client.open(url, method=method, json=body, headers=headers).status_code

    threads = [threading.Thread(target=run, args=(index, *call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.parametrize("attempt", range(3))
def test_conflicting_transitions_one_wins_the_other_is_409(app, client, scene, attempt):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    assert upload(client, scene, convention, signed_pdf()).status_code == 201
    db.session.commit()
    before = events(convention)
    headers = scene.world.headers["hospital"]
    url = f"{URL}/{convention.id}/transitions"
    statuses = together(app, [("POST", url, {"to": "signee", "date": SIGNED_ON.isoformat()}, headers),
                              ("POST", url, {"to": "en_negociation", "comment": "retour"}, headers)])
    assert sorted(statuses) == [200, 409]
    db.session.expire_all()
    assert events(convention) == before + 1


def test_identical_transitions_record_one_event(app, client, scene):
    convention = convention_in(scene, lifecycle.BROUILLON)
    db.session.commit()
    before = events(convention)
    call = ("POST", f"{URL}/{convention.id}/transitions", {"to": "en_negociation"}, scene.world.headers["hospital"])
    statuses = together(app, [call] * 5)
    assert sorted(statuses) == [200] + [409] * 4
    db.session.expire_all()
    assert events(convention) == before + 1


def test_a_busy_database_answers_503(app, client, scene, monkeypatch):
    convention = convention_in(scene, lifecycle.BROUILLON)
    db.session.commit()

    def locked(*args, **kwargs):
        raise OperationalError("UPDATE conventions", {}, Exception("database is locked"))

    from registry.conventions import transitions
    monkeypatch.setattr(transitions, "transition", locked)
    from registry.api import lifecycle as api_lifecycle
    monkeypatch.setattr(api_lifecycle, "transition", locked, raising=False)
    response = client.post(f"{URL}/{convention.id}/transitions", json={"to": "en_negociation"},
                           headers=scene.world.headers["hospital"])
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "database_busy"


@pytest.mark.slow
def test_concurrent_signed_copies_never_500(app, client, scene):
    convention = convention_in(scene, lifecycle.A_SIGNER)
    db.session.commit()
    headers = scene.world.headers["hospital"]
    url = f"{URL}/{convention.id}/signed-copy"
    statuses = []
    barrier = threading.Barrier(6)

    def send(data):
        with app.test_client() as other:
            barrier.wait()
            statuses.append(other.post(url, headers=headers,
                                       data={"file": (io.BytesIO(data), "c.pdf")},
                                       content_type="multipart/form-data").status_code)

    copies = [signed_pdf() for _ in range(6)]
    threads = [threading.Thread(target=send, args=(data,)) for data in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [201] * 6
    db.session.expire_all()
    versions = sorted(document.version for document in convention.documents if document.kind == KIND_SIGNED)
    assert versions == list(range(1, 7))


@pytest.mark.slow
def test_concurrent_drafts_never_500(app, client, scene):
    convention = convention_in(scene, lifecycle.EN_NEGOCIATION)
    db.session.commit()
    call = ("POST", f"{URL}/{convention.id}/drafts", None, scene.world.headers["hospital"])
    statuses = together(app, [call] * 5)
    assert all(status < 500 for status in statuses) and statuses.count(201) >= 1
