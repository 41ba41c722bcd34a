"""The ZIP itself: deterministic bytes, members stamped with the bundle's date, stored, ZIP64 when large, produced in
constant memory, each copy's CRC-32 the one recorded at upload (computed for a copy that has none), and hostile
names kept inside their folders."""

import shutil
import struct
import subprocess
import tracemalloc
import zipfile
import zlib
from functools import partial

import pytest
from sqlalchemy import select, update

from registry.bundles.stream import Member, SizeMismatch, zip_stream
from registry.bundles.verify import verify_bundle
from registry.conventions.models import ConventionDocument
from registry.core.storage import document_store
from registry.extensions import db
from tests.bundles.helpers import archive, build_bundle, bundle_bytes, manifest, pdf_paths
from tests.clock import TODAY
from tests.stores import alter_document, filesystem_only

ZIP64_EXTRA = 0x0001
#: General purpose flag: the CRC and sizes are in a data descriptor after the member's bytes.
DATA_DESCRIPTOR = 0x08
DAY = (2026, 1, 1, 0, 0, 0)


def _local_header_crc_and_sizes(data: bytes, info: zipfile.ZipInfo) -> tuple[int, int, int]:
    return struct.unpack("<LLL", data[info.header_offset + 14:info.header_offset + 26])


def test_the_same_content_gives_the_same_bytes(world):
    first = bundle_bytes(build_bundle(world.users["ars"], region="27"))
    db.session.expire_all()
    second = bundle_bytes(build_bundle(world.users["ars"], region="27"))
    assert first == second


def test_a_new_signed_copy_changes_the_bundle(world, build):
    before = bundle_bytes(build_bundle(departement="21"))
    build.signed(world.neighbour, partner_name="EHPAD NOUVEAU")
    assert bundle_bytes(build_bundle(departement="21")) != before


def test_members_are_stored_and_stamped_with_the_bundle_date(world):
    bundle = build_bundle(hospital=world.own.finess_et)
    infos = archive(bundle_bytes(bundle)).infolist()
    assert {info.date_time for info in infos} == {(bundle.at.year, bundle.at.month, bundle.at.day, 0, 0, 0)}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_zip64_can_be_forced_per_member_and_the_archive_still_reads(world):
    data = b"".join(build_bundle(hospital=world.own.finess_et).stream(zip64_from=0))
    zipped = archive(data)
    assert zipped.testzip() is None
    for info in zipped.infolist():
        header = data[info.header_offset:info.header_offset + 30]
        version, name_length, extra_length = struct.unpack("<H", header[4:6])[0], *struct.unpack("<HH", header[26:30])
        extra = data[info.header_offset + 30 + name_length:][:extra_length]
        assert version >= 45 and struct.unpack("<H", extra[:2])[0] == ZIP64_EXTRA, info.filename
    assert [zipped.read(n) for n in zipped.namelist()] == [
        archive(bundle_bytes(build_bundle(hospital=world.own.finess_et))).read(n) for n in zipped.namelist()]


@pytest.mark.slow
def test_zip64_end_records_when_the_archive_holds_more_than_65535_members():
    members = [Member.of_bytes(f"{n:05d}.txt", b"x") for n in range(65536)]
    data = b"".join(zip_stream(members, date_time=(2026, 1, 1, 0, 0, 0)))
    assert b"PK\x06\x06" in data[-200:] and b"PK\x06\x07" in data[-200:]
    assert len(archive(data).infolist()) == 65536


def test_copies_are_written_with_the_crc32_recorded_at_upload(world):
    data = bundle_bytes(build_bundle(region="27"))
    zipped = archive(data)
    assert zipped.testzip() is None  # every member's bytes match its CRC
    crc32s = dict(db.session.execute(select(ConventionDocument.sha256, ConventionDocument.crc32)).all())
    recorded = {entry["path"]: crc32s[entry["sha256"]] for entry in manifest(data)["files"]}
    assert len(recorded) == 5 and None not in recorded.values()  # the region's five copies
    for info in zipped.infolist():
        assert not info.flag_bits & DATA_DESCRIPTOR, info.filename
        assert _local_header_crc_and_sizes(data, info) == (info.CRC, info.file_size, info.file_size)
        if info.filename in recorded:
            assert info.CRC == recorded[info.filename] == zlib.crc32(zipped.read(info.filename))


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP's unzip is not installed")
def test_info_zip_finds_no_error_in_a_bundle(world, tmp_path):
    db.session.execute(update(ConventionDocument).where(ConventionDocument.sha256 == world.files["nievre"].sha256)
                       .values(crc32=None))
    path = tmp_path / "lot.zip"
    path.write_bytes(b"".join(build_bundle(region="27").stream(zip64_from=200_000)))  # the copies in ZIP64
    done = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "No errors detected" in done.stdout, done.stdout + done.stderr


def test_a_copy_stored_before_its_crc32_was_recorded_gets_it_computed(world):
    before = archive(bundle_bytes(build_bundle(hospital=world.own.finess_et)))
    db.session.execute(update(ConventionDocument).where(ConventionDocument.sha256 == world.files["main"].sha256)
                       .values(crc32=None))
    data = bundle_bytes(build_bundle(hospital=world.own.finess_et))
    zipped = archive(data)
    main = next(entry["path"] for entry in manifest(data)["files"] if entry["reference"] == world.main.reference)
    assert [info.filename for info in zipped.infolist() if info.flag_bits & DATA_DESCRIPTOR] == [main]
    assert zipped.testzip() is None
    assert [(info.filename, info.CRC, zipped.read(info)) for info in zipped.infolist()] == [
        (info.filename, info.CRC, before.read(info)) for info in before.infolist()]


def test_a_stored_copy_altered_after_upload_fails_the_readers_check(world, tmp_path):
    alter_document(world.files["neighbour"].sha256)  # same size: nothing stops the bundle
    data = bundle_bytes(build_bundle(hospital=world.neighbour.finess_et))
    assert archive(data).testzip() == pdf_paths(data)[0]  # the CRC recorded at upload gives it away on extraction
    (tmp_path / "lot.zip").write_bytes(data)
    result = verify_bundle(tmp_path / "lot.zip")
    assert [path for path, _ in result.modified] == pdf_paths(data) and "CRC" in result.modified[0][1]


@pytest.mark.parametrize("chunks", [[b"x" * 5], [b"x" * 8, b"x" * 8]], ids=["shorter", "longer"])
def test_a_member_whose_bytes_are_not_its_size_cuts_the_archive(chunks):
    member = Member("copie.pdf", 10, lambda: chunks, crc32=zlib.crc32(b"x" * 10))
    with pytest.raises(SizeMismatch, match="« copie.pdf » fait"):
        b"".join(zip_stream([Member.of_bytes("LISEZMOI.txt", b"lisez-moi"), member], date_time=DAY))


@filesystem_only
@pytest.mark.parametrize("recorded", [True, False], ids=["crc32-recorded", "crc32-computed"])
def test_streaming_reads_the_stored_files_in_chunks(app, recorded):
    big = b"%PDF-1.7\n" + bytes(range(256)) * (96 * 1024)  # 24 MiB
    sha256, size = document_store().store(big)
    member = Member("gros.pdf", size, partial(document_store().chunks, sha256),  # as a bundle reads its copies
                    zlib.crc32(big) if recorded else None)
    del big
    tracemalloc.start()
    try:
        total = sum(len(chunk) for chunk in zip_stream([member], date_time=DAY))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > size and peak < 4 * 1024 * 1024


@pytest.mark.parametrize("partner_name", [
    "../../etc/passwd",
    "EHPAD « LES MIMOSAS » / SITE DE L'ÎLE",
    "CENTRE " + "TRÈS " * 35 + "LONG",
    "..",
    "C:\\Windows\\System32",
])
def test_hostile_partner_names_stay_inside_the_hospital_folder(world, build, partner_name):
    convention, _ = build.signed(world.neighbour, partner_name=partner_name)
    data = bundle_bytes(build_bundle(hospital=world.neighbour.finess_et))
    entry = next(e for e in manifest(data)["files"] if e["reference"] == convention.reference)
    parts = entry["path"].split("/")
    assert len(parts) == 3 and parts[:2] == pdf_paths(data)[0].split("/")[:2]
    assert parts[2].startswith(convention.reference) and parts[2].endswith(".pdf")
    assert ".." not in entry["path"] and "\\" not in entry["path"] and ":" not in entry["path"]
    assert len(parts[2]) <= 100 and parts[2].isascii()
    assert entry["parties"][1]["name"] == partner_name  # the manifest keeps the real name


def test_colliding_names_are_numbered_deterministically(world, build, make_organisation, make_partnership):
    hospital = build.hospital("21", "CH DE NUITS")
    long = "EHPAD " + "X" * 150
    first, _ = build.signed(hospital, partner_name=long)
    second, _ = build.signed(hospital, partner_name=long + " BIS")
    names = [e["path"].split("/")[-1] for e in manifest(bundle_bytes(build_bundle(
        hospital=hospital.organisation.finess_et)))["files"]]
    assert len(set(names)) == 2 and all(len(name) <= 100 for name in names)
    assert names[0].startswith(first.reference) and names[1].startswith(second.reference)


def test_bundle_date_is_an_input(world):
    bundle = build_bundle(hospital=world.own.finess_et)
    assert bundle.at == TODAY and bundle.filename == (
        f"conventions-signees-hopital-{world.own.finess_et}-{TODAY.isoformat()}.zip")
