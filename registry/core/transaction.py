"""One commit per request: form views run their service call through commit_or_error()."""

from registry.core.errors import DomainError
from registry.extensions import db


def commit_or_error(action):
    """Run a service call and commit: (its result, None); a DomainError is rolled back: (None, its message).

    Form views show the message in the form (values kept) instead of the 422 page.
    """
    try:
        result = action()
    except DomainError as exc:
        db.session.rollback()
        return None, exc.message
    db.session.commit()
    return result, None


def lock_row(instance) -> None:
    """Re-read ``instance``'s row under a lock until the transaction ends (PostgreSQL), so that a concurrent
    request doing the same waits, then reads what this one wrote. SQLite runs one writer at a time anyway.

    The re-read loads what the instance was loaded with (a draft's convention: its hospital and parties by outer
    joins, conventions.services.DRAFT_LOADING); only the instance's own table is locked (FOR UPDATE OF), which
    PostgreSQL allows beside outer joins."""
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.refresh(instance, with_for_update={"of": type(instance)})
