"""verify-bundle: every file of a bundle against manifest.json, which names each one with its size and SHA-256.

Only reads the archive, never extracts it. Folder entries are ignored, so a bundle unpacked and zipped again by
another tool still verifies.
"""

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from registry.bundles.manifest import MANIFEST_JSON
from registry.bundles.stream import CHUNK
from registry.core.errors import DomainError


class UnreadableBundle(DomainError):
    """Not a ZIP, or a ZIP without a readable manifest.json."""


@dataclass
class Verification:
    #: Files of the manifest found intact.
    intact: int = 0
    #: (path, what differs) of the files whose bytes differ from the manifest.
    modified: list[tuple[str, str]] = field(default_factory=list)
    #: Files in the archive that the manifest does not name (or names twice in the archive).
    added: list[str] = field(default_factory=list)
    #: Files the manifest names that the archive lacks.
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.modified or self.added or self.removed)


def verify_bundle(path: str | Path) -> Verification:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise UnreadableBundle(f"Impossible de lire « {path} » comme un fichier ZIP : {error}") from None
    with archive:
        expected = _expected(archive)
        result, seen = Verification(), set()
        for info in archive.infolist():
            if info.is_dir() or info.filename == MANIFEST_JSON:
                continue
            if info.filename not in expected or info.filename in seen:
                result.added.append(info.filename)
                continue
            seen.add(info.filename)
            problem = _difference(archive, info, *expected[info.filename])
            if problem:
                result.modified.append((info.filename, problem))
            else:
                result.intact += 1
        result.removed = sorted(set(expected) - seen)
        return result


def _expected(archive: zipfile.ZipFile) -> dict[str, tuple[int, str]]:
    """{path: (size, sha256)} of every file manifest.json names (the copies and the other documents)."""
    try:
        manifest = json.loads(archive.read(MANIFEST_JSON))
        entries = [*manifest["files"], *manifest["other_files"]]
        return {entry["path"]: (int(entry["size"]), str(entry["sha256"])) for entry in entries}
    except KeyError:
        raise UnreadableBundle(f"Le ZIP n'a pas de {MANIFEST_JSON} lisible : ce n'est pas un lot du registre, "
                               "ou son manifeste a été retiré.") from None
    except (ValueError, TypeError, zipfile.BadZipFile) as error:
        raise UnreadableBundle(f"{MANIFEST_JSON} illisible ({error}) : le lot a été modifié.") from None


def _difference(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, sha256: str) -> str | None:
    """What differs between a member and its manifest entry, in French; None when it matches."""
    digest, read = hashlib.sha256(), 0
    try:
        with archive.open(info) as member:
            while data := member.read(CHUNK):
                digest.update(data)
                read += len(data)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        return f"illisible dans le ZIP ({error})"
    if read != size:
        return f"taille {read} octets au lieu de {size}"
    if digest.hexdigest() != sha256:
        return f"SHA-256 {digest.hexdigest()} au lieu de {sha256}"
    return None
