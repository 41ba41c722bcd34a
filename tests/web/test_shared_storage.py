"""Several application nodes sharing one database (DOCUMENT_STORE = "database"): an upload previewed on one node
is confirmed on another with its own instance folder, a PDF preview converted on one is served by the other, and
neither writes a document, a held upload or a preview to its own disk."""

from pathlib import Path

import pytest
from sqlalchemy import select

from registry import create_app
from registry.core.storage import document_store
from registry.core.storage_models import HeldUpload, PdfPreview
from registry.extensions import db
from tests.conftest import _test_config
from tests.stores import waiting_uploads
from tests.web.conftest import text
from tests.web.convention_helpers import conventions, drafting  # noqa: F401
from tests.web.test_conventions_preview import fake_soffice, hostile_convention, minimal_pdf  # noqa: F401
from tests.web.test_register_conventions import import_url, stock, token_of, upload


@pytest.fixture
def app_config():
    return {"DOCUMENT_STORE": "database"}


@pytest.fixture
def second_node(app, tmp_path):
    """Another application on the same database, with an instance folder and a STORAGE_DIR of its own."""
    config = {**_test_config(app.config["DATABASE_URL"], tmp_path / "node2"), "DOCUMENT_STORE": "database",
              "STORAGE_DIR": str(tmp_path / "node2" / "storage")}
    node = create_app(config, instance_path=str(tmp_path / "node2" / "instance"))
    yield node
    with node.app_context():
        db.session.remove()
        db.engine.dispose()


def on_second_node(client, node):
    """A client of the other node carrying the same (signed) session cookie, as a load balancer would send it."""
    db.session.commit()
    other = node.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def disk_files(app) -> list[Path]:
    roots = [Path(app.instance_path) / name for name in ("imports", "previews")] + [Path(app.config["STORAGE_DIR"])]
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def test_a_stock_uploaded_on_one_node_is_confirmed_on_another(app, client, drafting, login, second_node):
    login(drafting.staff)
    assert upload(client, drafting, *stock(drafting)).status_code == 302
    token = token_of(client, drafting)
    assert waiting_uploads(app) == [token] and disk_files(app) == []
    other = on_second_node(client, second_node)
    preview = other.get(import_url(drafting, "/apercu"))
    assert preview.status_code == 200 and "CHU DIJON BOURGOGNE" in text(preview)
    response = other.post(import_url(drafting, "/confirmer"), data={"token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("#conventions")
    db.session.expire_all()
    created = conventions()
    assert len(created) == 2 and all(len(c.signed_copies) == 1 for c in created)
    assert all(document_store().verify(c.signed_copies[0].sha256) for c in created)
    assert waiting_uploads(app) == [] and disk_files(app) == [] and disk_files(second_node) == []
    again = client.post(import_url(drafting, "/confirmer"), data={"token": token})  # the first node, a second click
    assert again.status_code == 302 and len(conventions()) == 2


def test_an_upload_claimed_by_one_node_is_refused_by_the_other(app, client, drafting, login, second_node):
    login(drafting.staff)
    upload(client, drafting, *stock(drafting))
    token = token_of(client, drafting)
    db.session.execute(db.update(HeldUpload).values(claimed_at=db.func.now()))  # a confirmation running there
    other = on_second_node(client, second_node)
    response = other.post(import_url(drafting, "/confirmer"), data={"token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/conventions/import")
    assert conventions() == []


def test_an_abandoned_upload_leaves_nothing_on_any_node(app, client, drafting, login, second_node):
    login(drafting.staff)
    upload(client, drafting, *stock(drafting))
    token = token_of(client, drafting)
    other = on_second_node(client, second_node)
    assert other.post(import_url(drafting, "/abandonner"), data={"token": token}).status_code == 302
    assert waiting_uploads(app) == [] and db.session.scalars(select(HeldUpload)).all() == []


def test_a_pdf_preview_converted_on_one_node_is_served_by_the_other(app, client, hostile_convention, fake_soffice,
                                                                    second_node):
    arguments = fake_soffice()
    url = f"/conventions/{hostile_convention.id}/projets/1.pdf"
    assert client.get(url).data == minimal_pdf()
    preview = db.session.scalar(select(PdfPreview))
    assert document_store().read(preview.pdf_sha256) == minimal_pdf()
    assert disk_files(app) == []
    arguments.unlink()
    fake_soffice("fail")  # the second node could not convert: it finds the first one's PDF
    response = on_second_node(client, second_node).get(url)
    assert response.status_code == 200 and response.data == minimal_pdf()
    assert not arguments.exists() and disk_files(second_node) == []
