"""Positions of establishments, collected during the first pass: etalab `geolocalisation` lines (Lambert 93,
converted to WGS84 in batches) and FHIR `Location` resources (already WGS84)."""

import csv
import json
import re
from functools import lru_cache


from registry.finess.fhir import parse_location
from registry.finess.repair import ValueProblem, repair_finess
from registry.finess.report import ImportReport

LAMBERT_93 = re.compile(r"LAMBERT[ _-]?93", re.IGNORECASE)
#: Metropolitan France in Lambert 93 (metres), with a margin; anything else is a damaged value.
LAMBERT_93_X = (0.0, 1_300_000.0)
LAMBERT_93_Y = (6_000_000.0, 7_200_000.0)
CONVERSION_BATCH = 5000
#: About 1 cm: enough for a building, and stable from one import to the next.
DECIMALS = 7


@lru_cache(maxsize=1)
def lambert93_to_wgs84():
    """Built once per process: creating a transformer reads the PROJ database. pyproj (about 12 MB) is loaded
    by the first import that needs coordinates, not at start-up."""
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)


def to_wgs84(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """Lambert 93 metres → (longitudes, latitudes) in degrees, many points in one call."""
    longitudes, latitudes = lambert93_to_wgs84().transform(xs, ys)
    return list(longitudes), list(latitudes)


def is_etalab_geolocation(line: bytes) -> bool:
    return line.startswith(b"geolocalisation")


def is_fhir_location(line: bytes) -> bool:
    return b'"Location"' in line


class CoordinateIndex:
    """FINESS ET → (latitude, longitude), filled by the first pass and read by the second."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.points: dict[str, tuple[float, float]] = {}
        #: Establishments whose coordinates use another projection (overseas), counted when imported.
        self.other_projection: set[str] = set()
        self._pending: tuple[list[str], list[float], list[float]] = ([], [], [])

    def get(self, finess_et: str) -> tuple[float, float] | None:
        return self.points.get(finess_et)

    def add_geolocation_line(self, number: int, line: bytes) -> None:
        """`geolocalisation;FINESS;X;Y;<source, itself possibly `;`-separated>;DATE`."""
        if b"LAMBERT_93" in line and b'"' not in line:  # the usual line, a hundred thousand times: split it
            parts = line.split(b";", 4)
            try:
                x, y = float(parts[2]), float(parts[3])
            except (IndexError, ValueError):
                x = y = -1.0  # the careful path below says what is wrong
            if LAMBERT_93_X[0] <= x <= LAMBERT_93_X[1] and LAMBERT_93_Y[0] <= y <= LAMBERT_93_Y[1]:
                self._add_lambert(repair_finess(parts[1].decode("utf-8", "replace")), x, y)
                return
        if b'"' in line:
            fields = next(csv.reader([line.decode("utf-8", "replace")], delimiter=";"))
        else:  # the usual case, a hundred thousand times: no quoting, a plain split is enough
            fields = line.decode("utf-8", "replace").rstrip("\r\n").split(";")
        while fields and not fields[-1].strip():
            fields.pop()  # the trailing `;`, and a spreadsheet's padding
        if len(fields) < 5:
            self.report.warn(number, "ligne de géolocalisation incomplète, ignorée")
            return
        finess_et = repair_finess(fields[1])
        if not LAMBERT_93.search(";".join(fields[4:-1])):
            self.other_projection.add(finess_et)
            return
        try:
            x, y = float(fields[2].replace(",", ".")), float(fields[3].replace(",", "."))
        except ValueError:
            self.report.warn(number, f"coordonnées « {fields[2]} ; {fields[3]} » de {finess_et} illisibles, ignorées")
            return
        if not (LAMBERT_93_X[0] <= x <= LAMBERT_93_X[1] and LAMBERT_93_Y[0] <= y <= LAMBERT_93_Y[1]):
            self.report.warn(number, f"coordonnées Lambert 93 de {finess_et} hors de la métropole, ignorées")
            return
        self._add_lambert(finess_et, x, y)

    def _add_lambert(self, finess_et: str, x: float, y: float) -> None:
        finesses, xs, ys = self._pending
        finesses.append(finess_et)
        xs.append(x)
        ys.append(y)
        if len(finesses) >= CONVERSION_BATCH:
            self._convert()

    def add_location_line(self, number: int, line: bytes) -> None:
        try:
            resource = json.loads(line.decode("utf-8", "replace"))
        except ValueError:
            return  # the second pass reports unreadable lines
        if not isinstance(resource, dict) or resource.get("resourceType") != "Location":
            return
        try:
            finess_et, latitude, longitude = parse_location(resource)
        except ValueProblem as problem:
            self.report.warn(number, str(problem))
            return
        self.points[repair_finess(finess_et)] = (round(latitude, DECIMALS), round(longitude, DECIMALS))

    def finish(self) -> None:
        self._convert()

    def _convert(self) -> None:
        finesses, xs, ys = self._pending
        if not finesses:
            return
        longitudes, latitudes = to_wgs84(xs, ys)
        for finess_et, latitude, longitude in zip(finesses, latitudes, longitudes, strict=True):
            self.points[finess_et] = (round(latitude, DECIMALS), round(longitude, DECIMALS))
        self._pending = ([], [], [])
