"""The follow-up page: conventions ending within N days, to renew, expired (hospital users: their hospitals; the
ARS: its region; administrators: all), computed by followup.py; and the same list as CSV or XLSX."""


from flask import abort, render_template, request

from registry.conventions import followup_export
from registry.conventions.filters import FollowUpForm, hospital_choices
from registry.conventions.followup import followup_sections
from registry.conventions.models import Convention
from registry.core import clock
from registry.core.access import signed_in
from registry.core.scope import visible_conventions


def _followup():
    """The form read from the query, the hospital chosen, today and the sections, in the user's scope."""
    form = FollowUpForm(request.args)
    form.set_hospitals(hospital_choices())
    form.validate()  # a bad number of days falls back to 90, named above the sections
    scope = visible_conventions()
    hospital = form.chosen_hospital()
    if hospital is not None:
        scope = scope.where(Convention.hospital_id == hospital.id)
    today = clock.today()
    return form, hospital, today, followup_sections(form.days, today, scope)


@signed_in
def followup():
    form, hospital, today, sections = _followup()
    return render_template("conventions/followup.html", form=form, hospital=hospital, today=today,
                           sections=sections)


@signed_in
def followup_download():
    """The page's list (same window and hospital) as ``?format=csv`` (default) or ``?format=xlsx``."""
    export_format = request.args.get("format", "csv")
    if export_format not in ("csv", "xlsx"):
        abort(404)
    form, hospital, today, sections = _followup()
    return followup_export.download(sections, export_format, today, form.days,
                                    hospital.finess_et if hospital else None)
