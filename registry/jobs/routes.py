"""The job page ``/taches/<id>`` (state, progress bar, the result's link, the reason of a failure), its JSON for
the page's polling, and the result file. Only the user who asked for the job, or an administrator, sees it:
anyone else gets 404, as for anything out of their reach."""

from flask import Blueprint, abort, jsonify, render_template, send_file, url_for
from flask_login import current_user

from registry.accounts.models import ROLE_ADMIN
from registry.audit.downloads import already_audited
from registry.audit.services import record_audit
from registry.core.access import signed_in
from registry.core.errors import DomainError
from registry.core.storage import document_store
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.jobs import queue as jobs
from registry.jobs.progress import INTERNAL_ERROR

bp = Blueprint("jobs", __name__)

#: Seconds between two refreshes of a job page still waiting or running.
REFRESH_SECONDS = 2


class ResultGone(DomainError):
    status = 410
    code = "gone"


def _own_job(job_id: str):
    """The job, if the current user asked for it (or is an administrator); 404 otherwise."""
    job = jobs.fetch(job_id) if jobs.enabled() else None
    if job is None or (job.meta.get("owner_id") != current_user.id and current_user.role != ROLE_ADMIN):
        abort(404)
    return job


def record(job) -> dict:
    """What the page and its JSON show of a job."""
    meta, state = job.meta, jobs.state(job)
    progress = meta.get("progress") or {}
    done, total = progress.get("done", 0), progress.get("total", 0)
    if state == jobs.DONE:
        percent = 100
    else:
        percent = int(100 * done / total) if total else 0
    result = meta.get("result") if state == jobs.DONE else None
    link = None
    if result and result.get("sha256"):
        link = {"url": url_for("jobs.result_file", job_id=job.id), "label": result.get("link_label", "Télécharger"),
                "filename": result.get("filename")}
    elif result and result.get("url"):
        link = {"url": result["url"], "label": result.get("link_label", "Ouvrir"), "filename": None}
    return {
        "id": job.id,
        "kind": meta.get("kind"),
        "title": jobs.KINDS[meta["kind"]].title if meta.get("kind") in jobs.KINDS else "Tâche",
        "label": meta.get("label"),
        "state": state,
        "finished": state in (jobs.DONE, jobs.FAILED),
        "progress": {"done": done, "total": total, "percent": percent, "message": progress.get("message", "")},
        "link": link,
        "open_when_done": bool(result and result.get("open_when_done")),
        "error": (meta.get("error") or INTERNAL_ERROR) if state == jobs.FAILED else None,
        "back": meta.get("return"),
        "refresh_seconds": REFRESH_SECONDS,
    }


@bp.route("/taches/<job_id>")
@signed_in
def show(job_id: str):
    return render_template("jobs/show.html", job=record(_own_job(job_id)))


@bp.route("/taches/<job_id>.json")
@signed_in
def status(job_id: str):
    response = jsonify(record(_own_job(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/taches/<job_id>/fichier")
@signed_in
def result_file(job_id: str):
    """The file a finished job stored; its download is audited (the job's own entry when it has one, e.g. a
    bundle's scope, files and manifest, else the after_request hook's)."""
    job = _own_job(job_id)
    result = job.meta.get("result") or {}
    if jobs.state(job) != jobs.DONE or not result.get("sha256"):
        abort(404)
    store = document_store()
    if not store.exists(result["sha256"]):
        raise ResultGone("Ce fichier n'est plus disponible (il est effacé 24 heures après sa préparation) : "
                         "relancez le téléchargement depuis la page d'origine.")
    audit = result.get("audit")
    if audit:
        hospital = db.session.get(HospitalProfile, audit["hospital_id"]) if audit.get("hospital_id") else None
        record_audit(audit["action"], None, audit["summary"], hospital=hospital,
                     actor=current_user._get_current_object())
        already_audited()
        db.session.commit()
    response = send_file(store.open(result["sha256"]), mimetype=result.get("media_type"), as_attachment=True,
                         download_name=result["filename"], etag=result["sha256"])
    response.headers["Cache-Control"] = "private, no-store"
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = value
    return response
