"""Word round trips through the API (docs/interface.md, « Negotiation »): POST /conventions/{id}/drafts with a
multipart body receives the partner's marked-up .docx as a new draft version (field « file », optional
« comment »); GET /conventions/{id}/drafts/{a}/compare/{b} compares two versions.

Receiving runs after the convention is loaded for editing (404 outside the scope, 403 for readers such as the
ARS); comparing reads it. A refused file is a 422 (« document_rejected ») and stores nothing; a body over
MAX_UPLOAD_MB, a 413.
"""

from flask import jsonify, request, url_for
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields as ma

from registry.api.convention_schemas import DraftSchema
from registry.api.conventions import ID, blp
from registry.api.fields import FrenchSchema, Integer, List, Nested, String
from registry.conventions.draft_versions import ACCEPTED_VIEW, compare_drafts, receive_partner_version
from registry.core.access import signed_in
from registry.core.errors import DomainError
from registry.core.scope import get_convention
from registry.extensions import db

class SegmentSchema(FrenchSchema):
    kind = String(metadata={"description": "« equal », « insert » ou « delete »."})
    text = String()


class BlockSchema(FrenchSchema):
    kind = String(metadata={"description": "« equal », « insert », « delete » (paragraphes entiers, dans "
                                           "« paragraphs ») ou « change » (un paragraphe, mot à mot, dans "
                                           "« segments »)."})
    paragraphs = List(String())
    segments = List(Nested(SegmentSchema))


class SummarySchema(FrenchSchema):
    unchanged = Integer()
    added = Integer()
    deleted = Integer()
    changed = Integer()


class ComparisonSchema(FrenchSchema):
    old = Nested(DraftSchema, data_key="from")
    new = Nested(DraftSchema, data_key="to")
    reading = ma.Constant(ACCEPTED_VIEW, metadata={"description": "Comment le texte est lu."})
    summary = Nested(SummarySchema)
    blocks = List(Nested(BlockSchema))


def receive_upload(convention):
    """POST /conventions/{id}/drafts with a multipart body (docs/interface.md): the partner's .docx in « file »,
    stored as the next draft version; answers 201 with the version (DraftSchema) and its Location."""
    upload = request.files.get("file")
    if upload is None:
        raise DomainError("Document refusé : le fichier est manquant (champ « file »).",
                          details={"files": {"file": ["champ obligatoire"]}})
    document = receive_partner_version(convention, upload.read(), comment=request.form.get("comment"),
                                       actor=current_user)
    db.session.commit()
    response = jsonify(DraftSchema().dump(document))
    response.status_code = 201
    response.headers["Location"] = url_for("api_conventions.DraftItem", convention_id=convention.id,
                                           version=document.version)
    return response


@blp.route(f"/conventions/<{ID}:convention_id>/drafts/<{ID}:old>/compare/<{ID}:new>")
@signed_in
class DraftComparison(MethodView):
    @blp.response(200, ComparisonSchema)
    @blp.alt_response(404, description="Convention hors du périmètre, ou version inconnue.")
    def get(self, convention_id, old, new):
        """Comparer deux versions du projet (produites ou reçues), paragraphe par paragraphe puis mot à mot.

        Les modifications suivies d'une version reçue sont lues acceptées (insertions comprises, suppressions
        exclues) ; seul le corps du document est comparé. Lecture : comme le téléchargement des projets.
        """
        return compare_drafts(get_convention(convention_id), old, new)
