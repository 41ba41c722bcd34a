"""Every document a signed-in user downloads is audited, by one after_request hook rather than by each of the many
views that send a file (drafts, signed copies, proofs, annexes, exports, bundles, templates; pages and API alike).

A download is a successful GET (or POST: a selection) whose answer names a file (Content-Disposition with a filename). The entry is
committed before the first byte leaves; when it cannot be, the download is refused (503): an unrecorded download
is what the audit exists to prevent.
"""

import logging
import re

from flask import Flask, Response, g, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from registry.audit.services import record_audit
from registry.extensions import db

log = logging.getLogger("registry")

_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.IGNORECASE)


def already_audited() -> None:
    """A view that writes its own, richer download entry (the bundles) says so: the hook then adds none."""
    g.download_audited = True


def _hospital_of_request():
    """The hospital whose trail shows the download, read from the URL's arguments when they name one."""
    from registry.conventions.models import Convention
    from registry.cpom.models import Cpom
    from registry.hospitals.models import HospitalProfile
    from registry.organisations.models import Organisation

    args = request.view_args or {}
    if "convention_id" in args:
        convention = db.session.get(Convention, args["convention_id"])
        return convention.hospital if convention is not None else None
    if "cpom_id" in args:
        cpom = db.session.get(Cpom, args["cpom_id"])
        return cpom.sites[0] if cpom is not None and cpom.sites else None
    if "finess" in args:
        return db.session.scalar(select(HospitalProfile).join(Organisation, HospitalProfile.organisation)
                                 .where(Organisation.finess_et == args["finess"]))
    return None


def audit_download(response: Response) -> Response:
    if request.method not in ("GET", "POST") or response.status_code != 200 or g.get("download_audited"):
        return response
    match = _FILENAME.search(response.headers.get("Content-Disposition", ""))
    if match is None or not getattr(current_user, "is_authenticated", False):
        return response
    filename = match.group(1)[:200]
    try:
        db.session.rollback()  # whatever the view left open: the entry is its own short transaction
        record_audit("document.download", current_user._get_current_object(),
                     f"Téléchargement de « {filename} » ({request.path[:200]})", hospital=_hospital_of_request())
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("Download of %s refused: its audit entry could not be written", request.path)
        response.close()
        return Response("Téléchargement impossible pour le moment : le journal n'a pas pu l'enregistrer. "
                        "Réessayez dans un instant.", status=503, mimetype="text/plain",
                        headers={"Retry-After": "5"})
    return response


def register(app: Flask) -> None:
    app.after_request(audit_download)
