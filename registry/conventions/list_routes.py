"""The convention list: every convention the user may read, with filters (status, derived state, partner type,
partner, hospital, end date, text), sorted by end date; the queries are in filters.py."""

from flask import render_template, request

from registry.conventions.filters import ConventionFilterForm, hospital_choices, list_conventions, partner_choices
from registry.conventions.lifecycle import STATE_LABELS
from registry.conventions.routes import bp
from registry.core.access import signed_in


@bp.route("/conventions", methods=["GET"])
@signed_in
def index():
    form = ConventionFilterForm(request.args)
    form.set_hospitals(hospital_choices())
    form.set_partners(partner_choices())
    form.validate()  # invalid filters are ignored and named above the list
    conventions = list_conventions(form.criteria())
    return render_template("conventions/list.html", form=form, conventions=conventions)


@bp.app_template_filter("convention_state")
def convention_state(code: str | None) -> str:
    """« En vigueur », « À renouveler »...: the French label of a derived state."""
    return STATE_LABELS.get(code, code or "")
