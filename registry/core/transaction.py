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
