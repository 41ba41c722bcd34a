"""The two CPOM spreadsheet loads as pages, upload → preview → confirmation, all or nothing (``core.held_uploads``):
an ARS's own engagement sheet (the ARS of a region, or an administrator naming the region), and activity-data values
(the ARS, an administrator, or a covered hospital's users, for the CPOMs they see)."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from registry.accounts.models import ROLE_ARS
from registry.conventions.bulk_import import ImportRefused
from registry.core import held_uploads
from registry.core.access import signed_in
from registry.core.geography import REGIONS
from registry.core.scope import may_declare_cpom, may_write_cpom
from registry.core.transaction import commit_or_error
from registry.cpom import activity_import, catalogue_import
from registry.extensions import db
from registry.organisations.forms import FrenchForm, options

bp = Blueprint("cpom_imports", __name__)
CATALOGUE, ACTIVITY = "cpom-catalogue", "cpom-activite"
NOT_WAITING = ("Ce chargement n'attend plus de confirmation (déjà fait, abandonné, remplacé ou expiré) : rien n'a été "
               "enregistré. Déposez le tableur à nouveau.")


class SheetForm(FrenchForm):
    sheet = FileField("Tableur (.xlsx ou .csv)", validators=[FileRequired("Choisissez le tableur (.xlsx ou .csv).")])


class CatalogueForm(SheetForm):
    name = StringField("Nom et version du catalogue", validators=[
        DataRequired("Indiquez le nom et la version du catalogue."), Length(max=200)])
    source = TextAreaField("Source (la fiche et son auteur)", validators=[
        DataRequired("Indiquez la source du catalogue."), Length(max=2000)])
    region = SelectField("Région", choices=options(sorted(REGIONS.items(), key=lambda item: item[1]), blank="—"),
                         validate_choice=False)


class HeldForm(FrenchForm):
    token = HiddenField()


def _may_load_catalogue() -> None:
    if not may_write_cpom() or (current_user.role == ROLE_ARS and not current_user.region):
        abort(403)


def _read(kind: str, data: bytes):
    """The checked plan of an upload; ImportRefused when the file cannot be used at all."""
    if kind == CATALOGUE:
        return catalogue_import.check_sheet(data)
    return activity_import.check_activity(data)


def _held_by_form(kind: str):
    form = HeldForm()
    return held_uploads.held(kind, form.token.data or "") if form.validate_on_submit() else None


# --- An ARS's own catalogue -------------------------------------------------------------------------------------

@bp.route("/cpom/catalogues/charger", methods=["GET", "POST"])
@signed_in
def catalogue_upload():
    _may_load_catalogue()
    form = CatalogueForm()
    if current_user.role == ROLE_ARS:
        del form.region
    if form.validate_on_submit():
        region = current_user.region if current_user.role == ROLE_ARS else form.region.data
        data = form.sheet.data.read()
        try:
            _read(CATALOGUE, data)
        except ImportRefused as refusal:
            form.sheet.errors.append(refusal.message)
        else:
            if region in REGIONS:
                held_uploads.hold(CATALOGUE, data, name=form.name.data.strip(), source=form.source.data.strip(),
                                  region=region, filename=(form.sheet.data.filename or "")[-200:])
                return redirect(url_for("cpom_imports.catalogue_preview"))
            form.region.errors.append("Choisissez la région du catalogue.")
    return render_template("cpom_imports/catalogue_upload.html", form=form,
                           required=catalogue_import.REQUIRED, optional=catalogue_import.OPTIONAL)


@bp.route("/cpom/catalogues/apercu")
@signed_in
def catalogue_preview():
    _may_load_catalogue()
    return _preview(CATALOGUE, "cpom_imports.catalogue_upload")


@bp.route("/cpom/catalogues/confirmer", methods=["POST"])
@signed_in
def catalogue_confirm():
    _may_load_catalogue()
    waiting = _held_by_form(CATALOGUE)
    if waiting is None:
        flash(NOT_WAITING, "warning")
        return redirect(url_for("cpom_imports.catalogue_upload"))
    meta = waiting.meta

    def load():
        return catalogue_import.load_catalogue(meta["region"], meta["name"], meta["source"],
                                               catalogue_import.check_sheet(waiting.data), actor=current_user)

    catalogue, error = commit_or_error(load)
    if error:
        return _preview(CATALOGUE, "cpom_imports.catalogue_upload", error=error, status=422)
    held_uploads.release(CATALOGUE)
    flash(f"Catalogue « {catalogue.name} » chargé : {len(catalogue.entries)} engagements. Les prochains CPOM de la "
          "région le prendront par défaut.", "success")
    return redirect(url_for("cpom_imports.catalogue_upload"))


@bp.route("/cpom/catalogues/modele.csv")
@signed_in
def catalogue_model():
    _may_load_catalogue()
    return Response(catalogue_import.model_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=catalogue-cpom-modele.csv"})


# --- Activity data ----------------------------------------------------------------------------------------------

def _may_import_activity() -> None:
    if not (may_write_cpom() or may_declare_cpom()):
        abort(403)


@bp.route("/cpom/donnees-activite/importer", methods=["GET", "POST"])
@signed_in
def activity_upload():
    _may_import_activity()
    form = SheetForm()
    if form.validate_on_submit():
        data = form.sheet.data.read()
        try:
            _read(ACTIVITY, data)
        except ImportRefused as refusal:
            form.sheet.errors.append(refusal.message)
        else:
            held_uploads.hold(ACTIVITY, data, filename=(form.sheet.data.filename or "")[-200:])
            return redirect(url_for("cpom_imports.activity_preview"))
    return render_template("cpom_imports/activity_upload.html", form=form,
                           required=activity_import.REQUIRED, optional=activity_import.OPTIONAL)


@bp.route("/cpom/donnees-activite/apercu")
@signed_in
def activity_preview():
    _may_import_activity()
    return _preview(ACTIVITY, "cpom_imports.activity_upload")


@bp.route("/cpom/donnees-activite/confirmer", methods=["POST"])
@signed_in
def activity_confirm():
    _may_import_activity()
    waiting = _held_by_form(ACTIVITY)
    if waiting is None:
        flash(NOT_WAITING, "warning")
        return redirect(url_for("cpom_imports.activity_upload"))
    imported, error = commit_or_error(
        lambda: activity_import.import_activity(activity_import.check_activity(waiting.data), actor=current_user))
    if error:
        return _preview(ACTIVITY, "cpom_imports.activity_upload", error=error, status=422)
    held_uploads.release(ACTIVITY)
    flash(f"{imported} valeur{'s' if imported > 1 else ''} de données d'activité importée{'s' if imported > 1 else ''}.",
          "success")
    return redirect(url_for("cpom_imports.activity_upload"))


@bp.route("/cpom/catalogues/abandonner", methods=["POST"])
@signed_in
def catalogue_abandon():
    _may_load_catalogue()
    return _abandon(CATALOGUE, "cpom_imports.catalogue_upload")


@bp.route("/cpom/donnees-activite/abandonner", methods=["POST"])
@signed_in
def activity_abandon():
    _may_import_activity()
    return _abandon(ACTIVITY, "cpom_imports.activity_upload")


def _abandon(kind: str, upload_endpoint: str):
    if _held_by_form(kind) is not None:
        held_uploads.release(kind)
        flash("Chargement abandonné : rien n'a été enregistré.", "info")
    return redirect(url_for(upload_endpoint))


def _preview(kind: str, upload_endpoint: str, *, error: str | None = None, status: int = 200):
    waiting = held_uploads.held(kind)
    if waiting is None:
        flash("Aucun chargement n'attend de confirmation : déposez le tableur.", "info")
        return redirect(url_for(upload_endpoint))
    try:
        plan = _read(kind, waiting.data)
    except ImportRefused as refusal:
        plan, error = None, refusal.message
    db.session.rollback()  # checking read the database only
    return render_template("cpom_imports/preview.html", kind=kind, waiting=waiting, plan=plan, error=error,
                           upload_url=url_for(upload_endpoint)), status

