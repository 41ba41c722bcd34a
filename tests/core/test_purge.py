"""purge: crash leftovers past their grace period go (interrupted writes, stored files no row names, uploads held
for a confirmation that never came); documents in use and recent files stay; --dry-run removes nothing."""

import os
import time
from pathlib import Path

from registry.core.storage import document_store
from registry.cpom.services import attach_signed_copy, create_cpom
from registry.extensions import db
from tests.signatures.pdf_factory import blank_pdf
from tests.stores import filesystem_only


def aged(path: Path, hours: float) -> Path:
    moment = time.time() - hours * 3600  # system clock: file modification times are the system's
    os.utime(path, (moment, moment))
    return path


@filesystem_only
def test_leftovers_go_documents_in_use_stay(app, runner, make_hospital):
    from datetime import date

    store = document_store()
    hospital = make_hospital()
    cpom = create_cpom(hospital, signed_on=date(2025, 1, 1), effective_on=date(2025, 1, 1))
    attach_signed_copy(cpom, blank_pdf(), "cpom.pdf")
    db.session.commit()
    used = aged(store.path_for(cpom.signed_copy_sha256), 48)
    orphan = aged(store.path_for(store.store(b"rolled back upload")[0]), 48)
    recent_orphan = store.path_for(store.store(b"an upload in flight")[0])
    incoming = orphan.parent / ".incoming-abc123"
    incoming.write_bytes(b"half")
    aged(incoming, 2)
    held = Path(app.instance_path) / "imports" / "held"
    held.mkdir(parents=True)
    stale = held / "old.bin"
    stale.write_bytes(b"x")
    aged(stale, 30)
    fresh = held / "new.bin"
    fresh.write_bytes(b"y")

    listed = runner.invoke(args=["purge", "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert "1 écriture(s) interrompue(s), 1 document(s) orphelin(s), 1 dépôt(s) en attente à supprimer." in listed.output
    assert orphan.exists() and incoming.exists() and stale.exists()

    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and "supprimé(s)" in done.output
    assert not orphan.exists() and not incoming.exists() and not stale.exists()
    assert used.exists() and recent_orphan.exists() and fresh.exists()
