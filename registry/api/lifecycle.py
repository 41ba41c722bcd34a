"""/conventions/{id}/transitions and /conventions/{id}/signed-copy: the lifecycle and the signed PDF, on the
conventions blueprint. Both load the convention for editing first (404 outside the scope, 403 for readers such
as the ARS), then call the domain, whose refusals keep their status: 409 (transition or status refused), 422
(invalid input, a file that is not an archivable PDF); a body over MAX_UPLOAD_MB is a 413."""

from flask import request
from flask.views import MethodView
from flask_login import current_user
from webargs.flaskparser import abort

from registry.api.blueprint import load_json
from registry.api.convention_schemas import (ConventionSchema, CopyReviewInput, SignedCopySchema, TransitionInput,
                                             TransmissionInput)
from registry.api.conventions import ID, blp
from registry.conventions.models import COPY_SET_ASIDE
from registry.conventions.signed_copies import (attach_signed_copy, confirm_signed_copy, discard_signed_copy,
                                                find_signed_copy)
from registry.conventions.transitions import transition
from registry.conventions.transmission import record_ars_transmission
from registry.core.access import signed_in
from registry.core.errors import DomainError
from registry.core.scope import get_convention
from registry.extensions import db

UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "La copie signée (PDF)."},
                   "reason": {"type": "string", "description": "Avec « ?confirm=true » : motif de la confirmation "
                                                              "malgré une alerte de signature."}}}}}}
CONFIRM_PARAMETER = {"name": "confirm", "in": "query", "required": False, "schema": {"type": "boolean"},
                     "description": "true : une copie dont la signature est altérée devient quand même la copie en "
                                    "vigueur, avec le motif « reason » (tracé)."}


@blp.route(f"/conventions/<{ID}:convention_id>/transitions")
@signed_in
class TransitionCreate(MethodView):
    @blp.json_body(TransitionInput)
    @blp.response(200, ConventionSchema, description="La convention dans son nouveau statut.")
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Convention hors du périmètre de l'utilisateur.")
    @blp.alt_response(409, description="Changement refusé : « error.message » dit pourquoi en français, "
                                       "« error.details » liste chaque condition manquante.")
    def post(self, convention_id):
        """Changer le statut d'une convention : {"to", "comment", "date"} (docs/lifecycle.md).

        brouillon → en_negociation → a_signer → signee → resiliee ; a_signer → en_negociation avec un motif ;
        signee demande une copie signée déposée et la date de signature ; resiliee demande la date d'effet et le
        motif. Un statut inconnu ou une date invalide répondent 422. Réservé aux administrateurs et aux
        utilisateurs de l'hôpital.
        """
        convention = get_convention(convention_id, for_edit=True)
        payload = load_json(TransitionInput)
        transition(convention, payload["to"], actor=current_user, comment=payload["comment"], date=payload["date"])
        db.session.commit()
        return convention


@blp.route(f"/conventions/<{ID}:convention_id>/ars-transmission")
@signed_in
class TransmissionCreate(MethodView):
    @blp.json_body(TransmissionInput)
    @blp.response(200, ConventionSchema, description="La convention, avec sa date de transmission à l'ARS.")
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Convention hors du périmètre de l'utilisateur.")
    @blp.alt_response(422, description="Date refusée : convention non signée, date future ou antérieure à la "
                                       "signature (« error.details »).")
    def post(self, convention_id):
        """Enregistrer la date à laquelle l'hôpital a transmis la convention à l'ARS : {"date"}.

        La loi demande la transmission des conventions des articles L6111-3-2 et L6111-3-3 (et D6124-204) ; la
        conformité ne les compte qu'une fois transmises. Une nouvelle date remplace la précédente (tracé dans
        l'historique). Réservé aux administrateurs et aux utilisateurs de l'hôpital.
        """
        convention = get_convention(convention_id, for_edit=True)
        payload = load_json(TransmissionInput)
        record_ars_transmission(convention, payload["date"], actor=current_user)
        db.session.commit()
        return convention


@blp.route(f"/conventions/<{ID}:convention_id>/signed-copy")
@signed_in
class SignedCopyCreate(MethodView):
    @blp.doc(requestBody=UPLOAD_BODY, parameters=[CONFIRM_PARAMETER])
    @blp.response(201, SignedCopySchema, description="La copie enregistrée (nouvelle version) et sa vérification.")
    @blp.alt_response(400, description="Corps multipart/form-data attendu.")
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Convention hors du périmètre de l'utilisateur.")
    @blp.alt_response(409, description="Le statut ne permet pas de déposer la copie (« a_signer » ou « signee » ; "
                                       "aussi « brouillon » pour une convention rédigée hors de l'application).")
    @blp.alt_response(413, description="Fichier au-delà de MAX_UPLOAD_MB.")
    @blp.alt_response(422, description="Fichier refusé (« signed_copy_rejected ») : vide, pas un PDF, tronqué, "
                                       "illisible, protégé par un mot de passe d'ouverture, sans page.")
    def post(self, convention_id):
        """Déposer la copie signée (PDF) dans le champ « file » ; la réponse donne son SHA-256 et la vérification.

        Le contenu est vérifié, jamais le nom : PDF complet et lisible, taille. Chaque signature électronique est
        vérifiée hors ligne : signataire, heure de signature, intégrité, modification après signature, confiance
        dans le certificat (à part). Une copie sans signature électronique est acceptée (copie numérisée). Une
        nouvelle copie est une nouvelle version ; les précédentes restent. Une copie dont une signature est
        altérée, modifiée après signature ou illisible est enregistrée mais mise à l'écart (« review » :
        « ecartee », « alerts » dit pourquoi) : elle ne devient la copie en vigueur qu'une fois confirmée avec un
        motif (.../signed-copies/{version}/confirmation), ou dès le dépôt avec « ?confirm=true » et le motif dans
        le champ « reason ». « current » dit si la copie déposée est désormais la copie en vigueur. Réservé aux
        administrateurs et aux utilisateurs de l'hôpital.
        """
        convention = get_convention(convention_id, for_edit=True)
        if request.mimetype != "multipart/form-data":
            abort(400, messages={"form": ["corps multipart/form-data attendu (champ « file »)"]})
        upload = request.files.get("file")
        if upload is None:
            raise DomainError("Copie refusée : le fichier est manquant (champ « file »).",
                              details={"files": {"file": ["champ obligatoire"]}})
        confirm = request.args.get("confirm", "").strip().lower() in ("true", "1", "oui")
        reason = (request.form.get("reason") or request.args.get("reason") or "").strip()
        if confirm and not reason:
            raise DomainError("Copie refusée : « confirm=true » demande le motif de la confirmation malgré l'alerte "
                              "(champ « reason »).", details={"files": {"reason": ["champ obligatoire"]}})
        document = attach_signed_copy(convention, upload.read(), actor=current_user)
        if confirm and document.review == COPY_SET_ASIDE:
            confirm_signed_copy(document, reason, actor=current_user)
        db.session.commit()
        return document


@blp.route(f"/conventions/<{ID}:convention_id>/signed-copies/<{ID}:version>/confirmation")
@signed_in
class SignedCopyConfirmation(MethodView):
    @blp.json_body(CopyReviewInput)
    @blp.response(200, SignedCopySchema, description="La copie confirmée malgré l'alerte : la copie en vigueur.")
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Convention hors du périmètre de l'utilisateur, ou version inconnue.")
    @blp.alt_response(409, description="La copie n'est pas mise à l'écart, ou une copie plus récente est en vigueur.")
    @blp.alt_response(422, description="Motif manquant.")
    def post(self, convention_id, version):
        """Confirmer malgré l'alerte une copie mise à l'écart : {"reason"} obligatoire, tracé (qui, quand, motif).

        La copie devient la copie en vigueur, toujours marquée « confirmée malgré l'alerte ». Réservé aux
        administrateurs et aux utilisateurs de l'hôpital.
        """
        return _decide(convention_id, version, confirm_signed_copy)


@blp.route(f"/conventions/<{ID}:convention_id>/signed-copies/<{ID}:version>/discard")
@signed_in
class SignedCopyDiscard(MethodView):
    @blp.json_body(CopyReviewInput)
    @blp.response(200, SignedCopySchema, description="La copie écartée définitivement (conservée, jamais en vigueur).")
    @blp.alt_response(403, description="Lecture seule pour l'utilisateur (ARS).")
    @blp.alt_response(404, description="Convention hors du périmètre de l'utilisateur, ou version inconnue.")
    @blp.alt_response(409, description="La copie n'est pas mise à l'écart.")
    def post(self, convention_id, version):
        """Écarter définitivement une copie mise à l'écart : {"reason"} facultatif, tracé.

        Réservé aux administrateurs et aux utilisateurs de l'hôpital.
        """
        return _decide(convention_id, version, discard_signed_copy)


def _decide(convention_id: int, version: int, decision):
    """A decision on a set-aside copy: the convention for editing (404, 403), the copy (404), the body, then the
    domain's decision with the reason, committed."""
    convention = get_convention(convention_id, for_edit=True)
    document = find_signed_copy(convention, version)
    payload = load_json(CopyReviewInput)
    decision(document, payload["reason"], actor=current_user)
    db.session.commit()
    return document
