"""copy_documents(): the documents of a file-system store folder (STORAGE_DIR, or a backup's ``storage/``) copied
into the configured document store, each checked against its SHA-256 name first: how a site moves to
DOCUMENT_STORE = "database", or gets its documents back from a backup."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from registry.core.storage import DocumentStore, check_sha256, document_store
from registry.extensions import db

#: Documents copied per transaction (each is read whole; a transaction holds at most this many).
BATCH = 20


@dataclass
class Copied:
    copied: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)


def copy_documents(source: str | Path) -> Copied:
    """Copy every document of ``source`` the store lacks; an altered or misplaced file is reported, not copied."""
    layout, store, result = DocumentStore(source), document_store(), Copied()
    if getattr(store, "root", None) is not None and Path(store.root).resolve() == Path(source).resolve():
        result.problems.append("le dossier source est le stockage lui-même")
        return result
    pending = 0
    for path in sorted(p for p in Path(source).rglob("*") if p.is_file() and not p.name.startswith(".")):
        relative = path.relative_to(source)
        try:
            check_sha256(path.name)
        except ValueError:
            result.problems.append(f"fichier inattendu : {relative}")
            continue
        if layout.path_for(path.name) != path:
            result.problems.append(f"fichier inattendu : {relative}")
            continue
        if store.exists(path.name):
            result.already += 1
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != path.name:
            result.problems.append(f"document altéré (son contenu ne correspond plus à son empreinte) : {relative}")
            continue
        store.store(data)
        result.copied += 1
        pending += 1
        if pending >= BATCH:
            db.session.commit()
            pending = 0
    db.session.commit()
    return result
