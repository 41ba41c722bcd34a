"""Every document a signed-in user downloads leaves an entry in the audit trail, on the hospital it concerns; a
download whose entry cannot be written is refused."""

from unittest import mock

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from registry.audit.models import AuditLog
from registry.extensions import db
from tests.web.convention_helpers import create_through_the_form, drafting  # noqa: F401


def downloads() -> list[AuditLog]:
    return db.session.scalars(select(AuditLog).where(AuditLog.action == "document.download")
                              .order_by(AuditLog.id)).all()


def test_a_draft_download_is_audited_on_its_hospital(client, drafting, login):
    login(drafting.staff)
    convention = create_through_the_form(client, drafting)
    assert client.get(f"/conventions/{convention.id}").status_code == 200
    assert downloads() == []  # a page is not a download
    response = client.get(f"/conventions/{convention.id}/projets/1.docx")
    assert response.status_code == 200
    [entry] = downloads()
    assert entry.actor_id == drafting.staff.id and entry.hospital_id == drafting.hospital.id
    assert ".docx" in entry.summary and f"/conventions/{convention.id}/projets/1.docx" in entry.summary


def test_a_download_through_the_api_is_audited_too(app, client, drafting, login):
    from registry.accounts.services import create_token

    login(drafting.staff)
    convention = create_through_the_form(client, drafting)
    token = create_token(drafting.staff)
    db.session.commit()
    with app.app_context():  # a client of its own: the API reads the token, not the session
        response = app.test_client().get(f"/api/v1/conventions/{convention.id}/drafts/1",
                                         headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    [entry] = downloads()
    assert entry.actor_id == drafting.staff.id and entry.hospital_id == drafting.hospital.id
    assert f"/api/v1/conventions/{convention.id}/drafts/1" in entry.summary


def test_a_download_whose_entry_cannot_be_written_is_refused(client, drafting, login):
    login(drafting.staff)
    convention = create_through_the_form(client, drafting)
    with mock.patch("registry.audit.downloads.record_audit", side_effect=OperationalError("x", {}, Exception())):
        response = client.get(f"/conventions/{convention.id}/projets/1.docx")
    assert response.status_code == 503 and "journal" in response.get_data(as_text=True)
    assert response.headers.get("Content-Disposition") is None
    assert downloads() == []
