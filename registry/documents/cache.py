"""Prepared templates kept in memory, keyed by the SHA-256 of the .docx: bounded, thread-safe.

A new version of a template has a new SHA-256, so it is prepared afresh; when the caller names the
template (its code), the entry of the version it replaces is dropped at once. An older version still
needed (a convention keeps the version it was drafted from) is simply prepared again on demand.
"""

import hashlib
import threading
from collections import OrderedDict

from registry.documents.package import DEFAULT_LIMITS, Limits


class TemplateCache:
    def __init__(self, max_entries: int = 32, limits: Limits = DEFAULT_LIMITS):
        self.max_entries = max_entries
        self.limits = limits
        self._entries: OrderedDict[str, object] = OrderedDict()
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()
        self._preparing: dict[str, threading.Lock] = {}
        self.preparations = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, sha256: str) -> bool:
        return sha256 in self._entries

    def _lookup(self, sha256: str):
        with self._lock:
            prepared = self._entries.get(sha256)
            if prepared is not None:
                self._entries.move_to_end(sha256)
            return prepared

    def get(self, data: bytes, name: str | None = None):
        """The prepared template for these bytes, prepared now if needed (once, even under concurrency)."""
        return self._get(hashlib.sha256(data).hexdigest(), data, name)

    def key(self, data: bytes, name: str | None = None) -> str:
        """The SHA-256 these bytes are kept under, prepared now if needed (as ``get``)."""
        sha256 = hashlib.sha256(data).hexdigest()
        self._get(sha256, data, name)
        return sha256

    def _get(self, sha256: str, data: bytes, name: str | None):
        from registry.documents.prepare import prepare_template

        prepared = self._lookup(sha256)
        if prepared is None:
            with self._lock:
                key_lock = self._preparing.setdefault(sha256, threading.Lock())
            with key_lock:
                prepared = self._lookup(sha256)
                if prepared is None:
                    prepared = prepare_template(data, limits=self.limits)
                    self._store(sha256, prepared)
            with self._lock:
                self._preparing.pop(sha256, None)
        if name is not None:
            self._rename(name, sha256)
        return prepared

    def prepared(self, sha256: str):
        """The prepared template kept under this SHA-256, or None."""
        return self._lookup(sha256)

    def _store(self, sha256: str, prepared) -> None:
        with self._lock:
            self.preparations += 1
            self._entries[sha256] = prepared
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _rename(self, name: str, sha256: str) -> None:
        with self._lock:
            previous = self._names.get(name)
            self._names[name] = sha256
            if previous and previous != sha256:
                self._entries.pop(previous, None)

    def invalidate(self, sha256: str) -> None:
        with self._lock:
            self._entries.pop(sha256, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._names.clear()


_DEFAULT = TemplateCache()


def default_cache() -> TemplateCache:
    """The process-wide cache the application renders through."""
    return _DEFAULT
