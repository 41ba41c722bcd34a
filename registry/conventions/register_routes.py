"""Registering conventions signed before the application: one with its signed PDF (a form), or the whole stock
from a spreadsheet and a ZIP of PDFs (upload → preview → confirmation, all or nothing).

Every page loads the hospital with get_hospital(for_edit=True): 404 outside the user's scope, 403 for a reader.
Between the preview and the confirmation, the two uploads wait in the holding area (core.holding: one import per
hospital and user, expiry, a confirmation claims it once), never in the document store (an import never
confirmed leaves nothing behind); its metadata records the hospital, checked again at each step.
"""

import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from registry.conventions.bulk_import import (COLUMNS, MAX_ROWS, MIB, SPREADSHEET_MAX_BYTES, ImportRefused,
                                              PdfArchive, model_csv, model_xlsx, read_spreadsheet)
from registry.conventions.models import COPY_SET_ASIDE
from registry.conventions.register_forms import PICK_AGAIN, HeldImportForm, ImportForm, register_form
from registry.conventions.preselection import preselected_partnership
from registry.conventions.registering import register_signed
from registry.conventions.services import last_signatories
from registry.conventions.signed_copies import set_aside_notice, stock_set_aside_notice
from registry.conventions.stock_confirmation import (ARCHIVE, SPREADSHEET, checked_stock, confirm_stock, held_key,
                                                     max_pdf_bytes)
from registry.conventions.stock_jobs import enqueue_stock_import
from registry.core import holding
from registry.core.access import signed_in
from registry.core.scope import get_hospital
from registry.core.transaction import commit_or_error
from registry.jobs import queue as jobs

#: The stock's ZIP may weigh this many times the largest signed copy (MAX_UPLOAD_MB).
ARCHIVE_UPLOAD_FACTOR = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_WAITING = ("Cet import n'attend plus de confirmation (déjà confirmé, abandonné, remplacé par un dépôt plus "
               "récent ou expiré) : rien n'a été enregistré. Déposez à nouveau le tableur et l'archive.")


def allow_a_larger_stock(endpoint, values):
    """The stock upload may exceed MAX_CONTENT_LENGTH: raised here (the blueprint's url_value_preprocessor, added
    in urls.py), the only hook that runs before the CSRF check reads the request body, for that one endpoint and a
    signed-in user only (an anonymous body is read no further than the usual limit)."""
    if endpoint == "conventions.import_upload" and request.method == "POST" and current_user.is_authenticated:
        request.max_content_length = ARCHIVE_UPLOAD_FACTOR * max_pdf_bytes() + SPREADSHEET_MAX_BYTES + MIB


# --- One convention -------------------------------------------------------------------------------------------

@signed_in
def register_existing(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    partnership = preselected_partnership(hospital)
    data = None if request.method == "POST" else {
        "partners": [partnership.id] if partnership else [], "notice_months": 3,
        **{f"signataire_{organisation_id}_{part}": value
           for organisation_id, signatory in last_signatories(hospital).items()
           for part, value in (("nom", signatory.name), ("qualite", signatory.title))}}
    form = register_form(hospital, data=data)
    error = None
    if form.validate_on_submit():
        actor = current_user._get_current_object()
        chosen = [p for p in hospital.partnerships if p.id in form.partners.data]
        # one transaction: a refused copy or signature leaves no convention behind
        registered, error = commit_or_error(lambda: register_signed(
            hospital, form.terms(chosen), form.signed_copy_bytes, signed_on=form.signed_on.data, actor=actor,
            report=form.signature_report))
        if error is None:
            convention, copy = registered.convention, registered.copy
            if copy.review == COPY_SET_ASIDE:
                flash(f"La convention {convention.reference} est enregistrée comme signée, mais sa copie est mise à "
                      f"l'écart. {set_aside_notice(copy)}", "danger")
            else:
                flash(f"La convention {convention.reference} est enregistrée comme signée. "
                      f"Vérification de la copie : {form.signature_label}.", "success")
            return redirect(url_for("conventions.show", convention_id=convention.id))
    return render_template("conventions/register.html", hospital=hospital, form=form, error=error,
                           partnership=partnership, pick_again=PICK_AGAIN if request.method == "POST" else None)


# --- The stock: uploads held between the preview and the confirmation (core.holding) --------------------------

def _hold(hospital, upload: ImportForm) -> dict:
    """Keep the uploads under a new token named in the session when both can be read; else {field: message}."""
    spreadsheet, archive = upload.spreadsheet.data.read(SPREADSHEET_MAX_BYTES + 1), upload.archive.data
    if holding.total_bytes() > int(current_app.config["HELD_IMPORTS_MAX_MB"]) * MIB:
        current_app.logger.warning("Held imports exceed HELD_IMPORTS_MAX_MB: upload refused")
        return {"archive": "Trop d'imports attendent une confirmation sur le serveur : confirmez ou abandonnez le "
                           "vôtre, ou réessayez plus tard (l'administrateur est prévenu)."}
    errors = {}
    try:
        read_spreadsheet(spreadsheet)
    except ImportRefused as refusal:
        errors["spreadsheet"] = refusal.message
    held = holding.put(held_key(hospital), {ARCHIVE: archive, SPREADSHEET: spreadsheet}, hospital_id=hospital.id,
                       spreadsheet=_display_name(upload.spreadsheet.data.filename),
                       archive=_display_name(archive.filename))
    try:
        PdfArchive(held.source(ARCHIVE), max_entry_bytes=max_pdf_bytes()).close()
    except ImportRefused as refusal:
        errors["archive"] = refusal.message
    if errors:
        holding.discard(held)
        return errors
    holding.keep(held_key(hospital), held)  # one waiting import per hospital and user: the new one replaces it
    return {}


def _display_name(filename: str | None) -> str:
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]


def _held(hospital, token: str | None = None) -> holding.Held | None:
    """The import waiting in this user's session for this hospital (and, when given, with this token)."""
    held = holding.waiting(held_key(hospital), token)
    return held if held is not None and held.meta.get("hospital_id") == hospital.id else None


def _held_by_form(hospital) -> holding.Held | None:
    """The waiting import that a confirm or abandon form names (CSRF checked), else None."""
    form = HeldImportForm()
    return _held(hospital, form.token.data or "") if form.validate_on_submit() else None


def _preview(hospital, held: holding.Held, *, error: str | None = None, status: int = 200):
    try:
        archive, plan = checked_stock(hospital, held)
        archive.close()
    except ImportRefused as refusal:
        plan, error = None, refusal.message
    return render_template("conventions/import_preview.html", hospital=hospital, held=held, plan=plan,
                           error=error), status


# --- The stock: pages -----------------------------------------------------------------------------------------

@signed_in
def import_upload(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    form = ImportForm()
    if form.validate_on_submit():
        errors = _hold(hospital, form)
        if not errors:
            return redirect(url_for("conventions.import_preview", finess=finess))
        for name, message in errors.items():
            form[name].errors.append(message)
    return render_template("conventions/import.html", hospital=hospital, form=form, columns=COLUMNS,
                           waiting=_held(hospital), max_rows=MAX_ROWS, pdf_mb=max_pdf_bytes() // MIB,
                           archive_mb=ARCHIVE_UPLOAD_FACTOR * max_pdf_bytes() // MIB)


@signed_in
def import_preview(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    held = _held(hospital)
    if held is None:
        flash("Aucun import n'attend de confirmation : déposez le tableur et l'archive des copies signées.", "info")
        return redirect(url_for("conventions.import_upload", finess=finess))
    return _preview(hospital, held)


@signed_in
def import_confirm(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    held = _held_by_form(hospital)
    if held is None or not held.claim():
        flash(NOT_WAITING, "warning")
        return redirect(url_for("conventions.import_upload", finess=finess))
    if jobs.enabled():  # the worker imports; the job page follows it, and says why when it is refused
        job = enqueue_stock_import(hospital, current_user._get_current_object(), held.token)
        return redirect(url_for("jobs.show", job_id=job.id), code=303)
    created = None
    try:
        created, error = confirm_stock(hospital, held, actor=current_user._get_current_object())
    finally:
        if created is None:  # refused, or failed: the uploads wait again for a corrected confirmation
            held.unclaim()
    if error is not None:
        return _preview(hospital, held, error=error, status=422)
    holding.release(held_key(hospital), held)
    flash(f"{len(created)} conventions enregistrées comme signées, avec leur copie signée." if len(created) > 1
          else "1 convention enregistrée comme signée, avec sa copie signée.", "success")
    if aside := stock_set_aside_notice(created):
        flash(aside, "danger")
    return redirect(url_for("hospitals.show", finess=finess, _anchor="conventions"))


@signed_in
def import_abandon(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    held = _held_by_form(hospital)
    if held is not None:
        holding.release(held_key(hospital), held)
    flash("Import abandonné : rien n'a été enregistré.", "info")
    return redirect(url_for("hospitals.show", finess=finess, _anchor="conventions"))


@signed_in
def import_model_csv(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    return send_file(io.BytesIO(model_csv(hospital)), mimetype="text/csv", as_attachment=True,
                     download_name="modele-import-conventions.csv")


@signed_in
def import_model_xlsx(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    return send_file(io.BytesIO(model_xlsx(hospital)), mimetype=XLSX, as_attachment=True,
                     download_name="modele-import-conventions.xlsx")
