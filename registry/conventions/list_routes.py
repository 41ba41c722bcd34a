"""The convention list: every convention the user may read, with filters (status, derived state, partner type,
partner, hospital, end date, text), sorted by end date; the queries are in filters.py."""

from flask import render_template, request

from registry.bundles.routes import bundle_offer
from registry.conventions.filters import ConventionFilterForm, hospital_choices, list_conventions, partner_choices
from registry.core.access import signed_in


@signed_in
def index():
    form = ConventionFilterForm(request.args)
    form.set_hospitals(hospital_choices())
    form.set_partners(partner_choices())
    form.validate()  # invalid filters are ignored and named above the list
    conventions = list_conventions(form.criteria())
    return render_template("conventions/list.html", form=form, conventions=conventions,
                           offer=bundle_offer(hospital=form.valid("hopital")))
