"""Hospital pages: the HdP list, a hospital's page, its profile form. Partner pages: partner_routes.py."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from registry.audit.services import hospital_trail
from registry.conventions.followup import followup_counts
from registry.conventions.models import Convention
from registry.conventions.services import hospital_conventions
from registry.core.access import require, signed_in
from registry.core.errors import DomainError
from registry.core.french import french_date
from registry.core.transaction import commit_or_error  # noqa: F401  (re-exported for the partner views)
from registry.core.scope import (can_edit_hospital, can_label, get_hospital, get_organisation, visible_conventions,
                                 visible_hospitals)
from registry.core.vocabulary import ACTIVITIES, PARTNER_TYPES, THEMES, labels
from registry.extensions import db
from registry.hospitals.forms import ProfileForm, RemovePartnerForm, split_codes
from registry.hospitals.services import (hospital_departements, partner_counts, partners_by_type, profile_of,
                                         set_hospital_profile)
from registry.organisations.models import Organisation
from registry.organisations.routes import paginate

bp = Blueprint("hospitals", __name__)

#: French names of the fields an audit entry may list as changed, and the vocabulary of their codes.
AUDIT_FIELDS = {
    "listed_on": ("Date d'inscription", None),
    "decision_ref": ("Décision de l'ARS", None),
    "territory_departements": ("Départements du territoire", None),
    "territory_communes": ("Communes du territoire", None),
    "internal_activities": ("Activités exercées en propre", ACTIVITIES),
    "partner_types": ("Types de partenaire", PARTNER_TYPES),
    "themes": ("Thèmes", THEMES),
    "notes": ("Notes", None),
    "started_on": ("Début", None),
    "ended_on": ("Fin", None),
}


def _audit_value(value, vocabulary) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(labels(value, vocabulary) if vocabulary else value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return french_date(date.fromisoformat(value))
        except ValueError:
            pass
    return str(value)


@bp.app_template_filter("audit_changes")
def audit_changes(changes: dict | None) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each change of an audit entry, in French."""
    rows = []
    for field, (before, after) in (changes or {}).items():
        label, vocabulary = AUDIT_FIELDS.get(field, (field, None))
        rows.append((label, _audit_value(before, vocabulary), _audit_value(after, vocabulary)))
    return rows


@bp.route("/")
@signed_in
def index():
    departement = request.args.get("departement") or None
    query = visible_hospitals()
    departements = hospital_departements(query)
    if departement:
        query = query.where(Organisation.departement == departement)
    hospitals = paginate(query.order_by(Organisation.name, Organisation.id))
    return render_template("hospitals/index.html", hospitals=hospitals, departement=departement,
                           departements=departements, counts=partner_counts(h.id for h in hospitals.items))


@bp.route("/hopitaux/<finess>")
@signed_in
def show(finess: str):
    hospital = get_hospital(finess)
    return render_template("hospitals/show.html", hospital=hospital, groups=partners_by_type(hospital),
                           conventions=hospital_conventions(hospital),
                           followup=followup_counts(scope_select=visible_conventions().where(
                               Convention.hospital_id == hospital.id)),
                           trail=hospital_trail(hospital), can_edit=can_edit_hospital(hospital),
                           may_label=can_label(hospital.organisation), remove_form=RemovePartnerForm())


def _profile_target(finess: str):
    """(organisation, profile or None); 404 outside the user's scope, 403 when the user may not change it."""
    organisation = get_organisation(finess)
    if profile_of(organisation) is None:
        require(can_label(organisation))  # listing a new HdP is the ARS's decision
        return organisation, None
    hospital = get_hospital(finess)
    require(can_label(organisation) or can_edit_hospital(hospital))
    return organisation, hospital


def _profile_form(hospital) -> ProfileForm:
    if request.method == "POST" or hospital is None:
        return ProfileForm()
    return ProfileForm(data={
        "listed_on": hospital.listed_on, "decision_ref": hospital.decision_ref,
        "departements": ", ".join(hospital.territory_departements or []),
        "communes": ", ".join(hospital.territory_communes or []),
        "activities": hospital.internal_activities or []})


@bp.route("/hopitaux/<finess>/profil", methods=["GET", "POST"])
@signed_in
def edit_profile(finess: str):
    organisation, hospital = _profile_target(finess)
    may_label = can_label(organisation)
    form = _profile_form(hospital)
    if not may_label:  # the listing (date, decision) is the ARS's: shown, never taken from the form
        form.listed_on.data, form.decision_ref.data = hospital.listed_on, hospital.decision_ref
    error = None
    if form.validate_on_submit():
        _, error = commit_or_error(lambda: set_hospital_profile(
            organisation, listed_on=form.listed_on.data, decision_ref=form.decision_ref.data,
            territory_departements=split_codes(form.departements.data),
            territory_communes=split_codes(form.communes.data), internal_activities=form.activities.data))
        if error is None:
            flash(f"{organisation.display_name} est inscrit comme hôpital de proximité." if hospital is None
                  else "Le profil de l'hôpital est enregistré.", "success")
            return redirect(url_for("hospitals.show", finess=finess))
    return render_template("hospitals/profile_form.html", organisation=organisation, hospital=hospital, form=form,
                           may_label=may_label, error=error)


from registry.hospitals import partner_routes  # noqa: E402,F401  (routes registered on the same blueprint)
