"""Word round trips on the convention page: receive the partner's marked-up .docx as a new draft version, compare
two versions (page and .docx download). Every version downloads through draft_routes.download_draft.

Receiving loads the convention for editing (404 outside the scope, 403 for readers such as the ARS); comparing
only reads it, like downloading a draft. A refused upload shows the page again (422) with the French reason
beside the form, and stores nothing. Downloads are audited by registry/audit/downloads.py.
"""

import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from registry.conventions.convention_page import FORM_PREFIX, PartnerUpload, render_convention_page
from registry.conventions.draft_versions import ACCEPTED_VIEW, compare_drafts, receive_partner_version, version_label
from registry.conventions.services import DOCX, convention_drafts
from registry.conventions.version_forms import PartnerVersionForm
from registry.core.access import signed_in
from registry.core.errors import DomainError
from registry.core.scope import get_convention
from registry.core.transaction import commit_or_error


@signed_in
def receive_version(convention_id: int):
    convention = get_convention(convention_id, for_edit=True)
    form = PartnerVersionForm(prefix=FORM_PREFIX)
    error = None
    if form.validate():
        document, error = commit_or_error(lambda: receive_partner_version(
            convention, form.file.data.read(), comment=form.comment.data,
            actor=current_user._get_current_object()))
        if error is None:
            flash(f"La version reçue du partenaire est enregistrée : projet v{document.version}.", "success")
            return redirect(url_for("conventions.show", convention_id=convention.id, _anchor="projets"))
    return render_convention_page(convention_id, upload_refused=PartnerUpload(form, error)), 422


def _versions_asked() -> tuple[int, int]:
    old, new = request.args.get("de", type=int), request.args.get("a", type=int)
    if old is None or new is None:
        raise DomainError("Choisissez les deux versions à comparer (paramètres « de » et « a »).")
    return old, new


@signed_in
def compare_versions(convention_id: int):
    convention = get_convention(convention_id)
    old, new = _versions_asked()
    comparison = compare_drafts(convention, old, new)  # NotFound: 404 page naming the version
    return render_template("conventions/compare.html", convention=convention, comparison=comparison,
                           drafts=convention_drafts(convention), accepted_view=ACCEPTED_VIEW,
                           old_label=version_label(comparison.old), new_label=version_label(comparison.new))


@signed_in
def download_comparison(convention_id: int, old: int, new: int):
    comparison = compare_drafts(get_convention(convention_id), old, new)
    return send_file(io.BytesIO(comparison.as_docx()), mimetype=DOCX, as_attachment=True,
                     download_name=comparison.filename)
