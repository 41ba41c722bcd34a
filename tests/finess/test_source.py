"""Reading a FINESS file: kind, gzip by magic bytes, encoding, coordinates; fatal problems stop everything."""

import gzip

import pytest

from registry.core.errors import DomainError
from registry.finess.coordinates import CoordinateIndex, is_etalab_geolocation, to_wgs84
from registry.finess.report import ImportReport
from registry.finess.source import ETALAB, FHIR, FinessSource
from tests.finess.helpers import (
    ETALAB_SAMPLE, FHIR_SAMPLE, FLEYRIAT_GEOLOCATION, FLEYRIAT_LATITUDE, FLEYRIAT_LONGITUDE, sample_lines,
    write_lines,
)


def _scanned(path) -> FinessSource:
    source = FinessSource(path)
    source.scan(lambda line: False, lambda number, line: None)
    return source


def test_kinds_are_detected_from_content():
    assert FinessSource(ETALAB_SAMPLE).kind == ETALAB
    assert FinessSource(FHIR_SAMPLE).kind == FHIR


def test_gzip_is_detected_by_magic_bytes_not_by_name(tmp_path):
    path = write_lines(tmp_path / "extract.csv", sample_lines(), compress=True)
    source = _scanned(path)
    assert source.compressed and source.kind == ETALAB
    assert [number for number, _fields in source.csv_records()] == list(range(1, 16))


def test_a_plain_file_named_gz_is_read_as_plain(tmp_path):
    path = write_lines(tmp_path / "extract.csv.gz", sample_lines())
    assert not FinessSource(path).compressed


def test_utf8_and_cp1252_files_decode_to_the_same_text(tmp_path):
    utf8 = _scanned(write_lines(tmp_path / "utf8.csv", sample_lines()))
    latin = _scanned(write_lines(tmp_path / "latin.csv", sample_lines(), encoding="cp1252"))
    assert (utf8.encoding, latin.encoding) == ("utf-8-sig", "cp1252")
    assert list(utf8.csv_records()) == list(latin.csv_records())


def test_bytes_neither_utf8_nor_cp1252_are_fatal(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes("\n".join(sample_lines()).encode("utf-8").replace(b"VIRIAT", b"VIR\x81AT"))
    with pytest.raises(DomainError, match="ligne 2 n'est ni en UTF-8 ni en Windows-1252"):
        _scanned(path)


@pytest.mark.parametrize("content, message", [
    (b"nofinesset;nofinessej;rs\n010000024;010780054;CH\n", "fichier non reconnu"),
    (b"%PDF-1.7\n", "fichier non reconnu"),
    (b"", "fichier vide"),
])
def test_other_files_are_refused(tmp_path, content, message):
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    with pytest.raises(DomainError, match=message):
        FinessSource(path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(DomainError, match="fichier introuvable"):
        FinessSource(tmp_path / "absent.csv")


def test_a_truncated_gzip_is_fatal(tmp_path):
    data = gzip.compress(("\n".join(sample_lines() * 50)).encode("utf-8"))
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DomainError, match="gzip"):
        _scanned(path)


def test_progress_counts_bytes_of_both_passes(tmp_path):
    seen = []
    source = FinessSource(ETALAB_SAMPLE, progress=lambda done, total: seen.append((done, total)))
    source.scan(lambda line: False, lambda number, line: None)
    list(source.csv_records())
    size = ETALAB_SAMPLE.stat().st_size
    assert seen[-1] == (2 * size, 2 * size)
    assert (size, 2 * size) in seen


def test_lambert_93_to_wgs84_on_the_checked_example():
    longitudes, latitudes = to_wgs84([882408.3], [6543019.6])
    assert longitudes[0] == pytest.approx(FLEYRIAT_LONGITUDE, abs=1e-5)
    assert latitudes[0] == pytest.approx(FLEYRIAT_LATITUDE, abs=1e-5)


@pytest.mark.parametrize("line", [
    FLEYRIAT_GEOLOCATION,  # 2016: the source split by `;`
    "geolocalisation;010000024;882408.3;6543019.6;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2021-01-08;",
    "geolocalisation;10000024;882408,3;6543019,6;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;08/01/2021;;;",
])
def test_geolocation_lines_of_every_known_layout(line):
    assert is_etalab_geolocation(line.encode())
    index = CoordinateIndex(ImportReport("x"))
    index.add_geolocation_line(2, line.encode())
    index.finish()
    latitude, longitude = index.get("010000024")
    assert (latitude, longitude) == pytest.approx((FLEYRIAT_LATITUDE, FLEYRIAT_LONGITUDE), abs=1e-5)


def test_geolocation_in_another_projection_or_unreadable_is_left_aside():
    report = ImportReport("x")
    index = CoordinateIndex(report)
    index.add_geolocation_line(2, b"geolocalisation;970300026;353000.1;543000.2;1,ATLASANTE,100,IGN,UTM_N22;2021;")
    index.add_geolocation_line(3, b"geolocalisation;010000024;abc;6543019.6;1,IGN,LAMBERT_93;2021-01-08;")
    index.add_geolocation_line(4, b"geolocalisation;010000024;882408.3;65430.6;1,IGN,LAMBERT_93;2021-01-08;")
    index.finish()
    assert index.points == {}
    assert index.other_projection == {"970300026"}
    assert [issue.line for issue in report.warnings] == [3, 4]
