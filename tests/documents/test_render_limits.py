"""A template cannot pin the server: its renders (the trial render at upload, every draft) stop at
RENDER_TIMEOUT_SECONDS and RENDER_MEMORY_MB with a French message, and the server goes on answering."""

import threading
import time

import pytest

from registry.documents import validate_template
from tests.documents.builders import make_docx, manifest

pytestmark = pytest.mark.slow

ENDLESS = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"


@pytest.mark.parametrize("app_config", [{"RENDER_TIMEOUT_SECONDS": 2}])
def test_an_endless_loop_is_refused_within_seconds(app):
    started = time.monotonic()
    problems = validate_template(make_docx([ENDLESS]), manifest())
    assert time.monotonic() - started < 10
    assert [p.code for p in problems] == ["render_limit"]
    assert "temps de rendu autorisé (2 s)" in problems[0].message


@pytest.mark.parametrize("app_config", [{"RENDER_MEMORY_MB": 64}])
def test_a_swelling_text_is_refused(app):
    problems = validate_template(make_docx(["{{ 'A' * 10**9 }}"]), manifest())
    assert [p.code for p in problems] == ["render_limit"] and "64 Mo" in problems[0].message


@pytest.mark.parametrize("app_config", [{"RENDER_TIMEOUT_SECONDS": 5}])
def test_the_server_answers_while_a_template_loops(app, client, make_user, login):
    """The upload of the looping template is refused in seconds; meanwhile another request is served (answered
    before the upload is: measured against it, not against a fixed delay, as a loaded machine slows both)."""
    import io

    from tests.factories import PASSWORD

    admin = make_user("admin")
    login(admin)
    answers = {}

    def upload():
        with app.app_context():
            uploader = app.test_client()
            uploader.post("/connexion", data={"email": admin.email, "password": PASSWORD})
            answers["upload"] = uploader.post("/administration/modeles/televerser", data={
                "document": (io.BytesIO(make_docx([ENDLESS])), "boucle.docx"),
                "manifest_text": __import__("json").dumps(manifest())}, content_type="multipart/form-data")
            answers["upload_answered"] = time.monotonic()

    from registry.extensions import db
    db.session.commit()
    with app.app_context():  # signed in first: on SQLite the upload holds the write lock while it renders
        other = app.test_client()
        other.post("/connexion", data={"email": admin.email, "password": PASSWORD})
    worker = threading.Thread(target=upload)
    started = time.monotonic()
    worker.start()
    time.sleep(0.5)
    with app.app_context():
        assert other.get("/administration/modeles/").status_code == 200
        answered_while_looping = time.monotonic() - started
    worker.join(30)
    assert not worker.is_alive()
    body = answers["upload"].get_data(as_text=True)
    assert answers["upload"].status_code in (200, 422) and "temps de rendu autorisé (5 s)" in body
    upload_took = answers["upload_answered"] - started
    assert answered_while_looping < upload_took and 5 <= upload_took < 20
