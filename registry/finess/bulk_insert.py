"""insert_rows(): many INSERTs in one DBAPI executemany, for the FINESS import's national volumes.

SQLAlchemy's Core executemany builds and processes a parameter dict per row, about as long as SQLite takes to
store the row. For positional drivers (SQLite) the rows are handed to the driver as tuples, the typed values
going through the very bind processors SQLAlchemy would apply; other drivers (psycopg) keep Core's insert, whose
"insertmanyvalues" batching is already efficient there.
"""

from operator import itemgetter

from sqlalchemy import Date, Table, insert
from sqlalchemy.engine import Connection


def insert_rows(connection: Connection, table: Table, rows: list[dict], constants: dict) -> None:
    """Insert `rows` (column → value, the same columns in every row) with `constants` (the same for all)."""
    if not rows:
        return
    columns = [*rows[0], *constants]
    statement = insert(table)
    compiled = statement.compile(dialect=connection.dialect, column_keys=columns)
    if not compiled.positional or set(compiled.positiontup) != set(columns):
        connection.execute(statement, [{**row, **constants} for row in rows])
        return
    dialect = connection.dialect
    processors = {name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns}
    constants = {name: _processed(processors[name], value) for name, value in constants.items()}
    per_row = [(name, _remembered(process) if isinstance(table.c[name].type, Date) else process)
               for name, process in processors.items() if process is not None and name not in constants]
    as_tuple = itemgetter(*compiled.positiontup)
    tuples = []
    for row in rows:
        row = {**row, **constants}
        for name, process in per_row:
            if row[name] is not None:
                row[name] = process(row[name])
        tuples.append(as_tuple(row))
    connection.exec_driver_sql(compiled.string, tuples)


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
