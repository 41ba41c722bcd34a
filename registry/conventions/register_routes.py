"""Registering conventions signed before the application: one with its signed PDF (a form), or the whole stock
from a spreadsheet and a ZIP of PDFs (upload → preview → confirmation, all or nothing).

Every page loads the hospital with get_hospital(for_edit=True): 404 outside the user's scope, 403 for a reader.
Between the preview and the confirmation, the two uploads wait in ``<instance>/imports/<token>/``, not in the
document store (an import never confirmed leaves nothing behind). The token is random and kept in the user's
session; the folder records the user and the hospital, checked again at each step. It is deleted once the
import is done or abandoned; a folder older than HOLD_HOURS is deleted by the next upload.
"""

import io
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, send_file, session, url_for
from flask_login import current_user

from registry.conventions import lifecycle
from registry.conventions.bulk_import import (COLUMNS, MAX_ROWS, SPREADSHEET_MAX_BYTES, ImportRefused,
                                              PdfArchive, check_stock, import_stock, model_csv, model_xlsx,
                                              read_spreadsheet)
from registry.conventions.register_forms import PICK_AGAIN, HeldImportForm, ImportForm, register_form
from registry.conventions.routes import _preselected, bp
from registry.conventions.services import last_signatories, register_convention
from registry.conventions.models import COPY_SET_ASIDE
from registry.conventions.signed_copies import attach_signed_copy, set_aside_notice
from registry.conventions.transitions import transition
from registry.core import clock
from registry.core.access import signed_in
from registry.core.scope import get_hospital
from registry.core.transaction import commit_or_error, lock_row

MIB = 1024 * 1024
#: The stock's ZIP may weigh this many times the largest signed copy (MAX_UPLOAD_MB).
ARCHIVE_UPLOAD_FACTOR = 10
HOLD_HOURS = 24
SPREADSHEET, ARCHIVE, META = "tableur", "archive.zip", "meta.json"
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_WAITING = ("Cet import n'attend plus de confirmation (déjà confirmé, abandonné, remplacé par un dépôt plus "
               "récent ou expiré) : rien n'a été enregistré. Déposez à nouveau le tableur et l'archive.")


def _max_pdf_bytes() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"]) * MIB


@bp.url_value_preprocessor
def _allow_a_larger_stock(endpoint, values):
    """The stock upload may exceed MAX_CONTENT_LENGTH: raised here, the only hook that runs before the CSRF
    check reads the request body, for that one endpoint and a signed-in user only (an anonymous body is read no
    further than the usual limit)."""
    if endpoint == "conventions.import_upload" and request.method == "POST" and current_user.is_authenticated:
        request.max_content_length = ARCHIVE_UPLOAD_FACTOR * _max_pdf_bytes() + SPREADSHEET_MAX_BYTES + MIB


# --- One convention -------------------------------------------------------------------------------------------

@bp.route("/hopitaux/<finess>/conventions/enregistrer", methods=["GET", "POST"])
@signed_in
def register_existing(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    partnership = _preselected(hospital)
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

        def register_signed():  # one transaction: a refused copy or signature leaves no convention behind
            convention = register_convention(
                hospital, partnerships=chosen, partner_types=form.partner_types.data, themes=form.themes.data,
                effective_date=form.effective_date.data, duration_months=form.duration_months.data,
                tacit_renewal=form.tacit_renewal.data, notice_months=form.notice_months.data,
                title=form.title.data, signatories=form.signatories(), legal_bases=form.legal_bases.data,
                actor=actor)
            copy = attach_signed_copy(convention, form.signed_copy_bytes, actor=actor)
            transition(convention, lifecycle.SIGNEE, actor=actor, date=form.signed_on.data)
            return convention, copy
        registered, error = commit_or_error(register_signed)
        if error is None:
            convention, copy = registered
            if copy.review == COPY_SET_ASIDE:
                flash(f"La convention {convention.reference} est enregistrée comme signée, mais sa copie est mise à "
                      f"l'écart. {set_aside_notice(copy)}", "danger")
            else:
                flash(f"La convention {convention.reference} est enregistrée comme signée. "
                      f"Vérification de la copie : {form.signature_label}.", "success")
            return redirect(url_for("conventions.show", convention_id=convention.id))
    return render_template("conventions/register.html", hospital=hospital, form=form, error=error,
                           partnership=partnership, pick_again=PICK_AGAIN if request.method == "POST" else None)


# --- The stock: uploads held between the preview and the confirmation -----------------------------------------

@dataclass
class HeldImport:
    token: str
    folder: Path
    meta: dict

    @property
    def claimed(self) -> Path:
        """Where the folder moves while its import is being confirmed."""
        return self.folder.with_name(self.token + ".confirmation")

    def claim(self) -> bool:
        """Take the uploads for a confirmation; False when another request took them first (a double click)."""
        try:
            os.rename(self.folder, self.claimed)
        except OSError:
            return False
        return True


def _imports_root() -> Path:
    return Path(current_app.instance_path) / "imports"


def _session_key(hospital) -> str:
    return f"conventions-import-{hospital.id}"


def _hold(hospital, upload: ImportForm) -> dict:
    """Keep the uploads under a new token named in the session when both can be read; else {field: message}."""
    spreadsheet, archive = upload.spreadsheet.data.read(SPREADSHEET_MAX_BYTES + 1), upload.archive.data
    _purge_stale()
    if _held_bytes() > int(current_app.config["HELD_IMPORTS_MAX_MB"]) * MIB:
        current_app.logger.warning("Held imports exceed HELD_IMPORTS_MAX_MB: upload refused")
        return {"archive": "Trop d'imports attendent une confirmation sur le serveur : confirmez ou abandonnez le "
                           "vôtre, ou réessayez plus tard (l'administrateur est prévenu)."}
    token = secrets.token_urlsafe(24)
    folder = _imports_root() / token
    folder.mkdir(parents=True, mode=0o700)
    errors = {}
    try:
        read_spreadsheet(spreadsheet)
    except ImportRefused as refusal:
        errors["spreadsheet"] = refusal.message
    archive.save(folder / ARCHIVE)
    try:
        PdfArchive(folder / ARCHIVE, max_entry_bytes=_max_pdf_bytes()).close()
    except ImportRefused as refusal:
        errors["archive"] = refusal.message
    if errors:
        shutil.rmtree(folder, ignore_errors=True)
        return errors
    _release_this_users(hospital, keep=folder)  # one waiting import per hospital and user: the new one replaces it
    (folder / SPREADSHEET).write_bytes(spreadsheet)
    (folder / META).write_text(json.dumps({
        "hospital_id": hospital.id, "user_id": current_user.id, "created": time.time(),
        "spreadsheet": _display_name(upload.spreadsheet.data.filename),
        "archive": _display_name(archive.filename)}))
    session[_session_key(hospital)] = token
    return {}


def _held_bytes() -> int:
    """What all the imports waiting for a confirmation weigh."""
    root = _imports_root()
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file()) if root.is_dir() else 0


def _release_this_users(hospital, keep: Path) -> None:
    """Delete the user's other imports waiting for this hospital, whatever session cookie came with the upload."""
    for meta_file in _imports_root().glob(f"*/{META}"):
        if meta_file.parent == keep:
            continue
        try:
            meta = json.loads(meta_file.read_text())
        except (OSError, ValueError):
            continue
        if meta.get("hospital_id") == hospital.id and meta.get("user_id") == current_user.id:
            shutil.rmtree(meta_file.parent, ignore_errors=True)


def _display_name(filename: str | None) -> str:
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]


def _purge_stale() -> None:
    root = _imports_root()
    if not root.is_dir():
        return
    for folder in root.iterdir():
        try:
            if time.time() - folder.stat().st_mtime > HOLD_HOURS * 3600:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            continue


def _held(hospital, token: str | None = None) -> HeldImport | None:
    """The import waiting in this user's session for this hospital (and, when given, with this token)."""
    waiting = session.get(_session_key(hospital))
    if not waiting or not TOKEN.fullmatch(waiting) or (token is not None and token != waiting):
        return None
    folder = _imports_root() / waiting
    try:
        meta = json.loads((folder / META).read_text())
    except (OSError, ValueError):
        return None
    if (meta.get("hospital_id") != hospital.id or meta.get("user_id") != current_user.id
            or time.time() - meta.get("created", 0) > HOLD_HOURS * 3600):
        return None
    return HeldImport(waiting, folder, meta)


def _held_by_form(hospital) -> HeldImport | None:
    """The waiting import that a confirm or abandon form names (CSRF checked), else None."""
    form = HeldImportForm()
    return _held(hospital, form.token.data or "") if form.validate_on_submit() else None


def _release(hospital, folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    session.pop(_session_key(hospital), None)


def _checked(hospital, folder: Path):
    """(archive, plan) of held uploads; the caller closes the archive."""
    sheet = read_spreadsheet((folder / SPREADSHEET).read_bytes())
    archive = PdfArchive(folder / ARCHIVE, max_entry_bytes=_max_pdf_bytes())
    try:
        return archive, check_stock(hospital, sheet, archive, today=clock.today())
    except BaseException:
        archive.close()
        raise


def _preview(hospital, held: HeldImport, *, error: str | None = None, status: int = 200):
    try:
        archive, plan = _checked(hospital, held.folder)
        archive.close()
    except ImportRefused as refusal:
        plan, error = None, refusal.message
    return render_template("conventions/import_preview.html", hospital=hospital, held=held, plan=plan,
                           error=error), status


# --- The stock: pages -----------------------------------------------------------------------------------------

@bp.route("/hopitaux/<finess>/conventions/import", methods=["GET", "POST"])
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
                           waiting=_held(hospital), max_rows=MAX_ROWS, pdf_mb=_max_pdf_bytes() // MIB,
                           archive_mb=ARCHIVE_UPLOAD_FACTOR * _max_pdf_bytes() // MIB)


@bp.route("/hopitaux/<finess>/conventions/import/apercu")
@signed_in
def import_preview(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    held = _held(hospital)
    if held is None:
        flash("Aucun import n'attend de confirmation : déposez le tableur et l'archive des copies signées.", "info")
        return redirect(url_for("conventions.import_upload", finess=finess))
    return _preview(hospital, held)


@bp.route("/hopitaux/<finess>/conventions/import/confirmer", methods=["POST"])
@signed_in
def import_confirm(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    held = _held_by_form(hospital)
    if held is None or not held.claim():
        flash(NOT_WAITING, "warning")
        return redirect(url_for("conventions.import_upload", finess=finess))
    created = None
    try:
        created, error = _confirm(hospital, held.claimed)
    finally:
        if created is None:  # refused, or failed: the uploads wait again for a corrected confirmation
            os.rename(held.claimed, held.folder)
    if error is not None:
        return _preview(hospital, held, error=error, status=422)
    _release(hospital, held.claimed)
    flash(f"{len(created)} conventions enregistrées comme signées, avec leur copie signée." if len(created) > 1
          else "1 convention enregistrée comme signée, avec sa copie signée.", "success")
    aside = [convention.reference for convention in created if convention.current_signed_copy is None]
    if aside:
        flash(f"Copie signée mise à l'écart (signature altérée, modifiée après signature ou illisible) pour : "
              f"{', '.join(aside)}. Ouvrez chaque convention pour confirmer sa copie avec un motif, ou l'écarter.",
              "danger")
    return redirect(url_for("hospitals.show", finess=finess, _anchor="conventions"))


def _confirm(hospital, folder: Path) -> tuple[list | None, str | None]:
    """Check the held uploads again (the registry may have changed since the preview), then import all."""
    lock_row(hospital)  # two confirmations of one hospital's stock, one at a time: the second re-check sees the first
    try:
        archive, plan = _checked(hospital, folder)
    except ImportRefused as refusal:
        return None, refusal.message
    with archive:
        if not plan.ready:
            return None, (f"Import refusé : {len(plan.rows_with_problems)} ligne(s) à corriger. "
                          "Rien n'a été enregistré.")
        return commit_or_error(lambda: import_stock(hospital, plan, archive,
                                                    actor=current_user._get_current_object()))


@bp.route("/hopitaux/<finess>/conventions/import/abandonner", methods=["POST"])
@signed_in
def import_abandon(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    held = _held_by_form(hospital)
    if held is not None:
        _release(hospital, held.folder)
    flash("Import abandonné : rien n'a été enregistré.", "info")
    return redirect(url_for("hospitals.show", finess=finess, _anchor="conventions"))


@bp.route("/hopitaux/<finess>/conventions/import/modele.csv")
@signed_in
def import_model_csv(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    return send_file(io.BytesIO(model_csv(hospital)), mimetype="text/csv", as_attachment=True,
                     download_name="modele-import-conventions.csv")


@bp.route("/hopitaux/<finess>/conventions/import/modele.xlsx")
@signed_in
def import_model_xlsx(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    return send_file(io.BytesIO(model_xlsx(hospital)), mimetype=XLSX, as_attachment=True,
                     download_name="modele-import-conventions.xlsx")
