"""Downloading a bundle from the pages: by hospital, département or region (GET), or the conventions ticked in
the list (POST); and ``bundle_offer()``, the download button's figures (files and total size, one query) for the
hospital page, the compliance dashboard and the convention list."""

from dataclasses import dataclass

from flask import Blueprint, Response, redirect, request, stream_with_context, url_for
from flask_login import current_user

from registry.accounts.models import ROLE_ARS, ROLE_HOSPITAL
from registry.audit.downloads import already_audited
from registry.bundles.bundle import MEDIA_TYPE, author, make_bundle, record_download
from registry.bundles.jobs import enqueue_bundle
from registry.bundles.scope import DEPARTEMENT, HOSPITAL, REGION, BundleScope, summarise
from registry.core.access import signed_in
from registry.core.errors import DomainError
from registry.core.scope import visible_hospitals
from registry.extensions import db
from registry.jobs import queue as jobs
from registry.organisations.models import Organisation

bp = Blueprint("bundles", __name__)

#: The pages' query parameters (French, as the convention list's « hopital ») for each kind of scope.
PARAMETERS = {HOSPITAL: "hopital", DEPARTEMENT: "departement", REGION: "region"}


@bp.route("/conventions/lot.zip")
@signed_in
def download():
    """?hopital=FINESS | ?departement=CODE | ?region=CODE: the bundle of what the user may read there."""
    scope = BundleScope.of(hospital=request.args.get("hopital"), departement=request.args.get("departement"),
                           region=request.args.get("region"))
    return page_response(scope)


@bp.route("/conventions/lot.zip", methods=["POST"])
@signed_in
def download_selection():
    """The conventions ticked in the list (``ids``), each checked through the user's scope, with their avenants."""
    return page_response(BundleScope.selection(request.form.getlist("ids")))


def page_response(scope: BundleScope) -> Response:
    """With the job queue, the pages show the job page of the bundle being made (404 out of scope); without it,
    they stream the bundle as the API does."""
    if jobs.enabled():
        job = enqueue_bundle(scope, current_user._get_current_object())
        return redirect(url_for("jobs.show", job_id=job.id), code=303)
    return bundle_response(scope)


def bundle_response(scope: BundleScope) -> Response:
    """Gather the bundle (404 out of scope), record the download, commit, then stream the ZIP as it is made."""
    bundle = make_bundle(scope, current_user, made_by=author(current_user))
    record_download(bundle, actor=current_user)
    already_audited()
    db.session.commit()
    return Response(stream_with_context(bundle.stream()), mimetype=MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{bundle.filename}"',
        "Cache-Control": "private, no-store",
        "X-Manifest-SHA256": bundle.manifest_sha256,
    })


@dataclass(frozen=True)
class Offer:
    url: str
    files: int
    size: int
    label: str


@bp.app_template_global("bundle_offer")
def bundle_offer(hospital: str | None = None, departement: str | None = None) -> Offer | None:
    """The download offered on a page: the hospital or département shown, else the user's whole reach when it
    is one region (ARS) or one hospital; None when there is nothing to offer (an administrator's national view)."""
    scope = None
    try:
        if hospital or departement:
            scope = BundleScope.of(hospital=hospital, departement=departement)
        elif current_user.role == ROLE_ARS and current_user.region:
            scope = BundleScope.of(region=current_user.region)
        elif current_user.role == ROLE_HOSPITAL:
            own = db.session.scalars(visible_hospitals().with_only_columns(Organisation.finess_et).limit(2)).all()
            scope = BundleScope.of(hospital=own[0]) if len(own) == 1 else None
    except DomainError:
        return None
    if scope is None:
        return None
    files, size = summarise(scope, current_user)
    return Offer(url_for("bundles.download", **{PARAMETERS[scope.kind]: scope.code}), files, size, scope.label)
