"""The follow-up page: conventions ending within N days, to renew, expired (hospital users: their hospitals; the
ARS: its region; administrators: all), computed by followup.py."""


from flask import render_template, request

from registry.conventions.filters import FollowUpForm, hospital_choices
from registry.conventions.followup import followup_sections
from registry.conventions.models import Convention
from registry.conventions.routes import bp
from registry.core import clock
from registry.core.access import signed_in
from registry.core.scope import visible_conventions


@bp.route("/conventions/echeances", methods=["GET"])
@signed_in
def followup():
    form = FollowUpForm(request.args)
    form.set_hospitals(hospital_choices())
    form.validate()  # a bad number of days falls back to 90, named above the sections
    scope = visible_conventions()
    hospital = form.chosen_hospital()
    if hospital is not None:
        scope = scope.where(Convention.hospital_id == hospital.id)
    today = clock.today()
    return render_template("conventions/followup.html", form=form, hospital=hospital, today=today,
                           sections=followup_sections(form.days, today, scope))
