"""Uploads held between their preview and their confirmation (upload → preview → confirm, all or nothing): the
one holding area of the stock import of conventions and of the CPOM spreadsheet loads.

An upload is a few named parts (files) and a little metadata, under a random token kept in the user's session
under a key (``conventions-import-<hospital>``, ``held-upload-<kind>``). The metadata records the user, checked
again at each step. The rules, the same wherever the bytes wait:

- one upload waits per key and user: a new one deletes the user's older ones, whatever session cookie comes
  with it (a replayed cookie piles nothing up);
- it is deleted once confirmed or abandoned, and ignored, then deleted by the next upload, once older than
  HOLD_HOURS;
- a confirmation claims it first, once: a second click, or a second node, finds it taken;
- the stock import refuses an upload while all those waiting weigh more than HELD_IMPORTS_MAX_MB.

Where: with the file-system store, in ``<instance>/imports/<token>/`` (``meta.json`` and the parts; the folder
is renamed ``<token>.confirmation`` while claimed), never in the document store, so an upload never confirmed
leaves nothing behind. With DOCUMENT_STORE = "database", in the tables ``held_uploads`` and
``held_upload_parts``, so that an upload previewed on one application node can be confirmed on another; each
change is committed at once, as a file would be written.
"""

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app, session
from flask_login import current_user
from sqlalchemy import delete, func, select, update

from registry.core import clock
from registry.core.storage import DATABASE, store_kind
from registry.core.storage_models import HeldUpload, HeldUploadPart
from registry.extensions import db

HOLD_HOURS = 24
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
META = "meta.json"
CLAIMED = ".confirmation"


@dataclass
class Held:
    """An upload waiting under ``token``; ``meta`` is what the uploading page recorded, plus the user and time."""

    token: str
    meta: dict
    area: "FileHolding | DatabaseHolding" = field(repr=False)
    claimed: bool = False

    def read(self, part: str) -> bytes:
        return self.area.read(self.token, part, claimed=self.claimed)

    def source(self, part: str) -> Path | bytes:
        """The part as a file path (file system) or its bytes (database), for readers that take either."""
        return self.area.source(self.token, part, claimed=self.claimed)

    def claim(self) -> bool:
        """Take the upload for a confirmation; False when another request took it first (a double click)."""
        self.claimed = self.area.claim(self.token)
        return self.claimed

    def unclaim(self) -> None:
        """The confirmation was refused or failed: the upload waits again for a corrected confirmation."""
        self.area.unclaim(self.token)
        self.claimed = False


class FileHolding:
    """Uploads as folders ``<root>/<token>/``."""

    def __init__(self, root: Path):
        self.root = root

    def _folder(self, token: str, claimed: bool = False) -> Path:
        return self.root / (token + CLAIMED if claimed else token)

    def put(self, token: str, parts: dict, meta: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder = self._folder(token)
        folder.mkdir(mode=0o700)
        for name, content in parts.items():
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:  # an uploaded file, saved to disk without being held in memory
                content.save(folder / name)
        (folder / META).write_text(json.dumps(meta))  # last: a folder without it is not an upload yet

    def meta(self, token: str) -> dict | None:
        try:
            return json.loads((self._folder(token) / META).read_text())
        except (OSError, ValueError):
            return None

    def read(self, token: str, part: str, *, claimed: bool = False) -> bytes:
        return (self._folder(token, claimed) / part).read_bytes()

    def source(self, token: str, part: str, *, claimed: bool = False) -> Path:
        return self._folder(token, claimed) / part

    def delete(self, token: str) -> None:
        for claimed in (False, True):
            shutil.rmtree(self._folder(token, claimed), ignore_errors=True)

    def claim(self, token: str) -> bool:
        try:
            self._folder(token).rename(self._folder(token, True))
        except OSError:
            return False
        return True

    def unclaim(self, token: str) -> None:
        self._folder(token, True).rename(self._folder(token))

    def is_claimed(self, token: str) -> bool:
        return (self._folder(token, True) / META).is_file()

    def total_bytes(self) -> int:
        return sum(path.stat().st_size for path in self.root.rglob("*") if path.is_file()) \
            if self.root.is_dir() else 0

    def tokens_of(self, key: str, user_id: int) -> list[str]:
        found = []
        for meta_file in self.root.glob(f"*/{META}"):
            try:
                meta = json.loads(meta_file.read_text())
            except (OSError, ValueError):
                continue
            if meta.get("key") == key and meta.get("user_id") == user_id:
                found.append(meta_file.parent.name)
        return found

    def purge_stale(self) -> None:
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            try:
                if time.time() - path.stat().st_mtime > HOLD_HOURS * 3600:  # file times are the system's
                    shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            except FileNotFoundError:
                continue


class DatabaseHolding:
    """Uploads as rows of ``held_uploads`` and ``held_upload_parts``, each change committed at once."""

    def put(self, token: str, parts: dict, meta: dict) -> None:
        contents = {name: content if isinstance(content, bytes) else content.read()
                    for name, content in parts.items()}
        db.session.add(HeldUpload(token=token, key=meta["key"], user_id=meta["user_id"], meta=json.dumps(meta),
                                  size=sum(len(data) for data in contents.values()), created_at=clock.now()))
        db.session.flush()
        db.session.add_all(HeldUploadPart(token=token, name=name, data=data) for name, data in contents.items())
        db.session.commit()

    def meta(self, token: str) -> dict | None:
        row = db.session.get(HeldUpload, token)
        if row is None or row.claimed_at is not None:
            return None
        return json.loads(row.meta)

    def read(self, token: str, part: str, *, claimed: bool = False) -> bytes:
        data = db.session.scalar(select(HeldUploadPart.data).where(HeldUploadPart.token == token,
                                                                   HeldUploadPart.name == part))
        if data is None:
            raise FileNotFoundError(f"held upload {token} has no part {part}")
        return bytes(data)

    source = read

    def delete(self, token: str) -> None:
        self.delete_all([token])
        db.session.commit()

    def delete_all(self, tokens: list[str]) -> None:
        if tokens:
            db.session.execute(delete(HeldUploadPart).where(HeldUploadPart.token.in_(tokens)))
            db.session.execute(delete(HeldUpload).where(HeldUpload.token.in_(tokens)))

    def claim(self, token: str) -> bool:
        unclaimed = (HeldUpload.token == token) & HeldUpload.claimed_at.is_(None)
        taken = db.session.execute(update(HeldUpload).where(unclaimed).values(claimed_at=clock.now())).rowcount == 1
        db.session.commit()
        return taken

    def unclaim(self, token: str) -> None:
        db.session.rollback()  # whatever the failed confirmation left
        db.session.execute(update(HeldUpload).where(HeldUpload.token == token).values(claimed_at=None))
        db.session.commit()

    def is_claimed(self, token: str) -> bool:
        row = db.session.get(HeldUpload, token, populate_existing=True)
        return row is not None and row.claimed_at is not None

    def total_bytes(self) -> int:
        return int(db.session.scalar(select(func.coalesce(func.sum(HeldUpload.size), 0))))

    def tokens_of(self, key: str, user_id: int) -> list[str]:
        return list(db.session.scalars(select(HeldUpload.token).where(HeldUpload.key == key,
                                                                      HeldUpload.user_id == user_id)))

    def stale_tokens(self, hours: float = HOLD_HOURS) -> list[str]:
        return list(db.session.scalars(select(HeldUpload.token).where(
            HeldUpload.created_at < clock.now() - timedelta(hours=hours))))

    def purge_stale(self) -> None:
        self.delete_all(self.stale_tokens())
        db.session.commit()


def holding_area() -> FileHolding | DatabaseHolding:
    if store_kind() == DATABASE:
        return DatabaseHolding()
    return FileHolding(Path(current_app.instance_path) / "imports")


def put(key: str, parts: dict, **meta) -> Held:
    """Keep ``parts`` (name → bytes or uploaded file) under a new token, not yet waiting in the session: the
    caller checks them, then keep()s or discard()s them. Uploads older than HOLD_HOURS go first."""
    area = holding_area()
    area.purge_stale()
    token = secrets.token_urlsafe(24)
    meta = {**meta, "key": key, "user_id": current_user.id, "created": time.time()}
    area.put(token, parts, meta)
    return Held(token, meta, area)


def keep(key: str, held: Held) -> None:
    """Make ``held`` the upload waiting under ``key`` for this user: the user's others under it go."""
    for token in held.area.tokens_of(key, current_user.id):
        if token != held.token:
            held.area.delete(token)
    session[key] = held.token


def discard(held: Held) -> None:
    held.area.delete(held.token)


def hold(key: str, parts: dict, **meta) -> Held:
    """put() then keep(): for parts already checked."""
    held = put(key, parts, **meta)
    keep(key, held)
    return held


def waiting(key: str, token: str | None = None) -> Held | None:
    """The upload waiting under ``key`` in this user's session (and, when given, with this token), else None."""
    token_waiting = session.get(key)
    if not token_waiting or not TOKEN.fullmatch(token_waiting) or (token is not None and token != token_waiting):
        return None
    area = holding_area()
    meta = area.meta(token_waiting)
    if (meta is None or meta.get("key") != key or meta.get("user_id") != current_user.id
            or time.time() - meta.get("created", 0) > HOLD_HOURS * 3600):
        return None
    return Held(token_waiting, meta, area)


def claimed(token: str) -> Held | None:
    """The upload taken for a confirmation under ``token`` (a worker finishing it, without the user's session)."""
    area = holding_area()
    return Held(token, {}, area, claimed=True) if TOKEN.fullmatch(token) and area.is_claimed(token) else None


def release(key: str, held: Held | None = None) -> None:
    """Forget the upload waiting under ``key`` in this session (or ``held``) and delete it."""
    token = session.pop(key, None)
    token = held.token if held is not None else token
    if token and TOKEN.fullmatch(token):
        holding_area().delete(token)


def total_bytes() -> int:
    """What all the uploads waiting for a confirmation weigh, once those older than HOLD_HOURS are deleted."""
    area = holding_area()
    area.purge_stale()
    return area.total_bytes()
