"""Registry pages: establishment search and establishment page."""

from flask import Blueprint, current_app, render_template, request, url_for
from registry.core.access import signed_in
from registry.core.scope import can_label, get_organisation, visible_hospitals
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.hospitals.services import partnerships_of, profile_of
from registry.organisations.forms import EstablishmentSearchForm, options
from registry.organisations.services import category_choices, search_registry

bp = Blueprint("organisations", __name__, url_prefix="/etablissements")


@bp.app_template_global()
def url_for_page(page: int) -> str:
    """The current page's URL with its query string, at another page of results."""
    args = request.args.to_dict(flat=False)
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def run_search(form: EstablishmentSearchForm):
    """Validate the search form read from the query string; None when nothing (valid) was asked."""
    form.category.choices = options(category_choices(), "Toutes les catégories")
    if not form.validate() or not form.is_filled:
        return None
    return db.paginate(search_registry(**form.criteria()), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)


@bp.route("/")
@signed_in
def search():
    form = EstablishmentSearchForm(request.args)
    results = run_search(form)
    return render_template("organisations/search.html", form=form, results=results)


@bp.route("/<finess>")
@signed_in
def show(finess: str):
    organisation = get_organisation(finess)
    profile = profile_of(organisation)
    visible = visible_hospitals()
    readable_profile = profile if profile and db.session.scalar(
        visible.where(HospitalProfile.id == profile.id)) else None
    partnerships = partnerships_of(organisation, visible)
    return render_template("organisations/show.html", organisation=organisation, profile=profile,
                           readable_profile=readable_profile, partnerships=partnerships,
                           may_label=profile is None and can_label(organisation))
