import errno
import hashlib
import os
import time

import pytest

from registry.core import storage
from registry.core.bounded import ResidentCall, run_resident
from registry.core.storage import DatabaseDocumentStore, DocumentStore, StorageUnavailable, document_store
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


# storing(): the same store, written and synced in a resident child while the caller writes its rows.

def test_storing_names_the_bytes_at_once_and_has_them_on_disk_when_the_block_ends(app, tmp_path):
    store = DocumentStore(tmp_path)
    with store.storing(b"%PDF-1.7 draft") as (sha, size):
        assert (sha, size) == (hashlib.sha256(b"%PDF-1.7 draft").hexdigest(), 14)
    assert store.read(sha) == b"%PDF-1.7 draft" and store.verify(sha)
    assert [p.name for p in store.path_for(sha).parent.iterdir()] == [sha]
    first_inode = store.path_for(sha).stat().st_ino
    with store.storing(b"%PDF-1.7 draft") as again:
        assert again == (sha, 14)
    assert store.path_for(sha).stat().st_ino == first_inode  # write-once, as store()


def test_storing_writes_and_syncs_in_another_process(app, tmp_path, fresh_children, monkeypatch):
    synced = tmp_path / "synced-by"
    real_fsync = os.fsync

    def fsync(fd):  # inherited by the child forked for the store: says which process synced
        with open(synced, "a") as record:
            record.write(f"{os.getpid()}\n")
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    with DocumentStore(tmp_path / "store").storing(b"written elsewhere") as (sha, _):
        pass
    writers = set(synced.read_text().split())
    assert len(writers) == 1 and writers != {str(os.getpid())}
    assert DocumentStore(tmp_path / "store").read(sha) == b"written elsewhere"


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "le disque est plein"), (errno.EROFS, "lecture seule")])
def test_a_store_that_cannot_write_raises_storage_unavailable_when_the_block_ends(app, tmp_path, fresh_children,
                                                                                   monkeypatch, caplog, code, words):
    def refuse(*args, **kwargs):
        raise OSError(code, "refused")
    monkeypatch.setattr(storage.tempfile, "mkstemp", refuse)
    store = DocumentStore(tmp_path)
    ran = []
    with pytest.raises(StorageUnavailable) as raised:
        with store.storing(b"too much") as (sha, _):
            ran.append(sha)  # the block runs, its rows are rolled back by the caller
    assert ran and words in raised.value.message and not store.exists(ran[0])
    assert "cannot write" in caplog.text


def test_another_os_error_in_the_child_comes_back_as_it_is(app, tmp_path, fresh_children, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "I/O error")
    monkeypatch.setattr(storage.tempfile, "mkstemp", broken)
    with pytest.raises(OSError) as raised:
        with DocumentStore(tmp_path).storing(b"bytes"):
            pass
    assert raised.value.errno == errno.EIO and not isinstance(raised.value, StorageUnavailable)


def test_a_disk_that_does_not_answer_stops_the_child(app, tmp_path, fresh_children, monkeypatch, caplog):
    monkeypatch.setattr(os, "fsync", lambda fd: time.sleep(30))
    monkeypatch.setattr(storage, "STORING_SECONDS", 0.5)
    started = time.monotonic()
    with pytest.raises(StorageUnavailable) as raised:
        with DocumentStore(tmp_path).storing(b"never synced"):
            pass
    assert "ne répond pas" in raised.value.message and time.monotonic() - started < 10
    assert "did not write" in caplog.text


def test_a_writing_process_that_ends_without_a_word_is_a_storage_unavailable(app, tmp_path, fresh_children,
                                                                            monkeypatch, caplog):
    monkeypatch.setattr(os, "fsync", lambda fd: os._exit(1))  # the child forked for the store dies mid-write
    with pytest.raises(StorageUnavailable) as raised:
        with DocumentStore(tmp_path).storing(b"lost"):
            pass
    assert "ne répond pas" in raised.value.message and "the writing process ended" in caplog.text
    assert not DocumentStore(tmp_path).exists(hashlib.sha256(b"lost").hexdigest())


def test_a_block_that_raises_stops_the_store_and_raises_its_own_error(app, tmp_path, fresh_children, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: time.sleep(30))  # the child is still writing when the block fails
    started = time.monotonic()
    with pytest.raises(KeyError):
        with DocumentStore(tmp_path).storing(b"abandoned"):
            raise KeyError("the rows could not be written")
    assert time.monotonic() - started < 10  # the child was stopped, not waited for
    # what it leaves is an interrupted write, purge's to remove: never a document under its name
    assert not DocumentStore(tmp_path).exists(hashlib.sha256(b"abandoned").hexdigest())


# writer(): the store as the follow-up of the resident child that made the bytes (a draft's render).

def _made_in_child(text: str) -> bytes:
    return f"{text} by {os.getpid()}".encode()


def test_the_child_that_made_the_bytes_writes_and_syncs_them(app, tmp_path, fresh_children, monkeypatch):
    synced = tmp_path / "synced-by"
    real_fsync = os.fsync

    def fsync(fd):  # inherited by the children forked after it
        with open(synced, "a") as record:
            record.write(f"{os.getpid()}\n")
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    store = DocumentStore(tmp_path / "store")
    call = ResidentCall(_made_in_child, ("made",), seconds=10, memory_mb=300, then=store.writer())
    data = call.result()
    maker = data.decode().rsplit(" ", 1)[1]
    with store.storing(data, written=call.follow_up) as (sha, size):
        assert (sha, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert set(synced.read_text().split()) == {maker} and maker != str(os.getpid())
    assert store.read(sha) == data and store.verify(sha)
    assert str(run_resident(os.getpid, seconds=10, memory_mb=300)) == maker  # given back once it had written


def test_a_follow_up_that_cannot_write_raises_storage_unavailable_when_the_block_ends(app, tmp_path, fresh_children,
                                                                                      monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(storage.tempfile, "mkstemp", refuse)
    store = DocumentStore(tmp_path)
    call = ResidentCall(_made_in_child, ("too much",), seconds=10, memory_mb=300, then=store.writer())
    data = call.result()
    with pytest.raises(StorageUnavailable) as raised:
        with store.storing(data, written=call.follow_up) as (sha, _):
            pass
    assert "le disque est plein" in raised.value.message and "cannot write" in caplog.text
    assert not store.exists(sha)


def test_the_database_store_has_no_follow_up(app):
    assert DatabaseDocumentStore().writer() is None
