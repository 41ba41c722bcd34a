"""verify-bundle: an intact bundle verifies; a modified, an added and a removed file are each named; anything that
is not a bundle is refused with a one-line error. Through the command line (``runner``), as scripts use it."""

import io
import zipfile

import pytest

from tests.bundles.helpers import build_bundle, bundle_bytes, pdf_paths


@pytest.fixture
def bundle_file(world, tmp_path):
    path = tmp_path / "lot.zip"
    path.write_bytes(bundle_bytes(build_bundle(region="27")))
    return path


def rewritten(source, target, *, replace: dict | None = None, drop: tuple = (), add: dict | None = None):
    """A copy of the bundle with members replaced, dropped or added (as someone would with a ZIP tool)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            new.writestr(info, (replace or {}).get(info.filename, old.read(info.filename)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def test_an_intact_bundle_verifies(runner, bundle_file):
    result = runner.invoke(args=["verify-bundle", str(bundle_file)])
    assert result.exit_code == 0, result.output
    assert "Lot intègre : les 8 fichiers correspondent au manifeste." in result.output  # 5 copies and 3 documents


def test_a_bundle_unzipped_and_zipped_again_with_folders_still_verifies(runner, bundle_file, tmp_path):
    target = tmp_path / "rezipped.zip"
    with zipfile.ZipFile(bundle_file) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for folder in sorted({name.rsplit("/", 1)[0] + "/" for name in old.namelist() if "/" in name}):
            new.writestr(folder, b"")
        for name in old.namelist():
            new.writestr(name, old.read(name))
    assert runner.invoke(args=["verify-bundle", str(target)]).exit_code == 0


def test_modified_added_and_removed_files_are_each_listed(runner, bundle_file, tmp_path):
    paths = pdf_paths(bundle_file.read_bytes())
    target = rewritten(bundle_file, tmp_path / "altered.zip", replace={paths[0]: b"%PDF-1.4 faux"},
                       drop=(paths[1],), add={"21/intrus.pdf": b"%PDF-1.4 intrus"})
    result = runner.invoke(args=["verify-bundle", str(target)])
    assert result.exit_code == 1
    assert f"modifié : {paths[0]} (taille" in result.output
    assert f"absent : {paths[1]}" in result.output
    assert "ajouté : 21/intrus.pdf" in result.output
    assert "1 modifié(s), 1 ajouté(s), 1 absent(s)" in result.output


def test_same_size_modification_is_caught_by_the_hash(runner, bundle_file, tmp_path):
    path = pdf_paths(bundle_file.read_bytes())[0]
    with zipfile.ZipFile(bundle_file) as old:
        original = old.read(path)
    target = rewritten(bundle_file, tmp_path / "flipped.zip", replace={path: original[:-2] + b"X\n"})
    result = runner.invoke(args=["verify-bundle", str(target)])
    assert result.exit_code == 1 and f"modifié : {path} (SHA-256" in result.output


@pytest.mark.parametrize("document", ["manifest.csv", "conformite.csv", "LISEZMOI.txt"])
def test_the_other_documents_are_checked_too(runner, bundle_file, tmp_path, document):
    target = rewritten(bundle_file, tmp_path / "doc.zip", replace={document: b"modifie"})
    result = runner.invoke(args=["verify-bundle", str(target)])
    assert result.exit_code == 1 and f"modifié : {document}" in result.output


def test_a_duplicated_member_is_reported(runner, bundle_file, tmp_path):
    path = pdf_paths(bundle_file.read_bytes())[0]
    with zipfile.ZipFile(bundle_file) as old:
        data = old.read(path)
    target = rewritten(bundle_file, tmp_path / "twice.zip")
    with zipfile.ZipFile(target, "a") as zipped, pytest.warns(UserWarning, match="Duplicate name"):
        zipped.writestr(path, data)
    result = runner.invoke(args=["verify-bundle", str(target)])
    assert result.exit_code == 1 and f"ajouté : {path}" in result.output


@pytest.mark.parametrize("content, message", [
    (b"not a zip at all", "comme un fichier ZIP"),
    (None, "pas de manifest.json"),
    ("manifest", "manifest.json illisible"),
])
def test_what_is_not_a_bundle_is_refused_in_one_line(runner, tmp_path, content, message):
    path = tmp_path / "x.zip"
    if content is None or content == "manifest":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zipped:
            zipped.writestr("a.pdf", b"x")
            if content == "manifest":
                zipped.writestr("manifest.json", b"{not json")
        path.write_bytes(out.getvalue())
    else:
        path.write_bytes(content)
    result = runner.invoke(args=["verify-bundle", str(path)])
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_missing_file_is_an_error(runner, tmp_path):
    result = runner.invoke(args=["verify-bundle", str(tmp_path / "absent.zip")])
    assert result.exit_code == 1 and "Impossible de lire" in result.output
