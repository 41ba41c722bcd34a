"""Hospital pages."""

from flask import Blueprint, render_template

from registry.core.access import signed_in
from registry.core.scope import visible_hospitals
from registry.extensions import db
from registry.organisations.models import Organisation

bp = Blueprint("hospitals", __name__)


@bp.route("/")
@signed_in
def index():
    hospitals = db.paginate(visible_hospitals().order_by(Organisation.name), per_page=50)
    return render_template("hospitals/index.html", hospitals=hospitals)
