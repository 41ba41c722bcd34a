"""The convention page, its drafts (a new version, downloads) and their previews (HTML, PDF).

Readers of the hospital (its users, administrators, the ARS of its region) see the page and download every
draft; only those who may edit the hospital produce a new draft (403 for the others, 404 outside the scope).
"""

import io

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from registry.conventions.convention_page import render_convention_page
from registry.conventions.models import Convention, ConventionDocument
from registry.conventions.pdf_previews import cached_pdf, draft_pdf, enqueue_conversion
from registry.conventions.preview import PDF_UNAVAILABLE, PreviewUnavailable, docx_to_html, soffice
from registry.conventions.services import DRAFT_LOADING, generate_draft, get_draft
from registry.core.access import signed_in
from registry.core.scope import get_convention
from registry.core.storage import document_store
from registry.extensions import db
from registry.jobs import queue as jobs


def _draft(convention: Convention, version: int) -> ConventionDocument:
    document = get_draft(convention, version)
    if document is None:
        abort(404)
    return document


@signed_in
def show(convention_id: int):
    return render_convention_page(convention_id)


@signed_in
def new_draft(convention_id: int):
    convention = get_convention(convention_id, for_edit=True, options=DRAFT_LOADING)
    document = generate_draft(convention, actor=current_user._get_current_object())  # Conflict: 409 page
    db.session.commit()
    flash(f"Le projet v{document.version} est produit.", "success")
    return redirect(url_for("conventions.show", convention_id=convention.id, _anchor="projets"))


@signed_in
def download_draft(convention_id: int, version: int):
    document = _draft(get_convention(convention_id), version)
    return send_file(document_store().open(document.sha256), mimetype=document.media_type, as_attachment=True,
                     download_name=document.filename, etag=document.sha256)


@signed_in
def preview_draft(convention_id: int, version: int):
    convention = get_convention(convention_id)
    document = _draft(convention, version)
    html = docx_to_html(document_store().read(document.sha256))  # cleaned; the site's CSP forbids inline scripts
    return render_template("conventions/preview.html", convention=convention, document=document, html=html,
                           pdf_unavailable=None if soffice() else PDF_UNAVAILABLE)


@signed_in
def pdf_draft(convention_id: int, version: int):
    document = _draft(get_convention(convention_id), version)
    pdf = cached_pdf(document.sha256)
    if pdf is None and jobs.enabled():  # the worker converts it; the job page opens it when it is ready
        if not soffice():
            raise PreviewUnavailable(PDF_UNAVAILABLE)
        job = enqueue_conversion(document, current_user._get_current_object())
        return redirect(url_for("jobs.show", job_id=job.id), code=303)
    if pdf is None:
        # Converted once per draft, a few at a time on the machine; PreviewUnavailable: 503 page with the reason.
        pdf = draft_pdf(document.sha256, lambda: document_store().read(document.sha256))
    return send_file(io.BytesIO(pdf), mimetype="application/pdf",
                     download_name=document.filename.rsplit(".", 1)[0] + ".pdf")
