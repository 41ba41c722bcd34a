"""Test data for the FINESS import, built from the real sample lines (tests/data/finess) in memory."""

import csv
import gzip
import io
from pathlib import Path

from sqlalchemy import func, select

from registry.extensions import db
from registry.organisations.models import Organisation

DATA = Path(__file__).resolve().parent.parent / "data" / "finess"
ETALAB_SAMPLE = DATA / "etalab-cs1100502-20260512-sample-lines.csv"
FHIR_SAMPLE = Path(__file__).resolve().parents[2] / "registry" / "demo" / "data" / \
    "finess-fhir-2021-bourgogne-21-58-71-89.ndjson"

#: A checked conversion (registry/finess/coordinates.py): Lambert 93 (882408.3, 6543019.6) is longitude 5.35565,
#: latitude 45.96240.
FLEYRIAT_GEOLOCATION = ("geolocalisation;010000024;882408.3;6543019.6;1;ATLASANTE;100;IGN;BD_ADRESSE;V2.1;LAMBERT_93;"
                        "2016-02-29;")
FLEYRIAT_LATITUDE, FLEYRIAT_LONGITUDE = 45.96240, 5.35565


def sample_lines() -> list[str]:
    """Header + 14 real structureet lines, without line ends."""
    return ETALAB_SAMPLE.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8", compress: bool = False) -> Path:
    data = ("\n".join(lines) + "\n").encode(encoding)
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def fields_of(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=";"))


def line_of(fields: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="").writerow(fields)
    return buffer.getvalue()


def with_field(line: str, index: int, value: str) -> str:
    fields = fields_of(line)
    fields[index] = value
    return line_of(fields)


def excel_resaved(line: str) -> str:
    """What a spreadsheet re-save does to a structureet line (seen in finess_light.csv)."""
    fields = fields_of(line)
    for index in (1, 2, 13, 16, 17, 24):  # FINESS ET/EJ, département, phones, MFT code: numbers to Excel
        if fields[index].isdigit():
            fields[index] = fields[index].lstrip("0")
    if fields[22]:
        fields[22] = f"{int(fields[22]):.3E}".replace(".", ",")
    for index in (28, 29, 30):
        if fields[index]:
            year, month, day = fields[index].split("-")
            fields[index] = f"{day}/{month}/{year}"
    return line_of(fields + ["", "", ""])


def organisation_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def organisation(finess_et: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.finess_et == finess_et))
