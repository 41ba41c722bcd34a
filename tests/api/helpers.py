"""Assertions shared by the API tests."""

from sqlalchemy import select

from registry.audit.models import AuditLog
from registry.extensions import db


def audit_actions(user=None) -> list[str]:
    """The audit trail's actions, oldest first, optionally only those of one actor (the API tokens the fixtures
    make aside)."""
    query = select(AuditLog.action).where(AuditLog.action != "token.create").order_by(AuditLog.id)
    if user is not None:
        query = query.where(AuditLog.actor_id == user.id)
    return list(db.session.scalars(query))


def assert_error(response, status: int, code: str | None = None):
    """The API's error format: the status, and ``{"error": {"code", "message", "details"}}``."""
    assert response.status_code == status, response.get_data(as_text=True)[:1000]
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    return error
