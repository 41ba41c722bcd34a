"""A bundle made by the worker (when REDIS_URL is set): the same bundle as the inline download (same scope, same
day, same reader, so the same bytes and manifest), stored whole in the document store and downloaded from its
job page; progress is the number of signed copies added to the ZIP."""

from datetime import date

from registry.accounts.models import User
from registry.bundles.bundle import MEDIA_TYPE, author, download_summary, make_bundle
from registry.bundles.scope import BundleScope, check_scope
from registry.core import clock
from registry.core.errors import DomainError
from registry.core.storage import document_store
from registry.extensions import db
from registry.jobs import queue as jobs
from registry.jobs.progress import report, task

#: The members a bundle starts with (LISEZMOI.txt, manifest.json, manifest.csv, conformite.csv) before its copies.
HEAD_MEMBERS = 4


def enqueue_bundle(scope: BundleScope, user):
    """The job making ``scope``'s bundle for ``user`` today (404 now when the scope is out of the user's reach).
    Asked again while it waits or runs, the same job is shown rather than a second one started."""
    check_scope(scope, user)
    at = clock.today()
    job_id = jobs.stable_id("bundle", user.id, scope.kind, scope.code, ",".join(map(str, scope.ids)), at.isoformat())
    existing = jobs.fetch(job_id)
    if existing is not None and jobs.state(existing) in (jobs.WAITING, jobs.RUNNING):
        return existing
    arguments = {"user_id": user.id, "kind": scope.kind, "code": scope.code, "ids": list(scope.ids),
                 "at": at.isoformat()}
    return jobs.enqueue("bundle", build_bundle, arguments, owner_id=user.id, job_id=job_id,
                        label=f"Conventions signées de {scope.label}, au format ZIP.")


@task
def build_bundle(*, user_id: int, kind: str, code: str | None, ids: list[int], at: str) -> dict:
    """Gather the bundle as ``user_id`` may read it on ``at``, write the ZIP, store it; safe to run again (the
    store keeps one copy of the same bytes)."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        raise DomainError("Le compte qui a demandé ce lot n'est plus actif : le lot n'a pas été préparé.")
    report(0, 0, "Recherche des conventions signées…")
    bundle = make_bundle(BundleScope(kind, code, tuple(ids)), user, made_by=author(user), at=date.fromisoformat(at))
    total = len(bundle.files)
    report(0, total, "Ajout des copies signées au fichier ZIP…")
    step = max(1, total // 100)  # at most about a hundred updates of the record

    def counted(members):
        for index, member in enumerate(members):
            added = index - HEAD_MEMBERS
            if added > 0 and added % step == 0:
                report(added, total, "Ajout des copies signées au fichier ZIP…")
            yield member

    data = b"".join(bundle.stream_members(counted(bundle.members())))
    report(total, total, "Enregistrement du fichier…")
    sha256, size = document_store().store(data)
    report(total, total, "Lot prêt.")
    return {"sha256": sha256, "size": size, "filename": bundle.filename, "media_type": MEDIA_TYPE,
            "link_label": "Télécharger le lot", "headers": {"X-Manifest-SHA256": bundle.manifest_sha256},
            "audit": {"action": "bundle.download", "summary": download_summary(bundle, " (préparé en tâche de fond)"),
                      "hospital_id": bundle.hospital.id if bundle.hospital is not None else None}}
