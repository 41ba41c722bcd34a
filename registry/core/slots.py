"""The machine's slots for CPU-heavy PDF work (LibreOffice conversions of drafts, WeasyPrint's compliance reports):
at most PDF_CONVERSIONS at a time whatever the number of server processes (a slot is a lock file taken with
``flock``); a request that finds every slot busy for PDF_QUEUE_SECONDS gets an error rather than starting one more."""

import fcntl
import time
from contextlib import contextmanager
from pathlib import Path

from flask import current_app


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "pdf-slots"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


@contextmanager
def pdf_slot(busy: Exception):
    """One of the machine's PDF slots, waited for at most PDF_QUEUE_SECONDS; ``busy`` is raised when none frees."""
    slots = int(current_app.config.get("PDF_CONVERSIONS", 2))
    deadline = time.monotonic() + float(current_app.config.get("PDF_QUEUE_SECONDS", 30))
    while True:
        for number in range(slots):
            handle = open(_folder() / f".slot-{number}.lock", "a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() > deadline:
            raise busy
        time.sleep(0.2)
