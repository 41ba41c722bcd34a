"""Reading bundles in the tests."""

import csv
import io
import json
import zipfile

from registry.bundles.bundle import make_bundle
from registry.bundles.scope import BundleScope, CommandLine


def bundle_bytes(bundle) -> bytes:
    return b"".join(bundle.stream())


def build_bundle(user=None, **scope):
    """The bundle of a scope (hospital=, departement=, region=) for ``user`` (default: the command line)."""
    user = user or CommandLine()
    return make_bundle(BundleScope.of(**scope), user, made_by=getattr(user, "email", "test"))


def archive(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def manifest(data: bytes) -> dict:
    return json.loads(archive(data).read("manifest.json"))


def pdf_paths(data: bytes) -> list[str]:
    return [name for name in archive(data).namelist() if name.endswith(".pdf")]


def csv_rows(data: bytes, name: str) -> list[list[str]]:
    text = archive(data).read(name).decode("utf-8")
    assert text.startswith("\ufeff"), f"{name} must start with a BOM"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
