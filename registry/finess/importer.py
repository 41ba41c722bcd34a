"""import_finess(): read a FINESS file and upsert its establishments by FINESS ET, in the caller's transaction.

Fatal problems (file kind, encoding, gzip) raise DomainError before anything is written, or half-way through a
gzip stream, in which case the caller rolls back. Row problems are reported line by line and do not stop it.
"""

from collections.abc import Generator, Iterable, Iterator

from registry.audit.services import record_audit
from registry.core.child_stream import ChildEnded, ChildStream
from registry.core.errors import DomainError
from registry.core.geography import DEPARTEMENTS, OVERSEAS_INSEE_PREFIX
from registry.core.models import utcnow
from registry.extensions import db
from registry.finess import etalab, fhir
from registry.finess.coordinates import CoordinateIndex, is_etalab_geolocation, is_fhir_location
from registry.finess.repair import repair_departement
from registry.finess.report import ImportReport
from registry.finess.rows import ParsedRow
from registry.finess.source import ETALAB, FinessSource, ProgressCallback
from registry.finess.upsert import OrganisationWriter

#: Rows per SELECT/INSERT/UPDATE round: large enough to amortise, small enough to stream.
BATCH_SIZE = 2000
AUDIT_ACTION = "finess.import"
READING_STOPPED = ("la lecture du fichier s'est arrêtée en route (processus de lecture interrompu, mémoire "
                   "insuffisante ?) : rien n'a été importé")
FINESS_CODE_OF_INSEE = {insee: finess for finess, insee in OVERSEAS_INSEE_PREFIX.items()}


def import_finess(path, departements: Iterable[str] | None = None, progress: ProgressCallback | None = None,
                  batch_size: int = BATCH_SIZE) -> ImportReport:
    """Import an etalab extract or FHIR ndjson (plain or .gz); the caller commits (or rolls back on error).

    The rows are read and checked in a child process (``read_establishments``) while this one writes the ones
    already read: reading is pure Python and writing mostly the driver's, so a national extract keeps two
    processors busy instead of one at a time (docs/finess-import.md)."""
    wanted = normalise_departements(departements)
    source = FinessSource(path)  # a missing or unknown file is refused here, before any child
    establishments = ChildStream(read_establishments, source, wanted, ImportReport(path=str(path)), progress=progress)
    with OrganisationWriter(db.session, utcnow(), batch_size) as writer:
        try:
            for values in establishments:
                writer.add(values)
        except ChildEnded as error:
            raise DomainError(READING_STOPPED) from error
    report = establishments.result
    report.created, report.updated, report.unchanged = writer.created, writer.updated, writer.unchanged
    record_audit(AUDIT_ACTION, report, report.audit_summary())
    return report


def read_establishments(source: FinessSource, wanted: set[str] | None, report: ImportReport,
                        progress: ProgressCallback | None = None) -> Generator[dict, None, ImportReport]:
    """The establishments to write, as column values, in the file's order; returns ``report`` with what the
    reading found (kind, encoding, rejected lines, warnings, skipped rows, coordinates left aside)."""
    source.progress = progress
    report.kind = source.kind
    coordinates = CoordinateIndex(report)
    if source.kind == ETALAB:
        source.scan(is_etalab_geolocation, coordinates.add_geolocation_line)
        rows = etalab.read_rows(source.csv_records(), report)
    else:
        source.scan(is_fhir_location, coordinates.add_location_line)
        rows = fhir.read_rows(source.text_lines(), report)
    coordinates.finish()
    report.encoding = source.encoding.removesuffix("-sig")
    yield from checked_rows(rows, wanted, coordinates, report)
    return report


def checked_rows(rows: Iterable[tuple[int, ParsedRow]], wanted: set[str] | None, coordinates: CoordinateIndex,
                 report: ImportReport) -> Iterator[dict]:
    """Every parsed row: skipped (other département), rejected (its problem, a FINESS ET read twice) or yielded
    with its coordinates."""
    first_lines: dict[str, int] = {}
    for line, parsed in rows:
        if wanted is not None and parsed.departement not in wanted:
            report.skipped += 1
            continue
        if parsed.problem:
            report.reject(line, parsed.problem)
            continue
        values = parsed.values
        finess_et = values["finess_et"]
        if finess_et in first_lines:
            report.reject(line, f"FINESS ET {finess_et} en double, déjà lu ligne {first_lines[finess_et]}")
            continue
        first_lines[finess_et] = line
        for warning in parsed.warnings:
            report.warn(line, warning)
        point = coordinates.get(finess_et)
        if point is not None:
            values["latitude"], values["longitude"] = point
        elif finess_et in coordinates.other_projection:
            report.coordinates_ignored += 1
        yield values


def normalise_departements(codes: Iterable[str] | None) -> set[str] | None:
    """FINESS département codes from what a user types: 1 → 01, 2a → 2A, 971 → 9A."""
    if not codes:
        return None
    result = set()
    for code in codes:
        value = repair_departement(code)
        value = FINESS_CODE_OF_INSEE.get(value, value)
        if value not in DEPARTEMENTS:
            raise DomainError(f"département inconnu : « {code} » (codes FINESS : 01…95, 2A, 2B, 9A…9J)")
        result.add(value)
    return result
