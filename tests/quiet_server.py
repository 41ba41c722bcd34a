"""Steps that need the data version unchanged throughout, run again until nothing was committed meanwhile.

On PostgreSQL the data version is the server's snapshot (registry/core/data_version.py): a commit by anyone on the
server changes it, so another test worker's commits, in its own database, do too. The application then reads the
rows again, which is right but not what a test of "nothing changed, nothing read" can observe. Such a test runs its
steps through ``while_nothing_commits``, which keeps the attempt during which the server's snapshot stayed the same.
On SQLite each worker has its own file and nobody else commits: one attempt.
"""

import time

import pytest
from sqlalchemy import text

from registry.core.data_version import STATEMENTS
from registry.extensions import db

ATTEMPTS = 200


def server_snapshot() -> str:
    with db.engine.connect() as connection:
        snapshot, _ = connection.execute(text(STATEMENTS["postgresql"])).one()
        return snapshot


def while_nothing_commits(steps):
    """``steps()``'s result, from an attempt during which nobody committed on the server."""
    if db.engine.dialect.name != "postgresql":
        return steps()
    for attempt in range(ATTEMPTS):
        before = server_snapshot()
        result = steps()
        if server_snapshot() == before:
            return result
        time.sleep(0.001 * (attempt % 20))  # a few milliseconds, for a quieter moment of the other workers
    pytest.fail(f"the server committed something during each of {ATTEMPTS} attempts")
