"""What a bundle holds: the latest signed copy of every signed convention and avenant of the scope, laid out by
département and hospital, with manifests that match the stored bytes and the hospitals' verdicts."""

import hashlib
import json

import pytest

from registry.core.storage import document_store
from registry.extensions import db
from tests.bundles.helpers import archive, build_bundle, bundle_bytes, csv_rows, manifest, pdf_paths


def _references(data: bytes) -> set[str]:
    return {entry["reference"] for entry in manifest(data)["files"]}


def test_a_hospital_bundle_holds_its_signed_conventions_and_avenants_only(world):
    data = bundle_bytes(build_bundle(hospital=world.own.finess_et))
    assert _references(data) == {world.main.reference, world.avenant.reference, world.ended.reference}
    assert archive(data).namelist()[:4] == ["LISEZMOI.txt", "manifest.json", "manifest.csv", "conformite.csv"]


def test_the_latest_signed_copy_only(world):
    data = bundle_bytes(build_bundle(hospital=world.own.finess_et))
    entry = next(e for e in manifest(data)["files"] if e["reference"] == world.main.reference)
    assert entry["copy_version"] == 2 and entry["sha256"] == world.files["main"].sha256


def test_departement_and_region_scopes(world):
    departement = bundle_bytes(build_bundle(departement="21"))
    assert {path.split("/")[0] for path in pdf_paths(departement)} == {"21"}
    assert len(pdf_paths(departement)) == 4  # own: 3, neighbour: 1
    region = bundle_bytes(build_bundle(region="27"))
    assert {path.split("/")[0] for path in pdf_paths(region)} == {"21", "58"}
    assert world.files["rhone"].sha256 not in {e["sha256"] for e in manifest(region)["files"]}


def test_layout_is_departement_then_finess_and_hospital_then_reference_and_partner(world):
    paths = pdf_paths(bundle_bytes(build_bundle(hospital=world.own.finess_et)))
    finess = world.own.finess_et
    assert f"21/{finess} CH DE BEAUNE/{world.main.reference} EHPAD LE CHATEAU.pdf" in paths
    assert f"21/{finess} CH DE BEAUNE/{world.avenant.reference} EHPAD LE CHATEAU.pdf" in paths
    assert paths == sorted(paths)


def test_manifest_hashes_and_sizes_are_those_of_the_stored_files_and_of_the_zip(world):
    data = bundle_bytes(build_bundle(region="27"))
    zipped = archive(data)
    for entry in manifest(data)["files"]:
        stored = document_store().read(entry["sha256"])
        assert hashlib.sha256(stored).hexdigest() == entry["sha256"] and len(stored) == entry["size"]
        assert zipped.read(entry["path"]) == stored
    for entry in manifest(data)["other_files"]:
        assert hashlib.sha256(zipped.read(entry["path"])).hexdigest() == entry["sha256"]


def test_manifest_json_records(world):
    data = bundle_bytes(build_bundle(hospital=world.own.finess_et))
    document = manifest(data)
    assert document["scope"]["kind"] == "hospital" and document["scope"]["code"] == world.own.finess_et
    assert document["totals"]["files"] == 3
    avenant = next(e for e in document["files"] if e["reference"] == world.avenant.reference)
    assert avenant["kind"] == "avenant" and avenant["parent_reference"] == world.main.reference
    assert [p["role"] for p in avenant["parties"]] == ["hospital", "partner"]
    assert avenant["parties"][0]["finess_et"] == world.own.finess_et
    assert avenant["signature_check"]["label"] == "signature manuscrite (copie numérisée)"
    ended = next(e for e in document["files"] if e["reference"] == world.ended.reference)
    assert (ended["status"], ended["terminated_on"], ended["partner_types"]) == (
        "resiliee", "2026-09-01", ["second_recours"])
    assert ended["signed_on"] == "2026-06-01" and ended["effective_date"] == "2027-01-01"


def test_manifest_csv_has_french_headings_semicolons_and_a_bom(world):
    data = bundle_bytes(build_bundle(hospital=world.own.finess_et))
    rows = csv_rows(data, "manifest.csv")
    assert rows[0][:4] == ["Chemin", "Taille (octets)", "SHA-256", "Référence"]
    assert "Contrôle des signatures" in rows[0] and "Identifiants des partenaires" in rows[0]
    assert {(row[0], row[2]) for row in rows[1:]} == {(e["path"], e["sha256"]) for e in manifest(data)["files"]}
    assert archive(data).read("manifest.csv").count(b"\r\n") == 4


def test_conformite_lists_the_verdicts_of_every_hospital_of_the_scope(world):
    data = bundle_bytes(build_bundle(departement="21"))
    rows = csv_rows(data, "conformite.csv")
    assert rows[0][:3] == ["FINESS ET", "Hôpital", "Département"]
    assert {row[0] for row in rows[1:]} == {world.own.finess_et, world.neighbour.finess_et}
    assert all(row[5] in ("satisfait", "manquant", "a_risque", "non_requis", "non_evalue") for row in rows[1:])
    assert {row[3] for row in rows[1:]} >= {"l6111_3_2", "l6111_3_3"}  # the texts in force, by default


def test_lisezmoi_says_what_when_who_and_how_to_verify(world):
    bundle = build_bundle(world.users["ars"], region="27")
    text = archive(bundle_bytes(bundle)).read("LISEZMOI.txt").decode("utf-8")
    assert "Bourgogne-Franche-Comté" in text and world.users["ars"].email in text
    assert "flask --app wsgi verify-bundle FICHIER.zip" in text and "sha256sum" in text
    assert text.index("Get-FileHash -Algorithm SHA256") < text.index("verify-bundle")  # the manual check first
    assert "sans accents ni caractères spéciaux" not in text
    assert "les signes - _ . , ' ( ) & + ; tout autre caractère devient une espace" in " ".join(text.split())
    assert "5 fichiers" in text and world.nievre.finess_et in text


def test_an_empty_scope_still_gives_its_manifests(world, build):
    empty = build.hospital("25", "CH DE PONTARLIER")
    data = bundle_bytes(build_bundle(hospital=empty.organisation.finess_et))
    assert pdf_paths(data) == [] and manifest(data)["totals"] == {"files": 0, "size": 0}
    assert len(csv_rows(data, "conformite.csv")) > 1


def test_gathering_a_bundle_runs_the_same_queries_for_one_or_many_conventions(world, build, count_queries):
    with count_queries() as few:
        build_bundle(departement="21")
    for number in range(6):
        build.signed(world.neighbour, partner_name=f"EHPAD {number}")
    db.session.commit()
    with count_queries() as many:
        build_bundle(departement="21")
    assert len(many) == len(few) <= 11  # conformite.csv's data version included (core/data_version.py)


def test_a_name_a_spreadsheet_would_run_is_written_as_text(world, build):
    build.signed(world.neighbour, partner_name="=HYPERLINK(\"http://x\";\"clic\")")
    rows = csv_rows(bundle_bytes(build_bundle(hospital=world.neighbour.finess_et)), "manifest.csv")
    partners = {row[9] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://x\";\"clic\")" in partners and not any(p.startswith("=") for p in partners)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_manifest_json_holds_the_document_with_one_line_per_file(count):
    from registry.bundles.manifest import FORMAT, BundleFile, manifest_json

    hostile = 'Hôpital "\x00files\x00" \n\t\u2028 ../../etc/passwd'
    files = [BundleFile(f"21/{n}/{hostile}.pdf", f"{n:064x}", 1000 + n,
                        {"reference": f"REF-{n}", "title": hostile, "parties": [{"name": hostile, "role": "partner"}],
                         "signature_check": {"label": "non contrôlée", "signatures": []}, "end_date": None})
             for n in range(count)]
    header = {"scope": {"kind": "region", "code": "27", "label": hostile}, "made_by": hostile, "hospitals": []}
    others = {"LISEZMOI.txt": b"a", "manifest.csv": b"b"}
    expected = {"format": FORMAT, **header, "totals": {"files": count, "size": sum(f.size for f in files)},
                "files": [{"path": f.path, "size": f.size, "sha256": f.sha256, **f.record} for f in files],
                "other_files": [{"path": name, "size": 1, "sha256": hashlib.sha256(data).hexdigest()}
                                for name, data in others.items()]}
    data = manifest_json(header, files, others)
    assert json.loads(data) == expected
    assert list(json.loads(data)) == list(expected)  # the keys in their fixed order
    lines = data.decode("utf-8").split("\n")  # not splitlines(): U+2028 is a line break to Python, not to JSON
    assert [json.loads(line.strip().rstrip(",")) for line in lines if line.startswith('    {"path"')] == expected["files"]
    assert lines[0] == "{" and lines[1] == f'  "format": "{FORMAT}",' and data.endswith(b"}\n")
