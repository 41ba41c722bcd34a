"""conformite.csv: the compliance verdicts (texts in force) of the bundle's hospitals on the bundle's date, as the compliance
area gives them to every page and export (one row per hospital × requirement, the dashboard's CSV columns)."""

from datetime import date

from sqlalchemy import Select

from registry.bundles.manifest import csv_bytes
from registry.compliance.adapter import evaluate_hospitals
from registry.compliance.exports import table


def conformite_csv(hospitals: Select, at: date) -> bytes:
    """``hospitals``: the bundle's HospitalProfile select (scope.hospitals_in)."""
    return csv_bytes(table(evaluate_hospitals(hospitals, at)))
