"""SQLite, the embedded default, made safe for concurrent requests on one site.

- A request that may write (POST, PUT, PATCH, DELETE) begins its transaction with ``BEGIN IMMEDIATE``: it takes
  SQLite's write lock before reading anything, so two requests that would both change one convention run one
  after the other, and the second one reads what the first wrote (one 200, one 409), as row locks do on PostgreSQL
  (core.transaction.lock_row). Reads begin as usual and never wait for a writer.
- The database is in WAL mode (write-ahead log, kept in the file once set): readers read beside a writer instead
  of waiting for its commit, and a commit appends to and syncs one file (the ``-wal`` beside the database) instead
  of writing and syncing a rollback journal and the database. The synchronous level stays SQLite's FULL: a
  committed transaction survives a power cut. The ``-wal`` and ``-shm`` files belong to the database (the
  ``backup`` command copies all of it consistently; a plain copy must be made with the application stopped).
- A writer waits up to BUSY_TIMEOUT_SECONDS for another one (a long import) instead of failing after 5 s; past
  that, the request answers 503 « réessayez » (core.errors), never a 500.

SQLite suits one site and a few users; several sites or processes call for PostgreSQL (docs/deploiement.md).
"""

from flask import has_request_context, request
from sqlalchemy import event

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BUSY_TIMEOUT_SECONDS = 30


def configure(engine) -> None:
    """Attach the transaction behaviour above to a SQLite engine (nothing for another database)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        dbapi_connection.execute("PRAGMA journal_mode = WAL")

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # Elsewhere the driver begins a transaction before the first write, as it always did: reads hold no lock.
        if has_request_context() and request.method in WRITE_METHODS:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
