"""« Préparer un avenant »: the form on a signed convention that creates an avenant drafted from the avenant
template and produces its first draft, in one transaction (conventions/avenants.py); « Modifier l'avenant »: the
same form, filled, to change it while it is negotiated (its next draft renders the new values).

The convention is loaded with get_convention(for_edit=True): 404 outside the user's scope, 403 for readers (the
ARS reads avenants, never prepares one). A convention that may not get an avenant (not signed, itself an
avenant) answers 409 with the reason; a refused form is shown again with its French message (422), nothing
created.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.conventions.avenant_forms import avenant_form, initial_data
from registry.conventions.avenants import AVENANT_TEMPLATE, MAX_ARTICLES, edit_avenant, prepare_avenant
from registry.conventions.context import amended_articles
from registry.conventions.edit_forms import current_values
from registry.conventions.services import generate_draft
from registry.conventions.transitions import amendable_problems
from registry.core.access import signed_in
from registry.core.errors import Conflict
from registry.core.scope import get_convention
from registry.core.transaction import commit_or_error
from registry.documents.manifest import parse_manifest
from registry.documents.versions import current_version


@signed_in
def prepare_avenant_page(convention_id: int):
    convention = get_convention(convention_id, for_edit=True)
    problems = amendable_problems(convention)
    if problems:
        raise Conflict("Avenant impossible : " + " ; ".join(problems) + ".", details=problems)
    version = current_version(AVENANT_TEMPLATE)
    manifest = parse_manifest(version.manifest)
    form = avenant_form(convention, manifest,
                        data=None if request.method == "POST" else initial_data(convention, manifest))
    error, status = None, 200
    if _added_a_row(form):
        return _page(convention, version, form, error), 200
    if form.validate_on_submit():
        actor = current_user._get_current_object()

        def create_and_draft():  # one transaction: an avenant whose draft cannot be rendered is not kept
            avenant = prepare_avenant(
                convention, title=form.title.data, effective_date=form.effective_date.data,
                articles=form.amended_articles(), fields=form.template_values(), signatories=form.signatories(),
                actor=actor)
            generate_draft(avenant, actor=actor)
            return avenant
        avenant, error = commit_or_error(create_and_draft)
        if error is None:
            flash(f"L'avenant {avenant.reference} est créé : son projet v1 est prêt à télécharger.", "success")
            return redirect(url_for("conventions.show", convention_id=avenant.id))
    if request.method == "POST":
        status = 422
    return _page(convention, version, form, error), status


@signed_in
def edit_avenant_page(convention_id: int):
    avenant = get_convention(convention_id, for_edit=True)
    if not avenant.is_avenant or avenant.template_version is None:
        raise Conflict("Seul un avenant rédigé dans l'application se modifie ici.")
    avenant.ensure_editable()  # 409 from « à signer » on, saying how to change it
    manifest = parse_manifest(avenant.template_version.manifest)
    data = None if request.method == "POST" else {**current_values(avenant), "articles": amended_articles(avenant)}
    form = avenant_form(avenant, manifest, data=data)
    error, status = None, 200
    if _added_a_row(form):
        return _page(avenant.parent, avenant.template_version, form, error, avenant=avenant), 200
    if form.validate_on_submit():
        changes, error = commit_or_error(lambda: edit_avenant(
            avenant, title=form.title.data, effective_date=form.effective_date.data,
            articles=form.amended_articles(), fields=form.template_values(), signatories=form.signatories(),
            actor=current_user._get_current_object()))
        if error is None:
            flash("L'avenant est modifié : produisez un nouveau projet pour le texte à jour." if changes
                  else "Aucune valeur n'a changé : rien n'a été enregistré.", "success" if changes else "info")
            return redirect(url_for("conventions.show", convention_id=avenant.id, _anchor="projets"))
    if request.method == "POST":
        status = 422
    return _page(avenant.parent, avenant.template_version, form, error, avenant=avenant), status


def _added_a_row(form) -> bool:
    """« Ajouter un article »: one more row, nothing validated nor saved."""
    if request.method != "POST" or not form.add_article.data:
        return False
    if len(form.articles) < MAX_ARTICLES:
        form.articles.append_entry()
    return True


def _page(convention, version, form, error, avenant=None):
    return render_template("conventions/avenant_form.html", convention=convention, version=version, form=form,
                           error=error, max_articles=MAX_ARTICLES, avenant=avenant)
