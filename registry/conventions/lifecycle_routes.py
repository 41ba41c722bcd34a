"""The convention page's lifecycle actions: change the status, upload a signed copy (and download every version),
confirm or discard a copy set aside by its signature check, create an avenant, abandon a convention never signed,
record the convention a new one replaces.

What the page shows is lifecycle_page.py's. Every action loads the convention with get_convention(for_edit=True)
(404 outside the scope, 403 for readers such as the ARS), calls the domain (transitions.py, signed_copies.py)
and commits; a refusal (TransitionRefused, SignedCopyRejected, any DomainError) is rolled back and the page is
shown again, answering 422, with the French message beside the form that was sent and what was typed kept.
"""

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from registry.conventions import lifecycle
from registry.conventions.lifecycle_page import Refusal
from registry.conventions.convention_page import render_convention_page
from registry.conventions.lifecycle_forms import (AbandonForm, AvenantForm, LegalBasesForm, SignedCopyForm,
                                                  SupersedeForm, TransitionForm, TransmissionForm, review_forms,
                                                  transition_form)
from registry.conventions.models import COPY_SET_ASIDE, Convention
from registry.conventions.signed_copies import (PDF, attach_signed_copy, confirm_signed_copy, discard_signed_copy,
                                                find_signed_copy, set_aside_notice)
from registry.conventions.statuses import Status
from registry.conventions.transitions import create_avenant, delete_unsigned_convention, supersede, transition
from registry.conventions.transmission import record_ars_transmission, set_legal_bases
from registry.core.french import french_date
from registry.core.access import signed_in
from registry.core.errors import FRENCH_STATUS
from registry.core.scope import get_convention
from registry.core.storage import document_store
from registry.core.transaction import commit_or_error


def _page(convention: Convention, anchor: str):
    return redirect(url_for("conventions.show", convention_id=convention.id, _anchor=anchor))


def _refused(convention_id: int, key: str, form, error: str | None):
    """The convention page again, with the refusal beside the form that was sent (nothing was changed)."""
    return render_convention_page(convention_id, refusal=Refusal(key, form, error)), 422


def _run(convention_id: int, key: str, form, action, done):
    """Validate the form, run the domain call and commit, or show the page again with the refusal."""
    if not form.validate():
        return _refused(convention_id, key, form, None)
    result, error = commit_or_error(action)
    return _refused(convention_id, key, form, error) if error else done(result)


@signed_in
def change_status(convention_id: int, to: str):
    convention = get_convention(convention_id, for_edit=True)
    rule = lifecycle.rule_for(convention.status, to)
    form = transition_form(rule) if rule else TransitionForm(prefix=to)

    def done(event):
        flash(f"La convention {convention.reference} est maintenant « {Status(to).label} ».", "success")
        return _page(convention, "cycle")
    return _run(convention_id, f"statut-{to}", form, lambda: transition(
        convention, to, actor=current_user._get_current_object(), comment=form.comment.data, date=form.date.data),
        done)


@signed_in
def record_transmission(convention_id: int):
    convention = get_convention(convention_id, for_edit=True)
    form = TransmissionForm()

    def done(_):
        flash(f"Transmission à l'ARS enregistrée : le {french_date(convention.transmitted_to_ars_on)}.", "success")
        return _page(convention, "termes")
    return _run(convention_id, "transmission", form, lambda: record_ars_transmission(
        convention, form.date.data, actor=current_user._get_current_object()), done)


@signed_in
def correct_legal_bases(convention_id: int):
    convention = get_convention(convention_id, for_edit=True)
    form = LegalBasesForm()

    def done(_):
        flash("Le fondement juridique de la convention est enregistré.", "success")
        return _page(convention, "termes")
    return _run(convention_id, "fondements", form, lambda: set_legal_bases(
        convention, form.legal_bases.data, actor=current_user._get_current_object()), done)


@signed_in
def upload_signed_copy(convention_id: int):
    convention = get_convention(convention_id, for_edit=True)
    form = SignedCopyForm()

    def done(document):
        if document.review == COPY_SET_ASIDE:
            flash(set_aside_notice(document), "danger")
        else:
            flash(f"Copie signée v{document.version} déposée : {document.signature_report['label']}.", "success")
        return _page(convention, "copie-signee")
    return _run(convention_id, "copie", form, lambda: attach_signed_copy(
        convention, form.file.data.read(), actor=current_user._get_current_object()), done)


@signed_in
def confirm_set_aside_copy(convention_id: int, version: int):
    """A copy set aside by its signature check confirmed despite the alert, with a mandatory reason (audited)."""
    return _decide(convention_id, version, "confirmer", confirm_signed_copy,
                   f"Copie signée v{version} confirmée malgré l'alerte : c'est désormais la copie en vigueur, "
                   "marquée comme telle.", "warning")


@signed_in
def discard_set_aside_copy(convention_id: int, version: int):
    return _decide(convention_id, version, "ecarter", discard_signed_copy,
                   f"Copie signée v{version} écartée définitivement : elle reste dans l'historique, sans être la "
                   "copie en vigueur.", "success")


def _decide(convention_id: int, version: int, verb: str, decision, message: str, category: str):
    """Confirm or discard a set-aside copy (its form is review_forms' ``verb``), then say so on the page."""
    convention = get_convention(convention_id, for_edit=True)
    document = find_signed_copy(convention, version)
    form = dict(zip(("confirmer", "ecarter"), review_forms(version)))[verb]

    def done(_):
        flash(message, category)
        return _page(convention, "copie-signee")
    return _run(convention_id, f"{verb}-v{version}", form, lambda: decision(
        document, form.reason.data, actor=current_user._get_current_object()), done)


@signed_in
def download_signed_copy(convention_id: int, version: int):
    convention = get_convention(convention_id)
    document = find_signed_copy(convention, version)
    return send_file(document_store().open(document.sha256), mimetype=PDF, as_attachment=True,
                     download_name=document.filename, etag=document.sha256)


@signed_in
def new_avenant(convention_id: int):
    convention = get_convention(convention_id, for_edit=True)
    form = AvenantForm()

    def done(avenant):
        flash(f"L'avenant {avenant.reference} est créé : déposez sa copie signée pour l'enregistrer signé.",
              "success")
        return _page(avenant, "cycle")
    return _run(convention_id, "avenant", form, lambda: create_avenant(
        convention, form.title.data, effective_date=form.effective_date.data,
        actor=current_user._get_current_object()), done)


@signed_in
def abandon(convention_id: int):
    convention = get_convention(convention_id, for_edit=True)
    reference, parent, hospital = convention.reference, convention.parent, convention.hospital
    form = AbandonForm()

    def done(_):
        flash(f"La convention {reference} est abandonnée et supprimée ; l'historique en garde la trace.", "success")
        if parent is not None:
            return _page(parent, "avenants")
        return redirect(url_for("hospitals.show", finess=hospital.finess_et, _anchor="conventions"))
    return _run(convention_id, "abandon", form, lambda: delete_unsigned_convention(
        convention, reason=form.reason.data, actor=current_user._get_current_object()), done)


@signed_in
def record_supersession(convention_id: int):
    convention = get_convention(convention_id, for_edit=True)
    form = SupersedeForm()

    def replace():
        replaced = get_convention(form.replaced.data, for_edit=True)  # 404 outside the user's scope
        supersede(replaced, convention, actor=current_user._get_current_object())
        return replaced.reference

    def done(reference):
        flash(f"La convention {convention.reference} remplace désormais la convention {reference}.", "success")
        return _page(convention, "cycle")
    return _run(convention_id, "remplacement", form, replace, done)


#: The convention page's uploads, and the place of the page each one leads back to.
UPLOAD_ANCHORS = {"conventions.upload_signed_copy": "copie-signee", "conventions.receive_version": "projets"}


def upload_too_large(error):
    """A signed copy or a partner's version over MAX_UPLOAD_MB, refused before any view reads it: a French page
    naming the limit and leading back to the convention. The blueprint's other uploads keep the plain 413 page."""
    anchor = UPLOAD_ANCHORS.get(request.endpoint)
    if anchor is None:
        return render_template("errors/error.html", status=413, message=FRENCH_STATUS[413]), 413
    return render_template("conventions/too_large.html", limit=current_app.config["MAX_UPLOAD_MB"],
                           convention_id=request.view_args["convention_id"], anchor=anchor), 413
