"""Registry pages: establishment search and establishment page."""

from flask import Blueprint, render_template, request

from registry.core.access import signed_in
from registry.extensions import db
from registry.organisations.services import search_establishments

bp = Blueprint("organisations", __name__, url_prefix="/etablissements")


@bp.route("/")
@signed_in
def search():
    results = db.paginate(search_establishments(request.args.get("q")), per_page=25)
    return render_template("organisations/search.html", results=results)
