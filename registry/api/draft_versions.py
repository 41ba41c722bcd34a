"""/conventions/{id}/drafts/received and /conventions/{id}/drafts/compare: the partner's marked-up .docx received
as a new draft version (multipart, field « file », optional « comment »), and the comparison of two versions.

Receiving loads the convention for editing (404 outside the scope, 403 for readers such as the ARS); comparing
reads it. A refused file is a 422 (« document_rejected ») and stores nothing; a body over MAX_UPLOAD_MB, a 413.
"""

from flask import request, url_for
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields as ma
from webargs.flaskparser import abort

from registry.api.convention_schemas import DraftSchema
from registry.api.conventions import ID, blp
from registry.api.fields import FrenchSchema, Integer, List, Nested, String
from registry.conventions.draft_versions import ACCEPTED_VIEW, compare_drafts, receive_partner_version
from registry.core.access import signed_in
from registry.core.errors import DomainError
from registry.core.scope import get_convention
from registry.extensions import db

RECEIVED_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "Le document Word (.docx) reçu du partenaire, tel quel."},
                   "comment": {"type": "string", "maxLength": 1000, "description": "Commentaire facultatif."}}}}}}


class CompareQuery(FrenchSchema):
    # « from » is a Python keyword: the attribute is « old », the query parameter « from ».
    old = Integer(required=True, data_key="from", metadata={"description": "Version de départ."})
    new = Integer(required=True, data_key="to", metadata={"description": "Version comparée."})


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


@blp.route(f"/conventions/<{ID}:convention_id>/drafts/received")
@signed_in
class ReceivedDraftCreate(MethodView):
    @blp.doc(requestBody=RECEIVED_BODY)
    @blp.response(201, DraftSchema, description="La version enregistrée (nouveau numéro de projet).")
    @blp.alt_response(400, description="Corps multipart/form-data attendu.")
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Convention hors du périmètre de l'utilisateur.")
    @blp.alt_response(409, description="La convention n'est plus « brouillon » ni « en négociation ».")
    @blp.alt_response(413, description="Fichier au-delà de MAX_UPLOAD_MB.")
    @blp.alt_response(422, description="Fichier refusé (« document_rejected ») : vide, pas un .docx, archive "
                                       "endommagée, macros (.docm), taille décompressée anormale.")
    def post(self, convention_id):
        """Déposer la version Word reçue du partenaire (champ « file », « comment » facultatif).

        Le contenu est vérifié, jamais le nom ; le fichier est enregistré octet pour octet (modifications suivies
        et commentaires compris) comme nouvelle version du projet, numérotée à la suite des projets produits.
        Réservé aux administrateurs et aux utilisateurs de l'hôpital, tant que la convention est « brouillon » ou
        « en négociation ».
        """
        convention = get_convention(convention_id, for_edit=True)
        if request.mimetype != "multipart/form-data":
            abort(400, messages={"form": ["corps multipart/form-data attendu (champ « file »)"]})
        upload = request.files.get("file")
        if upload is None:
            raise DomainError("Document refusé : le fichier est manquant (champ « file »).",
                              details={"files": {"file": ["champ obligatoire"]}})
        document = receive_partner_version(convention, upload.read(), comment=request.form.get("comment"),
                                           actor=current_user)
        db.session.commit()
        return document, 201, {"Location": url_for("api_conventions.DraftItem", convention_id=convention.id,
                                                   version=document.version)}


@blp.route(f"/conventions/<{ID}:convention_id>/drafts/compare")
@signed_in
class DraftComparison(MethodView):
    @blp.arguments(CompareQuery, location="query", as_kwargs=True)
    @blp.response(200, ComparisonSchema)
    @blp.alt_response(404, description="Convention hors du périmètre, ou version inconnue.")
    def get(self, convention_id, old, new):
        """Comparer deux versions du projet (produites ou reçues), paragraphe par paragraphe puis mot à mot.

        Les modifications suivies d'une version reçue sont lues acceptées (insertions comprises, suppressions
        exclues) ; seul le corps du document est comparé.
        """
        return compare_drafts(get_convention(convention_id), old, new)
