"""Input no database can store: refused before any page handles it (the API checks it in its parser)."""

from flask import abort, request


def refuse_unstorable_input():
    """before_request hook: a NUL character in a query or form value is a 400, not a PostgreSQL error."""
    if request.path.startswith("/api/"):
        return
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)
