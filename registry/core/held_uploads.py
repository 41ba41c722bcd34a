"""A small uploaded file kept between its preview and its confirmation (upload → preview → confirm, all or nothing),
one per kind and user, in the holding area (core.holding: its rules, and where the bytes wait)."""

from dataclasses import dataclass

from registry.core import holding

PART = "upload.bin"


@dataclass(frozen=True)
class Held:
    token: str
    data: bytes
    #: What the uploading page recorded (file name, options), plus the user and the time.
    meta: dict


def _key(kind: str) -> str:
    return f"held-upload-{kind}"


def hold(kind: str, data: bytes, **meta) -> str:
    """Keep ``data`` for this user's session, replacing the upload of the same kind waiting there."""
    release(kind)
    return holding.hold(_key(kind), {PART: data}, kind=kind, **meta).token


def held(kind: str, token: str | None = None) -> Held | None:
    """The upload of ``kind`` waiting in this user's session (and, when given, with this token), else None."""
    waiting = holding.waiting(_key(kind), token)
    if waiting is None:
        return None
    try:
        return Held(waiting.token, waiting.read(PART), waiting.meta)
    except OSError:
        return None


def release(kind: str) -> None:
    """Forget the upload of ``kind`` waiting in this session and delete it."""
    holding.release(_key(kind))
