"""Convention references, unique per hospital and year even under concurrent creation.

The counter row of (hospital, year) is created if missing, then incremented with UPDATE … RETURNING: on
PostgreSQL the row lock makes a concurrent transaction wait for the first one's commit and read its number; on
SQLite the database write lock serialises the two.
"""

from sqlalchemy import update

from registry.conventions.models import ReferenceCounter
from registry.extensions import db


def format_reference(finess_et: str, year: int, number: int) -> str:
    return f"{finess_et}-{year}-{number:03d}"


def next_number(hospital_id: int, year: int) -> int:
    if db.session.get_bind().dialect.name == "postgresql":  # each dialect module loaded only where it is in use
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(ReferenceCounter)
                       .values(hospital_id=hospital_id, year=year, last_number=0)
                       .on_conflict_do_nothing())
    return db.session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.hospital_id == hospital_id, ReferenceCounter.year == year)
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number)).scalar_one()
