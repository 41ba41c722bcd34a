"""Hospital pages: the HdP list, a hospital's page, its profile form. Partner pages: partner_routes.py."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from registry.audit.services import hospital_trail, hospital_trail_size
from registry.bundles.routes import bundle_offer
from registry.compliance.adapter import evaluate_hospitals, filter_hospitals
from registry.compliance.overview import ORDER, reason_line, verdict_summary
from registry.compliance.requirements import NON_REQUIS, SATISFAIT
from registry.conventions.coverage import NONE as NO_CONVENTION, partner_coverage
from registry.conventions.followup import followup_counts
from registry.conventions.models import Convention
from registry.conventions.services import hospital_conventions
from registry.core.access import require, signed_in
from registry.core.transaction import commit_or_error  # noqa: F401  (re-exported for the partner views)
from registry.core.scope import (can_edit_hospital, can_label, get_hospital, get_organisation, visible_conventions,
                                 visible_hospitals)
from registry.core.vocabulary import PARTNER_TYPES
from registry.hospitals.forms import ProfileForm, split_codes
from registry.hospitals.services import (hospital_departements, partner_counts, partners_by_type, profile_of,
                                         profile_values, set_hospital_profile, without_stale_confirmations)
from registry.organisations.legal_status import finess_legal_status
from registry.organisations.models import Organisation
from registry.organisations.routes import paginate

bp = Blueprint("hospitals", __name__)
#: Verdicts the hospital page folds away: nothing is missing there.
SETTLED = (SATISFAIT, NON_REQUIS)
#: Audit entries the hospital page shows; the rest are on its history page (history.py).
LATEST_CHANGES = 5


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
    """The hospital at a glance: what is missing (each requirement's verdict and reason), each partner's convention,
    the conventions and their deadlines, the latest changes. A fixed number of queries, whatever its size."""
    hospital = get_hospital(finess)
    conventions = hospital_conventions(hospital)
    groups = partners_by_type(hospital)
    covered = partner_coverage(convention for convention, _ in conventions)
    evaluated = evaluate_hospitals(filter_hospitals(visible_hospitals(), finess_et=finess))
    compliance = evaluated[0] if evaluated else None
    verdicts = sorted(compliance.verdicts, key=lambda item: ORDER.index(item.verdict)) if compliance else []
    requirements = {"open": [item for item in verdicts if item.verdict not in SETTLED],
                    "settled": [item for item in verdicts if item.verdict in SETTLED]}
    return render_template(
        "hospitals/show.html", hospital=hospital, groups=groups,
        empty_types=[label for code, label in PARTNER_TYPES.items() if code not in groups],
        coverage={p.id: covered.get(p.partner_id, NO_CONVENTION) for p in hospital.partnerships},
        conventions=conventions, compliance=compliance, requirements=requirements,
        reasons={item.code: reason_line(item, compliance.at) for item in verdicts},
        compliance_summary=verdict_summary(compliance) if compliance else [],
        followup=followup_counts(scope_select=visible_conventions().where(Convention.hospital_id == hospital.id)),
        trail=hospital_trail(hospital, limit=LATEST_CHANGES), trail_size=hospital_trail_size(hospital),
        offer=bundle_offer(hospital=hospital.finess_et), can_edit=can_edit_hospital(hospital),
        may_label=can_label(hospital.organisation))


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


from registry.hospitals import history, partner_routes  # noqa: E402,F401  (routes registered on the same blueprint)
