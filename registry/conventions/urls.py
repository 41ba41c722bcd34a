"""The conventions blueprint's URL map: every page and action of the area, its address and its view, in one
place. The views are plain functions in the *_routes.py modules (each checks sign-in and authorisation itself);
none imports another's view: what two pages share lives in non-route modules (convention_page.py,
preselection.py). The endpoint is the view's name (``url_for("conventions.show", ...)``); tests compare this
map with ``app.url_map``.
"""

from werkzeug.exceptions import RequestEntityTooLarge

from registry.conventions import (avenant_routes, draft_routes, edit_routes, followup_routes, lifecycle_routes,
                                  list_routes, register_routes, routes, version_routes)
from registry.conventions.blueprint import bp
from registry.hospitals.partner_routes import ID  # the id converter shared by the pages

CONVENTION = f"/conventions/<{ID}:convention_id>"
HOSPITAL = "/hopitaux/<finess>/conventions"
GET, POST, FORM = ["GET"], ["POST"], ["GET", "POST"]

#: (address, view, methods), in the order the rules are added.
URLS = [
    # Drafting from a template (routes.py)
    (f"{HOSPITAL}/nouvelle", routes.choose_template, GET),
    (f"{HOSPITAL}/nouvelle/<code>", routes.new_convention, FORM),
    # The convention page and its drafts (draft_routes.py)
    (CONVENTION, draft_routes.show, GET),
    (f"{CONVENTION}/projets", draft_routes.new_draft, POST),
    (f"{CONVENTION}/projets/<{ID}:version>.docx", draft_routes.download_draft, GET),
    (f"{CONVENTION}/projets/<{ID}:version>/apercu", draft_routes.preview_draft, GET),
    (f"{CONVENTION}/projets/<{ID}:version>.pdf", draft_routes.pdf_draft, GET),
    # Deadlines follow-up (followup_routes.py) and the list (list_routes.py)
    ("/conventions/echeances", followup_routes.followup, GET),
    ("/conventions/echeances/export", followup_routes.followup_download, GET),
    ("/conventions", list_routes.index, GET),
    # Lifecycle actions on the convention page (lifecycle_routes.py)
    (f"{CONVENTION}/statut/<to>", lifecycle_routes.change_status, POST),
    (f"{CONVENTION}/transmission-ars", lifecycle_routes.record_transmission, POST),
    (f"{CONVENTION}/fondements", lifecycle_routes.correct_legal_bases, POST),
    (f"{CONVENTION}/copies-signees", lifecycle_routes.upload_signed_copy, POST),
    (f"{CONVENTION}/copies-signees/<{ID}:version>/confirmation", lifecycle_routes.confirm_set_aside_copy, POST),
    (f"{CONVENTION}/copies-signees/<{ID}:version>/rejet", lifecycle_routes.discard_set_aside_copy, POST),
    (f"{CONVENTION}/copies-signees/<{ID}:version>.pdf", lifecycle_routes.download_signed_copy, GET),
    (f"{CONVENTION}/avenants", lifecycle_routes.new_avenant, POST),
    (f"{CONVENTION}/abandon", lifecycle_routes.abandon, POST),
    (f"{CONVENTION}/remplacement", lifecycle_routes.record_supersession, POST),
    # Registering existing conventions: one, or the stock (register_routes.py)
    (f"{HOSPITAL}/enregistrer", register_routes.register_existing, FORM),
    (f"{HOSPITAL}/import", register_routes.import_upload, FORM),
    (f"{HOSPITAL}/import/apercu", register_routes.import_preview, GET),
    (f"{HOSPITAL}/import/confirmer", register_routes.import_confirm, POST),
    (f"{HOSPITAL}/import/abandonner", register_routes.import_abandon, POST),
    (f"{HOSPITAL}/import/modele.csv", register_routes.import_model_csv, GET),
    (f"{HOSPITAL}/import/modele.xlsx", register_routes.import_model_xlsx, GET),
    # Editing and correcting (edit_routes.py)
    (f"{CONVENTION}/modifier", edit_routes.edit, FORM),
    (f"{CONVENTION}/corriger", edit_routes.correct, FORM),
    # Word round trips with the partner (version_routes.py)
    (f"{CONVENTION}/projets/recus", version_routes.receive_version, POST),
    (f"{CONVENTION}/projets/comparaison", version_routes.compare_versions, GET),
    (f"{CONVENTION}/projets/comparaison/v<{ID}:old>-v<{ID}:new>.docx", version_routes.download_comparison, GET),
    # Avenants drafted from the avenant template (avenant_routes.py)
    (f"{CONVENTION}/avenants/nouveau", avenant_routes.prepare_avenant_page, FORM),
    (f"{CONVENTION}/avenant/modifier", avenant_routes.edit_avenant_page, FORM),
]

for rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)

# The blueprint's request hooks, beside its URLs.
bp.url_value_preprocessor(register_routes.allow_a_larger_stock)
bp.register_error_handler(RequestEntityTooLarge, lifecycle_routes.upload_too_large)
