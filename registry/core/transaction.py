"""One commit per request: form views run their service call through commit_or_error()."""

from sqlalchemy import inspect, select

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


def lock_row(instance, options=()) -> None:
    """Re-read ``instance``'s row under a lock until the transaction ends (PostgreSQL), so that a concurrent
    request doing the same waits, then reads what this one wrote. SQLite runs one writer at a time anyway.

    ``options``: loader options for what the caller reads next (a draft's convention: its hospital, parties and
    their profiles, conventions.services.DRAFT_LOADING), read in the same statement, under the lock too; without,
    the re-read is the instance's as it was loaded (with the options it was loaded with). Either way only the
    instance's own table is locked (FOR UPDATE OF), which PostgreSQL allows beside such options' outer joins."""
    db.session.flush()
    if db.session.get_bind().dialect.name != "postgresql":
        return
    if not options:
        db.session.refresh(instance, with_for_update={"of": type(instance)})
        return
    state = inspect(instance)
    key = [column == value for column, value in zip(state.mapper.primary_key, state.identity)]
    db.session.execute(select(state.mapper).where(*key).options(*options).with_for_update(of=state.mapper)
                       .execution_options(populate_existing=True)).unique().scalar_one()
