"""A hospital's partners: find and add one (from FINESS or outside it), see, edit and remove a partnership.

Every change loads the hospital with get_hospital(for_edit=True): 404 outside the user's scope, 403 for a reader
(the ARS of the region reads partners, the hospital's own users and administrators change them).
"""

from flask import abort, flash, redirect, render_template, request, url_for

from registry.conventions.services import hospital_conventions
from registry.core.access import signed_in
from registry.core.scope import can_edit_hospital, get_hospital
from registry.extensions import db
from registry.hospitals.forms import (AddPartnershipForm, EditExternalPartnerForm, EditPartnershipForm,
                                     ExternalPartnerForm, RemovePartnerForm)
from registry.hospitals.models import HospitalProfile, Partnership
from registry.core.transaction import commit_or_error
from registry.hospitals.routes import bp
from registry.hospitals.services import add_partner, remove_partner, update_partnership
from registry.organisations.forms import EstablishmentSearchForm
from registry.organisations.routes import run_search
from registry.organisations.models import SOURCE_MANUAL
from registry.organisations.services import create_external_partner, find_organisation, update_external_partner

#: Ids in URLs stop at PostgreSQL's integer range: a larger one is a 404, never a database error.
ID = "int(max=2147483647)"


def _partnership(hospital: HospitalProfile, partnership_id: int) -> Partnership:
    partnership = db.session.get(Partnership, partnership_id)
    if partnership is None or partnership.hospital_id != hospital.id:
        abort(404)
    return partnership


def _hospital_page(hospital: HospitalProfile, anchor: str | None = None):
    return redirect(url_for("hospitals.show", finess=hospital.finess_et, _anchor=anchor))


def _added(hospital: HospitalProfile, partnership: Partnership):
    flash(f"{partnership.partner.display_name} est ajouté aux partenaires.", "success")
    return _hospital_page(hospital, f"partenariat-{partnership.id}")


@bp.route("/hopitaux/<finess>/partenaires/ajouter")
@signed_in
def find_partner(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    form = EstablishmentSearchForm(request.args)
    results = run_search(form)
    partner_ids = {p.partner_id for p in hospital.partnerships}
    return render_template("hospitals/find_partner.html", hospital=hospital, form=form, results=results,
                           partner_ids=partner_ids)


@bp.route(f"/hopitaux/<finess>/partenaires/ajouter/<{ID}:organisation_id>", methods=["GET", "POST"])
@signed_in
def add_partnership(finess: str, organisation_id: int):
    hospital = get_hospital(finess, for_edit=True)
    partner = find_organisation(organisation_id)
    if partner is None:
        abort(404)
    form = AddPartnershipForm() if request.method == "POST" else AddPartnershipForm(
        data={"partner_types": [t for t in partner.partner_types if t != "other"] or ["other"]})
    error = None
    if form.validate_on_submit():
        partnership, error = commit_or_error(lambda: add_partner(
            hospital, partner, partner_types=form.partner_types.data, themes=form.themes.data,
            notes=form.notes.data, started_on=form.started_on.data))
        if error is None:
            return _added(hospital, partnership)
    return render_template("hospitals/add_partnership.html", hospital=hospital, partner=partner, form=form,
                           error=error)


@bp.route("/hopitaux/<finess>/partenaires/hors-finess", methods=["GET", "POST"])
@signed_in
def add_external_partner(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    form = ExternalPartnerForm()
    error = None
    if form.validate_on_submit():
        def create_and_add():  # one transaction: a refused partnership leaves no new organisation behind
            partner = create_external_partner(partner_types=form.partner_types.data, **form.partner_details())
            return add_partner(hospital, partner, partner_types=form.partner_types.data, themes=form.themes.data,
                               notes=form.notes.data, started_on=form.started_on.data)
        partnership, error = commit_or_error(create_and_add)
        if error is None:
            return _added(hospital, partnership)
    return render_template("hospitals/external_partner.html", hospital=hospital, form=form, error=error)


@bp.route(f"/hopitaux/<finess>/partenaires/<{ID}:partnership_id>", methods=["GET", "POST"])
@signed_in
def partner(finess: str, partnership_id: int):
    hospital = get_hospital(finess, for_edit=request.method == "POST")
    partnership = _partnership(hospital, partnership_id)
    form = EditPartnershipForm(obj=partnership) if request.method == "GET" else EditPartnershipForm()
    error = None
    if form.validate_on_submit():
        _, error = commit_or_error(lambda: update_partnership(
            partnership, partner_types=form.partner_types.data, themes=form.themes.data, notes=form.notes.data,
            started_on=form.started_on.data, ended_on=form.ended_on.data))
        if error is None:
            flash("Le partenariat est enregistré.", "success")
            return redirect(url_for("hospitals.partner", finess=finess, partnership_id=partnership.id))
    return render_template("hospitals/partnership.html", hospital=hospital, partnership=partnership, form=form,
                           error=error, can_edit=can_edit_hospital(hospital), remove_form=RemovePartnerForm(),
                           conventions=hospital_conventions(hospital, partner_id=partnership.partner_id))


@bp.route(f"/hopitaux/<finess>/partenaires/<{ID}:partnership_id>/coordonnees", methods=["GET", "POST"])
@signed_in
def edit_external_partner(finess: str, partnership_id: int):
    """What is recorded about a partner outside FINESS: address, commune, legal representative, identifiers."""
    hospital = get_hospital(finess, for_edit=True)
    partnership = _partnership(hospital, partnership_id)
    organisation = partnership.partner
    if organisation.source != SOURCE_MANUAL:
        abort(404)  # FINESS establishments change through the imports only
    form = EditExternalPartnerForm()
    if request.method == "GET":
        form.show_partner(organisation)
    error = None
    if form.validate_on_submit():
        _, error = commit_or_error(lambda: update_external_partner(organisation, hospital=hospital,
                                                                   **form.partner_details()))
        if error is None:
            flash(f"Les coordonnées de {organisation.display_name} sont enregistrées.", "success")
            return redirect(url_for("hospitals.partner", finess=finess, partnership_id=partnership.id))
    return render_template("hospitals/external_partner_edit.html", hospital=hospital, partnership=partnership,
                           form=form, error=error)


@bp.route(f"/hopitaux/<finess>/partenaires/<{ID}:partnership_id>/retirer", methods=["POST"])
@signed_in
def remove_partnership(finess: str, partnership_id: int):
    hospital = get_hospital(finess, for_edit=True)
    partnership = _partnership(hospital, partnership_id)
    if not RemovePartnerForm().validate_on_submit():
        abort(400)
    name = partnership.partner.display_name
    remove_partner(partnership)
    db.session.commit()
    flash(f"{name} ne fait plus partie des partenaires.", "success")
    return _hospital_page(hospital, "partenaires")
