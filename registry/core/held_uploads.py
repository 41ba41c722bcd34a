"""A small uploaded file kept between its preview and its confirmation (upload → preview → confirm, all or nothing).

The bytes wait in ``<instance>/imports/held/<token>``, never in the document store, so an upload never confirmed
leaves nothing behind. The token is random and kept in the user's session under ``kind``; the file records the
user, checked again when it is read. One upload waits per kind and user (a new one deletes the user's older ones,
whatever session cookie comes with it); it is deleted once confirmed or abandoned, and any older than HOLD_HOURS is
deleted by the next upload.
"""

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, session
from flask_login import current_user

HOLD_HOURS = 24
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class Held:
    token: str
    data: bytes
    #: What the uploading page recorded (file name, options), plus the user and the time.
    meta: dict


def _root() -> Path:
    return Path(current_app.instance_path) / "imports" / "held"


def _key(kind: str) -> str:
    return f"held-upload-{kind}"


def hold(kind: str, data: bytes, **meta) -> str:
    """Keep ``data`` for this user's session, replacing the upload of the same kind waiting there."""
    root = _root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    for path in root.iterdir():
        try:
            if time.time() - path.stat().st_mtime > HOLD_HOURS * 3600:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue
    release(kind)
    _release_older(root, kind)
    token = secrets.token_urlsafe(24)
    (root / f"{token}.bin").write_bytes(data)
    (root / f"{token}.json").write_text(json.dumps({**meta, "kind": kind, "user_id": current_user.id,
                                                    "created": time.time()}))
    session[_key(kind)] = token
    return token


def _release_older(root: Path, kind: str) -> None:
    """One upload of a kind per user, even when a client replays an older session cookie: the others go."""
    for path in root.glob("*.json"):
        try:
            meta = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if meta.get("user_id") == current_user.id and meta.get("kind") == kind:
            path.unlink(missing_ok=True)
            path.with_suffix(".bin").unlink(missing_ok=True)


def held(kind: str, token: str | None = None) -> Held | None:
    """The upload of ``kind`` waiting in this user's session (and, when given, with this token), else None."""
    waiting = session.get(_key(kind))
    if not waiting or not TOKEN.fullmatch(waiting) or (token is not None and token != waiting):
        return None
    try:
        meta = json.loads((_root() / f"{waiting}.json").read_text())
        data = (_root() / f"{waiting}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != current_user.id or time.time() - meta.get("created", 0) > HOLD_HOURS * 3600:
        return None
    return Held(waiting, data, meta)


def release(kind: str) -> None:
    """Forget the upload of ``kind`` waiting in this session and delete its files."""
    waiting = session.pop(_key(kind), None)
    if waiting and TOKEN.fullmatch(waiting):
        for suffix in (".bin", ".json"):
            (_root() / f"{waiting}{suffix}").unlink(missing_ok=True)
