"""« Modifier » (a convention in « brouillon » or « en négociation ») and « Corriger » (a signed or terminated one)
on the convention page.

Both load the convention with get_convention(for_edit=True): 404 outside the user's scope, 403 for a reader (the
ARS); its hospital's users and administrators change it. A status that does not allow the action is the 409 page
with its French message; a refused form comes back with its message (422) and what was typed, nothing changed.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.conventions.edit_forms import correction_form, edit_form, form_changes
from registry.conventions.editing import correct_convention, edit_convention, ensure_correctable
from registry.conventions.models import Convention
from registry.core.access import signed_in
from registry.core.errors import Conflict
from registry.core.scope import get_convention
from registry.core.transaction import commit_or_error


def _main_convention(convention_id: int) -> Convention:
    convention = get_convention(convention_id, for_edit=True)
    if convention.is_avenant:
        raise Conflict("Un avenant se modifie par l'API (intitulé, date d'effet, signataires) : sa durée reste "
                       "celle de la convention.")
    return convention


def _done(convention: Convention, changes: dict, message: str):
    flash(message if changes else "Aucune valeur n'a changé : rien n'a été enregistré.",
          "success" if changes else "info")
    return redirect(url_for("conventions.show", convention_id=convention.id, _anchor="historique"))


@signed_in
def edit(convention_id: int):
    convention = _main_convention(convention_id)
    convention.ensure_editable()  # from « à signer » on: 409 page saying how to change it
    form = edit_form(convention, prefill=request.method == "GET")
    error = None
    if form.validate_on_submit():
        changes, error = commit_or_error(lambda: edit_convention(
            convention, form_changes(form, convention), actor=current_user._get_current_object()))
        if error is None:
            draft_hint = " Produisez un nouveau projet pour en tenir compte." if convention.template_version else ""
            return _done(convention, changes, f"La convention {convention.reference} est modifiée.{draft_hint}")
    status = 422 if request.method == "POST" else 200
    return render_template("conventions/edit.html", convention=convention, form=form, error=error,
                           correcting=False), status


@signed_in
def correct(convention_id: int):
    convention = _main_convention(convention_id)
    ensure_correctable(convention)
    form = correction_form(convention, prefill=request.method == "GET")
    error = None
    if form.validate_on_submit():
        changes, error = commit_or_error(lambda: correct_convention(
            convention, form_changes(form, convention), reason=form.reason.data,
            actor=current_user._get_current_object()))
        if error is None:
            return _done(convention, changes, f"La correction de la convention {convention.reference} est "
                                              "enregistrée ; l'historique la montre avec son motif.")
    status = 422 if request.method == "POST" else 200
    return render_template("conventions/edit.html", convention=convention, form=form, error=error,
                           correcting=True), status
