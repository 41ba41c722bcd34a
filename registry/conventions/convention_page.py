"""The convention page (conventions/show.html), shown by the ``show`` view and, again with a refusal beside the
form that was sent (422), by the action views (lifecycle_routes.py, version_routes.py).

Everything the page shows is loaded here, before the template renders: the lifecycle panel
(lifecycle_page.convention_lifecycle) and the partner's upload form; the template runs no query helper of its
own.
"""

from typing import NamedTuple

from flask import render_template

from registry.conventions.draft_versions import may_receive_version
from registry.conventions.lifecycle_page import Refusal, convention_lifecycle
from registry.conventions.preview import PDF_UNAVAILABLE, soffice
from registry.conventions.services import convention_drafts
from registry.conventions.version_forms import PartnerVersionForm
from registry.core.french import french_duration
from registry.core.scope import can_edit_hospital, get_convention
from registry.documents.context import end_date

#: The prefix of the partner's upload form fields.
FORM_PREFIX = "partenaire"


class PartnerUpload(NamedTuple):
    form: PartnerVersionForm
    #: The domain's refusal (the file's content, the status), shown above the form; None otherwise.
    error: str | None = None


def partner_upload(convention, can_edit: bool, refused: PartnerUpload | None = None) -> PartnerUpload | None:
    """The upload form the page shows (the refused one, with its errors, after a refusal); None when the user
    may not upload or the status does not allow it."""
    if refused is not None:
        return refused
    if not can_edit or not may_receive_version(convention):
        return None
    return PartnerUpload(PartnerVersionForm(prefix=FORM_PREFIX, formdata=None))


def render_convention_page(convention_id: int, *, refusal: Refusal | None = None,
                           upload_refused: PartnerUpload | None = None) -> str:
    """The page of a convention the user may read (404 outside the scope), with the refused form when given."""
    convention = get_convention(convention_id)
    can_edit = can_edit_hospital(convention.hospital)
    ends = (end_date(convention.effective_date, convention.duration_months)
            if convention.effective_date and convention.duration_months else None)
    manifest = convention.template_version.manifest if convention.template_version else {}
    clauses = [c["label"] for c in manifest.get("clauses", []) if c["code"] in (convention.clauses or [])]
    return render_template("conventions/show.html", convention=convention, drafts=convention_drafts(convention),
                           end_date=ends, clauses=clauses, can_edit=can_edit,
                           duration=french_duration(convention.duration_months) if convention.duration_months else None,
                           can_draft=can_edit and convention.template_version is not None
                           and convention.status.editable,
                           pdf_unavailable=None if soffice() else PDF_UNAVAILABLE,
                           life=convention_lifecycle(convention, can_edit, failure=refusal),
                           upload=partner_upload(convention, can_edit, upload_refused))
