"""RowInserter: many INSERTs at once, for the FINESS import's national volumes.

Each row becomes a tuple (the row's columns, then the constants), every value through the bind processor
SQLAlchemy would apply itself (dates to text on SQLite, JSON wrapped for psycopg...), and the tuples go to the
driver in one call per batch:

- PostgreSQL (psycopg): ``COPY organisations (...) FROM STDIN``, four to five times faster than INSERTs, with the
  same constraints, column defaults (the id from its sequence) and transaction. With ``keep_open`` (a first
  import: no SELECT between two batches) one COPY carries every batch, so that the server stores a batch while
  the next one is being read; nothing else may run on the connection until ``close()``.
- SQLite: one DBAPI executemany of a plain INSERT (SQLAlchemy's Core executemany builds and processes a
  parameter dict per row, about as long as SQLite takes to store the row);
- any other driver: Core's insert, executemany.
"""

from contextlib import ExitStack
from operator import itemgetter

from sqlalchemy import Date, Table, insert
from sqlalchemy.engine import Connection


class RowInserter:
    """Inserts batches of rows (column → value, the same columns in every row) with `constants` (the same for
    all); a context manager: leaving it closes the COPY (and abandons it when leaving on an exception)."""

    def __init__(self, connection: Connection, table: Table, constants: dict, keep_open: bool = False):
        self.connection = connection
        self.table = table
        self.constants = constants
        self.keep_open = keep_open
        self._copy = None
        self._open = ExitStack()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self._copy = None
        self._open.__exit__(*exc_info)

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        dialect = self.connection.dialect
        if dialect.driver not in ("psycopg", "pysqlite"):
            self.connection.execute(insert(self.table), [{**row, **self.constants} for row in rows])
            return
        names = list(rows[0])
        tuples = as_tuples(self.connection, self.table, rows, names, self.constants)
        columns = ", ".join(dialect.identifier_preparer.quote(name) for name in [*names, *self.constants])
        target = dialect.identifier_preparer.format_table(self.table)
        if dialect.driver == "psycopg":
            if self._copy is None:
                cursor = self._open.enter_context(self.connection.connection.driver_connection.cursor())
                self._copy = self._open.enter_context(cursor.copy(f"COPY {target} ({columns}) FROM STDIN"))
            for values in tuples:
                self._copy.write_row(values)
            if not self.keep_open:
                self.close()
        else:
            markers = ", ".join("?" * (len(names) + len(self.constants)))
            self.connection.exec_driver_sql(f"INSERT INTO {target} ({columns}) VALUES ({markers})", tuples)

    def close(self) -> None:
        """End the COPY, if one is open: the server has then stored every row."""
        self.__exit__(None, None, None)


def insert_rows(connection: Connection, table: Table, rows: list[dict], constants: dict) -> None:
    """Insert `rows` (column → value, the same columns in every row) with `constants` (the same for all)."""
    with RowInserter(connection, table, constants) as inserter:
        inserter.insert(rows)


def as_tuples(connection: Connection, table: Table, rows: list[dict], names: list[str], constants: dict) -> list:
    """(row's values in `names` order, then the constants), processed for the driver as SQLAlchemy would."""
    dialect = connection.dialect
    processors = {name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in [*names, *constants]}
    fixed = tuple(_processed(processors[name], value) for name, value in constants.items())
    per_row = [(index, _remembered(processors[name]) if isinstance(table.c[name].type, Date) else processors[name])
               for index, name in enumerate(names) if processors[name] is not None]
    values_of = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    if not per_row:
        return [values_of(row) + fixed for row in rows]
    tuples = []
    for row in rows:
        values = list(values_of(row))
        for index, process in per_row:
            if values[index] is not None:
                values[index] = process(values[index])
        tuples.append((*values, *fixed))
    return tuples


def _remembered(process):
    """Dates repeat a lot (update days): convert each distinct one once."""
    done = {}

    def remembered(value):
        if value not in done:
            done[value] = process(value)
        return done[value]
    return remembered


def _processed(process, value):
    return process(value) if process is not None and value is not None else value
