"""record_audit(): called by every service that writes; flushes with the caller's transaction."""

from datetime import date

from flask_login import current_user
from sqlalchemy import Select, func, select

from registry.audit.models import AuditLog
from registry.extensions import db


def _jsonable(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(item) for item in value]
    return value


def diff(before: dict, after: dict) -> dict:
    """{"field": [before, after]} for the fields whose value changed."""
    return {key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
            for key in after if before.get(key) != after.get(key)}


class _Anonymous:
    """The actor of what someone does before proving who they are (a failed login)."""

    id = None
    email = "anonyme"


ANONYMOUS = _Anonymous()


def record_audit(action: str, obj, summary: str, *, hospital=None, changes: dict | None = None,
                 actor=None) -> AuditLog:
    """One entry of the trail; ``obj`` None when the action is about nothing recorded (a login with an unknown
    address); ``actor`` the current user by default, ANONYMOUS before a login."""
    actor = actor if actor is not None else _current_actor()
    if getattr(obj, "id", 0) is None:
        db.session.flush()  # the entry names the object by id
    entry = AuditLog(
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else "système",
        action=action,
        object_type=type(obj).__name__ if obj is not None else "-",
        object_id=getattr(obj, "id", None),
        hospital_id=hospital.id if hospital is not None else None,
        summary=summary,
        changes=changes or None,
    )
    db.session.add(entry)
    return entry


def _current_actor():
    try:
        user = current_user._get_current_object()
    except (RuntimeError, AttributeError):  # outside a request (CLI)
        return None
    return user if getattr(user, "is_authenticated", False) else None


def hospital_trail_query(hospital) -> Select:
    """The hospital's audit entries, newest first (their authors joined)."""
    return (select(AuditLog).where(AuditLog.hospital_id == hospital.id)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()))


def hospital_trail(hospital, limit: int = 50) -> list[AuditLog]:
    return list(db.session.scalars(hospital_trail_query(hospital).limit(limit)))


def hospital_trail_size(hospital) -> int:
    return db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.hospital_id == hospital.id))
