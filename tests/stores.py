"""Test helpers that look into the document store and the holding area, whichever DOCUMENT_STORE the app uses."""

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from registry.core.holding import CLAIMED
from registry.core.storage import DATABASE, document_store, store_kind
from registry.core.storage_models import HeldUpload, StoredDocument
from registry.extensions import db
from tests.conftest import TEST_DOCUMENT_STORE

#: For tests of the file-system layout itself (paths, modes, modification times).
filesystem_only = pytest.mark.skipif(TEST_DOCUMENT_STORE == DATABASE,
                                     reason="looks at the file-system store's files (TEST_DOCUMENT_STORE=database)")


def waiting_uploads(app) -> list[str]:
    """The tokens of the uploads held for a confirmation (``<token>.confirmation`` while claimed), sorted."""
    if store_kind() == DATABASE:
        db.session.expire_all()
        return sorted(row.token + (CLAIMED if row.claimed_at else "") for row in db.session.scalars(select(HeldUpload)))
    root = Path(app.instance_path) / "imports"
    return sorted(path.name for path in root.iterdir()) if root.is_dir() else []


def hold_for_someone_else(app, token: str, size: int) -> None:
    """An upload of ``size`` bytes held by another user."""
    if store_kind() == DATABASE:
        db.session.add(HeldUpload(token=token, key="someone-else", user_id=0, meta=json.dumps({}), size=size))
        db.session.commit()
        return
    (Path(app.instance_path) / "imports" / token).mkdir(parents=True)
    (Path(app.instance_path) / "imports" / token / "archive.zip").write_bytes(b"x" * size)


def remove_document(sha256: str) -> None:
    """Lose a stored document, as a broken disk or a careless operator would."""
    if store_kind() == DATABASE:
        db.session.execute(delete(StoredDocument).where(StoredDocument.sha256 == sha256))
        db.session.commit()
        return
    path = document_store().path_for(sha256)
    path.chmod(0o600)
    path.unlink()


def alter_document(sha256: str) -> None:
    """Change one byte of a stored document, keeping its size and name, as a failing disk would."""
    data = bytearray(document_store().read(sha256))
    data[len(data) // 2] ^= 0xFF
    if store_kind() == DATABASE:
        db.session.execute(update(StoredDocument).where(StoredDocument.sha256 == sha256).values(data=bytes(data)))
        db.session.commit()
        return
    path = document_store().path_for(sha256)
    path.chmod(0o600)
    path.write_bytes(bytes(data))
