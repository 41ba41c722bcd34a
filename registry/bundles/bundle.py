"""A bundle of signed conventions: gathered for a scope and a reader, streamed as a ZIP, recorded in the audit log.

The bundle's bytes are a function of its inputs: the scope, the date (which also stamps every member), the
label of who made it, and the registry's content. The clock's time is not one of them: the audit entry keeps the
exact moment of each download, with the SHA-256 of manifest.json, which pins down everything else.
"""

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from registry.audit.services import record_audit
from registry.bundles import scope as scopes
from registry.bundles.conformite import conformite_csv
from registry.bundles.copies import load_signed_copies
from registry.bundles.manifest import (CONFORMITE_CSV, MANIFEST_CSV, MANIFEST_JSON, README, BundleFile, bundle_files,
                                       manifest_csv, manifest_json)
from registry.bundles.readme import readme
from registry.bundles.scope import BundleScope
from registry.bundles.stream import Member, zip_stream
from registry.core import clock
from registry.core.errors import DomainError
from registry.core.french import french_size
from registry.core.storage import document_store
from registry.extensions import db
from registry.hospitals.models import HospitalProfile

MEDIA_TYPE = "application/zip"


class MissingDocuments(DomainError):
    """A signed copy the database names is not in the document store: no bundle rather than a broken one."""

    status = 409
    code = "conflict"


@dataclass(frozen=True)
class Bundle:
    scope: BundleScope
    at: date
    made_by: str
    files: list[BundleFile]
    #: LISEZMOI.txt, manifest.json, manifest.csv, conformite.csv, by name.
    documents: dict[str, bytes]
    #: The hospital of a one-hospital bundle, whose page shows the download in its history.
    hospital: HospitalProfile | None = None
    #: The document store the copies are read from, one at a time, as the ZIP is streamed.
    store: object = field(default=None, repr=False)

    @property
    def filename(self) -> str:
        return f"conventions-signees-{self.scope.slug}-{self.at.isoformat()}.zip"

    @property
    def total_size(self) -> int:
        return sum(item.size for item in self.files)

    @property
    def manifest_sha256(self) -> str:
        return hashlib.sha256(self.documents[MANIFEST_JSON]).hexdigest()

    def members(self) -> list[Member]:
        """The documents first (LISEZMOI.txt, manifests, conformite.csv), then the copies in path order."""
        heads = [Member.of_bytes(name, self.documents[name])
                 for name in (README, MANIFEST_JSON, MANIFEST_CSV, CONFORMITE_CSV)]
        return heads + [Member(item.path, item.size, partial(self.store.chunks, item.sha256), item.crc32)
                        for item in self.files]

    def stream(self, **options) -> Iterator[bytes]:
        """The ZIP's bytes, each copy read in chunks when its turn comes (memory-bounded); the file-system store
        needs no application context, the database store reads through the session (the route streams with the
        request's context)."""
        return self.stream_members(self.members(), **options)

    def stream_members(self, members, **options) -> Iterator[bytes]:
        """The ZIP of ``members`` (``members()``, possibly watched as they are taken), dated the bundle's day."""
        return zip_stream(members, date_time=(self.at.year, self.at.month, self.at.day, 0, 0, 0), **options)


def author(user) -> str:
    """How LISEZMOI.txt names the user who made the bundle."""
    return user.email if not user.display_name else f"{user.display_name} ({user.email})"


def make_bundle(scope: BundleScope, user, *, made_by: str, at: date | None = None) -> Bundle:
    """The bundle of ``scope`` as ``user`` may read it (NotFound when the scope holds none of its hospitals),
    on ``at`` (default today): one query per 250 conventions for their parties, the rest fixed."""
    at = at or clock.today()
    scopes.check_scope(scope, user)
    files = bundle_files(load_signed_copies(scope, user), at)
    hospitals = list(db.session.scalars(scopes.hospitals_in(scope, user)))
    per_hospital = Counter(item.record["hospital"]["finess_et"] for item in files)
    documents = {
        README: readme(scope_label=scope.label, at=at, made_by=made_by, files=len(files),
                       size=sum(item.size for item in files),
                       hospitals=[(h.finess_et, h.name, per_hospital[h.finess_et]) for h in hospitals]),
        MANIFEST_CSV: manifest_csv(files),
        CONFORMITE_CSV: conformite_csv(scopes.hospitals_in(scope, user), at),
    }
    header = {"scope": scope.as_dict(), "date": at.isoformat(), "made_by": made_by,
              "hospitals": [{"finess_et": h.finess_et, "name": h.name, "departement": h.organisation.departement,
                             "files": per_hospital[h.finess_et]} for h in hospitals]}
    documents[MANIFEST_JSON] = manifest_json(header, files, documents)
    return Bundle(scope, at, made_by, files, documents,
                  hospitals[0] if scope.kind == scopes.HOSPITAL and hospitals else None, _checked_store(files))


def _checked_store(files: list[BundleFile]):
    """The document store, once every stored copy is known to be there, checked before the first byte is sent."""
    store = document_store()
    absent = store.missing(item.sha256 for item in files)
    missing = sorted({item.record["reference"] for item in files if item.sha256 in absent})
    if missing:
        raise MissingDocuments("Copie signée introuvable dans le stockage pour : " + ", ".join(missing[:10])
                               + (" …" if len(missing) > 10 else "") + ". Prévenez l'administrateur.")
    return store


def download_summary(bundle: Bundle, channel: str = "") -> str:
    """What the audit entry of a download says: scope, number of files, size and manifest.json's SHA-256."""
    count = len(bundle.files)
    return (f"Lot de conventions signées téléchargé{channel} : {bundle.scope.label}, "
            f"{count} fichier{'s' if count > 1 else ''} ({french_size(bundle.total_size)}), "
            f"manifeste SHA-256 {bundle.manifest_sha256}")


def record_download(bundle: Bundle, *, actor=None, channel: str = "") -> None:
    """The audit entry of a download; flushed with the caller's transaction, before the first byte is sent."""
    record_audit("bundle.download", bundle, download_summary(bundle, channel), hospital=bundle.hospital, actor=actor)
