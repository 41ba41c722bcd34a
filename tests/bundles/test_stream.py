"""The ZIP itself: deterministic bytes, members stamped with the bundle's date, stored, ZIP64 when large, produced in
constant memory, and hostile names kept inside their folders."""

import struct
import tracemalloc
import zipfile
from functools import partial

import pytest

from registry.bundles.stream import Member, zip_stream
from registry.core.storage import document_store
from registry.extensions import db
from tests.bundles.helpers import archive, build_bundle, bundle_bytes, manifest, pdf_paths
from tests.clock import TODAY
from tests.stores import filesystem_only

ZIP64_EXTRA = 0x0001


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


@filesystem_only
def test_streaming_reads_the_stored_files_in_chunks(app):
    big = b"%PDF-1.7\n" + bytes(range(256)) * (96 * 1024)  # 24 MiB
    sha256, size = document_store().store(big)
    member = Member("gros.pdf", size, partial(document_store().chunks, sha256))  # as a bundle reads its copies
    del big
    tracemalloc.start()
    try:
        total = sum(len(chunk) for chunk in zip_stream([member], date_time=(2026, 1, 1, 0, 0, 0)))
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
