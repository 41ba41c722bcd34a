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
from registry.core.vocabulary import (ACTIVITIES, EQUIPMENT, GHT_SELF, LEGAL_BASES, LEGAL_STATUSES, PARTNER_TYPES,
                                      REMOVAL_GROUNDS, THEMES, labels)
from registry.extensions import db
from registry.hospitals.forms import ProfileForm, RemovePartnerForm, split_codes
from registry.hospitals.services import (hospital_departements, partner_counts, partners_by_type, profile_of,
                                         profile_values, set_hospital_profile, without_stale_confirmations)
from registry.organisations.legal_status import finess_legal_status
from registry.organisations.models import Organisation
from registry.organisations.routes import paginate

bp = Blueprint("hospitals", __name__)

#: French names of the fields an audit entry may list as changed, and the vocabulary of their codes.
AUDIT_FIELDS = {
    "listed_on": ("Date d'inscription", None),
    "decision_ref": ("Décision de l'ARS", None),
    "territory_departements": ("Départements du territoire", None),
    "territory_communes": ("Communes du territoire", None),
    "internal_activities": ("Activités exercées en propre (déclarées)", ACTIVITIES),
    "confirmed_activities": ("Activités confirmées par l'ARS", ACTIVITIES),
    "own_equipment": ("Équipements propres (déclarés)", EQUIPMENT),
    "confirmed_equipment": ("Équipements confirmés par l'ARS", EQUIPMENT),
    "legal_status": ("Statut juridique", LEGAL_STATUSES),
    "ght_support": ("Établissement support du GHT", {GHT_SELF: "l'hôpital en relève"}),
    "removed_on": ("Retrait de la liste", None),
    "removal_ground": ("Motif du retrait", REMOVAL_GROUNDS),
    "legal_bases": ("Fondements juridiques", LEGAL_BASES),
    "transmitted_to_ars_on": ("Transmise à l'ARS le", None),
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
    if isinstance(value, str) and vocabulary and value in vocabulary:
        return vocabulary[value]
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
    form = ProfileForm(data={
        "listed_on": hospital.listed_on, "decision_ref": hospital.decision_ref,
        "legal_status": hospital.legal_status or "", "removed_on": hospital.removed_on,
        "removal_ground": hospital.removal_ground or "",
        "departements": ", ".join(hospital.territory_departements or []),
        "communes": ", ".join(hospital.territory_communes or []),
        "activities": hospital.internal_activities or [], "own_equipment": hospital.own_equipment or [],
        "equipment_declared": hospital.own_equipment is not None,
        "confirmed_activities": hospital.confirmed_activities or [],
        "confirmed_equipment": hospital.confirmed_equipment or []})
    form.show_ght(hospital.ght_support)
    return form


def _submitted_values(form: ProfileForm, hospital, *, may_label: bool, may_declare: bool) -> dict:
    """The profile as stored, with the parts of the form the user may change laid over it."""
    values = profile_values(hospital)
    values.update(territory_departements=split_codes(form.departements.data),
                  territory_communes=split_codes(form.communes.data))
    given = ()
    if may_label:
        given = ("confirmed_activities", "confirmed_equipment")
        values.update(listed_on=form.listed_on.data, decision_ref=form.decision_ref.data,
                      legal_status=form.legal_status.data or None, ght_support=form.ght_support,
                      removed_on=form.removed_on.data, removal_ground=form.removal_ground.data or None,
                      confirmed_activities=form.confirmed_activities.data,
                      confirmed_equipment=form.confirmed_equipment.data)
    if may_declare:
        values.update(internal_activities=form.activities.data,
                      own_equipment=form.own_equipment.data if form.equipment_declared.data else None)
    return without_stale_confirmations(values, given)


@bp.route("/hopitaux/<finess>/profil", methods=["GET", "POST"])
@signed_in
def edit_profile(finess: str):
    organisation, hospital = _profile_target(finess)
    may_label = can_label(organisation)
    may_declare = hospital is None or can_edit_hospital(hospital)
    form = _profile_form(hospital)
    error = None
    if form.validate_on_submit():
        values = _submitted_values(form, hospital, may_label=may_label, may_declare=may_declare)
        _, error = commit_or_error(lambda: set_hospital_profile(organisation, **values))
        if error is None:
            flash(f"{organisation.display_name} est inscrit comme hôpital de proximité." if hospital is None
                  else "Le profil de l'hôpital est enregistré.", "success")
            return redirect(url_for("hospitals.show", finess=finess))
    return render_template("hospitals/profile_form.html", organisation=organisation, hospital=hospital, form=form,
                           may_label=may_label, may_declare=may_declare, error=error,
                           finess_status=finess_legal_status(organisation))


from registry.hospitals import partner_routes  # noqa: E402,F401  (routes registered on the same blueprint)
