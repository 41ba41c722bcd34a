"""The stock import confirmed on the job queue (REDIS_URL set): the worker checks the held uploads again and
imports them, all or nothing, while the user follows the job page; a refusal puts the uploads back waiting for a
corrected confirmation, as the inline confirmation does, and the job page says why and links back to the preview.

The job takes the hospital's and the user's ids and the held import's token; run again after it succeeded, it
finds nothing waiting and imports nothing twice. The held uploads are in core.holding: with the file-system store
the worker shares the instance folder (``imports/``) with the web server (docs/deploiement.md); with
DOCUMENT_STORE = "database" they are in the database."""

from flask import url_for

from registry.accounts.models import User
from registry.conventions.signed_copies import stock_set_aside_notice
from registry.conventions.stock_confirmation import confirm_stock
from registry.core import holding
from registry.core.errors import DomainError
from registry.core.scope import can_edit_hospital
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.jobs import queue as jobs
from registry.jobs.progress import report, task

NOTHING_WAITING = ("Cet import n'attend plus de confirmation (déjà confirmé, abandonné ou expiré) : rien n'a été "
                   "enregistré par cette tâche.")


def enqueue_stock_import(hospital, user, token: str):
    """The job confirming the import held under ``token`` (already claimed by the request)."""
    finess = hospital.organisation.finess_et
    return jobs.enqueue("stock_import", confirm_stock_import,
                        {"hospital_id": hospital.id, "user_id": user.id, "token": token,
                         "done_url": url_for("hospitals.show", finess=finess, _anchor="conventions")},
                        owner_id=user.id, label=f"Conventions signées de {hospital.name} ({finess}).",
                        return_url=url_for("conventions.import_preview", finess=finess),
                        return_label="Revenir à l'aperçu de l'import")


@task
def confirm_stock_import(*, hospital_id: int, user_id: int, token: str, done_url: str) -> dict:
    held = holding.claimed(token)
    if held is None:
        raise DomainError(NOTHING_WAITING)
    user, hospital = db.session.get(User, user_id), db.session.get(HospitalProfile, hospital_id)
    if user is None or not user.is_active or hospital is None or not can_edit_hospital(hospital, user):
        holding.discard(held)
        raise DomainError("Le compte qui a lancé cet import ne peut plus modifier cet hôpital : rien n'a été "
                          "enregistré.")
    report(0, 0, "Nouvelle vérification du tableur et des copies signées…")
    created = None
    try:
        created, error = confirm_stock(hospital, held, actor=user,
                                  progress=lambda done, total: report(done, total, "Enregistrement des conventions…"))
    finally:
        if created is None:  # refused, or failed: the uploads wait again for a corrected confirmation
            held.unclaim()
    if error is not None:
        raise DomainError(error)
    holding.discard(held)
    count = len(created)
    done = (f"{count} conventions enregistrées comme signées, avec leur copie signée." if count > 1
            else "1 convention enregistrée comme signée, avec sa copie signée.")
    aside = stock_set_aside_notice(created)
    report(count, count, f"{done} {aside}" if aside else done)
    return {"url": done_url, "count": count, "link_label": "Voir les conventions de l'hôpital"}
