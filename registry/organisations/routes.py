"""Registry pages: establishment search and establishment page."""

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from registry.core.access import signed_in
from registry.core.scope import can_label, get_organisation, visible_hospitals
from registry.extensions import db
from registry.hospitals.models import HospitalProfile
from registry.hospitals.services import partnerships_of, profile_of
from registry.organisations.communes import suggest_communes
from registry.organisations.forms import EstablishmentSearchForm, options
from registry.organisations.services import category_choices, search_registry

bp = Blueprint("organisations", __name__, url_prefix="/etablissements")


@bp.app_template_global()
def url_for_page(page: int) -> str:
    """The current page's URL with its query string, at another page of results."""
    values = {**request.args.to_dict(flat=False), **(request.view_args or {}), "page": page}
    return url_for(request.endpoint, **values)


#: Beyond this page a list is empty anyway; the bound keeps OFFSET within the database's integer range.
MAX_PAGE = 100_000


def paginate(query):
    """One page of a list, read from ``?page=`` (anything that is not a page number is page 1)."""
    page = request.args.get("page", 1, type=int)
    page = min(max(page, 1), MAX_PAGE) if page else 1
    return db.paginate(query, page=page, per_page=current_app.config["PAGE_SIZE"], error_out=False)


def run_search(form: EstablishmentSearchForm):
    """Validate the search form read from the query string; None when nothing (valid) was asked."""
    form.category.choices = options(category_choices(), "Toutes les catégories")
    if not form.validate() or not form.is_filled:
        return None
    return paginate(search_registry(**form.criteria()))


@bp.route("/")
@signed_in
def search():
    form = EstablishmentSearchForm(request.args)
    results = run_search(form)
    return render_template("organisations/search.html", form=form, results=results)


@bp.route("/communes")
@signed_in
def communes():
    """Communes whose name, code or postcode starts with ``?q=`` (the commune fields' list of proposals)."""
    found = suggest_communes(request.args.get("q", "")[:100], departement=request.args.get("departement") or None)
    return jsonify([{"label": commune.label, "code": commune.code, "name": commune.name,
                     "departement": commune.departement, "postal_codes": list(commune.postal_codes)}
                    for commune in found])


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
