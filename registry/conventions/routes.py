"""Convention pages: drafting from a template (here), the convention page, drafts and previews (draft_routes.py).

Drafting loads the hospital with get_hospital(for_edit=True): 404 outside the user's scope, 403 for a reader
(the ARS of the region reads conventions, the hospital's own users and administrators draft them).
"""


from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.conventions.forms import convention_form, initial_data
from registry.conventions.preselection import preselected_partnership
from registry.conventions.services import create_convention, generate_draft, last_signatories, rank_templates
from registry.core import clock
from registry.core.access import signed_in
from registry.core.scope import get_hospital
from registry.documents.manifest import parse_manifest
from registry.documents.versions import current_version, latest_versions
from registry.core.transaction import commit_or_error


@signed_in
def choose_template(finess: str):
    hospital = get_hospital(finess, for_edit=True)
    partnership = preselected_partnership(hospital)
    templates = rank_templates(latest_versions(), partnership.partner_types if partnership else ())
    return render_template("conventions/choose.html", hospital=hospital, partnership=partnership,
                           templates=templates)


@signed_in
def new_convention(finess: str, code: str):
    hospital = get_hospital(finess, for_edit=True)
    version = current_version(code)  # an unknown template is a 404 page
    manifest = parse_manifest(version.manifest)
    partnership = preselected_partnership(hospital)
    data = None if request.method == "POST" else initial_data(
        manifest, hospital, partnership=partnership, signatories=last_signatories(hospital), today=clock.today())
    form = convention_form(manifest, hospital, data=data)
    error = None
    if form.validate_on_submit():
        actor = current_user._get_current_object()
        chosen = [p for p in hospital.partnerships if p.id in form.partners.data]

        def create_and_draft():  # one transaction: a draft that cannot be rendered leaves no convention behind
            convention = create_convention(hospital, form.terms(chosen), template_code=version.code,
                                           clauses=form.clauses.data, fields=form.template_values(), actor=actor)
            generate_draft(convention, actor=actor)
            return convention
        convention, error = commit_or_error(create_and_draft)
        if error is None:
            flash(f"La convention {convention.reference} est créée : son projet v1 est prêt à télécharger.",
                  "success")
            return redirect(url_for("conventions.show", convention_id=convention.id))
    return render_template("conventions/form.html", hospital=hospital, version=version, manifest=manifest,
                           form=form, error=error, partnership=partnership)

