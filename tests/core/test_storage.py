import hashlib
import os

import pytest

from registry.core.storage import DocumentStore, document_store
from tests.stores import filesystem_only


def test_store_is_content_addressed_and_write_once(tmp_path):
    store = DocumentStore(tmp_path)
    sha, size = store.store(b"%PDF-1.7 signed")
    assert sha == hashlib.sha256(b"%PDF-1.7 signed").hexdigest() and size == 15
    path = store.path_for(sha)
    first_inode = path.stat().st_ino
    assert store.store(b"%PDF-1.7 signed") == (sha, 15)
    assert path.stat().st_ino == first_inode  # the first copy is kept, never rewritten
    assert store.read(sha) == b"%PDF-1.7 signed" and store.verify(sha)
    assert not os.access(path, os.W_OK) or os.geteuid() == 0
    assert [p.name for p in path.parent.iterdir()] == [sha]  # no temporary file left behind


def test_a_new_folder_is_synced_in_its_parent_before_the_file_is_in_it(tmp_path, monkeypatch):
    store = DocumentStore(tmp_path / "store")
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real_fsync(fd)))
    sha, _ = store.store(b"first")
    leaf = store.path_for(sha).parent
    # the store's root, its shard and the leaf created, each synced in its parent; then the file, then its folder
    folders, (file, last) = synced[:3], synced[3:]
    assert folders == [str(tmp_path), str(tmp_path / "store"), str(leaf.parent)]
    assert file.startswith(str(leaf / ".incoming-")) and last == str(leaf)

    second = hashlib.sha256(b"second").hexdigest()
    store.path_for(second).parent.mkdir(parents=True)
    synced.clear()
    store.store(b"second")  # its folders are there: the file and its folder only
    assert len(synced) == 2 and synced[1] == str(store.path_for(second).parent)


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    store = DocumentStore(tmp_path)

    def broken_fsync(fd):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        store.store(b"half written")
    sha = hashlib.sha256(b"half written").hexdigest()
    assert not store.exists(sha)
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_verify_detects_tampering(tmp_path):
    store = DocumentStore(tmp_path)
    sha, _ = store.store(b"original")
    path = store.path_for(sha)
    os.chmod(path, 0o640)
    path.write_bytes(b"tampered")
    assert not store.verify(sha)


@pytest.mark.parametrize("name", ["../../etc/passwd", "abc", "G" * 64])
def test_only_sha256_names_are_accepted(tmp_path, name):
    with pytest.raises(ValueError):
        DocumentStore(tmp_path).path_for(name)


@filesystem_only
def test_store_location_comes_from_config(app):
    assert str(document_store().root) == app.config["STORAGE_DIR"]
