"""Whether the data a connection reads can have changed since an earlier moment, known by one cheap statement.

``data_version(connection)`` is read *before* reading the data a result is computed from. Two versions are equal only
if nothing was committed in between, by anyone: then the data read after the first would read the same after the
second, and a result computed from it may be given again without reading it (``UnchangedCache``).

- SQLite: ``PRAGMA data_version`` changes whenever another connection, of this process or another, commits; the
  connection's own changes are counted by ``total_changes`` (rows written, committed or rolled back). Both are the
  connection's own counters, so a version belongs to its connection.
- PostgreSQL: the current snapshot (``pg_current_snapshot()``: oldest and next transaction ids and those in
  progress). A transaction that writes gets an id: it changes the next id, or leaves the list of those in progress
  when it ends, so an equal snapshot means no commit in between, on any connection.

There is no version (None: read the data) when the connection's transaction has written and not committed yet,
because it could still be rolled back, and on other databases. Schema changes made by the connection itself are
not counted on SQLite: migrations run in their own process, where they change the version of every other one.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


#: The statement that reads the version, by dialect.
STATEMENTS = {"sqlite": "PRAGMA data_version",
              "postgresql": "SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned() IS NOT NULL"}


@dataclass(frozen=True)
class DataVersion:
    #: What the value is comparable within: the SQLite connection (its DBAPI object), or the PostgreSQL database
    #: (its URL: snapshots are the server's, the data the database's).
    scope: object
    value: Hashable


def data_version(connection) -> DataVersion | None:
    """The version of what ``connection`` (SQLAlchemy's) reads now, or None when it cannot be known."""
    name = connection.dialect.name
    if name == "sqlite":
        raw = connection.connection.dbapi_connection
        if raw.in_transaction:  # the driver began a transaction before a write (or a request's BEGIN IMMEDIATE)
            return None
        changed_elsewhere = connection.exec_driver_sql(STATEMENTS[name]).scalar()
        return DataVersion(raw, (changed_elsewhere, raw.total_changes))
    if name == "postgresql":
        snapshot, written = connection.exec_driver_sql(STATEMENTS[name]).one()
        return None if written else DataVersion(connection.engine.url, snapshot)
    return None


class UnchangedCache:
    """Results kept while the data they were computed from is unchanged: for each scope, the results computed at its
    latest version only (a version that changed never comes back), for at most ``scopes`` scopes and ``keys`` keys
    per scope, the least recently used dropped first. Thread-safe; the values are shared, never modify them."""

    def __init__(self, *, scopes: int = 8, keys: int = 16):
        self._scopes, self._keys = scopes, keys
        self._entries: OrderedDict[object, tuple[Hashable, OrderedDict]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: DataVersion | None, key: Hashable):
        """The value put for ``key`` at this very version, else None."""
        if version is None:
            return None
        with self._lock:
            entry = self._entries.get(version.scope)
            if entry is None or entry[0] != version.value or key not in entry[1]:
                return None
            self._entries.move_to_end(version.scope)
            entry[1].move_to_end(key)
            return entry[1][key]

    def put(self, version: DataVersion | None, key: Hashable, value) -> None:
        """Keep ``value``, computed from data read after ``version`` was; what the scope kept at an older version
        goes."""
        if version is None:
            return
        with self._lock:
            entry = self._entries.get(version.scope)
            if entry is None or entry[0] != version.value:
                entry = self._entries[version.scope] = (version.value, OrderedDict())
            entry[1][key] = value
            entry[1].move_to_end(key)
            self._entries.move_to_end(version.scope)
            while len(entry[1]) > self._keys:
                entry[1].popitem(last=False)
            while len(self._entries) > self._scopes:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
